"""The learner import against django-import-export, every variant on the same 10,000-row workbook.

The workbook is built once from the project's own template (``courses.import_workbooks.template_workbook``:
its header, formats and hidden lists), 10,000 new people with valid CCCDs. Every variant imports that
same file, interleaved round after round (ours, then each reference), and after each run the rows it
created (learners, enrollments, school links, change-log entries) are deleted again, so every run
starts from the same database. Every variant is checked to have written the same learner rows
(a fingerprint of the 10,000 rows' values). Nothing is scaled from a smaller run.

Variants:
- ``ours``: ``courses.importer.import_file`` — gate, calamine read, every validation, CCCD lookup,
  then learners, enrollments, school link and change log;
- ``die_default`` / ``die_default_writes``: django-import-export's ModelResource with the library's
  defaults (per-row instance lookup and save; ``clean_model_instances`` off, as by default, so no
  ``full_clean``), learners only / doing our writes too (an
  enrollment per row in ``after_save_instance``; the school link and the change log then follow
  from the model signals, as for any ORM save);
- ``die_tuned`` / ``die_tuned_writes``: the tuned resource (``use_bulk``, ``skip_diff``, a cached
  instance loader and a cached foreign-key widget — the tuning the issue measured at 3.7 s; no
  ``full_clean`` per row, which would cost a uniqueness query per row), learners only / followed, in the same
  transaction, by our writes done the ORM way (``bulk_create`` of the enrollments,
  ``school_learners.link``, ``audit.log_bulk``);
- ``floor``: python-calamine + ``bulk_create``, no validation.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import random
import time

ROWS = 10_000
VARIANTS = ("ours", "die_default", "die_default_writes", "die_tuned", "die_tuned_writes", "floor")
FINGERPRINT_FIELDS = ("cccd", "full_name", "date_of_birth", "sex", "ethnic_group_id", "religion", "hometown",
                      "position", "workplace", "party_joined_on", "party_official_on", "education", "theory_level",
                      "search_name", "name_sort_key")


def available() -> bool:
    try:
        from courses import importer
    except ImportError:
        return False
    return hasattr(importer, "import_file")


def build_workbook(rows: int = ROWS, seed: int = 1000) -> tuple[bytes, list[str]]:
    """The project's template filled with ``rows`` new people (CCCDs nobody has yet) and those CCCDs."""
    from openpyxl import load_workbook

    from bench.synthetic import NameMaker
    from courses.import_workbooks import template_workbook
    from courses.models import Learner
    from schools.models import FormerProvince

    rng = random.Random(seed)
    names = NameMaker(rng)
    provinces = list(FormerProvince.objects.order_by("cccd_code").values_list("cccd_code", "name"))
    cccds, taken = [], set()
    while len(cccds) < rows * 1.05:
        sex = rng.choice("MF")
        year = rng.randint(1968, 1999)
        code, _province = rng.choice(provinces)
        cccd = f"{code}{1 if sex == 'F' else 0}{year % 100:02d}{rng.randrange(1_000_000):06d}"
        if cccd not in taken:
            taken.add(cccd)
            cccds.append(cccd)
    existing = set()
    for start in range(0, len(cccds), 5000):
        existing |= set(Learner.objects.filter(cccd__in=cccds[start:start + 5000]).values_list("cccd", flat=True))
    cccds = [c for c in cccds if c not in existing][:rows]
    workbook = load_workbook(io.BytesIO(template_workbook()))
    sheet = workbook.worksheets[0]
    for number, cccd in enumerate(cccds, start=1):
        sex = "F" if cccd[3] == "1" else "M"
        full_name, _search, _sort = names.make(sex)
        dob = datetime.date(1900 + int(cccd[4:6]), rng.randint(1, 12), rng.randint(1, 28))
        joined = datetime.date(dob.year + 25, rng.randint(1, 12), rng.randint(1, 28))
        values = [number, full_name, dob, "Nữ" if sex == "F" else "Nam", "Kinh", "Không", cccd,
                  rng.choice(provinces)[1], "Chuyên viên", "UBND xã Hòa Bình", joined,
                  joined + datetime.timedelta(days=400), "Cử nhân", "Sơ cấp"]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=number + 1, column=column, value=value)
            if isinstance(value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), cccds


def target_class():
    from courses.models import TrainingClass

    return (TrainingClass.objects.filter(status=TrainingClass.Status.IN_PROGRESS)
            .select_related("school").order_by("pk").first())


# --- bookkeeping -------------------------------------------------------------------------------------------
def _created_ids(cccds: list[str]) -> list[int]:
    from courses.models import Learner

    ids = []
    for start in range(0, len(cccds), 5000):
        ids += list(Learner.objects.filter(cccd__in=cccds[start:start + 5000]).values_list("pk", flat=True))
    return ids


def fingerprint(cccds: list[str]) -> tuple[int, str]:
    """(rows, digest) of the learner rows with these CCCDs: the same for every variant that wrote the same."""
    from courses.models import Learner

    digest, count = hashlib.sha256(), 0
    for start in range(0, len(cccds), 5000):
        for values in (Learner.objects.filter(cccd__in=cccds[start:start + 5000]).order_by("cccd")
                       .values_list(*FINGERPRINT_FIELDS)):
            digest.update(repr(values).encode())
            count += 1
    return count, digest.hexdigest()


def cleanup(cccds: list[str]) -> dict:
    """Delete what an import created; return how many rows of each kind there were."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from audit.models import AuditLog
    from courses.models import Enrollment, Learner, SchoolLearner

    ids = _created_ids(cccds)
    counts = {"learners": len(ids), "enrollments": 0, "school_links": 0, "audit": 0}
    kinds = [ContentType.objects.get_for_model(Learner).pk, ContentType.objects.get_for_model(Enrollment).pk]
    for start in range(0, len(ids), 5000):
        chunk = ids[start:start + 5000]
        enrollment_ids = list(Enrollment.objects.filter(learner_id__in=chunk).values_list("pk", flat=True))
        counts["enrollments"] += len(enrollment_ids)
        object_ids = [str(pk) for pk in chunk] + [str(pk) for pk in enrollment_ids]
        counts["audit"] += AuditLog.objects.filter(content_type_id__in=kinds, object_id__in=object_ids)._raw_delete(
            "default")
        Enrollment.objects.filter(pk__in=enrollment_ids)._raw_delete("default")
        counts["school_links"] += SchoolLearner.objects.filter(learner_id__in=chunk)._raw_delete("default")
        Learner.objects.filter(pk__in=chunk)._raw_delete("default")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE courses_learner, courses_enrollment, courses_schoollearner, audit_auditlog")
    return counts


@contextlib.contextmanager
def audit_off():
    """Learners only: the change log of learners and enrollments switched off (signals disconnected)
    for the duration, then registered again as the courses app does."""
    from audit.registry import unregister
    from courses import audit as courses_audit
    from courses.models import Enrollment, Learner

    unregister(Learner)
    unregister(Enrollment)
    try:
        yield
    finally:
        courses_audit.register()


# --- the variants ---------------------------------------------------------------------------------------------
def run_ours(data: bytes, klass) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from courses import importer

    analysis, result = importer.import_file(SimpleUploadedFile("hoc-vien.xlsx", data), training_class=klass)
    if result is None:
        raise RuntimeError(f"our import refused the workbook: {[str(e) for e in analysis.errors[:5]]}")


def _resource_class(*, tuned: bool, klass=None):
    from import_export import fields, instance_loaders, resources, widgets

    from courses.models import Enrollment, Learner
    from schools.models import EthnicGroup

    class DateWidget(widgets.DateWidget):
        def clean(self, value, row=None, **kwargs):
            if isinstance(value, datetime.datetime):
                return value.date()
            return super().clean(value, row, **kwargs)

    class ChoiceWidget(widgets.Widget):
        def __init__(self, choices):
            super().__init__()
            self.choices = choices

        def clean(self, value, row=None, **kwargs):
            return self.choices.get(value, "")

    class CachedForeignKeyWidget(widgets.ForeignKeyWidget):
        """All the groups loaded once (the documented way to avoid one query per row)."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.cache = None

        def clean(self, value, row=None, **kwargs):
            if not value:
                return None
            if self.cache is None:
                self.cache = {obj.name: obj for obj in EthnicGroup.objects.all()}
            return self.cache[value]

    ethnic_widget = CachedForeignKeyWidget(EthnicGroup, "name") if tuned else widgets.ForeignKeyWidget(EthnicGroup, "name")
    sex_choices = {"Nam": Learner.Sex.MALE, "Nữ": Learner.Sex.FEMALE}
    theory_choices = {"Sơ cấp": Learner.TheoryLevel.ELEMENTARY, "Trung cấp": Learner.TheoryLevel.INTERMEDIATE,
              "Cao cấp": Learner.TheoryLevel.ADVANCED, "Cử nhân": Learner.TheoryLevel.BACHELOR}

    class LearnerResource(resources.ModelResource):
        full_name = fields.Field("full_name", column_name="Họ và tên")
        date_of_birth = fields.Field("date_of_birth", column_name="Ngày sinh", widget=DateWidget("%d/%m/%Y"))
        sex = fields.Field("sex", column_name="Giới tính", widget=ChoiceWidget(sex_choices))
        ethnic_group = fields.Field("ethnic_group", column_name="Dân tộc", widget=ethnic_widget)
        religion = fields.Field("religion", column_name="Tôn giáo")
        cccd = fields.Field("cccd", column_name="Số CCCD")
        hometown = fields.Field("hometown", column_name="Quê quán")
        position = fields.Field("position", column_name="Chức vụ")
        workplace = fields.Field("workplace", column_name="Đơn vị công tác")
        party_joined_on = fields.Field("party_joined_on", column_name="Ngày vào Đảng", widget=DateWidget("%d/%m/%Y"))
        party_official_on = fields.Field("party_official_on", column_name="Ngày chính thức",
                                         widget=DateWidget("%d/%m/%Y"))
        education = fields.Field("education", column_name="Trình độ chuyên môn")
        theory_level = fields.Field("theory_level", column_name="Trình độ LLCT", widget=ChoiceWidget(theory_choices))

        class Meta:
            model = Learner
            import_id_fields = ["cccd"]
            fields = ["full_name", "date_of_birth", "sex", "ethnic_group", "religion", "cccd", "hometown",
                      "position", "workplace", "party_joined_on", "party_official_on", "education", "theory_level"]
            # The library's default (off): no full_clean() per row. Our import validates every row;
            # the references do not, which makes the comparison harder for ours, not easier (with it
            # on, each row also pays a uniqueness query for the CCCD).
            clean_model_instances = False
            use_transactions = True
            if tuned:
                use_bulk = True
                batch_size = 1000
                skip_diff = True
                instance_loader_class = instance_loaders.CachedInstanceLoader

        def before_save_instance(self, instance, row, **kwargs):
            instance.set_name_keys()  # bulk_create skips save(), which sets them

        def after_save_instance(self, instance, row, **kwargs):
            if klass is not None and not tuned:
                Enrollment.objects.create(training_class=klass, learner=instance)

    return LearnerResource


def run_die(data: bytes, klass, *, tuned: bool, writes: bool, cccds: list[str]) -> None:
    import tablib
    from django.db import transaction

    resource = _resource_class(tuned=tuned, klass=klass if writes else None)()
    with transaction.atomic():
        dataset = tablib.Dataset().load(io.BytesIO(data), format="xlsx")
        # the template's pre-formatted lines below the data load as empty rows: left out, as ours skips them
        dataset = tablib.Dataset(*[row for row in dataset if any(row[1:])], headers=dataset.headers)
        result = resource.import_data(dataset, dry_run=False, raise_errors=False, use_transactions=True)
        if result.has_errors() or result.has_validation_errors():
            rows = result.invalid_rows[:3] or result.row_errors()[:3]
            raise RuntimeError(f"django-import-export refused rows: {rows}")
        if writes and tuned:
            _orm_writes(klass, cccds)


def _orm_writes(klass, cccds: list[str]) -> None:
    """Our extra writes, as a user of the tuned resource would add them: bulk_create, link, log_bulk."""
    import audit
    from courses import school_learners
    from courses.models import Enrollment, Learner

    learners = []
    for start in range(0, len(cccds), 5000):
        learners += list(Learner.objects.filter(cccd__in=cccds[start:start + 5000]))
    enrollments = Enrollment.objects.bulk_create(
        [Enrollment(training_class=klass, learner=learner) for learner in learners], batch_size=1000)
    school_learners.link(klass.school_id, [learner.pk for learner in learners])
    audit.log_bulk(learners, action="create", school=klass.school)
    audit.log_bulk(enrollments, action="create", school=klass.school)


def run_floor(data: bytes, klass) -> None:
    """python-calamine + bulk_create: the bare write of the same rows, no validation at all."""
    from python_calamine import CalamineWorkbook

    from courses.models import Learner
    from schools.models import EthnicGroup

    ethnic = dict(EthnicGroup.objects.values_list("name", "pk"))
    sex = {"Nam": Learner.Sex.MALE, "Nữ": Learner.Sex.FEMALE}
    theory = {"Sơ cấp": Learner.TheoryLevel.ELEMENTARY, "Cử nhân": Learner.TheoryLevel.BACHELOR}
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    learners = []
    for row in rows[1:]:
        if not row[1]:
            continue
        learner = Learner(full_name=row[1], date_of_birth=row[2], sex=sex[row[3]], ethnic_group_id=ethnic[row[4]],
                          religion=row[5], cccd=row[6], hometown=row[7], position=row[8], workplace=row[9],
                          party_joined_on=row[10], party_official_on=row[11], education=row[12],
                          theory_level=theory.get(row[13], ""))
        learner.set_name_keys()
        learners.append(learner)
    Learner.objects.bulk_create(learners, batch_size=2000)


def run_variant(name: str, data: bytes, klass, cccds: list[str]) -> float:
    """Seconds the variant took; raises when it did not write the 10,000 learners."""
    started = time.perf_counter()
    if name == "ours":
        run_ours(data, klass)
    elif name == "floor":
        run_floor(data, klass)
    else:
        tuned, writes = "tuned" in name, name.endswith("_writes")
        context = contextlib.nullcontext() if writes else audit_off()
        with context:
            run_die(data, klass, tuned=tuned, writes=writes, cccds=cccds)
    return time.perf_counter() - started


def upload_answer(data: bytes, klass, user) -> float:
    """Server time of the upload answer: POST the file to the upload page (validation, the preview's
    batch and, with errors, the error workbook) and GET the preview page it redirects to."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from courses.models import ImportBatch

    client = Client()
    client.force_login(user)
    url = reverse("courses:class_import", kwargs={"school_code": klass.school.code, "pk": klass.pk})
    upload = SimpleUploadedFile("hoc-vien.xlsx", data)
    started = time.perf_counter()
    response = client.post(url, {"file": upload})
    if response.status_code != 302:
        raise RuntimeError(f"the upload page answered {response.status_code}")
    preview = client.get(response["Location"])
    elapsed = time.perf_counter() - started
    if preview.status_code != 200:
        raise RuntimeError(f"the preview answered {preview.status_code}")
    batch = ImportBatch.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    if batch.new_count != ROWS:
        raise RuntimeError(f"the preview found {batch.new_count} new learners, expected {ROWS}")
    client.post(reverse("courses:import_cancel", kwargs={"school_code": klass.school.code, "pk": batch.pk}))
    return elapsed


def refuse_too_many(klass, user) -> float:
    """Server time of the answer to an upload of MAX_ROWS + 1 rows (refused)."""
    import xlsxwriter
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from courses.importer import HEADERS, MAX_ROWS

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADERS)
    for n in range(1, MAX_ROWS + 2):
        sheet.write_row(n, 0, [n, f"Nguyễn Văn {n}", "01/05/1985", "Nam", "Kinh", "", f"{n:012d}"])
    book.close()
    client = Client()
    client.force_login(user)
    url = reverse("courses:class_import", kwargs={"school_code": klass.school.code, "pk": klass.pk})
    started = time.perf_counter()
    response = client.post(url, {"file": SimpleUploadedFile("qua-nhieu.xlsx", buffer.getvalue())})
    elapsed = time.perf_counter() - started
    if response.status_code != 200 or "20000" not in response.content.decode().replace(".", ""):
        raise RuntimeError(f"the upload of {MAX_ROWS + 1} rows was not refused ({response.status_code})")
    return elapsed
