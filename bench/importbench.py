"""Import of a 10,000-row learner workbook: ours (courses.importer) against django-import-export.

The same workbook (the import template's columns, new people with valid CCCDs) is imported by
both, each validating every row and saving atomically; after each run the learners it created are
deleted again so that every run starts from the same database.
"""

from __future__ import annotations

import datetime
import io
import os
import random
import time

ROWS = 10_000
# django-import-export runs ~14 queries per row; at 10,000 rows on this (shared, busy) machine it took
# 13 minutes, beyond the bench's time budget. It imports a smaller workbook of the same kind and the
# speed-up compares time per row (both scale linearly: one row = the same queries every time).
THEIR_ROWS = int(os.environ.get("BENCH_DIE_ROWS", "1000"))
HEADERS = (
    "STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Tôn giáo", "Số CCCD", "Quê quán", "Chức vụ",
    "Đơn vị công tác", "Ngày vào Đảng", "Ngày chính thức", "Trình độ chuyên môn", "Trình độ LLCT",
)


def available() -> bool:
    try:
        from courses import importer
    except ImportError:
        return False
    return hasattr(importer, "import_file")


def headers() -> tuple:
    if available():
        from courses.importer import HEADERS as theirs

        return tuple(theirs)
    return HEADERS


def build_workbook(run: int, rows: int = ROWS) -> tuple[bytes, list[str]]:
    """A fresh workbook of ``rows`` new people (new CCCDs each run) and its CCCDs."""
    from openpyxl import Workbook

    from bench.synthetic import NameMaker
    from courses.models import Learner
    from schools.models import FormerProvince

    rng = random.Random(1000 + run)
    names = NameMaker(rng)
    provinces = list(FormerProvince.objects.order_by("cccd_code").values_list("cccd_code", "name"))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Học viên")
    sheet.append(list(headers()))
    cccds = []
    taken = set()
    while len(cccds) < rows:
        sex = rng.choice("MF")
        year = rng.randint(1968, 1999)
        code, province = rng.choice(provinces)
        cccd = f"{code}{1 if sex == 'F' else 0}{year % 100:02d}{rng.randrange(1_000_000):06d}"
        if cccd in taken:
            continue
        taken.add(cccd)
        cccds.append(cccd)
    existing = set(Learner.objects.filter(cccd__in=cccds).values_list("cccd", flat=True))
    cccds = [c for c in cccds if c not in existing]
    for number, cccd in enumerate(cccds, start=1):
        sex = "F" if cccd[3] == "1" else "M"
        full_name, _search, _sort = names.make(sex)
        dob = datetime.date(1900 + int(cccd[4:6]), rng.randint(1, 12), rng.randint(1, 28))
        joined = datetime.date(dob.year + 25, rng.randint(1, 12), rng.randint(1, 28))
        sheet.append([
            number, full_name, dob, "Nữ" if sex == "F" else "Nam", "Kinh", "Không", cccd, rng.choice(provinces)[1],
            "Chuyên viên", "UBND xã Hòa Bình", joined, joined + datetime.timedelta(days=400), "Cử nhân",
            "Sơ cấp",
        ])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), cccds


def _cleanup(cccds: list[str]) -> None:
    from courses.models import Enrollment, Learner, SchoolLearner

    Enrollment.objects.filter(learner__cccd__in=cccds)._raw_delete("default")
    SchoolLearner.objects.filter(learner__cccd__in=cccds)._raw_delete("default")
    Learner.objects.filter(cccd__in=cccds)._raw_delete("default")


def _target_class():
    from courses.models import TrainingClass

    return TrainingClass.objects.filter(status=TrainingClass.Status.IN_PROGRESS).order_by("pk").first()


def time_ours(run: int) -> float:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from courses import importer

    data, cccds = build_workbook(run)
    upload = SimpleUploadedFile("hoc-vien.xlsx", data, content_type=importer.XLSX_CONTENT_TYPE)
    started = time.perf_counter()
    analysis, result = importer.import_file(upload, training_class=_target_class())
    elapsed = time.perf_counter() - started
    if result is None:
        raise RuntimeError(f"our import refused the workbook: {[str(e) for e in analysis.errors[:5]]}")
    _check_created(cccds)
    _cleanup(cccds)
    return elapsed


def _resource():
    from import_export import fields, resources, widgets

    from courses.models import Learner
    from schools.models import EthnicGroup

    class DateWidget(widgets.DateWidget):
        def clean(self, value, row=None, **kwargs):
            if isinstance(value, datetime.datetime):
                return value.date()
            return super().clean(value, row, **kwargs)

    class SexWidget(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return {"Nam": "M", "Nữ": "F"}.get(value, "")

    class LearnerResource(resources.ModelResource):
        full_name = fields.Field("full_name", column_name="Họ và tên")
        date_of_birth = fields.Field("date_of_birth", column_name="Ngày sinh", widget=DateWidget("%d/%m/%Y"))
        sex = fields.Field("sex", column_name="Giới tính", widget=SexWidget())
        ethnic_group = fields.Field("ethnic_group", column_name="Dân tộc",
                                    widget=widgets.ForeignKeyWidget(EthnicGroup, "name"))
        religion = fields.Field("religion", column_name="Tôn giáo")
        cccd = fields.Field("cccd", column_name="Số CCCD")
        hometown = fields.Field("hometown", column_name="Quê quán")
        position = fields.Field("position", column_name="Chức vụ")
        workplace = fields.Field("workplace", column_name="Đơn vị công tác")
        party_joined_on = fields.Field("party_joined_on", column_name="Ngày vào Đảng", widget=DateWidget("%d/%m/%Y"))
        party_official_on = fields.Field("party_official_on", column_name="Ngày chính thức",
                                         widget=DateWidget("%d/%m/%Y"))
        education = fields.Field("education", column_name="Trình độ chuyên môn")

        class Meta:
            model = Learner
            import_id_fields = ["cccd"]
            fields = ["full_name", "date_of_birth", "sex", "ethnic_group", "religion", "cccd", "hometown",
                      "position", "workplace", "party_joined_on", "party_official_on", "education"]
            clean_model_instances = True  # full_clean() on every row (our import validates every row too)
            use_transactions = True
            skip_diff = True  # its documented speed option: no per-row diff (makes the reference faster, not slower)

    return LearnerResource()


def time_django_import_export(run: int) -> float:
    import tablib

    data, cccds = build_workbook(run + 100, THEIR_ROWS)
    started = time.perf_counter()
    dataset = tablib.Dataset().load(io.BytesIO(data), format="xlsx")
    result = _resource().import_data(dataset, dry_run=False, raise_errors=False, use_transactions=True)
    elapsed = time.perf_counter() - started
    if result.has_errors() or result.has_validation_errors():
        rows = result.invalid_rows[:3] or result.row_errors()[:3]
        raise RuntimeError(f"django-import-export refused rows: {rows}")
    _check_created(cccds)
    _cleanup(cccds)
    return elapsed


def _check_created(cccds: list[str]) -> None:
    from courses.models import Learner

    created = Learner.objects.filter(cccd__in=cccds).count()
    if created != len(cccds):
        raise RuntimeError(f"the import created {created} learners, expected {len(cccds)}")
