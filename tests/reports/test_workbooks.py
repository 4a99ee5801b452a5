"""The workbooks themselves, re-opened with openpyxl: sheets, headers, rows and every figure."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.registry import KINDS
from reports.selectors import staff_summaries
from schools.models import Staff
from schools.selectors import staff_summary

from .conftest import headers, table

pytestmark = pytest.mark.django_db

STAFF_FIGURES = [
    ("Cán bộ, giảng viên", "Cán bộ, viên chức (đang công tác)", "total"),
    ("Cán bộ, giảng viên", "Giảng viên", "lecturers"),
    ("Cán bộ, giảng viên", "Giảng viên cơ hữu", "full_time_lecturers"),
    ("Cán bộ, giảng viên", "Giảng viên có trình độ thạc sĩ trở lên", "masters_or_higher"),
    ("Cán bộ, giảng viên", "Giảng viên có trình độ tiến sĩ", "doctors"),
    ("Cán bộ, giảng viên", "Giảng viên chính, giảng viên cao cấp", "principal_or_higher"),
    ("Cán bộ, giảng viên", "Giảng viên có chứng chỉ kinh điển", "classics"),
]


def test_staff_summaries_equal_the_schools_selector(school, other_school, empty_school, staff_data):
    bulk = staff_summaries([school.pk, other_school.pk, empty_school.pk])
    for each in (school, other_school, empty_school):
        assert bulk[each.pk] == staff_summary(each)
    assert bulk[school.pk]["total"] == 5 and bulk[school.pk]["lecturers"] == 4
    assert bulk[empty_school.pk] == dict.fromkeys(bulk[school.pk], 0)


def test_school_report_sheets_headers_and_figures(school, staff_data, open_report):
    book, _rows = open_report("school", "school", school=school)
    assert book.sheetnames == ["Thông tin chung", "Số liệu chủ yếu", "Trình độ giảng viên", "Danh sách cán bộ"]
    info = dict(table(book["Thông tin chung"]))
    assert info["Báo cáo"] == "Báo cáo năm của trường" and info["Năm"] == 2025
    assert info["Phạm vi"] == school.name

    headline = book["Số liệu chủ yếu"]
    assert headers(headline) == ["Mục", "Chỉ số", "Giá trị"]
    expected = staff_summary(school)
    assert table(headline) == [(section, label, expected[key]) for section, label, key in STAFF_FIGURES]

    staff_sheet = book["Danh sách cán bộ"]
    assert headers(staff_sheet)[:3] == ["Họ và tên", "Ngày sinh", "Giới tính"]
    rows = table(staff_sheet)
    assert len(rows) == Staff.objects.for_school(school).filter(active=True).count() == 5
    assert "Võ Văn Nghỉ" not in {row[0] for row in rows}  # inactive staff are left out

    qualifications = {(g, v): n for g, v, n in table(book["Trình độ giảng viên"])}
    assert qualifications[("Trình độ chuyên môn", "Tiến sĩ")] == 1  # the inactive doctor is not counted
    assert qualifications[("Trình độ chuyên môn", "Thạc sĩ")] == 2
    assert qualifications[("Loại hình", "Kiêm chức")] == 1
    assert qualifications[("Chức danh giảng viên", "Giảng viên cao cấp")] == 1
    assert qualifications[("Chức danh giảng viên", "Chưa có")] == 2


def test_sheets_are_formatted_for_reading(school, staff_data, open_report):
    book, _rows = open_report("school", "school", school=school)
    for sheet in book:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
        assert sheet["A1"].font.b, sheet.title
    staff_sheet = book["Danh sách cán bộ"]
    assert staff_sheet.auto_filter.ref == "A1:L6"
    assert staff_sheet["B2"].number_format == "dd/mm/yyyy"
    assert staff_sheet.column_dimensions["A"].width >= 20


def test_formula_looking_text_stays_text_and_illegal_characters_are_removed(school, staff_data, open_report):
    book, _rows = open_report("school", "school", school=school)
    cells = [cell for row in book["Danh sách cán bộ"].iter_rows(min_row=2) for cell in row]
    injected = next(cell for cell in cells if cell.value == '=HYPERLINK("http://x")')
    assert injected.data_type == "s"
    position = next(cell for cell in cells if isinstance(cell.value, str) and cell.value.startswith("@SUM"))
    assert position.value == "@SUM(A1)" and position.data_type == "s"  # the BEL character is gone


def test_school_with_no_data_gives_zeros_not_errors(empty_school, open_report):
    book, _rows = open_report("school", "school", school=empty_school)
    assert [value for _s, _l, value in table(book["Số liệu chủ yếu"])] == [0] * len(STAFF_FIGURES)
    assert table(book["Danh sách cán bộ"]) == []
    assert all(n == 0 for _g, _v, n in table(book["Trình độ giảng viên"]))


def test_national_summary_rows_totals_and_kind_subtotals(school, other_school, empty_school, academy, staff_data, open_report):
    book, _rows = open_report("national", "national")
    assert book.sheetnames == ["Thông tin chung", "Tổng hợp toàn quốc", "Theo loại trường"]
    sheet = book["Tổng hợp toàn quốc"]
    assert headers(sheet)[:4] == ["Mã", "Trường", "Loại trường", "Cụm thi đua"]
    assert headers(sheet)[4:] == [label for _s, label, _k in STAFF_FIGURES]
    rows = table(sheet)
    by_code = {row[0]: row for row in rows if row[0]}
    assert set(by_code) == {"SCHA", "SCHB", "SCHC"}  # the Academy itself is not a reporting school
    keys = [key for _s, _l, key in STAFF_FIGURES]
    for each in (school, other_school, empty_school):
        assert list(by_code[each.code][4:]) == [staff_summary(each)[key] for key in keys]
    total = rows[-1]
    assert total[1] == "Tổng cộng"
    assert list(total[4:]) == [sum(staff_summary(s)[key] for s in (school, other_school, empty_school)) for key in keys]
    assert sheet.cell(row=len(rows) + 1, column=2).font.b

    kinds = {row[0]: row for row in table(book["Theo loại trường"])}
    provincial = kinds["Trường chính trị tỉnh, thành phố"]
    assert provincial[1] == 2 and provincial[2] == 5 + 2
    assert kinds["Trường cán bộ bộ, ngành, đoàn thể"][1:] == (1, 0, 0, 0, 0, 0, 0, 0)
    assert kinds["Tổng cộng toàn quốc"][1:3] == (3, 7)


def test_query_count_does_not_grow_with_rows(school, other_school, unit, open_report):
    def count_queries(kind, scope, **kwargs):
        with CaptureQueriesContext(connection) as ctx:
            open_report(kind, scope, **kwargs)
        return len(ctx.captured_queries)

    Staff.objects.create(school=school, full_name="Một Người", is_lecturer=True)
    few = {kind: count_queries(kind, scope) for kind, scope in [("national", "national")]}
    few["school"] = count_queries("school", "school", school=school)
    Staff.objects.bulk_create(
        [Staff(school=school, full_name=f"Người {i}", search_name=f"nguoi {i}", unit=unit, is_lecturer=i % 2 == 0) for i in range(120)]
        + [Staff(school=other_school, full_name=f"Khác {i}", search_name=f"khac {i}") for i in range(30)]
    )
    many = {kind: count_queries(kind, scope) for kind, scope in [("national", "national")]}
    many["school"] = count_queries("school", "school", school=school)
    assert many == few


def test_every_kind_declares_scopes_and_builds(school, staff_data, open_report):
    for key, kind in KINDS.items():
        scope = kind.scopes[0]
        if scope == "cluster":
            continue  # needs clusters (tests/reports/test_clusters.py)
        kwargs = {"school": school} if scope == "school" else {}
        book, rows = open_report(key, scope, **kwargs)
        assert book.sheetnames[0] == "Thông tin chung"
        assert rows > 0
