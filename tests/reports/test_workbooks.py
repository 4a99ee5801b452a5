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

from .conftest import YEAR, header_row, headers, table

pytestmark = pytest.mark.django_db

# School A's figures in 2025, counted by hand from the fixtures (conftest.py).
EXPECTED_A = {
    "classes_opened": 2, "classes_closed": 2, "learner_turns": 5, "planned_classes": 3, "planned_learners": 90,
    "fulfilment_classes_pct": 66.7, "fulfilment_learners_pct": 5.6, "graduated": 3,
    "classified_excellent": 1, "classified_very_good": 1, "classified_good": 1, "classified_fairly_good": 0,
    "classified_average": 0,
    "joint_classes_opened": 0, "joint_classes_closed": 0, "joint_learner_turns": 0, "joint_graduated": 0,
    "total": 5, "lecturers": 4, "full_time_lecturers": 3, "masters_or_higher": 3, "doctors": 1,
    "principal_or_higher": 2, "classics": 1,
    "final_score": None, "rank": None, "award_count": 0,  # no emulation data here: see test_clusters.py
    "topics_total": 2, "accepted_total": 1, "events_total": 1, "papers": 12, "bulletin_issues": 0, "monographs": 1,
    "journal_articles": 0, "articles": 0, "essay_entries": 0, "field_trips": 1, "field_trip_days": 10,
    "field_trip_days_per_lecturer": 2.5,
    "met": 40, "exceeded": 12, "level_recognised": 1,  # latest self-assessment; level of the 2023 one
}
FIGURE_KEYS = [figure.key for section in figures.sections() for figure in section.figures]
PERCENT_KEYS = {"fulfilment_classes_pct", "fulfilment_learners_pct"}
DECIMAL_KEYS = PERCENT_KEYS | {"final_score", "field_trip_days_per_lecturer"}


def database_figures(school) -> dict:
    """The same figures straight from the apps' own selectors."""
    training = training_summary(school, YEAR)
    emulation = school_emulation_results(school, YEAR)
    research = research_summary(school, YEAR)
    publications = research["publications"]
    values = {
        **training, **staff_summary(school), **research, **emulation,
        "bulletin_issues": publications["bulletin"], "monographs": publications["monograph"],
        "journal_articles": publications["journal_article"],
        "award_count": len(emulation["awards"]), **compliance_status(school),
    }
    values.update({f"classified_{label}": n for label, n in training["classifications"].items()})
    values.update({f"joint_{key}": training["joint"][key]
                   for key in ("classes_opened", "classes_closed", "learner_turns", "graduated")})
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


LEVELS = {None: "Chưa được công nhận", 1: "Chuẩn mức 1", 2: "Chuẩn mức 2"}


def shown(key, value):
    """A figure as the workbooks show it: the level as its label, percentages as fractions."""
    if key == "level_recognised":
        return LEVELS[value]
    if key in PERCENT_KEYS and value is not None:
        return pytest.approx(value / 100)
    return value


def test_school_report_sheets_headers_and_figures(
    school, staff_data, training_data, research_data, compliance_data, open_report
):
    book, _rows = open_report("school", "school", school=school)
    assert book.sheetnames == [
        "Thông tin chung", "Số liệu chủ yếu", "Đào tạo theo chương trình", "Cơ cấu học viên", "Sổ học viên",
        "Đội ngũ cán bộ, giảng viên", "Danh sách cán bộ", "Nghiên cứu khoa học", "Trường chuẩn và thi đua",
    ]
    info = dict(table(book["Thông tin chung"]))
    assert info["Báo cáo"] == "Báo cáo năm của trường" and info["Năm"] == "2025"
    assert info["Phạm vi"] == school.name

    headline = book["Số liệu chủ yếu"]
    assert headers(headline) == ["STT", "Mục", "Chỉ tiêu", "Đơn vị tính", "Năm 2024", "Năm 2025", "Tăng/giảm (%)"]
    rows = table(headline)
    assert [row[5] for row in rows] == [shown(key, EXPECTED_A[key]) for key in FIGURE_KEYS]
    labels = {row[2]: row for row in rows}
    assert labels["Lượt học viên"][3:7] == ("lượt người", 1, 5, 4)  # K0 opened in 2024; +400 % (a percentage cell) and labels["Số lớp khai giảng"][5] == 2
    assert labels["Giảng viên có trình độ tiến sĩ"][5] == 1
    assert labels["Mức chuẩn được công nhận"][5] == "Chuẩn mức 1" and labels["Chỉ tiêu vượt"][5] == 12
    assert labels["Tỷ lệ hoàn thành kế hoạch (số lớp)"][5] == pytest.approx(0.667)
    at = header_row(headline) + 1 + [row[2] for row in rows].index("Tỷ lệ hoàn thành kế hoạch (số lớp)")
    assert headline.cell(row=at, column=6).number_format == "0.0%"  # a real percentage
    assert labels["Mức chuẩn được công nhận"][4] == "Chuẩn mức 1"  # 2024: the decision of 05/01/2024

    training = table(book["Đào tạo theo chương trình"])
    assert headers(book["Đào tạo theo chương trình"])[:4] == ["STT", "Chương trình đào tạo, bồi dưỡng", "Loại", "Số lớp khai giảng"]
    # opened, closed, learner-turns, graduated, opened without learners, 5 classifications, plan, plan %
    assert training == [
        (1, "Trung cấp lý luận chính trị", "Trung cấp lý luận chính trị", 1, 2, 3, 3, 0, 1, 1, 1, 0, 0, 2, 60,
         0.5, 0.05),
        (2, "Bồi dưỡng cán bộ", "Lớp bồi dưỡng", 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 30, 1.0, pytest.approx(0.067)),
        (None, "Tổng cộng các lớp của trường", None, 2, 2, 5, 3, 0, 1, 1, 1, 0, 0, 3, 90, pytest.approx(0.667),
         pytest.approx(0.056)),
        # the joint classes, apart (none here: see test_joint_classes_are_counted_apart)
        (None, "Các lớp liên kết với học viện (tính riêng)", *[None] * 15),
        (None, "Cộng các lớp liên kết", None, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, None, None, None, None),
    ]

    staff_sheet = book["Danh sách cán bộ"]
    assert headers(staff_sheet)[:4] == ["STT", "Họ và tên", "Ngày sinh", "Giới tính"]
    assert len(table(staff_sheet)) == Staff.objects.for_school(school).filter(active=True).count() == 5
    assert "Võ Văn Nghỉ" not in {row[1] for row in table(staff_sheet)}  # inactive staff are left out

    # all the staff on 31/12 (4 lecturers and an accountant) and, of whom, the lecturers
    qualifications = {(row[1], row[2]): row[4:6] for row in table(book["Đội ngũ cán bộ, giảng viên"])}
    assert qualifications[("Trình độ chuyên môn", "Tiến sĩ")] == (1, 1)  # the inactive doctor is not counted
    assert qualifications[("Trình độ chuyên môn", "Thạc sĩ")] == (2, 2)
    assert qualifications[("Trình độ chuyên môn", "Chưa có")] == (1, 0)  # the accountant
    assert qualifications[("Trình độ chuyên môn", "Cộng")] == (5, 4)  # the subtotal: staff, lecturers
    assert qualifications[("Loại hình", "Kiêm chức")] == (1, 1)
    assert qualifications[("Chức danh giảng viên", "Giảng viên cao cấp")] == (1, 1)
    assert qualifications[("Chức danh giảng viên", "Chưa có")] == (3, 2)
    assert qualifications[("Độ tuổi", "Từ 40 đến 49 tuổi")] == (5, 4)  # born 17/05/1980: 45 on 31/12/2025

    research = {(row[1], row[2]): row[4] for row in table(book["Nghiên cứu khoa học"])}
    assert research[("Đề tài thực hiện trong năm, theo cấp", "Cấp tỉnh")] == 1
    assert research[("Đề tài thực hiện trong năm, theo cấp", "Cấp cơ sở")] == 1  # T3 was cancelled in 2024
    assert research[("Đề tài đã nghiệm thu, theo cấp", "Cấp cơ sở")] == 1
    assert research[("Hội thảo, tọa đàm, theo cấp", "Cấp tỉnh")] == 1
    assert research[("Số liệu khác (không cộng dồn)", "Ngày đi thực tế của giảng viên")] == 10
    assert research[("Số liệu khác (không cộng dồn)", "Số ngày đi thực tế bình quân mỗi giảng viên")] == 2.5


def test_learner_register_of_the_year(school, training_data, open_report):
    book, _rows = open_report("school", "school", school=school)
    sheet = book["Sổ học viên"]
    assert headers(sheet)[:3] == ["Mã lớp", "Lớp", "Chương trình đào tạo, bồi dưỡng"]
    rows = table(sheet)
    # the enrollments the 2025 figures count: classes opened in 2025 (K1, K2: the learner-turns)
    # and K0, opened in 2024 and graduating in 2025 (its graduate); not K3 (2026)
    assert len(rows) == EXPECTED_A["learner_turns"] + 1 == 6
    assert [row[0] for row in rows] == ["K0", "K1", "K1", "K1", "K2", "K2"]
    hoa = next(row for row in rows if row[6] == "Nguyễn Thị Hoa")
    assert hoa[4] == datetime.datetime(2025, 3, 1) and hoa[9] == "Nữ"
    assert hoa[13:] == ("Tốt nghiệp", 8.1, "Giỏi", "TC-001", datetime.datetime(2025, 12, 5))
    col = headers(sheet).index("Đơn vị công tác") + 1
    first = header_row(sheet) + 1
    cell = next(c for c in sheet.iter_cols(min_col=col, max_col=col, min_row=first).__next__()
                if c.value and c.value.startswith("="))
    assert cell.value == "=cmd|' /C calc'!A0" and cell.data_type == "s"


def test_learner_register_report_for_all_schools(school, other_school, training_data, open_report):
    book, rows = open_report("learners", "national")
    assert book.sheetnames == ["Thông tin chung", "Sổ học viên"]
    sheet = book["Sổ học viên"]
    assert headers(sheet)[0] == "Trường"
    data = table(sheet)
    assert len(data) == 7  # 5 + K0's graduate in school A, 1 in school B
    assert {row[0] for row in data} == {school.name, other_school.name}
    top = header_row(sheet)
    assert sheet.auto_filter.ref == f"A{top}:S{top + 7}"
    assert sheet[f"F{top + 1}"].number_format == "dd/mm/yyyy" and sheet[f"P{top + 1}"].number_format == "0.00"


def test_sheets_are_formatted_for_reading(school, staff_data, training_data, open_report):
    book, _rows = open_report("school", "school", school=school)
    for sheet in book:
        top = header_row(sheet)
        assert sheet.freeze_panes == f"A{top + 1}", sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith(f"A{top}:"), sheet.title
        assert sheet[f"A{top}"].font.b, sheet.title
    staff_sheet = book["Danh sách cán bộ"]
    top = header_row(staff_sheet)
    assert staff_sheet.auto_filter.ref == f"A{top}:M{top + 5}"
    assert staff_sheet[f"C{top + 1}"].number_format == "dd/mm/yyyy"
    assert staff_sheet.column_dimensions["B"].width >= 20


def test_formula_looking_text_stays_text_and_illegal_characters_are_removed(school, staff_data, open_report):
    book, _rows = open_report("school", "school", school=school)
    cells = [cell for row in book["Danh sách cán bộ"].iter_rows(min_row=9) for cell in row]
    injected = next(cell for cell in cells if cell.value == '=HYPERLINK("http://x")')
    assert injected.data_type == "s"
    position = next(cell for cell in cells if isinstance(cell.value, str) and cell.value.startswith("@SUM"))
    assert position.value == "@SUM(A1)" and position.data_type == "s"  # the BEL character is gone


def test_school_with_no_data_says_so(empty_school, training_data, compliance_data, open_report):
    book, _rows = open_report("school", "school", school=empty_school)
    for sheet in book.worksheets[1:]:
        notice = [c.value for row in sheet.iter_rows(max_row=header_row(sheet)) for c in row if c.value]
        assert "Không có số liệu năm 2025" in notice, sheet.title
        assert table(sheet) == [], sheet.title
    # the figures themselves are zeros / blanks, not errors
    blank = PERCENT_KEYS | {"final_score", "rank", "field_trip_days_per_lecturer", "level_recognised"}
    assert database_figures(empty_school) == {key: None if key in blank else 0 for key in FIGURE_KEYS}


def test_school_with_staff_only_gives_zeros_not_errors(empty_school, open_report):
    Staff.objects.create(school=empty_school, full_name="Nguyễn Văn Một", is_lecturer=True)
    book, _rows = open_report("school", "school", school=empty_school)
    values = {row[2]: row[5] for row in table(book["Số liệu chủ yếu"])}
    assert values["Lượt học viên"] == 0 and values["Giảng viên"] == 1
    assert values["Mức chuẩn được công nhận"] == "Không áp dụng"  # a ministry school
    assert table(book["Sổ học viên"]) == []
    assert [row[1] for row in table(book["Đào tạo theo chương trình"])] == [
        "Tổng cộng các lớp của trường", "Các lớp liên kết với học viện (tính riêng)", "Cộng các lớp liên kết"]


def _as_figures(row_values):
    """Figure cells back to figures (percent cells hold fractions, the level its label)."""
    result = {}
    levels = {text: level for level, text in LEVELS.items()}
    for key, value in zip(FIGURE_KEYS, row_values, strict=True):
        if key in PERCENT_KEYS and value is not None:
            value = round(value * 100, 1)
        elif key == "level_recognised":
            value = levels.get(value, value)
        result[key] = value
    return result


def summary_rows(book, *, national: bool) -> dict[str, list]:
    """School name (or "Tổng cộng", "Cộng: …") → its figures, read from the section sheets."""
    from reports.sheets import label

    offset = 3 if national else 2
    result: dict[str, list] = {}
    for section in figures.sections():
        sheet = book[label(section.title)]
        for row in table(sheet):
            result.setdefault(row[1], []).extend(row[offset:])
    return result


def test_national_summary_rows_totals_and_kind_subtotals(
    school, other_school, empty_school, academy, staff_data, training_data, research_data, compliance_data, open_report
):
    book, _rows = open_report("national", "national")
    assert book.sheetnames == [
        "Thông tin chung", "Đào tạo, bồi dưỡng", "Cán bộ, giảng viên", "Nghiên cứu khoa học", "Trường chính trị chuẩn",
        "Thi đua",
        "Theo loại trường", "Tình hình trường chuẩn", "Trường chuẩn theo trường", "Kiểm tra cơ cấu tổ chức",
    ]
    sheet = book["Đào tạo, bồi dưỡng"]
    assert headers(sheet)[:4] == ["STT", "Trường", "Cụm thi đua", "Số lớp khai giảng (lớp)"]
    rows = summary_rows(book, national=True)
    assert academy.name not in rows  # the Academy itself is not a reporting school
    for each in (school, other_school):
        assert _as_figures(rows[each.name]) == database_figures(each), each.code
    assert _as_figures(rows[school.name]) == EXPECTED_A
    ministry = _as_figures(rows[empty_school.name])
    assert ministry["level_recognised"] == "Không áp dụng" and ministry["met"] is None
    total = _as_figures(rows["Tổng cộng"])
    last = header_row(sheet) + len(table(sheet))
    assert sheet.cell(row=last, column=2).value == "Tổng cộng" and sheet.cell(row=last, column=2).font.b
    assert total["learner_turns"] == 6 and total["classes_opened"] == 3 and total["total"] == 7
    # only school A has a plan: the overall fulfilment counts the schools with a plan
    assert total["fulfilment_classes_pct"] == 66.7 and total["fulfilment_learners_pct"] == 5.6
    # subtotals by region (the test schools have none)
    assert "Cộng: Không thuộc vùng" in rows

    kinds = {row[1]: row for row in table(book["Theo loại trường"])}
    head = headers(book["Theo loại trường"])
    assert head[:3] == ["STT", "Chỉ tiêu", "Đơn vị tính"] and head[-1] == "Tổng cộng toàn quốc"
    provincial = head.index("Trường chính trị tỉnh, thành phố")
    assert kinds["Số trường"][provincial] == 2 and kinds["Số trường"][-1] == 3
    assert kinds["Cán bộ, giảng viên: cán bộ, viên chức tại 31/12"][provincial] == 7
    assert kinds["Đào tạo, bồi dưỡng: lượt học viên"][-1] == 6
    # standard-school figures of several schools do not add up: no row for them
    assert not any(name.startswith("Trường chính trị chuẩn") for name in kinds)


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
