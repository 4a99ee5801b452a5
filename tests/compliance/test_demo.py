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
    # No indicator of 11-QĐ/TW has been issued with its text, threshold and document yet: the demo
    # answers count for nothing and every figure says on how many issued indicators it stands.
    assert not Indicator.objects.filter(provisional=False).exists()
    assert by_code["CAOBANG"]["level_recognised"] == 1
    assert (by_code["CAOBANG"]["indicators_total"], by_code["CAOBANG"]["indicators_in_standard"]) == (0, 55)
    assert by_code["THAINGUYEN"]["met"] == 0 and by_code["THAINGUYEN"]["not_met"] == 0
    assert by_code["NGHEAN"]["level_recognised"] == 1 and by_code["NGHEAN"]["stage_code"] == "draft"
    recognised = Assessment.objects.get(school__code="CAOBANG")
    assert list(recognised.events.values_list("action", flat=True)) == [
        "opened", "submitted", "surveyed", "council_voted", "recognised"]
    counts = (Assessment.objects.count(), AssessmentEvent.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Assessment.objects.count(), AssessmentEvent.objects.count()) == counts
    response = client_as(User.objects.get(username="reviewer")).get(reverse("compliance:console"))
    assert response.status_code == 200 and response.context["recognised"][1] == 6
    assert "0/55" in response.content.decode()
    quang_tri = Assessment.objects.get(school__code="QUANGTRI")  # Lê Duẩn, recognised at level 1 on 05/12/2025
    assert (quang_tri.stage, quang_tri.level_recognised, str(quang_tri.decision_date)) == ("recognised", 1, "2025-12-05")
    assert "DEMO" in quang_tri.decision_number
