"""The Reports page's form starts on a kind and a scope that fit each other, and offers again the
choice last sent (issue 16: "Báo cáo năm của trường" + "Toàn quốc" answered 400)."""

import re

import pytest
from django.urls import reverse

from reports.models import ReportJob

pytestmark = pytest.mark.django_db
LIST_URL = reverse("reports:job_list")


def _selected(html, name):
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    match = re.search(r'<option value="([^"]*)"[^>]*selected', select)
    return match.group(1) if match else None


@pytest.mark.parametrize(("role", "kind", "target"), [
    ("academy", "national", "national"),
    ("reviewer", "national", "national"),
    ("admin", "school", "school:SCHA"),
    ("viewer", "school", "school:SCHA"),
])
def test_the_default_pair_is_valid_and_can_be_sent_as_is(users, client_as, school, other_school, role, kind, target):
    client = client_as(users[role])
    html = client.get(LIST_URL).content.decode()
    assert (_selected(html, "kind"), _selected(html, "target")) == (kind, target)
    response = client.post(LIST_URL, {"kind": kind, "target": target, "year": _selected(html, "year")})
    assert response.status_code == 302
    assert ReportJob.objects.filter(kind=kind, requested_by=users[role]).exists()


def test_the_form_remembers_the_last_request(users, client_as, school, other_school):
    client = client_as(users["academy"])
    response = client.post(LIST_URL, {"kind": "learners", "target": "school:SCHB", "year": 2024,
                                      "first_year": 2022})
    assert response.status_code == 302
    html = client.get(LIST_URL).content.decode()
    assert (_selected(html, "kind"), _selected(html, "target"), _selected(html, "year"),
            _selected(html, "first_year")) == ("learners", "school:SCHB", "2024", "2022")


def test_a_refused_request_keeps_what_was_chosen(users, client_as, school):
    client = client_as(users["academy"])
    response = client.post(LIST_URL, {"kind": "school", "target": "national", "year": 2025})
    assert response.status_code == 400
    html = response.content.decode()
    assert (_selected(html, "kind"), _selected(html, "target")) == ("school", "national")


def test_a_remembered_target_no_longer_offered_falls_back_to_the_default(users, client_as, school):
    client = client_as(users["admin"])
    session = client.session
    session["reports_last_request"] = {"kind": "national", "target": "national", "year": 2025}
    session.save()
    html = client.get(LIST_URL).content.decode()
    assert (_selected(html, "kind"), _selected(html, "target")) == ("school", "school:SCHA")
