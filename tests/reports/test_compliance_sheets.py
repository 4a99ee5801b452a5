"""The standard-school (compliance) parts of the reports, re-opened with openpyxl: every figure equals
``compliance.selectors.compliance_status`` and the assessments in the database (conftest.py
``compliance_data``), a school with no assessment included, in a bounded number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.models import Assessment, Level
from compliance.selectors import compliance_status, compliance_statuses
from schools.models import School

from .conftest import YEAR, headers, table

pytestmark = pytest.mark.django_db

MET, EXCEEDED, LEVEL = "Chỉ tiêu đạt (kể cả vượt)", "Chỉ tiêu vượt", "Mức chuẩn được công nhận"
LEVEL_TEXT = {1: "Chuẩn mức 1", 2: "Chuẩn mức 2", None: "Chưa được công nhận"}
STATUS_HEADERS = [
    "Mã", "Trường", "Loại trường", "Quy định trường chuẩn", "Năm đánh giá", "Tổng số chỉ tiêu", MET, EXCEEDED,
    "Chỉ tiêu chưa đạt", "Chỉ tiêu xin ý kiến", LEVEL, "Ngày quyết định công nhận", "Tiến độ thẩm định",
    "Số chỉ tiêu của bộ tiêu chí (chỉ đánh giá các chỉ tiêu đã ban hành)",
]


def as_datetime(day):
    return datetime.datetime.combine(day, datetime.time()) if day else None


def status_row(school) -> tuple:
    """The per-school row as the selector gives it (dates as openpyxl reads them back)."""
    status = compliance_status(school)
    stage = status["stage"][0].upper() + status["stage"][1:] if status["stage"] else "Chưa tự đánh giá"
    return (
        school.code, school.name, school.get_kind_display()[0].upper() + school.get_kind_display()[1:],
        status["standard"], status["year"], status["indicators_total"], status["met"], status["exceeded"],
        status["not_met"], status["pending"], LEVEL_TEXT[status["level_recognised"]],
        as_datetime(status["recognised_on"]), stage, status["indicators_in_standard"],
    )


def test_the_selector_gives_the_known_data_set(school, other_school, empty_school, compliance_data):
    """The expectations below are counted by hand from the fixture; the selector agrees."""
    a, b, c = compliance_status(school), compliance_status(other_school), compliance_status(empty_school)
    assert (a["met"], a["exceeded"], a["not_met"], a["pending"], a["level_recognised"]) == (40, 12, 10, 5, 1)
    assert a["recognised_on"] == datetime.date(2024, 1, 5) and a["stage_code"] == Assessment.Stage.SUBMITTED
    assert (b["met"], b["exceeded"], b["level_recognised"], b["stage_code"]) == (30, 3, 2, Assessment.Stage.DRAFT)
    assert (c["assessment_id"], c["met"], c["level_recognised"], c["stage"]) == (None, 0, None, None)


def test_school_report_has_a_standard_school_sheet(school, compliance_data, open_report):
    book, _rows = open_report("school", "school", school=school)
    assert book.sheetnames.index("Trường chuẩn") == book.sheetnames.index("Thi đua, khen thưởng") - 1
    sheet = book["Trường chuẩn"]
    assert headers(sheet) == ["Mục", "Nội dung"]
    latest = Assessment.objects.for_school(school).get(year=YEAR)
    recognised = Assessment.objects.for_school(school).get(stage=Assessment.Stage.RECOGNISED)
    assert table(sheet) == [
        ("Quy định trường chuẩn", compliance_data.code),
        ("Năm đánh giá", latest.year),
        ("Tổng số chỉ tiêu", latest.indicators_total),
        (MET, latest.met_count),
        (EXCEEDED, latest.exceeded_count),
        ("Chỉ tiêu chưa đạt", latest.not_met_count),
        ("Chỉ tiêu xin ý kiến", latest.pending_count),
        (LEVEL, LEVEL_TEXT[recognised.level_recognised]),
        ("Ngày quyết định công nhận", recognised.decision_date.strftime("%d/%m/%Y")),
        ("Tiến độ thẩm định", "Đã gửi Học viện"),
        ("Số chỉ tiêu của bộ tiêu chí (chỉ đánh giá các chỉ tiêu đã ban hành)", latest.indicators_in_standard),
    ]
    status = compliance_status(school)
    values = dict(table(sheet))
    assert (values[MET], values[EXCEEDED], values["Chỉ tiêu chưa đạt"], values["Chỉ tiêu xin ý kiến"]) == (
        status["met"], status["exceeded"], status["not_met"], status["pending"]
    ) == (40, 12, 10, 5)
    notes = [value for item, value in table(book["Thông tin chung"]) if item == "Ghi chú"]
    assert any("Tình hình trường chuẩn là tình hình mới nhất" in note for note in notes)

    # the same headline figures in the school's headline sheet
    headline = {(section, item): value for section, item, value in table(book["Số liệu chủ yếu"])}
    assert headline[("Trường chính trị chuẩn", MET)] == status["met"]
    assert headline[("Trường chính trị chuẩn", EXCEEDED)] == status["exceeded"]
    assert headline[("Trường chính trị chuẩn", LEVEL)] == status["level_recognised"] == 1


def test_school_with_no_assessment(empty_school, compliance_data, open_report):
    book, _rows = open_report("school", "school", school=empty_school)
    assert not Assessment.objects.for_school(empty_school).exists()
    assert table(book["Trường chuẩn"]) == [
        ("Quy định trường chuẩn", None), ("Năm đánh giá", None), ("Tổng số chỉ tiêu", 0), (MET, 0), (EXCEEDED, 0),
        ("Chỉ tiêu chưa đạt", 0), ("Chỉ tiêu xin ý kiến", 0), (LEVEL, "Chưa được công nhận"),
        ("Ngày quyết định công nhận", None), ("Tiến độ thẩm định", "Chưa tự đánh giá"),
        ("Số chỉ tiêu của bộ tiêu chí (chỉ đánh giá các chỉ tiêu đã ban hành)", 0),
    ]
    headline = {(section, item): value for section, item, value in table(book["Số liệu chủ yếu"])}
    assert (headline[("Trường chính trị chuẩn", MET)], headline[("Trường chính trị chuẩn", LEVEL)]) == (0, None)


def _compliance_columns(sheet):
    names = headers(sheet)
    return [names.index(MET), names.index(EXCEEDED), names.index(LEVEL)]


def test_cluster_summary_has_the_compliance_columns(school, head_school, cluster_data, compliance_data, open_report):
    book, _rows = open_report("cluster", "cluster", cluster_code="BTB")
    sheet = book["Tổng hợp cụm thi đua"]
    columns = _compliance_columns(sheet)
    rows = table(sheet)
    by_code = {row[0]: row for row in rows if row[0]}
    assert set(by_code) == {"SCHA", "HEAD"}
    for each in (school, head_school):  # the head school has no assessment
        status = compliance_status(each)
        assert [by_code[each.code][i] for i in columns] == [status["met"], status["exceeded"], status["level_recognised"]]
    assert [by_code["SCHA"][i] for i in columns] == [40, 12, 1]
    assert [by_code["HEAD"][i] for i in columns] == [0, 0, None]
    assert rows[-1][1] == "Tổng cộng" and [rows[-1][i] for i in columns] == [None, None, None]  # not additive


def test_national_summary_compliance_columns_picture_and_status_sheet(
    school, other_school, empty_school, academy, compliance_data, open_report
):
    book, _rows = open_report("national", "national")
    assert book.sheetnames[-3:] == ["Tình hình trường chuẩn", "Trường chuẩn theo trường", "Kiểm tra cơ cấu tổ chức"]
    schools = [empty_school, school, other_school]  # national order: kind, then name
    statuses = compliance_statuses(schools)

    summary = book["Tổng hợp toàn quốc"]
    columns = _compliance_columns(summary)
    by_code = {row[0]: row for row in table(summary) if row[0]}
    for each in schools:
        status = statuses[each.pk]
        assert [by_code[each.code][i] for i in columns] == [status["met"], status["exceeded"], status["level_recognised"]]
    assert [by_code["SCHB"][i] for i in columns] == [30, 3, 2]

    per_school = book["Trường chuẩn theo trường"]
    assert headers(per_school) == STATUS_HEADERS
    assert table(per_school) == [status_row(each) for each in schools]
    assert per_school.freeze_panes == "A2" and per_school.auto_filter.ref == "A1:N4"
    assert per_school["L3"].number_format == "dd/mm/yyyy"
    row_b = table(per_school)[2]
    latest_b = Assessment.objects.for_school(other_school).get(year=YEAR)
    assert row_b[4:10] == (
        latest_b.year, latest_b.indicators_total, latest_b.met_count, latest_b.exceeded_count, latest_b.not_met_count,
        latest_b.pending_count,
    )
    assert row_b[10:13] == ("Chuẩn mức 2", datetime.datetime(2024, 12, 20), "Đang tự đánh giá")

    picture = book["Tình hình trường chuẩn"]
    assert headers(picture) == [
        "Nhóm", "Trạng thái", "Số trường", "Trường chính trị tỉnh, thành phố", "Trường chính trị, trường cán bộ của các bộ, ngành, đoàn thể Trung ương",
    ]
    counts = {(group, item): values for group, item, *values in table(picture)}
    level = "Mức chuẩn được công nhận"
    # each count recomputed from the database: the latest recognition decision of each school
    for value, text in Level.choices:
        recognised = {
            pk for pk in School.objects.exclude(kind=School.Kind.ACADEMY).values_list("pk", flat=True)
            if (
                Assessment.objects.filter(school_id=pk, stage=Assessment.Stage.RECOGNISED)
                .order_by("-decision_date").values_list("level_recognised", flat=True).first()
            ) == value
        }
        assert counts[(level, LEVEL_TEXT[value])][0] == len(recognised) == 1, text
    assert counts[(level, "Chuẩn mức 1")] == [1, 1, 0]  # school A (provincial)
    assert counts[(level, "Chuẩn mức 2")] == [1, 1, 0]  # school B (provincial)
    assert counts[(level, "Chưa được công nhận")] == [1, 0, 1]  # school C (ministry), no assessment
    stage = "Tiến độ thẩm định của lần tự đánh giá gần nhất"
    assert counts[(stage, "Đã gửi Học viện")] == [1, 1, 0]
    assert counts[(stage, "Đang tự đánh giá")] == [1, 1, 0]
    assert counts[(stage, "Đã công nhận")] == [0, 0, 0]  # B's recognition is not its latest assessment
    assert counts[(stage, "Chưa tự đánh giá")] == [1, 0, 1]
    assert sum(values[0] for (group, _item), values in counts.items() if group == level) == 3
    assert sum(values[0] for (group, _item), values in counts.items() if group == stage) == 3
    assert counts[("Tổng cộng", None)] == [3, 2, 1]
    assert picture.cell(row=len(counts) + 1, column=1).font.b


def _add_schools(count, cluster_year=None, *, assessed=True):
    """More schools, every other one assessed (some recognised), optionally in the cluster."""
    from emulation.models import ClusterMembership

    standard = Assessment.objects.values_list("standard", flat=True).first()
    start = School.objects.count()
    for i in range(count):
        extra = School.objects.create(code=f"X{start + i}", name=f"Trường Chính trị tỉnh X{start + i}")
        if cluster_year is not None:
            ClusterMembership.objects.create(cluster_year=cluster_year, school=extra)
        if assessed and i % 2 == 0:
            recognised = i % 4 == 0
            Assessment.objects.create(
                school=extra, standard_id=standard, year=YEAR, indicators_total=55, met_count=50, pending_count=5,
                stage=Assessment.Stage.RECOGNISED if recognised else Assessment.Stage.SUBMITTED,
                level_recognised=1 if recognised else None,
                decision_date=datetime.date(2025, 11, 1) if recognised else None,
            )


def test_query_count_does_not_grow_with_schools(school, other_school, head_school, cluster_data, compliance_data,
                                                open_report):
    def count_queries():
        counts = {}
        for kind, scope, kwargs in [
            ("national", "national", {}), ("cluster", "cluster", {"cluster_code": "BTB"}),
            ("school", "school", {"school": school}),
        ]:
            with CaptureQueriesContext(connection) as ctx:
                book, _rows = open_report(kind, scope, **kwargs)
            counts[kind] = len(ctx.captured_queries)
        return counts, book

    few, _book = count_queries()
    _add_schools(12, cluster_data["year"])
    many, _book = count_queries()
    assert many == few
    book, _rows = open_report("national", "national")
    assert len(table(book["Trường chuẩn theo trường"])) == School.objects.exclude(kind=School.Kind.ACADEMY).count()
    counts = {item: values[0] for group, item, *values in table(book["Tình hình trường chuẩn"])
              if group == "Mức chuẩn được công nhận"}
    assert counts == {"Chuẩn mức 1": 1 + 3, "Chuẩn mức 2": 1, "Chưa được công nhận": 1 + 9}
