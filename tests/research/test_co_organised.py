"""Co-organised events: the host and its co-organisers with their role (chủ trì / phối hợp); the
event appears in each co-organiser's list and summary with its role, counts for its indicator 4.3,
and only the host edits it."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from compliance import metrics
from research.models import Event, EventCoOrganiser
from research.selectors import research_summary
from schools.models import School
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def url(name, school, **kwargs):
    return reverse(f"research:{name}", kwargs={"school_code": school.code, **kwargs})


@pytest.fixture
def academy_host(db):
    return School.objects.create(code="HVKV3", name="Học viện Chính trị khu vực III", kind=School.Kind.MEMBER_ACADEMY)


def test_a_co_organised_event_counts_for_the_co_organisers_indicator_4_3(users, client_as, school, other_school,
                                                                         academy_host):
    # School B hosts a ministry-level workshop; school A co-organises it (phối hợp), the regional academy co-hosts.
    host_admin = users["outsider"]  # B's administrator
    response = client_as(host_admin).post(url("event_create", other_school), {
        "kind": "workshop", "level": "ministry", "title": "Trung tâm chính trị cấp xã", "field": "other",
        "held_on": "08/10/2025", "co_schools": [school.pk, academy_host.pk], "co_hosts": [academy_host.pk],
        "papers": "52"})
    assert response.status_code == 302, response.context["form"].errors
    event = Event.objects.get()
    assert event.school == other_school
    roles = dict(EventCoOrganiser.objects.filter(event=event).values_list("school__code", "role"))
    assert roles == {school.code: "partner", academy_host.code: "host"}
    # Indicator 4.3 of the co-organiser (chủ trì hoặc phối hợp) counts it; the year before does not.
    assert metrics.evaluate(school, 2025, ["research.provincial_events"])["research.provincial_events"].value == 1
    assert metrics.evaluate(school, 2024, ["research.provincial_events"])["research.provincial_events"].value == 0
    assert list(metrics.events_provincial(school, 2025)) == [event]
    summary = research_summary(school, 2025)
    assert summary["events_by_level"]["ministry"] == 1 and summary["events_co_organised"] == 1
    assert summary["papers"] == 0  # the papers are the host's
    assert research_summary(other_school, 2025)["events_total"] == 1
    # A's list shows it with its role; A reads it under its own address, without edit buttons.
    viewer = client_as(users["viewer"])
    listing = viewer.get(url("event_list", school))
    assert [e.title for e in listing.context["object_list"]] == ["Trung tâm chính trị cấp xã"]
    assert "phối hợp" in listing.content.decode()
    detail = viewer.get(url("event_detail", school, pk=event.pk))
    assert detail.status_code == 200 and url("event_update", other_school, pk=event.pk) not in detail.content.decode()
    assert "chỉ trường chủ trì được sửa" in detail.content.decode()
    summary_page = viewer.get(url("summary", school), {"year": 2025}).content.decode()
    assert "phối hợp, đồng chủ trì" in summary_page
    # Only the host edits it: A's administrator gets 404 for the edit and delete pages.
    admin = client_as(users["admin"])
    assert admin.get(url("event_update", school, pk=event.pk)).status_code == 404
    assert admin.post(url("event_delete", school, pk=event.pk)).status_code == 404
    assert Event.objects.filter(pk=event.pk).exists()
    # A school that is neither host nor co-organiser gets 404.
    third = School.objects.create(code="SCHC", name="Trường Chính trị tỉnh C")
    outsider = client_as(make_user("admin_c", Role.SCHOOL_ADMIN, third))
    assert outsider.get(url("event_detail", third, pk=event.pk)).status_code == 404
    assert outsider.get(url("event_detail", school, pk=event.pk)).status_code == 404
    # The host changes the roles: A becomes co-host (đồng chủ trì).
    response = client_as(host_admin).post(url("event_update", other_school, pk=event.pk), {
        "kind": "workshop", "level": "ministry", "title": "Trung tâm chính trị cấp xã", "field": "other",
        "held_on": "08/10/2025", "co_schools": [school.pk], "co_hosts": [school.pk], "papers": "52"})
    assert response.status_code == 302
    assert list(EventCoOrganiser.objects.filter(event=event).values_list("school__code", "role")) == [
        (school.code, "host")]
    assert "đồng chủ trì" in viewer.get(url("event_list", school)).content.decode()
    # A co-host must be a co-organiser.
    response = client_as(host_admin).post(url("event_update", other_school, pk=event.pk), {
        "kind": "workshop", "level": "ministry", "title": "X", "field": "other", "held_on": "08/10/2025",
        "co_schools": [], "co_hosts": [school.pk], "papers": "0"})
    assert response.status_code == 200 and "co_hosts" in response.context["form"].errors


def test_event_list_of_hosted_and_co_organised_events_has_a_fixed_number_of_queries(
        users, client_as, school, other_school, django_assert_max_num_queries):
    for i in range(6):
        event = Event.objects.create(school=other_school, kind="roundtable", level="provincial", title=f"Tọa đàm {i}",
                                     held_on=datetime.date(2025, 3, 1 + i), papers=Decimal(3))
        event.co_schools.add(school)
        Event.objects.create(school=school, kind="workshop", level="school", title=f"Hội thảo {i}",
                             held_on=datetime.date(2025, 4, 1 + i))
    viewer = client_as(users["viewer"])
    with django_assert_max_num_queries(14):
        response = viewer.get(url("event_list", school))
    assert len(response.context["object_list"]) == 12


def test_demo_academy_workshop_counts_for_nghean_and_its_joint_class_counts_apart(client_as):
    from django.core.management import call_command

    from accounts.models import User
    from courses.selectors import partner_joint_figures, training_summary

    call_command("seed_demo")
    nghean, regional = School.objects.get(code="NGHEAN"), School.objects.get(code="HVKV3")
    hosted_by_academy = Event.objects.get(school__code="HVCTQG", level="ministry")
    assert hosted_by_academy in metrics.events_provincial(nghean, 2023)
    listing = client_as(User.objects.get(username="nghean")).get(url("event_list", nghean), {"year": 2023})
    assert hosted_by_academy in listing.context["object_list"]
    roundtable = Event.objects.get(school=nghean, held_on=datetime.date(2022, 11, 8))
    assert roundtable.co_organisers.count() == 6
    assert partner_joint_figures(regional, 2023)["classes_opened"] == 1
    assert training_summary(nghean, 2023)["joint"]["classes_opened"] == 1
