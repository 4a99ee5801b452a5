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

from .conftest import YEAR, header_row, headers, table

pytestmark = pytest.mark.django_db

MET, EXCEEDED, LEVEL = "Chỉ tiêu đạt (kể cả vượt)", "Chỉ tiêu vượt", "Mức chuẩn được công nhận"
LEVEL_TEXT = {1: "Chuẩn mức 1", 2: "Chuẩn mức 2", None: "Chưa được công nhận"}
INDICATORS_IN_STANDARD = "Số chỉ tiêu của bộ tiêu chí (chỉ đánh giá các chỉ tiêu đã ban hành)"
STATUS_HEADERS = [
    "STT", "Trường", "Năm đánh giá", "Tổng số chỉ tiêu", MET, EXCEEDED, "Chỉ tiêu chưa đạt", "Chỉ tiêu xin ý kiến", LEVEL,
    "Ngày quyết định công nhận", "Tiến độ thẩm định", INDICATORS_IN_STANDARD,
]
NOT_APPLICABLE = "Không áp dụng"


def as_datetime(day):
    return datetime.datetime.combine(day, datetime.time()) if day else None


def status_row(number, school) -> tuple:
    """The per-school row as the selector gives it for the year (dates as openpyxl reads them back)."""
    status = compliance_statuses([school], YEAR)[school.pk]
    if school.kind != School.Kind.PROVINCIAL:
        return (number, school.name, None, None, None, None, None, None, NOT_APPLICABLE, None, None, None)
    stage = status["stage"][0].upper() + status["stage"][1:] if status["stage"] else "Chưa tự đánh giá"
    return (
        number, school.name, status["year"], status["indicators_total"], status["met"], status["exceeded"],
        status["not_met"], status["pending"], LEVEL_TEXT[status["level_recognised"]],
        as_datetime(status["recognised_on"]), stage, status["indicators_in_standard"],
    )


def standing(book) -> list[tuple]:
    """The standard-school rows of the school report's "Trường chuẩn và thi đua" sheet."""
    return [(row[2], row[3]) for row in table(book["Trường chuẩn và thi đua"]) if row[1] == "Trường chính trị chuẩn"]


def test_the_selector_gives_the_known_data_set(school, other_school, empty_school, compliance_data):
    """The expectations below are counted by hand from the fixture; the selector agrees."""
    a, b, c = compliance_status(school), compliance_status(other_school), compliance_status(empty_school)
    assert (a["met"], a["exceeded"], a["not_met"], a["pending"], a["level_recognised"]) == (40, 12, 10, 5, 1)
    assert a["recognised_on"] == datetime.date(2024, 1, 5) and a["stage_code"] == Assessment.Stage.SUBMITTED
    assert (b["met"], b["exceeded"], b["level_recognised"], b["stage_code"]) == (30, 3, 2, Assessment.Stage.DRAFT)
    assert (c["assessment_id"], c["met"], c["level_recognised"], c["stage"]) == (None, 0, None, None)


def test_school_report_has_a_standard_school_sheet(school, compliance_data, open_report):
    book, _rows = open_report("school", "school", school=school)
    assert "Trường chuẩn và thi đua" in book.sheetnames
    latest = Assessment.objects.for_school(school).get(year=YEAR)
    recognised = Assessment.objects.for_school(school).get(stage=Assessment.Stage.RECOGNISED)
    assert standing(book) == [
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
        (INDICATORS_IN_STANDARD, latest.indicators_in_standard),
    ]
    status = compliance_status(school)
    values = dict(standing(book))
    assert (values[MET], values[EXCEEDED], values["Chỉ tiêu chưa đạt"], values["Chỉ tiêu xin ý kiến"]) == (
        status["met"], status["exceeded"], status["not_met"], status["pending"]
    ) == (40, 12, 10, 5)
    notes = [value for item, value in table(book["Thông tin chung"]) if item == "Định nghĩa"]
    assert any("tình trạng tại ngày 31/12 của năm" in note for note in notes)

    # the same headline figures in the school's headline sheet
    headline = {(row[1], row[2]): row[5] for row in table(book["Số liệu chủ yếu"])}
    assert headline[("Trường chính trị chuẩn", MET)] == status["met"]
    assert headline[("Trường chính trị chuẩn", EXCEEDED)] == status["exceeded"]
    assert headline[("Trường chính trị chuẩn", LEVEL)] == LEVEL_TEXT[status["level_recognised"]] == "Chuẩn mức 1"


def test_school_with_no_assessment(head_school, compliance_data, open_report):
    from schools.models import Staff

    Staff.objects.create(school=head_school, full_name="Nguyễn Văn Một")
    book, _rows = open_report("school", "school", school=head_school)
    assert not Assessment.objects.for_school(head_school).exists()
    assert standing(book) == [
        ("Quy định trường chuẩn", None), ("Năm đánh giá", None), ("Tổng số chỉ tiêu", 0), (MET, 0), (EXCEEDED, 0),
        ("Chỉ tiêu chưa đạt", 0), ("Chỉ tiêu xin ý kiến", 0), (LEVEL, "Chưa được công nhận"),
        ("Ngày quyết định công nhận", None), ("Tiến độ thẩm định", "Chưa tự đánh giá"),
        (INDICATORS_IN_STANDARD, 0),
    ]
    headline = {(row[1], row[2]): row[5] for row in table(book["Số liệu chủ yếu"])}
    assert (headline[("Trường chính trị chuẩn", MET)], headline[("Trường chính trị chuẩn", LEVEL)]) == (
        0, "Chưa được công nhận"
    )


def _compliance_rows(book, offset):
    sheet = book["Trường chính trị chuẩn"]
    assert headers(sheet)[offset:] == [MET + " (chỉ tiêu)", EXCEEDED + " (chỉ tiêu)", LEVEL]
    return {row[1]: list(row[offset:]) for row in table(sheet)}


def test_cluster_summary_has_the_compliance_columns(school, head_school, cluster_data, compliance_data, open_report):
    book, _rows = open_report("cluster", "cluster", cluster_code="BTB")
    rows = _compliance_rows(book, 2)
    assert set(rows) == {school.name, head_school.name, "Tổng cộng"}
    for each in (school, head_school):  # the head school has no assessment
        status = compliance_status(each)
        assert rows[each.name] == [status["met"], status["exceeded"], LEVEL_TEXT[status["level_recognised"]]]
    assert rows[school.name] == [40, 12, "Chuẩn mức 1"]
    assert rows[head_school.name] == [0, 0, "Chưa được công nhận"]
    assert rows["Tổng cộng"] == [None, None, None]  # not additive


def test_national_summary_compliance_columns_picture_and_status_sheet(
    school, other_school, empty_school, academy, compliance_data, open_report
):
    book, _rows = open_report("national", "national")
    assert book.sheetnames[-3:] == ["Tình hình trường chuẩn", "Trường chuẩn theo trường", "Kiểm tra cơ cấu tổ chức"]
    schools = [school, other_school, empty_school]  # national order: provincial schools first, then by place
    statuses = compliance_statuses(schools, YEAR)

    rows = _compliance_rows(book, 3)
    for each in (school, other_school):
        status = statuses[each.pk]
        assert rows[each.name] == [status["met"], status["exceeded"], LEVEL_TEXT[status["level_recognised"]]]
    assert rows[other_school.name] == [30, 3, "Chuẩn mức 2"]
    assert rows[empty_school.name] == [None, None, NOT_APPLICABLE]  # a ministry school: the standard does not apply

    per_school = book["Trường chuẩn theo trường"]
    assert headers(per_school) == STATUS_HEADERS
    assert table(per_school) == [status_row(number, each) for number, each in enumerate(schools, start=1)]
    top = header_row(per_school)
    assert per_school.freeze_panes == f"A{top + 1}" and per_school.auto_filter.ref == f"A{top}:L{top + 3}"
    assert per_school[f"J{top + 1}"].number_format == "dd/mm/yyyy"
    row_b = table(per_school)[1]
    latest_b = Assessment.objects.for_school(other_school).get(year=YEAR)
    assert row_b[2:8] == (
        latest_b.year, latest_b.indicators_total, latest_b.met_count, latest_b.exceeded_count, latest_b.not_met_count,
        latest_b.pending_count,
    )
    assert row_b[8:11] == ("Chuẩn mức 2", datetime.datetime(2024, 12, 20), "Đang tự đánh giá")
    assert row_b[11] == statuses[other_school.pk]["indicators_in_standard"]

    picture = book["Tình hình trường chuẩn"]
    assert headers(picture) == ["STT", "Nhóm", "Trạng thái", "Số trường"]
    counts = {(group, item): value for _n, group, item, value in table(picture)}
    level = "Mức chuẩn được công nhận"
    # each count recomputed from the database: the latest recognition decision of each provincial school
    for value, text in Level.choices:
        recognised = {
            pk for pk in School.objects.filter(kind=School.Kind.PROVINCIAL).values_list("pk", flat=True)
            if (
                Assessment.objects.filter(school_id=pk, stage=Assessment.Stage.RECOGNISED)
                .order_by("-decision_date").values_list("level_recognised", flat=True).first()
            ) == value
        }
        assert counts[(level, LEVEL_TEXT[value])] == len(recognised) == 1, text
    assert counts[(level, "Chưa được công nhận")] == 0  # school C is a ministry school: not applicable
    assert counts[(level, "Cộng")] == 2  # the subtotal (a SUM)
    stage = "Tiến độ thẩm định của lần tự đánh giá gần nhất"
    assert counts[(stage, "Đã gửi Học viện")] == 1
    assert counts[(stage, "Đang tự đánh giá")] == 1
    assert counts[(stage, "Đã công nhận")] == 0  # B's recognition is not its latest assessment
    assert counts[(stage, "Chưa tự đánh giá")] == 0
    assert counts[(stage, "Cộng")] == 2
    assert counts[("Trường chính trị chuẩn", NOT_APPLICABLE)] == 1


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
    counts = {item: value for _n, group, item, value in table(book["Tình hình trường chuẩn"])
              if group == "Mức chuẩn được công nhận"}
    # the 12 added provincial schools, the head school and A, B; school C is a ministry school
    assert counts == {"Chuẩn mức 1": 1 + 3, "Chuẩn mức 2": 1, "Chưa được công nhận": 1 + 9, "Cộng": 15}
