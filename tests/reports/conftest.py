"""Report fixtures: a known staff data set in school A, a few staff in school B, an empty school C."""

import datetime

import pytest
from openpyxl import load_workbook

from reports.registry import build_workbook
from reports.selectors import resolve_scope
from schools.models import School, Staff

YEAR = 2025


@pytest.fixture
def empty_school(db):
    return School.objects.create(code="SCHC", name="Trường Chính trị tỉnh C (trống)", kind=School.Kind.MINISTRY)


@pytest.fixture
def staff_data(school, other_school, unit):
    """School A: 4 active lecturers + 1 office staff + 1 inactive lecturer; school B: 2 lecturers."""
    D, C = Staff.Degree, Staff.Category
    people = [
        (school, "Nguyễn Văn An", dict(is_lecturer=True, degree=D.DOCTOR, lecturer_rank="senior", classics_certificate=True)),
        (school, "Trần Thị Bình", dict(is_lecturer=True, degree=D.MASTER, lecturer_rank="principal")),
        (school, "Lê Văn Cường", dict(is_lecturer=True, degree=D.MASTER, category=C.CONCURRENT, theory_level="advanced")),
        (school, "=HYPERLINK(\"http://x\")", dict(is_lecturer=True, degree=D.BACHELOR, position="@SUM(A1)\x07")),
        (school, "Phạm Thị Dung", dict(is_lecturer=False, position="Kế toán")),
        (school, "Võ Văn Nghỉ", dict(is_lecturer=True, degree=D.DOCTOR, active=False)),
        (other_school, "Đặng Văn Em", dict(is_lecturer=True, degree=D.DOCTOR)),
        (other_school, "Bùi Thị Giang", dict(is_lecturer=True, degree=D.MASTER, category=C.VISITING)),
    ]
    for owner, name, extra in people:
        Staff.objects.create(
            school=owner, full_name=name, unit=unit if owner == school else None,
            date_of_birth=datetime.date(1980, 5, 17), **extra,
        )
    return people


@pytest.fixture
def open_report(tmp_path):
    """open_report(kind, scope, **scope_kwargs) → (openpyxl workbook, rows written)."""

    def make(kind, scope, year=YEAR, **kwargs):
        path = tmp_path / f"{kind}-{scope}.xlsx"
        resolved = resolve_scope(scope=scope, year=year, **kwargs)
        rows = build_workbook(kind, resolved, path)
        return load_workbook(path), rows

    return make


def table(sheet) -> list[tuple]:
    """The data rows of a sheet (without the header)."""
    return [row for row in sheet.iter_rows(min_row=2, values_only=True)]


def headers(sheet) -> list:
    return [cell.value for cell in sheet[1]]
