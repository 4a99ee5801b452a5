"""seed_demo gives the demo schools plausible research records, idempotently."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from research.models import Event, FieldTrip, Publication, Topic, TopicTransition
from research.selectors import research_summary
from schools.models import School

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Topic, TopicTransition, Event, Publication, FieldTrip)]


def test_seed_demo_adds_research_for_both_schools_and_years_idempotently(client):
    call_command("seed_demo", stdout=None)
    first = counts()
    call_command("seed_demo", stdout=None)
    assert counts() == first
    for code in ("NGHEAN", "HATINH"):
        school = School.objects.get(code=code)
        for year in (2024, 2025):
            summary = research_summary(school, year)
            assert summary["topics_total"] > 0 and summary["events_total"] > 0
            assert summary["publications"]["bulletin"] == 4 and summary["articles"] > 0
            assert summary["field_trip_days"] > 0
        statuses = set(Topic.objects.for_school(school).values_list("status", flat=True))
        assert {"accepted", "in_progress"} <= statuses
        # every topic's history starts with its registration, by the school's administrator
        first_steps = TopicTransition.objects.for_school(school).filter(action="register")
        assert first_steps.count() == Topic.objects.for_school(school).count()
        assert set(first_steps.values_list("created_by__school__code", flat=True)) == {code}
    client.force_login(User.objects.get(username="nghean"))
    page = client.get(reverse("research:summary", kwargs={"school_code": "NGHEAN"}), {"year": 2024})
    assert page.status_code == 200 and "Đề tài theo cấp" in page.content.decode()
