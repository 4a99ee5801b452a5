import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from compliance import services
from compliance.models import Answer, Assessment, Indicator
from compliance.selectors import compliance_status, compliance_statuses
from emulation.models import Cluster, ClusterMembership, ClusterYear
from schools.models import Region, School
from tests.access import assert_post_refused, assert_read_matrix, assert_write_matrix

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def url(name, school, **kwargs):
    return reverse(f"compliance:{name}", kwargs={"school_code": school.code, **kwargs})


def test_school_read_pages_follow_access_matrix(users, school, assessment, staff_set):
    for page in [url("assessment_list", school), url("assessment_detail", school, pk=assessment.pk),
                 url("assessment_export", school, pk=assessment.pk), url("gap", school),
                 url("metric_evidence", school, metric="staff.lecturer_share")]:
        assert_read_matrix(users, page)


def test_school_write_pages_follow_access_matrix(users, school, assessment):
    answer = assessment.answers.get(indicator__code="1.1")
    for page in [url("assessment_create", school), url("answer_update", school, pk=answer.pk)]:
        assert_write_matrix(users, page)
        assert_post_refused(users, page, {"year": "2026", "target_level": "1", "value": "0", "explanation": "x"})
    for page in [url("assessment_refresh", school, pk=assessment.pk), url("assessment_submit", school, pk=assessment.pk)]:
        assert_post_refused(users, page)
    answer.refresh_from_db()
    assessment.refresh_from_db()
    assert answer.value is None and assessment.stage == Assessment.Stage.DRAFT
    assert Assessment.objects.count() == 1


def test_a_school_sees_only_its_own_assessments(users, client_as, standard, school, other_school):
    own = services.open_assessment(school=school, year=2025, target_level=1, user=users["admin"])
    foreign = services.open_assessment(school=other_school, year=2025, target_level=1, user=users["outsider"])
    client = client_as(users["viewer"])
    listed = list(client.get(url("assessment_list", school)).context["object_list"])
    assert listed == [own]
    assert client.get(url("assessment_detail", school, pk=foreign.pk)).status_code == 404
    assert client.get(url("assessment_export", school, pk=foreign.pk)).status_code == 404
    foreign_answer = foreign.answers.first()
    assert client_as(users["admin"]).post(url("answer_update", school, pk=foreign_answer.pk),
                                          {"value": "1", "explanation": "x"}).status_code == 404
    assert client.get(url("assessment_list", other_school)).status_code == 404
    # Reviewers see every school's assessments.
    reviewer = client_as(users["reviewer"])
    assert list(reviewer.get(url("assessment_list", other_school)).context["object_list"]) == [foreign]
    assert reviewer.get(url("assessment_detail", other_school, pk=foreign.pk)).status_code == 200


def test_assessment_list_query_count_does_not_grow(users, client_as, standard, school, django_assert_max_num_queries):
    client = client_as(users["viewer"])
    services.open_assessment(school=school, year=2021, target_level=1, user=users["admin"])
    with django_assert_max_num_queries(12) as small:
        client.get(url("assessment_list", school))
    for year in range(2022, 2027):
        services.open_assessment(school=school, year=year, target_level=1, user=users["admin"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url("assessment_list", school))


def test_assessment_detail_query_count_is_bounded(users, client_as, assessment, django_assert_max_num_queries):
    client = client_as(users["reviewer"])
    with django_assert_max_num_queries(25):
        response = client.get(url("assessment_detail", assessment.school, pk=assessment.pk))
    assert response.status_code == 200
    assert "Tự đánh giá" in response.content.decode()


def test_assessment_export_has_every_indicator(users, client_as, assessment):
    answer = assessment.answers.get(indicator__code="1.2")
    services.save_answer(answer=answer, value=1, explanation="=HYPERLINK(\"x\")", ask_opinion=False)
    response = client_as(users["viewer"]).get(url("assessment_export", assessment.school, pk=assessment.pk))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[1]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 56
    row = next(r for r in rows if r[1] == "1.2")
    assert row[9] == "đạt" and row[11] == "=HYPERLINK(\"x\")"
    assert sheet.cell(row=rows.index(row) + 1, column=12).data_type == "s"


def test_gap_page_shows_values_against_both_levels_and_what_is_missing(users, client_as, standard, school, staff_set):
    Indicator.objects.filter(criterion__standard=standard, code="2.2").update(
        level1_value=70, level2_value=90, provisional=False, reference="Hướng dẫn kiểm thử")
    response = client_as(users["viewer"]).get(url("gap", school), {"year": 2025})
    assert response.status_code == 200
    rows = {row["indicator"].code: row for row in response.context["gap"]["rows"]}
    assert len(rows) == 55
    masters = rows["2.2"]
    assert (masters["value"], masters["level1"], masters["level2"]) == (75, "exceeded", "not_met")
    assert masters["missing"] is None  # the next level is level 1, already exceeded
    assert rows["2.1"]["level1"] == "exceeded"
    assert rows["1.1"]["value"] is None and rows["1.1"]["level1"] == "pending"
    assert "Khoảng cách đến mức chuẩn" in response.content.decode()


def test_gap_targets_level_2_once_level_1_is_recognised(users, client_as, standard, school, staff_set):
    Indicator.objects.filter(criterion__standard=standard, code="2.2").update(
        level1_value=70, level2_value=90, provisional=False, reference="Hướng dẫn kiểm thử")
    Assessment.objects.create(school=school, standard=standard, year=2024, stage="recognised", level_recognised=1,
                              decision_date=datetime.date(2024, 12, 1))
    gap = client_as(users["viewer"]).get(url("gap", school), {"year": 2025}).context["gap"]
    assert gap["next_level"] == 2
    assert next(r for r in gap["rows"] if r["indicator"].code == "2.2")["missing"] == 15


# --- selectors (the cross-app contract) ---------------------------------------------------------
def test_compliance_status_reports_result_and_progress_separately(users, standard, school, other_school):
    assert compliance_status(school)["standard"] is None
    old = services.open_assessment(school=school, year=2023, target_level=1, user=users["admin"])
    Assessment.objects.filter(pk=old.pk).update(stage="recognised", level_recognised=1, decision_number="99-QĐ",
                                                decision_date=datetime.date(2024, 1, 5))
    new = services.open_assessment(school=school, year=2025, target_level=2, user=users["admin"])
    answer = new.answers.get(indicator__code="1.1")
    services.save_answer(answer=answer, value=0, explanation="", ask_opinion=False)
    status = compliance_status(school)
    # 40 issued indicators (the fixture's) out of 55: the 15 not issued count for nothing
    assert status["standard"] == "11-QĐ/TW" and status["indicators_total"] == 40
    assert status["indicators_in_standard"] == 55
    # not met: 1.1 (answered no) and 1.5 (pre-filled from the structure check: the school has no units)
    assert (status["met"], status["not_met"], status["pending"]) == (0, 2, 38)
    assert status["level_recognised"] == 1 and status["recognised_on"] == datetime.date(2024, 1, 5)
    assert status["stage"] == "đang tự đánh giá"


def test_compliance_statuses_is_one_query(users, standard, school, other_school, django_assert_num_queries):
    services.open_assessment(school=school, year=2025, target_level=1, user=users["admin"])
    with django_assert_num_queries(1):
        statuses = compliance_statuses([school, other_school])
    assert statuses[school.pk]["indicators_total"] == 40 and statuses[other_school.pk]["stage"] is None


# --- the Academy console ------------------------------------------------------------------------
def make_schools(count, start=0, region=Region.NORTH_CENTRAL):
    return [School.objects.create(code=f"P{start + i}", name=f"Trường Chính trị tỉnh {start + i}", region=region)
            for i in range(count)]


def assess(school, user, *, year=2025, stage=None, level=None):
    assessment = services.open_assessment(school=school, year=year, target_level=1, user=user)
    if stage:
        Assessment.objects.filter(pk=assessment.pk).update(
            stage=stage, level_recognised=level, decision_date=TODAY if level else None)
    return assessment


def test_console_access(users, standard):
    expected = {"admin": 404, "staff": 404, "viewer": 404, "outsider": 404, "reviewer": 200, "anonymous": 302}
    from tests.access import statuses

    assert statuses(users, reverse("compliance:console")) == expected


def test_console_query_count_does_not_grow_with_schools(users, client_as, standard, django_assert_max_num_queries):
    client = client_as(users["reviewer"])
    for school in make_schools(2):
        assess(school, users["academy"])
    params = {"indicator": "2.1"}
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("compliance:console"), params)
    for index, school in enumerate(make_schools(12, start=10)):
        assess(school, users["academy"], stage="recognised" if index % 3 == 0 else None, level=1 if index % 3 == 0 else None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("compliance:console"), params)
    assert len(response.context["rows"]) == 16  # + the two schools of the users fixture


def test_console_matrix_colours_filters_and_counts(users, client_as, standard, school):
    north = make_schools(2, region=Region.NORTHERN_MOUNTAINS)
    mekong = make_schools(1, start=5, region=Region.MEKONG)
    full = assess(north[0], users["academy"], stage="recognised", level=1)
    full.answers.update(status=Answer.Status.MET)
    services.refresh_result(full)
    partial = assess(north[1], users["academy"])
    partial.answers.filter(indicator__criterion__number=2).update(status=Answer.Status.NOT_MET)
    client = client_as(users["reviewer"])
    context = client.get(reverse("compliance:console")).context
    rows = {row["school"].code: row for row in context["rows"]}
    assert set(rows) == {"SCHA", "SCHB", "P0", "P1", "P5"}  # provincial schools, the Academy left out
    assert [state for _n, _c, state in rows["P0"]["cells"]] == ["met"] * 6
    assert [state for _n, _c, state in rows["P1"]["cells"]][1] == "not_met"
    assert [state for _n, _c, state in rows["P1"]["cells"]][2] == "pending"
    assert [state for _n, _c, state in rows["P5"]["cells"]] == ["none"] * 6
    assert context["recognised"] == {1: 1, 2: 0}
    region = client.get(reverse("compliance:console"), {"region": Region.MEKONG}).context
    assert [row["school"] for row in region["rows"]] == mekong
    cluster = Cluster.objects.create(code="TDMN", name="Cụm Trung du miền núi phía Bắc")
    old_year = ClusterYear.objects.create(cluster=cluster, year=2024)
    ClusterMembership.objects.create(cluster_year=old_year, school=mekong[0])
    this_year = ClusterYear.objects.create(cluster=cluster, year=2025)
    for member in north:
        ClusterMembership.objects.create(cluster_year=this_year, school=member)
    by_cluster = client.get(reverse("compliance:console"), {"cluster": cluster.pk}).context
    assert [row["school"] for row in by_cluster["rows"]] == north  # the latest composition
    level = client.get(reverse("compliance:console"), {"level": "1"}).context
    assert [row["school"].code for row in level["rows"]] == ["P0"]
    response = client.get(reverse("compliance:console"), {"indicator": "1.1"})
    assert "so sánh chỉ tiêu" in response.content.decode().lower()


def test_console_exports_the_matrix(users, client_as, standard, school):
    assess(school, users["academy"], stage="recognised", level=1)
    response = client_as(users["reviewer"]).get(reverse("compliance:console"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "mã" and rows[0][-3] == "tiêu chí 6"
    assert rows[0][-2:] == ("số chỉ tiêu đã ban hành được đánh giá", "số chỉ tiêu của bộ tiêu chí")
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["SCHA"][-2:] == (40, 55)
    assert by_code["SCHA"][3] == "đã công nhận" and by_code["SCHA"][8] == 1
    assert by_code["SCHB"][3] == "chưa tự đánh giá"
