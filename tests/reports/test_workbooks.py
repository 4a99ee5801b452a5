"""The workbooks themselves, re-opened with openpyxl: sheets, headers, rows and every figure."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.selectors import compliance_status
from courses.selectors import training_summary
from emulation.selectors import school_emulation_results
from reports import figures
from reports.registry import KINDS
from reports.selectors import staff_summaries
from research.selectors import research_summary
from schools.models import Staff
from schools.selectors import staff_summary

from .conftest import YEAR, headers, table

pytestmark = pytest.mark.django_db

# School A's figures in 2025, counted by hand from the fixtures (conftest.py).
EXPECTED_A = {
    "classes_opened": 2, "classes_closed": 2, "learner_turns": 5, "planned_classes": 3, "planned_learners": 90,
    "fulfilment_classes_pct": 66.7, "fulfilment_learners_pct": 5.6, "graduated": 3,
    "classified_excellent": 1, "classified_very_good": 1, "classified_good": 1, "classified_fairly_good": 0,
    "classified_average": 0,
    "total": 5, "lecturers": 4, "full_time_lecturers": 3, "masters_or_higher": 3, "doctors": 1,
    "principal_or_higher": 2, "classics": 1,
    "final_score": None, "rank": None, "award_count": 0,  # no emulation data here: see test_clusters.py
    "topics_total": 2, "accepted_total": 1, "events_total": 1, "papers": 12, "publications_total": 1,
    "articles": 0, "field_trips": 1, "field_trip_days": 10, "field_trip_days_per_lecturer": 2.5,
    "met": 40, "exceeded": 12, "level_recognised": 1,  # latest self-assessment; level of the 2023 one
}
FIGURE_KEYS = [figure.key for section in figures.sections() for figure in section.figures]
PERCENT_KEYS = {"fulfilment_classes_pct", "fulfilment_learners_pct"}
DECIMAL_KEYS = PERCENT_KEYS | {"final_score", "field_trip_days_per_lecturer"}


def database_figures(school) -> dict:
    """The same figures straight from the apps' own selectors."""
    training = training_summary(school, YEAR)
    emulation = school_emulation_results(school, YEAR)
    values = {
        **training, **staff_summary(school), **research_summary(school, YEAR), **emulation,
        "award_count": len(emulation["awards"]), **compliance_status(school),
    }
    values.update({f"classified_{label}": n for label, n in training["classifications"].items()})
    return {key: float(values[key]) if key in DECIMAL_KEYS and values[key] is not None else values[key]
            for key in FIGURE_KEYS}


def test_expected_figures_match_the_selectors(school, staff_data, training_data, research_data, compliance_data):
    assert set(EXPECTED_A) == set(FIGURE_KEYS)
    assert database_figures(school) == EXPECTED_A


def test_staff_summaries_equal_the_schools_selector(school, other_school, empty_school, staff_data):
    bulk = staff_summaries([school.pk, other_school.pk, empty_school.pk])
    for each in (school, other_school, empty_school):
        assert bulk[each.pk] == staff_summary(each)
    assert bulk[empty_school.pk] == dict.fromkeys(bulk[school.pk], 0)


def test_school_report_sheets_headers_and_figures(
    school, staff_data, training_data, research_data, compliance_data, open_report
):
    book, _rows = open_report("school", "school", school=school)
    assert book.sheetnames == [
        "Thông tin chung", "Số liệu chủ yếu", "Đào tạo theo chương trình", "Sổ học viên",
        "Trình độ giảng viên", "Danh sách cán bộ", "Nghiên cứu khoa học", "Trường chuẩn", "Thi đua, khen thưởng",
    ]
    info = dict(table(book["Thông tin chung"]))
    assert info["Báo cáo"] == "Báo cáo năm của trường" and info["Năm"] == 2025
    assert info["Phạm vi"] == school.name

    headline = book["Số liệu chủ yếu"]
    assert headers(headline) == ["Mục", "Chỉ số", "Giá trị"]
    rows = table(headline)
    assert [value for _s, _l, value in rows] == [EXPECTED_A[key] for key in FIGURE_KEYS]
    labels = {label: value for _s, label, value in rows}
    assert labels["Lượt học viên"] == 5 and labels["Số lớp khai giảng"] == 2
    assert labels["Giảng viên có trình độ tiến sĩ"] == 1
    assert labels["Mức chuẩn được công nhận"] == 1 and labels["Chỉ tiêu vượt"] == 12
    assert ("Trường chính trị chuẩn", "Chỉ tiêu đạt (kể cả vượt)", 40) in rows

    training = table(book["Đào tạo theo chương trình"])
    assert headers(book["Đào tạo theo chương trình"])[:3] == ["Chương trình đào tạo, bồi dưỡng", "Loại", "Số lớp khai giảng"]
    assert training == [
        ("Trung cấp lý luận chính trị", "Trung cấp lý luận chính trị", 1, 2, 3, 2, 60),
        ("Bồi dưỡng cán bộ", "Lớp bồi dưỡng", 1, 0, 2, 1, 30),
        ("Tổng cộng", None, 2, 2, 5, 3, 90),
    ]

    staff_sheet = book["Danh sách cán bộ"]
    assert headers(staff_sheet)[:3] == ["Họ và tên", "Ngày sinh", "Giới tính"]
    assert len(table(staff_sheet)) == Staff.objects.for_school(school).filter(active=True).count() == 5
    assert "Võ Văn Nghỉ" not in {row[0] for row in table(staff_sheet)}  # inactive staff are left out

    qualifications = {(g, v): n for g, v, n in table(book["Trình độ giảng viên"])}
    assert qualifications[("Trình độ chuyên môn", "Tiến sĩ")] == 1  # the inactive doctor is not counted
    assert qualifications[("Trình độ chuyên môn", "Thạc sĩ")] == 2
    assert qualifications[("Loại hình", "Kiêm chức")] == 1
    assert qualifications[("Chức danh giảng viên", "Giảng viên cao cấp")] == 1
    assert qualifications[("Chức danh giảng viên", "Chưa có")] == 2

    research = {(group, item): value for group, item, value in table(book["Nghiên cứu khoa học"])}
    assert research[("Đề tài thực hiện trong năm, theo cấp", "Cấp tỉnh")] == 1
    assert research[("Đề tài thực hiện trong năm, theo cấp", "Cấp cơ sở")] == 1  # T3 was cancelled in 2024
    assert research[("Đề tài đã nghiệm thu, theo cấp", "Cấp cơ sở")] == 1
    assert research[("Hội thảo, tọa đàm, theo cấp", "Cấp tỉnh")] == 1
    assert research[("Số liệu khác", "Ngày đi thực tế của giảng viên")] == 10
    assert research[("Số liệu khác", "Số ngày đi thực tế bình quân mỗi giảng viên")] == 2.5


def test_learner_register_of_the_year(school, training_data, open_report):
    book, _rows = open_report("school", "school", school=school)
    sheet = book["Sổ học viên"]
    assert headers(sheet)[:3] == ["Mã lớp", "Lớp", "Chương trình đào tạo, bồi dưỡng"]
    rows = table(sheet)
    # the learner-turns of 2025: classes opened in 2025 (K1, K2), not K0 (2024) nor K3 (2026)
    assert len(rows) == EXPECTED_A["learner_turns"] == 5
    assert [row[0] for row in rows] == ["K1", "K1", "K1", "K2", "K2"]
    hoa = next(row for row in rows if row[6] == "Nguyễn Thị Hoa")
    assert hoa[4] == datetime.datetime(2025, 3, 1) and hoa[9] == "Nữ"
    assert hoa[13:] == ("Tốt nghiệp", 8.1, "Giỏi", "TC-001", datetime.datetime(2025, 12, 5))
    col = headers(sheet).index("Đơn vị công tác") + 1
    cell = next(c for c in sheet.iter_cols(min_col=col, max_col=col, min_row=2).__next__() if c.value.startswith("="))
    assert cell.value == "=cmd|' /C calc'!A0" and cell.data_type == "s"


def test_learner_register_report_for_all_schools(school, other_school, training_data, open_report):
    book, rows = open_report("learners", "national")
    assert book.sheetnames == ["Thông tin chung", "Sổ học viên"]
    sheet = book["Sổ học viên"]
    assert headers(sheet)[0] == "Trường"
    data = table(sheet)
    assert len(data) == 6  # 5 in school A + 1 in school B
    assert {row[0] for row in data} == {school.name, other_school.name}
    assert sheet.auto_filter.ref == "A1:S7"
    assert sheet["F2"].number_format == "dd/mm/yyyy" and sheet["P2"].number_format == "0.00"


def test_sheets_are_formatted_for_reading(school, staff_data, training_data, open_report):
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


def test_school_with_no_data_gives_zeros_not_errors(empty_school, training_data, compliance_data, open_report):
    book, _rows = open_report("school", "school", school=empty_school)
    values = dict(zip(FIGURE_KEYS, [value for _s, _l, value in table(book["Số liệu chủ yếu"])], strict=True))
    # nothing to divide by, no cluster, nothing recognised
    blank = PERCENT_KEYS | {"final_score", "rank", "field_trip_days_per_lecturer", "level_recognised"}
    assert values == {key: None if key in blank else 0 for key in FIGURE_KEYS}
    assert values == database_figures(empty_school)
    assert table(book["Danh sách cán bộ"]) == [] and table(book["Sổ học viên"]) == []
    assert table(book["Đào tạo theo chương trình"]) == [("Tổng cộng", None, 0, 0, 0, 0, 0)]
    assert all(n == 0 for _g, _v, n in table(book["Trình độ giảng viên"]))


def _as_figures(row_values):
    """Summary-sheet cells back to figures (percent cells hold fractions)."""
    result = {}
    for key, value in zip(FIGURE_KEYS, row_values, strict=True):
        result[key] = round(value * 100, 1) if key in PERCENT_KEYS and value is not None else value
    return result


def test_national_summary_rows_totals_and_kind_subtotals(
    school, other_school, empty_school, academy, staff_data, training_data, research_data, compliance_data, open_report
):
    book, _rows = open_report("national", "national")
    assert book.sheetnames == [
        "Thông tin chung", "Tổng hợp toàn quốc", "Theo loại trường", "Tình hình trường chuẩn", "Trường chuẩn theo trường",
        "Kiểm tra cơ cấu tổ chức",
    ]
    sheet = book["Tổng hợp toàn quốc"]
    assert headers(sheet)[:4] == ["Mã", "Trường", "Loại trường", "Cụm thi đua"]
    assert headers(sheet)[4] == "Số lớp khai giảng"
    rows = table(sheet)
    by_code = {row[0]: row for row in rows if row[0]}
    assert set(by_code) == {"SCHA", "SCHB", "SCHC"}  # the Academy itself is not a reporting school
    for each in (school, other_school, empty_school):
        assert _as_figures(by_code[each.code][4:]) == database_figures(each), each.code
    assert _as_figures(by_code["SCHA"][4:]) == EXPECTED_A
    total = _as_figures(rows[-1][4:])
    assert rows[-1][1] == "Tổng cộng" and sheet.cell(row=len(rows) + 1, column=2).font.b
    assert total["learner_turns"] == 6 and total["classes_opened"] == 3 and total["total"] == 7
    # only school A has a plan: the overall fulfilment counts the schools with a plan
    assert total["fulfilment_classes_pct"] == 66.7 and total["fulfilment_learners_pct"] == 5.6
    row_a = [row[0] for row in rows].index("SCHA") + 2
    assert sheet.cell(row=row_a, column=4 + FIGURE_KEYS.index("fulfilment_classes_pct") + 1).number_format == "0.0%"

    kinds = {row[0]: row for row in table(book["Theo loại trường"])}
    provincial = _as_figures(kinds["Trường chính trị tỉnh, thành phố"][2:])
    assert kinds["Trường chính trị tỉnh, thành phố"][1] == 2
    assert provincial["total"] == 7 and provincial["learner_turns"] == 6
    ministry = kinds["Trường chính trị, trường cán bộ của các bộ, ngành, đoàn thể Trung ương"]
    # standard-school figures of several schools do not add up: their totals stay blank
    no_total = {"met", "exceeded", "level_recognised"}
    assert ministry[1] == 1 and _as_figures(ministry[2:]) == {
        key: None if key in no_total else value for key, value in database_figures(empty_school).items()
    }
    assert all(provincial[key] is None and total[key] is None for key in no_total)
    assert kinds["Tổng cộng toàn quốc"][1] == 3


def test_query_count_does_not_grow_with_rows(school, other_school, unit, training_data, open_report):
    from courses.models import Enrollment
    from tests.courses.helpers import make_learner

    def count_queries():
        counts = {}
        for kind, scope, kwargs in [
            ("national", "national", {}), ("school", "school", {"school": school}), ("learners", "national", {}),
        ]:
            with CaptureQueriesContext(connection) as ctx:
                open_report(kind, scope, **kwargs)
            counts[kind] = len(ctx.captured_queries)
        return counts

    few = count_queries()
    k2 = training_data["classes"][2]
    learners = [make_learner(f"Học Viên {i}", dob=datetime.date(1980, 1, 1 + i % 28)) for i in range(60)]
    Enrollment.objects.bulk_create([Enrollment(training_class=k2, learner=learner) for learner in learners])
    Staff.objects.bulk_create(
        [Staff(school=school, full_name=f"Người {i}", unit=unit, is_lecturer=i % 2 == 0) for i in range(80)]
    )
    many = count_queries()
    assert many == few


def test_every_kind_builds_for_each_of_its_scopes(school, staff_data, training_data, open_report):
    for key, kind in KINDS.items():
        for scope in kind.scopes:
            if scope == "cluster":
                continue  # needs clusters from the emulation app
            kwargs = {"school": school} if scope == "school" else {}
            book, rows = open_report(key, scope, **kwargs)
            assert book.sheetnames[0] == "Thông tin chung"
            assert rows > 0
