"""Issue 14 item 2: the Hà Nội district centre of the demo data and its 2019 plan page."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role
from courses.models import AnnualPlan, Learner
from schools.models import School
from schools.selectors import schools_in_year
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_plan_page_of_the_district_centre_shows_its_2019_fulfilment(client_as):
    call_command("seed_demo", stdout=io.StringIO())
    centre = School.objects.get(code="TTCT-CAUGIAY")
    hanoi = School.objects.get(code="HANOI")
    assert centre.kind == School.Kind.DISTRICT_CENTRE and centre.guided_by == hanoi
    assert centre.dissolved_on == datetime.date(2025, 7, 1) and centre.active is False
    assert centre in schools_in_year(2019) and centre not in schools_in_year(2026)
    plan = AnnualPlan.objects.get(school=centre, year=2019)
    client = client_as(make_user("vu", Role.ACADEMY_REVIEWER, School.objects.get(code="HVCTQG")))
    response = client.get(reverse("courses:plan_detail", kwargs={"school_code": centre.code, "pk": plan.pk}))
    summary = response.context["summary"]
    assert (summary["classes_opened"], summary["learner_turns"]) == (63, 16837)
    assert str(summary["fulfilment_learners_pct"]) == "117.0"
    page = response.content.decode()
    assert "16.837" in page and "117,0" in page
    # Its records stay readable under its own name; the city's school lists it among its centres.
    assert centre.name in client.get(centre.get_absolute_url()).content.decode()
    assert centre.name in client.get(hanoi.get_absolute_url()).content.decode()
    assert Learner.objects.filter(workplace_level=Learner.WorkplaceLevel.DISTRICT).exists()
