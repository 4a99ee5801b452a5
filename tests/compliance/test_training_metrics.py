"""Training metrics come from courses.selectors.training_summary; checked on a hand-counted set."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from compliance import metrics
from compliance.models import Answer
from compliance.services import refresh_computed
from courses.models import AnnualPlan, PlanLine
from tests.courses.helpers import enroll, make_class, make_learner, make_programme

pytestmark = pytest.mark.django_db
TRAINING = ["training.plan_classes_pct", "training.plan_learners_pct", "training.classes_opened",
            "training.learner_turns"]


@pytest.fixture
def training_set(school, other_school):
    """2025 plan: 4 classes, 10 learner-turns. Opened in 2025: K1 (3 learners), K2 (2 learners).

    K0 opened in 2024 (closed 2025) and another school's class opened in 2025 do not count.
    """
    programme = make_programme()
    plan = AnnualPlan.objects.create(school=school, year=2025)
    PlanLine.objects.create(plan=plan, programme=programme, planned_classes=4, planned_learners=10)
    k0 = make_class(school, programme, "K0", opening=datetime.date(2024, 9, 1), closing=datetime.date(2025, 2, 1))
    k1 = make_class(school, programme, "K1", opening=datetime.date(2025, 3, 1))
    k2 = make_class(school, programme, "K2", opening=datetime.date(2025, 9, 1))
    foreign = make_class(other_school, programme, "X1", opening=datetime.date(2025, 3, 1))
    for klass, count in ((k0, 1), (k1, 3), (k2, 2), (foreign, 1)):
        for index in range(count):
            enroll(klass, make_learner(f"Học viên {klass.code} {index}"))
    return programme


def values(school, year=2025):
    return {name: result.value for name, result in metrics.evaluate(school, year, TRAINING).items()}


def test_training_metrics_equal_hand_counted_values(school, training_set):
    assert values(school) == {
        "training.plan_classes_pct": Decimal("50.0"), "training.plan_learners_pct": Decimal("50.0"),
        "training.classes_opened": 2, "training.learner_turns": 5,
    }


def test_without_a_plan_fulfilment_is_unknown(school, training_set):
    assert values(school, 2024)["training.plan_classes_pct"] is None
    assert values(school, 2024)["training.classes_opened"] == 1


def test_a_new_class_changes_the_training_metrics(school, training_set):
    k3 = make_class(school, training_set, "K3", opening=datetime.date(2025, 11, 1))
    enroll(k3, make_learner("Học viên mới"))
    assert values(school) == {
        "training.plan_classes_pct": Decimal("75.0"), "training.plan_learners_pct": Decimal("60.0"),
        "training.classes_opened": 3, "training.learner_turns": 6,
    }


def test_training_evidence_lists_the_counted_classes_and_enrollments(users, client_as, school, training_set):
    client = client_as(users["reviewer"])
    page = reverse("compliance:metric_evidence", kwargs={"school_code": school.code, "metric": "training.classes_opened"})
    response = client.get(page, {"year": 2025})
    assert [row[0] for row in response.context["rows"]] == ["K1", "K2"]
    page = reverse("compliance:metric_evidence", kwargs={"school_code": school.code, "metric": "training.learner_turns"})
    rows = client.get(page, {"year": 2025}).context["rows"]
    assert len(rows) == 5 and {row[1] for row in rows} == {"K1", "K2"}


def test_joint_classes_are_neither_counted_nor_listed_as_evidence(users, client_as, school, academy, training_set):
    """A class run jointly with an academy is counted apart: not in the figures, not in their lists."""
    joint = make_class(school, training_set, "J1", opening=datetime.date(2025, 4, 1), partner=academy,
                       taught_by="partner", diploma_by="partner")
    enroll(joint, make_learner("Học viên liên kết"))
    assert values(school)["training.classes_opened"] == 2 and values(school)["training.learner_turns"] == 5
    client = client_as(users["reviewer"])
    page = reverse("compliance:metric_evidence", kwargs={"school_code": school.code, "metric": "training.classes_opened"})
    assert [row[0] for row in client.get(page, {"year": 2025}).context["rows"]] == ["K1", "K2"]
    page = reverse("compliance:metric_evidence", kwargs={"school_code": school.code, "metric": "training.learner_turns"})
    assert len(client.get(page, {"year": 2025}).context["rows"]) == 5


def test_assessment_prefills_training_indicators(assessment, school, training_set):
    refresh_computed(assessment=assessment)
    answers = {a.indicator.code: a for a in assessment.answers.select_related("indicator").filter(
        indicator__code__in=["3.1", "3.2", "3.3"])}
    assert (answers["3.1"].value, answers["3.2"].value, answers["3.3"].value) == (50, 2, 5)
    assert answers["3.1"].status == Answer.Status.PENDING  # no published threshold yet
    assert "training.plan_classes_pct" in answers["3.1"].evidence_url
