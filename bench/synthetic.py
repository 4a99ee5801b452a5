"""National-size synthetic data: schools, staff, programmes, plans, classes, learners, enrollments, marks.

Deterministic for a seed (one ``random.Random`` drives everything, ids are assigned here, and the
timestamps are derived from the data, not from the clock). On Postgres the big tables are written
with ``COPY … FROM STDIN`` (psycopg 3); elsewhere (SQLite, small sizes in tests) with
``executemany`` INSERTs of the same rows.

Sizes: ``enrollments_per_year`` enrollments in each of ``years`` years ending with ``end_year``;
classes hold ~50 learners; ~12 % of the enrollments are people who studied before (earlier year,
any school), so a learner re-appears across years and schools.
"""

from __future__ import annotations

import contextlib
import datetime
import itertools
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Max

from core.vietnamese import fold, sort_key
from courses import school_learners
from courses.models import (
    DEFAULT_BANDS,
    AnnualPlan,
    ClassificationBand,
    Enrollment,
    Learner,
    Mark,
    Module,
    PlanLine,
    Programme,
    SchoolLearner,
    TrainingClass,
)
from schools.demo import FAMILY, seed_schools
from schools.models import EthnicGroup, FormerProvince, OrgUnit, School, Staff

# Name lists (a superset of schools/demo.py's, all with their diacritics).
FAMILY_NAMES = FAMILY + ["Vũ", "Huỳnh", "Trương", "Đinh", "Lâm", "Mai", "Tô", "Hà", "Tạ", "Lương", "Quách", "Chu",
                         "Đoàn", "Kiều", "Lục", "Nông", "Triệu", "Thái", "Cao", "Vi"]
FAMILY_WEIGHTS = [38, 11, 9, 7, 5, 4, 4, 2, 2, 2, 1.5, 1.3, 1, 0.5] + [3.9, 2, 1, 1, 0.8, 0.6, 0.4, 0.6, 0.3, 0.4,
                                                                         0.2, 0.3, 0.5, 0.2, 0.2, 0.4, 0.3, 0.2, 0.3, 0.2]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Thanh", "Công", "Đình", "Ngọc", "Quốc", "Tiến", "Mạnh",
            "Trọng", "Thế", "Bá", "Duy", "Hoàng", "Anh", "Tuấn"]
MIDDLE_F = ["Thị", "Thị Thu", "Thị Minh", "Ngọc", "Thị Hồng", "Thu", "Thị Thanh", "Thị Kim", "Thị Ngọc", "Hồng",
            "Thị Mỹ", "Thị Bích", "Thị Lan", "Phương", "Thùy", "Diệu"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Khoa", "Long", "Nam", "Phong", "Quân", "Sơn",
           "Thắng", "Tuấn", "Vinh", "Bảo", "Chiến", "Định", "Giang", "Hiếu", "Hoàng", "Huy", "Khánh", "Kiên",
           "Lâm", "Lực", "Mạnh", "Nghĩa", "Phúc", "Quyết", "Tài", "Thành", "Thịnh", "Toàn", "Trung", "Trường",
           "Tú", "Việt", "Vũ"]
GIVEN_F = ["Anh", "Chi", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Oanh", "Phương",
           "Thảo", "Trang", "Yến", "Bích", "Cúc", "Diệp", "Dung", "Hằng", "Hiền", "Huyền", "Loan", "Ly", "My",
           "Ngân", "Ngọc", "Nhung", "Quyên", "Quỳnh", "Tâm", "Thắm", "Thủy", "Thư", "Trâm", "Tuyết", "Uyên", "Vân",
           "Xuân"]

# Ministry and sector cadre schools (beyond the IMARD one of schools/demo.py).
MINISTRY_SCHOOLS = [
    ("SYN-TTCP", "Trường Cán bộ Thanh tra"),
    ("SYN-TCBTC", "Trường Bồi dưỡng cán bộ Tài chính"),
    ("SYN-TCT", "Trường Cán bộ Tòa án"),
    ("SYN-KSND", "Trường Đào tạo, bồi dưỡng nghiệp vụ Kiểm sát"),
    ("SYN-BDCT", "Trường Bồi dưỡng cán bộ Công thương"),
    ("SYN-NHNN", "Trường Bồi dưỡng cán bộ Ngân hàng"),
    ("SYN-GTVT", "Trường Cán bộ quản lý Xây dựng và Giao thông"),
]

# (code, name, kind, modules, has_thesis, has_exam, share of classes)
PROGRAMMES = [
    ("syn-tccc-tt", "Trung cấp lý luận chính trị (tập trung)", Programme.Kind.INTERMEDIATE,
     ["Những vấn đề cơ bản của chủ nghĩa Mác – Lênin, tư tưởng Hồ Chí Minh",
      "Những vấn đề cơ bản về Đảng Cộng sản và lịch sử Đảng Cộng sản Việt Nam",
      "Những vấn đề cơ bản về hệ thống chính trị, Nhà nước và pháp luật",
      "Đường lối, chính sách của Đảng và Nhà nước Việt Nam về các lĩnh vực của đời sống xã hội",
      "Kỹ năng lãnh đạo, quản lý và nghiệp vụ công tác", "Tình hình, nhiệm vụ của địa phương"], False, True, 3),
    ("syn-tccc-kt", "Trung cấp lý luận chính trị (không tập trung)", Programme.Kind.INTERMEDIATE,
     ["Những vấn đề cơ bản của chủ nghĩa Mác – Lênin, tư tưởng Hồ Chí Minh",
      "Những vấn đề cơ bản về Đảng Cộng sản và lịch sử Đảng Cộng sản Việt Nam",
      "Những vấn đề cơ bản về hệ thống chính trị, Nhà nước và pháp luật",
      "Đường lối, chính sách của Đảng và Nhà nước Việt Nam về các lĩnh vực của đời sống xã hội",
      "Kỹ năng lãnh đạo, quản lý và nghiệp vụ công tác", "Tình hình, nhiệm vụ của địa phương"], False, True, 4),
    ("syn-cc", "Cao cấp lý luận chính trị", Programme.Kind.ADVANCED,
     ["Triết học Mác – Lênin", "Kinh tế chính trị Mác – Lênin", "Chủ nghĩa xã hội khoa học",
      "Tư tưởng Hồ Chí Minh", "Xây dựng Đảng", "Quản lý nhà nước và pháp luật"], True, False, 1),
    ("syn-sc", "Sơ cấp lý luận chính trị", Programme.Kind.ELEMENTARY,
     ["Chủ nghĩa Mác – Lênin, tư tưởng Hồ Chí Minh", "Đảng Cộng sản Việt Nam", "Hệ thống chính trị"], False, False, 1),
    ("syn-bd-ccx", "Bồi dưỡng cán bộ lãnh đạo, quản lý cấp xã", Programme.Kind.REFRESHER,
     ["Kiến thức chung", "Kỹ năng lãnh đạo, quản lý", "Thực tế địa phương"], False, False, 2),
]

POSITIONS = ["Chuyên viên", "Phó Trưởng phòng", "Trưởng phòng", "Bí thư Đảng ủy xã", "Chủ tịch UBND xã",
             "Phó Chủ tịch UBND xã", "Trưởng ban", "Phó Giám đốc", "Cán bộ", "Công chức địa chính"]
WORKPLACES = ["UBND xã {p}", "Huyện ủy {p}", "Sở Nội vụ tỉnh {p}", "Sở Tài chính tỉnh {p}", "Đảng ủy phường {p}",
              "Công an tỉnh {p}", "Bộ Chỉ huy Quân sự tỉnh {p}", "Mặt trận Tổ quốc tỉnh {p}", "Trường THPT {p}"]
EDUCATION = ["Cử nhân", "Cử nhân", "Cử nhân", "Kỹ sư", "Thạc sĩ", "Thạc sĩ", "Tiến sĩ", "Cao đẳng"]
RELIGIONS = ["Không"] * 17 + ["Phật giáo", "Công giáo", "Tin lành"]
PROGRAMME_THEORY = {Programme.Kind.INTERMEDIATE: "intermediate", Programme.Kind.ADVANCED: "advanced",
                    Programme.Kind.ELEMENTARY: "elementary"}
CLASS_SIZE = 50
RETURNING_SHARE = 0.12


@dataclass
class Counts:
    schools: int = 0
    staff: int = 0
    programmes: int = 0
    plans: int = 0
    classes: int = 0
    learners: int = 0
    enrollments: int = 0
    marks: int = 0


class TableWriter:
    """Appends rows (tuples in ``fields`` order) to a model's table: COPY on Postgres, executemany elsewhere."""

    BATCH = 5000

    def __init__(self, model, fields: Sequence[str]):
        self.model = model
        meta = model._meta
        self.columns = [meta.get_field(name).column for name in fields]
        self.table = meta.db_table
        self.count = 0
        self._buffer: list[tuple] = []
        self._copy = None
        self._copy_cm = None
        self._cursor = connection.cursor()
        if connection.vendor == "postgresql":
            quoted = ", ".join(connection.ops.quote_name(c) for c in self.columns)
            self._copy_cm = self._cursor.cursor.copy(
                f"COPY {connection.ops.quote_name(self.table)} ({quoted}) FROM STDIN"  # noqa: S608 — our names
            )
            self._copy = self._copy_cm.__enter__()

    def write(self, row: tuple) -> None:
        self.count += 1
        if self._copy is not None:
            self._copy.write_row(row)
            return
        self._buffer.append(row)
        if len(self._buffer) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        if not self._buffer:
            return
        quoted = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        marks = ", ".join(["%s"] * len(self.columns))
        self._cursor.executemany(
            f"INSERT INTO {connection.ops.quote_name(self.table)} ({quoted}) VALUES ({marks})",  # noqa: S608
            self._buffer,
        )
        self._buffer = []

    def close(self) -> int:
        if self._copy_cm is not None:
            self._copy_cm.__exit__(None, None, None)
            self._copy_cm = self._copy = None
        else:
            self._flush()
        self._cursor.close()
        return self.count


@contextlib.contextmanager
def foreign_keys_checked_once(models: Iterable):
    """On Postgres, drop the foreign keys of ``models`` for the load and add them back after.

    Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: loaded row by row, millions of rows
    queue millions of trigger checks for COMMIT (measured: over 10 minutes for 1.5M enrollments
    and 7M marks). Added back with ``ADD CONSTRAINT``, each is validated in one pass over the table
    instead. Inside the caller's transaction, so a failure leaves the constraints as they were.
    """
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
            [tables],
        )
        constraints = cursor.fetchall()
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # run the checks already queued (ALTER refuses to wait)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for name, table, _definition in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        for name, table, definition in constraints:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")


def next_id(model) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def reset_sequences(models: Iterable) -> None:
    """After inserting explicit ids, move the Postgres sequences past them."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


class NameMaker:
    """Random Vietnamese names, with their search and sort keys built from per-word keys.

    ``core.vietnamese.sort_key`` orders words given name first, then middle names, then family name,
    and puts every word's letters first and every word's tone after; ``fold`` folds word by word. So
    both keys of a name are put together from the keys of its words, each computed once (the test
    checks the result against the functions themselves).
    """

    def __init__(self, rng: random.Random):
        self.rng = rng
        self._words: dict[str, tuple[str, str, str]] = {}
        self._family_cum = list(itertools.accumulate(FAMILY_WEIGHTS))

    def _word(self, word: str) -> tuple[str, str, str]:
        keys = self._words.get(word)
        if keys is None:
            key = sort_key(word)
            keys = self._words[word] = (fold(word), key[:-1], key[-1])
        return keys

    def make(self, sex: str) -> tuple[str, str, str]:
        rng = self.rng
        family = rng.choices(FAMILY_NAMES, cum_weights=self._family_cum)[0]
        if sex == "F":
            middle, given = rng.choice(MIDDLE_F), rng.choice(GIVEN_F)
        else:
            middle, given = rng.choice(MIDDLE_M), rng.choice(GIVEN_M)
        words = [family, *middle.split(" "), given]
        keys = [self._word(w) for w in (words[-1], *words[1:-1], words[0])]
        search = " ".join(self._word(w)[0] for w in words)
        sort = ("".join(k[1] for k in keys) + "".join(k[2] for k in keys))[:255]
        return " ".join(words), search, sort


def _school_set() -> list[School]:
    """The current provincial schools, member academies and ministry schools (created when missing)."""
    schools = seed_schools()
    for code, name in MINISTRY_SCHOOLS:
        schools[code], _created = School.objects.get_or_create(
            code=code, defaults={"name": name, "kind": School.Kind.MINISTRY, "region": "national"}
        )
    teaching = [s for s in schools.values() if s.active and s.kind != School.Kind.ACADEMY]
    return sorted(teaching, key=lambda s: s.code)


def synthetic_schools() -> list[School]:
    """The schools of the synthetic data set that run classes (those ``_school_set`` makes), in code
    order, with their province; none is created here."""
    from schools.demo import OTHER_INSTITUTIONS, PROVINCIAL_SCHOOLS

    codes = {row[0] for row in PROVINCIAL_SCHOOLS} | {row[0] for row in OTHER_INSTITUTIONS}
    codes |= {code for code, _name in MINISTRY_SCHOOLS}
    return list(School.objects.filter(code__in=codes, active=True).exclude(kind=School.Kind.ACADEMY)
                .select_related("province").order_by("code"))


@contextlib.contextmanager
def stamped_as_given(*models):
    """Inside, ``bulk_create`` of ``models`` keeps the ``created_at`` / ``updated_at`` (and other
    ``auto_now`` / ``auto_now_add``) values set on the objects, which Django would otherwise replace
    with the clock: the synthetic timestamps are derived from the records' own dates, so a seed
    always gives the same rows. Process-wide while it lasts: meant for the generator only.
    """
    fields = [f for model in models for f in model._meta.concrete_fields
              if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def raw_delete(*querysets) -> int:
    """Delete the rows of each queryset in turn, in one statement each: no signals (so no audit
    entries for synthetic rows) and no cascades, so the caller lists the dependents first."""
    deleted = 0
    for queryset in querysets:
        deleted += queryset._raw_delete(queryset.db) or 0  # None when the filter can match nothing
    return deleted


def utc_stamp(day: datetime.date, hour: int = 2) -> datetime.datetime:
    """A timestamp on ``day`` (02:00 UTC is 09:00 in Vietnam)."""
    return datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=datetime.UTC)


def _school_weight(school: School) -> float:
    if school.code in {"HANOI", "HCM"}:
        return 4.0
    if school.kind == School.Kind.PROVINCIAL:
        return 1.5
    if school.kind == School.Kind.MEMBER_ACADEMY:
        return 1.2
    return 0.4


def _programmes() -> list[tuple[Programme, list[Module], list[tuple[str, int]], int]]:
    """The synthetic programmes with modules and bands: (programme, modules, bands in hundredths, share)."""
    result = []
    for code, name, kind, module_names, thesis, exam, share in PROGRAMMES:
        programme, _created = Programme.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "has_thesis": thesis, "has_exam": exam,
                                 "duration_months": 8 if kind == Programme.Kind.INTERMEDIATE else 4},
        )
        if not programme.modules.exists():
            Module.objects.bulk_create(
                Module(programme=programme, order=i + 1, name=n, weight=2 if i == 0 and len(module_names) > 3 else 1)
                for i, n in enumerate(module_names)
            )
        if not programme.bands.exists():
            ClassificationBand.objects.bulk_create(
                ClassificationBand(programme=programme, label=label, min_average=minimum)
                for label, minimum in DEFAULT_BANDS
            )
        modules = list(programme.modules.order_by("order"))
        bands = sorted(((int(b.min_average * 100), b.label) for b in programme.bands.all()), reverse=True)
        result.append((programme, modules, bands, share))
    return result


def _staff(rng: random.Random, names: NameMaker, schools: list[School], per_school: int) -> dict[int, list[int]]:
    """Units and staff of each school that has none yet; returns school id → lecturer ids."""
    from schools.demo import UNITS

    lecturers: dict[int, list[int]] = {}
    for school in schools:
        if not Staff.objects.for_school(school).exists():
            units = [
                OrgUnit.objects.get_or_create(school=school, name=n, defaults={"kind": k, "function": f})[0]
                for k, f, n in UNITS
            ]
            people = []
            for index in range(per_school):
                sex = rng.choice("MF")
                unit = units[index % len(units)]
                lecturer = unit.kind == OrgUnit.Kind.FACULTY or rng.random() < 0.3
                full_name, search, sort = names.make(sex)
                degree = rng.choices(["doctor", "master", "bachelor"], weights=[2, 6, 2])[0]
                people.append(Staff(
                    school=school, full_name=full_name, search_name=search, name_sort_key=sort, sex=sex, unit=unit,
                    date_of_birth=datetime.date(rng.randint(1966, 1996), rng.randint(1, 12), rng.randint(1, 28)),
                    position="Giảng viên" if lecturer else "Chuyên viên", is_lecturer=lecturer, degree=degree,
                    lecturer_rank=rng.choice(["lecturer", "principal", "principal", "senior"]) if lecturer else "",
                    theory_level=rng.choice(["advanced", "advanced", "bachelor"]),
                    classics_certificate=lecturer and rng.random() < 0.8,
                ))
            Staff.objects.bulk_create(people, batch_size=1000)
        lecturers[school.pk] = list(
            Staff.objects.for_school(school).filter(is_lecturer=True).order_by("pk").values_list("pk", flat=True)
        )
    return lecturers


def generate(*, years: int, enrollments_per_year: int, seed: int, end_year: int,
             log: Callable[[str], None] = lambda message: None) -> Counts:
    """Create the synthetic data set. The training tables must hold no learners yet."""
    if Learner.objects.exists():
        raise ValueError("The database already holds learners; generate into an empty one (or use --replace).")
    # Staff are made only for schools that have none, so they get their own generator: the
    # training data of a seed is the same whether or not the staff were already there.
    staff_rng = random.Random(f"{seed}-staff")
    rng = random.Random(seed)
    names = NameMaker(rng)
    counts = Counts()
    with transaction.atomic():
        schools = _school_set()
        counts.schools = len(schools)
        per_school_staff = max(4, min(60, enrollments_per_year // 5000))
        lecturers = _staff(staff_rng, NameMaker(staff_rng), schools, per_school_staff)
        counts.staff = Staff.objects.count()
        programmes = _programmes()
        counts.programmes = len(programmes)
    log(f"schools: {counts.schools}, staff: {counts.staff}, programmes: {counts.programmes}")

    provinces = list(FormerProvince.objects.order_by("cccd_code").values_list("cccd_code", "name"))
    ethnic = list(EthnicGroup.objects.order_by("order").values_list("pk", flat=True))
    ethnic_weights = list(itertools.accumulate([86] + [14 / max(1, len(ethnic) - 1)] * (len(ethnic) - 1)))
    school_weights = [_school_weight(s) for s in schools]
    programme_weights = [share for _p, _m, _b, share in programmes]
    first_year = end_year - years + 1

    plan_id, line_id, class_id = next_id(AnnualPlan), next_id(PlanLine), next_id(TrainingClass)
    learner_id, enrollment_id, mark_id = next_id(Learner), next_id(Enrollment), next_id(Mark)
    seen_cccd: set[str] = set(Learner.objects.values_list("cccd", flat=True))
    previous_learners: list[int] = []  # learners of earlier years (candidates for returning)

    loaded = [AnnualPlan, PlanLine, TrainingClass, Learner, Enrollment, Mark]
    with transaction.atomic(), foreign_keys_checked_once(loaded):
        for year in range(first_year, end_year + 1):
            rows: dict[str, list[tuple]] = {"plans": [], "lines": [], "classes": [], "learners": [],
                                            "enrollments": [], "marks": []}
            n_classes = max(len(schools) // 4, round(enrollments_per_year / CLASS_SIZE))
            class_sizes = _split(rng, enrollments_per_year, n_classes)
            class_school = rng.choices(range(len(schools)), school_weights, k=n_classes)
            class_prog = rng.choices(range(len(programmes)), programme_weights, k=n_classes)
            per_school_seq: dict[int, int] = {}
            planned: dict[tuple[int, int], list[int]] = {}
            current_year_learners: list[int] = []
            for index in range(n_classes):
                school = schools[class_school[index]]
                programme, modules, bands, _share = programmes[class_prog[index]]
                size = class_sizes[index]
                seq = per_school_seq[school.pk] = per_school_seq.get(school.pk, 0) + 1
                opening = datetime.date(year, rng.randint(1, 10), rng.randint(1, 28))
                months = 8 if programme.kind == Programme.Kind.INTERMEDIATE else 3
                closing_guess = opening + datetime.timedelta(days=30 * months)
                is_open = year == end_year and closing_guess.month >= 6 or closing_guess.year > end_year
                status = TrainingClass.Status.IN_PROGRESS if is_open else TrainingClass.Status.CLOSED
                closing = None if is_open else closing_guess
                adviser = rng.choice(lecturers[school.pk]) if lecturers[school.pk] else None
                stamp = datetime.datetime(opening.year, opening.month, opening.day, 8, 0, tzinfo=datetime.UTC)
                rows["classes"].append((
                    class_id, school.pk, f"K{year % 100:02d}-{seq:04d}", f"{programme.name} khóa {year} lớp {seq}",
                    programme.pk, "in_service" if "kt" in programme.code else "full_time", "", opening, closing,
                    status, adviser, size, f"{seq}/QĐ-TCT", opening - datetime.timedelta(days=14),
                    f"{seq}/QĐ-TCT-BG" if closing else "", closing, "", stamp, stamp,
                ))
                plan_counts = planned.setdefault((school.pk, programme.pk), [0, 0])
                plan_counts[0] += 1
                plan_counts[1] += size
                in_class: set[int] = set()
                for _position in range(size):
                    lid = None
                    if previous_learners and rng.random() < RETURNING_SHARE:
                        lid = rng.choice(previous_learners)
                        if lid in in_class:
                            lid = None
                    if lid is None:
                        lid = learner_id
                        learner_id += 1
                        rows["learners"].append(_learner_row(rng, names, lid, provinces, ethnic, ethnic_weights,
                                                             seen_cccd, year, programme, stamp) + ("cccd", "", "", school.pk))
                        current_year_learners.append(lid)
                    in_class.add(lid)
                    rows["enrollments"].append(
                        _enrollment(rng, enrollment_id, class_id, lid, programme, modules, bands, status, closing,
                                    seq, stamp, rows["marks"], mark_id)
                    )
                    enrollment_id += 1
                    if rows["marks"]:
                        mark_id = rows["marks"][-1][0] + 1
                class_id += 1
            # The plan: roughly what was done (90–115 %).
            stamp = datetime.datetime(year - 1, 12, 15, 8, 0, tzinfo=datetime.UTC)
            for school in schools:
                rows["plans"].append((plan_id, school.pk, year, f"{rng.randint(10, 300)}-KH/TCT",
                                      datetime.date(year - 1, 12, 15), "", stamp, stamp))
                for (school_pk, programme_pk), (n, learners_n) in sorted(planned.items()):
                    if school_pk == school.pk:
                        factor = rng.uniform(0.9, 1.15)
                        rows["lines"].append((line_id, plan_id, programme_pk, max(1, round(n * factor)),
                                              max(1, round(learners_n * factor))))
                        line_id += 1
                plan_id += 1
            previous_learners.extend(current_year_learners)
            counts.plans += _write(AnnualPlan, PLAN_FIELDS, rows["plans"])
            _write(PlanLine, LINE_FIELDS, rows["lines"])
            counts.classes += _write(TrainingClass, CLASS_FIELDS, rows["classes"])
            counts.learners += _write(Learner, LEARNER_FIELDS, rows["learners"])
            counts.enrollments += _write(Enrollment, ENROLLMENT_FIELDS, rows["enrollments"])
            counts.marks += _write(Mark, MARK_FIELDS, rows["marks"])
            log(f"year {year}: {n_classes} classes, {len(rows['learners'])} new learners, "
                f"{len(rows['enrollments'])} enrollments, {len(rows['marks'])} marks")
        log(f"school–learner index: {school_learners.rebuild()} rows")
        log("checking the foreign keys")
    reset_sequences(loaded)
    if connection.vendor == "postgresql":
        # Statistics for the planner and, outside a transaction, the visibility map (so that
        # index-only scans work at once, as they would once autovacuum has passed).
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for model in (TrainingClass, Learner, Enrollment, SchoolLearner, Mark, PlanLine, AnnualPlan, Staff):
                cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
    log(f"learners: {counts.learners}, enrollments: {counts.enrollments}, marks: {counts.marks}")
    return counts


PLAN_FIELDS = ["id", "school", "year", "decision_number", "decision_date", "note", "created_at", "updated_at"]
LINE_FIELDS = ["id", "plan", "programme", "planned_classes", "planned_learners"]
CLASS_FIELDS = ["id", "school", "code", "name", "programme", "mode", "venue", "opening_date", "closing_date",
                "status", "adviser", "planned_size", "opening_decision_number", "opening_decision_date",
                "closing_decision_number", "closing_decision_date", "note", "created_at", "updated_at"]
LEARNER_FIELDS = ["id", "full_name", "search_name", "name_sort_key", "cccd", "date_of_birth", "sex",
                  "ethnic_group", "religion", "hometown", "party_joined_on", "party_official_on", "position",
                  "workplace", "workplace_level", "education", "theory_level", "created_at", "updated_at",
                  "document_type", "nationality", "former_number", "recorded_by"]
ENROLLMENT_FIELDS = ["id", "training_class", "learner", "status", "thesis_mark", "exam_mark", "average",
                     "classification", "diploma_number", "diploma_date", "note", "created_at", "updated_at"]
MARK_FIELDS = ["id", "enrollment", "module", "value"]


def _write(model, fields: Sequence[str], rows: list[tuple]) -> int:
    writer = TableWriter(model, fields)
    for row in rows:
        writer.write(row)
    return writer.close()


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``parts`` class sizes around the mean that add up to ``total``."""
    mean = total / parts
    sizes = [max(1, round(rng.uniform(0.6, 1.4) * mean)) for _ in range(parts)]
    diff = total - sum(sizes)
    index = 0
    while diff:
        step = 1 if diff > 0 else -1
        if sizes[index % parts] + step >= 1:
            sizes[index % parts] += step
            diff -= step
        index += 1
    return sizes


def _learner_row(rng, names, lid, provinces, ethnic, ethnic_weights, seen_cccd, year, programme, stamp) -> tuple:
    sex = "F" if rng.random() < 0.42 else "M"
    full_name, search, sort = names.make(sex)
    birth_year = rng.randint(year - 58, year - 24)
    dob = datetime.date(birth_year, rng.randint(1, 12), rng.randint(1, 28))
    province_code, province_name = rng.choice(provinces)
    century_digit = (0 if birth_year < 2000 else 2) + (1 if sex == "F" else 0)
    while True:
        cccd = f"{province_code}{century_digit}{birth_year % 100:02d}{rng.randrange(1_000_000):06d}"
        if cccd not in seen_cccd:
            seen_cccd.add(cccd)
            break
    joined = None
    official = None
    if rng.random() < 0.93:
        joined = datetime.date(min(year - 1, birth_year + rng.randint(20, 35)), rng.randint(1, 12), rng.randint(1, 28))
        official = joined + datetime.timedelta(days=365 + rng.randint(0, 40))
    ethnic_id = rng.choices(ethnic, cum_weights=ethnic_weights)[0] if ethnic else None
    workplace = rng.choice(WORKPLACES).format(p=province_name)
    level = "commune" if "xã" in workplace or "phường" in workplace else "provincial"
    return (lid, full_name, search, sort, cccd, dob, sex, ethnic_id, rng.choice(RELIGIONS),
            f"{province_name}", joined, official, rng.choice(POSITIONS), workplace, level,
            rng.choice(EDUCATION), PROGRAMME_THEORY.get(programme.kind, ""), stamp, stamp)


def _mark(rng: random.Random, ability: float) -> int:
    """A module mark in hundredths (multiples of 0.25), around the learner's ability."""
    value = min(10.0, max(2.0, rng.gauss(ability, 0.8)))
    return int(round(value * 4)) * 25


def _fmt(hundredths: int | None) -> str | None:
    return None if hundredths is None else f"{hundredths // 100}.{hundredths % 100:02d}"


def _enrollment(rng, eid, class_id, lid, programme, modules, bands, class_status, closing, seq, stamp,
                marks_out: list, mark_id: int) -> tuple:
    """One enrollment row; appends its marks to ``marks_out``. Average/classification follow courses.services."""
    ability = rng.gauss(7.4, 0.9)
    closed = class_status == TrainingClass.Status.CLOSED
    withdrawn = rng.random() < 0.015
    entered = len(modules) if closed else rng.randint(0, len(modules))
    if withdrawn:
        entered = rng.randint(0, max(0, entered - 1))
    total = weight_sum = 0
    next_mark = mark_id if not marks_out else marks_out[-1][0] + 1
    for module in modules[:entered]:
        value = _mark(rng, ability)
        weight = int(module.weight)
        total += value * weight
        weight_sum += weight
        marks_out.append((next_mark, eid, module.pk, _fmt(value)))
        next_mark += 1
    thesis = exam = None
    complete = entered == len(modules)
    if programme.has_thesis and (closed and not withdrawn):
        thesis = _mark(rng, ability)
        total += thesis * int(programme.thesis_weight)
        weight_sum += int(programme.thesis_weight)
    if programme.has_exam and (closed and not withdrawn):
        exam = _mark(rng, ability)
        total += exam * int(programme.exam_weight)
        weight_sum += int(programme.exam_weight)
    if programme.has_thesis and thesis is None or programme.has_exam and exam is None:
        complete = False
    average = (2 * total + weight_sum) // (2 * weight_sum) if complete and weight_sum else None
    classification = ""
    if average is not None:
        for minimum, label in bands:
            if average >= minimum:
                classification = label
                break
    if withdrawn:
        status = Enrollment.Status.WITHDRAWN
    elif not closed:
        status = Enrollment.Status.STUDYING
    elif classification:
        status = Enrollment.Status.GRADUATED
    else:
        status = Enrollment.Status.NOT_GRADUATED
    diploma = f"{closing.year % 100:02d}{seq:04d}/{eid}" if status == Enrollment.Status.GRADUATED else ""
    return (eid, class_id, lid, status, _fmt(thesis), _fmt(exam), _fmt(average), classification, diploma,
            closing if diploma else None, "", stamp, stamp)
