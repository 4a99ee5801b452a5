"""Issue 14 item 1: the emulation choice lists offer the schools of the year they are about."""

import datetime

import pytest
from django.urls import reverse

from emulation import services
from emulation.models import Cluster, ClusterYear
from schools.models import School, Staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def north_central(db):
    successor = School.objects.create(code="QUANGTRI", name="Trường Chính trị Lê Duẩn tỉnh Quảng Trị")
    quang_binh = School.objects.create(code="QUANGBINH", name="Trường Chính trị tỉnh Quảng Bình",
                                       merged_into=successor, merged_on=datetime.date(2025, 7, 1))
    head = School.objects.create(code="NGHEAN", name="Trường Chính trị tỉnh Nghệ An")
    cluster = Cluster.objects.create(code="BTB", name="Cụm thi đua Bắc Trung Bộ")
    cy = services.cluster_year_save(cluster_year=ClusterYear(cluster=cluster, year=2022, head=head),
                                    members=[head, quang_binh, successor], deputies=[])
    return cy, head, quang_binh, successor


def year_url(cy, name):
    return reverse(f"emulation:{name}", kwargs={"cluster_code": cy.cluster.code, "year": cy.year})


def test_a_2023_form_offers_quang_binh(north_central, users, client_as):
    cy, head, quang_binh, successor = north_central
    quang_binh.refresh_from_db()
    assert quang_binh.active is False  # inactive today …
    client = client_as(users["academy"])
    form = client.get(year_url(cy, "meeting")).context["form"]
    assert quang_binh in form.fields["next_deputies"].queryset  # … but a school of 2023
    response = client.post(year_url(cy, "meeting"), {
        "held_on": "25/11/2022", "place": "Nghệ An", "next_head": successor.pk, "next_deputies": [quang_binh.pk]})
    assert response.status_code == 302, response.context["form"].errors
    upcoming = ClusterYear.objects.get(cluster=cy.cluster, year=2023)
    assert list(upcoming.deputies.all()) == [quang_binh]
    # The 2023 cluster year's own edit form offers Quảng Bình as a member and deputy too.
    form = client.get(year_url(upcoming, "year_update")).context["form"]
    assert quang_binh in form.fields["deputies"].queryset and quang_binh in form.fields["member_schools"].queryset


def test_a_2026_cluster_year_refuses_a_school_merged_away(north_central, users, client_as):
    cy, head, quang_binh, successor = north_central
    client = client_as(users["academy"])
    url = reverse("emulation:year_create", kwargs={"cluster_code": cy.cluster.code})
    response = client.post(url, {"year": 2026, "member_schools": [head.pk, quang_binh.pk], "head": head.pk,
                                 "flag_quota": 1})
    assert response.status_code == 200
    assert "không tồn tại trong năm 2026" in response.content.decode()
    assert not ClusterYear.objects.filter(year=2026).exists()
    response = client.post(url, {"year": 2024, "member_schools": [head.pk, quang_binh.pk], "head": head.pk,
                                 "flag_quota": 1})
    assert response.status_code == 302
    form = client.get(year_url(ClusterYear.objects.get(year=2024), "year_update")).context["form"]
    assert quang_binh in form.fields["member_schools"].queryset
    cy2026 = services.cluster_year_save(cluster_year=ClusterYear(cluster=cy.cluster, year=2026), members=[head],
                                        deputies=[])
    form = client.get(year_url(cy2026, "year_update")).context["form"]
    assert quang_binh not in form.fields["member_schools"].queryset


def test_award_proposal_offers_the_people_of_that_year(north_central, users, client_as):
    cy, head, quang_binh, successor = north_central
    left = Staff.objects.create(school=head, full_name="Trần Văn Chuyển", left_on=datetime.date(2023, 2, 1))
    later = Staff.objects.create(school=head, full_name="Lê Thị Mới", joined_on=datetime.date(2024, 1, 2))
    form = client_as(users["academy"]).get(year_url(cy, "proposal_create")).context["form"]
    assert left in form.fields["staff"].queryset and later not in form.fields["staff"].queryset
