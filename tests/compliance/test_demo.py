import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from compliance.models import Assessment, AssessmentEvent, Indicator
from compliance.selectors import compliance_statuses
from schools.models import School

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_a_national_picture_and_is_idempotent(client_as):
    call_command("seed_demo", verbosity=0)
    stages = set(Assessment.objects.values_list("stage", flat=True))
    assert {"draft", "submitted", "evidence_requested", "surveyed", "not_approved", "recognised"} <= stages
    assert Indicator.objects.count() == 55
    statuses = compliance_statuses(School.objects.filter(code__in=["CAOBANG", "THAINGUYEN", "PHUTHO", "NGHEAN"]))
    by_code = {School.objects.get(pk=pk).code: s for pk, s in statuses.items()}
    assert by_code["CAOBANG"]["met"] == 55 and by_code["CAOBANG"]["exceeded"] == 8
    assert by_code["CAOBANG"]["level_recognised"] == 1
    assert by_code["THAINGUYEN"]["met"] == 47 and by_code["THAINGUYEN"]["not_met"] == 8
    assert (by_code["PHUTHO"]["met"], by_code["PHUTHO"]["exceeded"], by_code["PHUTHO"]["pending"]) == (54, 12, 1)
    assert by_code["NGHEAN"]["level_recognised"] == 1 and by_code["NGHEAN"]["stage_code"] == "draft"
    recognised = Assessment.objects.get(school__code="CAOBANG")
    assert list(recognised.events.values_list("action", flat=True)) == [
        "opened", "submitted", "surveyed", "council_voted", "recognised"]
    counts = (Assessment.objects.count(), AssessmentEvent.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Assessment.objects.count(), AssessmentEvent.objects.count()) == counts
    response = client_as(User.objects.get(username="reviewer")).get(reverse("compliance:console"))
    assert response.status_code == 200 and response.context["recognised"][1] == 5
    assert Assessment.objects.get(school__code="QUANGTRI").stage == "surveyed"  # its demo staff: 66.67 % lecturers
