from decimal import Decimal

import pytest
from django.urls import reverse

from compliance import metrics
from compliance.models import Answer
from compliance.services import refresh_computed
from schools.models import Staff

pytestmark = pytest.mark.django_db


def values(school):
    return {name: result.value for name, result in metrics.evaluate(school, 2025).items() if name.startswith("staff.")}


def test_staff_metrics_equal_hand_counted_values(school, other_school, staff_set, other_lecturer):
    assert values(school) == {
        "staff.lecturer_share": Decimal("80.00"),
        "staff.masters_share": Decimal("75.00"),
        "staff.doctors_share": Decimal("25.00"),
        "staff.principal_share": Decimal("37.50"),
        "staff.classics_share": Decimal("50.00"),
        "staff.advanced_theory_share": Decimal("62.50"),
    }
    # The other school's only person is a lecturer: its figures are its own.
    assert values(other_school)["staff.lecturer_share"] == Decimal("100.00")


def test_metrics_without_staff_are_unknown_not_zero(school):
    assert set(values(school).values()) == {None}


def test_changing_a_record_changes_the_metric(school, staff_set):
    Staff.objects.filter(pk=staff_set[7].pk).update(degree="master")
    assert values(school)["staff.masters_share"] == Decimal("87.50")
    Staff.objects.filter(pk=staff_set[9].pk).update(active=False)
    assert values(school)["staff.lecturer_share"] == Decimal("88.89")


def test_evaluating_the_staff_metrics_costs_one_query(school, staff_set, django_assert_num_queries):
    staff = [name for name in metrics.REGISTRY if name.startswith("staff.")]
    with django_assert_num_queries(1):
        metrics.evaluate(school, 2025, staff)


def test_evaluating_every_metric_costs_a_fixed_number_of_queries(school, staff_set, django_assert_max_num_queries):
    # staff 1 + courses' training_summary 6 + research_summary 13 (with co-organised events) + the
    # structure check 4, however many records there are
    with django_assert_max_num_queries(24):
        metrics.evaluate(school, 2025)


def test_assessment_prefills_computed_values_and_refresh_follows_records(assessment, school, staff_set):
    answer = Answer.objects.get(assessment=assessment, indicator__metric="staff.lecturer_share")
    assert answer.value is None and answer.status == Answer.Status.PENDING  # opened before the staff existed
    refresh_computed(assessment=assessment)
    answer.refresh_from_db()
    assert answer.value == Decimal("80.00")
    assert answer.status == Answer.Status.EXCEEDED  # 80 % > the 75 % level-1 value
    assert answer.evidence_url == reverse(
        "compliance:metric_evidence", kwargs={"school_code": school.code, "metric": "staff.lecturer_share"}
    ) + "?year=2025"
    Staff.objects.filter(is_lecturer=True, category="full_time", degree="bachelor").update(is_lecturer=False)
    Staff.objects.filter(full_name="Cán bộ 4").update(is_lecturer=False)
    refresh_computed(assessment=assessment)
    answer.refresh_from_db()
    assert answer.value == Decimal("50.00") and answer.status == Answer.Status.NOT_MET


def test_living_evidence_lists_exactly_the_counted_records(users, client_as, school, staff_set, other_lecturer):
    url = reverse("compliance:metric_evidence", kwargs={"school_code": school.code, "metric": "staff.masters_share"})
    response = client_as(users["reviewer"]).get(url, {"year": 2025})
    assert response.status_code == 200
    names = sorted(row[0] for row in response.context["rows"])
    assert names == ["Cán bộ 0", "Cán bộ 1", "Cán bộ 2", "Cán bộ 3", "Cán bộ 4", "Cán bộ 5"]
    assert response.context["value"] == Decimal("75.00")
    assert "Trần Thị Khác" not in response.content.decode()
    bad = reverse("compliance:metric_evidence", kwargs={"school_code": school.code, "metric": "nope"})
    assert client_as(users["reviewer"]).get(bad).status_code == 404
