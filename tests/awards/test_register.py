"""The awards register: who confers what is data, the cluster proposes only what the Academy
confers, approved cluster awards enter the register, and a school's register lists the awards of
the schools it absorbed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards.models import Award, AwardKind, ConferringLevel
from awards.selectors import award_labels, awards_by_year
from emulation import services as emulation
from emulation.models import AwardProposal, ClusterYear, EmulationTitle
from schools.models import School

pytestmark = pytest.mark.django_db


def kind(code):
    return AwardKind.objects.get(code=code)


def register_url(school):
    return reverse("awards:register", kwargs={"school_code": school.code})


def voted(cy, school, **award):
    return AwardProposal.objects.create(
        cluster_year=cy, school=school, vote_method="acclamation", votes_for=3, votes_against=0, votes_total=3, **award)


def test_the_table_says_who_confers_what():
    assert kind("advanced_collective").level == ConferringLevel.SCHOOL_HEAD
    assert kind("emulation_fighter").level == ConferringLevel.SCHOOL_HEAD
    assert kind("advanced_worker").level == ConferringLevel.SCHOOL_HEAD
    assert kind("director_certificate").level == ConferringLevel.ACADEMY_DIRECTOR
    assert kind("pm_certificate").level == ConferringLevel.PRIME_MINISTER
    assert kind("labour_order_3").level == ConferringLevel.STATE_PRESIDENT
    assert not AwardKind.objects.filter(name__icontains="Giấy khen của Giám đốc").exists()


def test_the_academy_cannot_approve_a_title_the_schools_head_confers(cluster_year, school, em_users, client_as):
    ClusterYear.objects.filter(pk=cluster_year.pk).update(status=ClusterYear.Status.FINAL)
    proposal = voted(cluster_year, school, title=EmulationTitle.ADVANCED_COLLECTIVE)
    url = reverse("emulation:proposal_decide", kwargs={"cluster_code": "BTB", "year": 2024, "pk": proposal.pk})
    response = client_as(em_users["academy"]).post(url, {"approve": "yes", "decision_number": "1/QĐ-HVCTQG",
                                                         "decision_date": "10/01/2025"})
    assert response.status_code == 200
    assert "Hiệu trưởng" in response.content.decode() or "người đứng đầu" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == AwardProposal.Status.PROPOSED and not Award.objects.exists()
    with pytest.raises(ValidationError):  # the service refuses, whoever calls it
        emulation.award_decide(proposal=proposal, approve=True, number="1", date=datetime.date(2025, 1, 10),
                               user=em_users["academy"])
    with pytest.raises(ValidationError):  # and the cluster cannot propose it either
        emulation.award_propose(proposal=AwardProposal(cluster_year=cluster_year, school=school,
                                                       title=EmulationTitle.ADVANCED_WORKER))
    # The data decides: the day the table says the Academy confers it, it can be approved.
    AwardKind.objects.filter(code="advanced_collective").update(level=ConferringLevel.ACADEMY_DIRECTOR)
    emulation.award_decide(proposal=proposal, approve=True, number="1", date=datetime.date(2025, 1, 10),
                           user=em_users["academy"])


def test_proposal_form_offers_only_what_the_academy_confers(cluster_year, em_users, client_as):
    ClusterYear.objects.filter(pk=cluster_year.pk).update(status=ClusterYear.Status.FINAL)
    url = reverse("emulation:proposal_create", kwargs={"cluster_code": "BTB", "year": 2024})
    form = client_as(em_users["head"]).get(url).context["form"]
    titles = {v for v, _ in form.fields["title"].choices if v}
    forms_ = {v for v, _ in form.fields["commendation_form"].choices if v}
    assert titles == {EmulationTitle.ACADEMY_FLAG} and forms_ == {"director_certificate"}
    page = client_as(em_users["head"]).get(url).content.decode()
    assert "Lao động tiên tiến" not in page and "Giấy khen" not in page


def test_an_approved_cluster_award_enters_the_register(cluster_year, school, em_users, client_as):
    ClusterYear.objects.filter(pk=cluster_year.pk).update(status=ClusterYear.Status.FINAL)
    proposal = voted(cluster_year, school, title=EmulationTitle.ACADEMY_FLAG)
    url = reverse("emulation:proposal_decide", kwargs={"cluster_code": "BTB", "year": 2024, "pk": proposal.pk})
    response = client_as(em_users["academy"]).post(url, {"approve": "yes", "decision_number": "15-QĐ/HVCTQG",
                                                         "decision_date": "10/01/2025"})
    assert response.status_code == 302
    award = Award.objects.get(proposal=proposal)
    assert (award.school, award.kind.code, award.year, award.occasion) == (school, "academy_flag", 2024, "cluster")
    assert award.decision_date == datetime.date(2025, 1, 10)
    page = client_as(em_users["viewer"]).get(register_url(school)).content.decode()
    assert "Cờ thi đua của Học viện" in page and "15-QĐ/HVCTQG" in page
    # It is changed in the cluster, not in the register.
    edit = reverse("awards:award_update", kwargs={"school_code": school.code, "pk": award.pk})
    assert client_as(em_users["admin"]).get(edit).status_code == 404


def test_school_records_awards_from_outside_the_cluster(school, users, client_as, lecturer):
    admin = client_as(users["admin"])
    url = reverse("awards:award_create", kwargs={"school_code": school.code})
    response = admin.post(url, {"kind": kind("pm_certificate").pk, "year": 2023, "occasion": "state",
                                "authority": "Thủ tướng Chính phủ", "decision_number": "DEMO-1/QĐ-TTg",
                                "decision_date": "15/03/2024"})
    assert response.status_code == 302
    award = Award.objects.get()
    assert award.school == school and award.created_by == users["admin"]
    # A person's title needs a person; a decision cannot predate the year it rewards.
    response = admin.post(url, {"kind": kind("advanced_worker").pk, "year": 2023, "occasion": "school",
                                "decision_number": "2/QĐ", "decision_date": "15/03/2022"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "kind" in errors and "decision_date" in errors
    response = admin.post(url, {"kind": kind("advanced_worker").pk, "staff": lecturer.pk, "year": 2023,
                                "occasion": "school", "decision_number": "2/QĐ", "decision_date": "28/12/2023"})
    assert response.status_code == 302
    # Read-only members read; outsiders get 404, also for the records; read-only members cannot write.
    assert client_as(users["viewer"]).get(register_url(school)).status_code == 200
    assert client_as(users["viewer"]).post(url, {}).status_code == 403
    assert client_as(users["outsider"]).get(register_url(school)).status_code == 404
    edit = reverse("awards:award_update", kwargs={"school_code": school.code, "pk": award.pk})
    assert client_as(users["outsider"]).get(edit).status_code == 404
    delete = reverse("awards:award_delete", kwargs={"school_code": school.code, "pk": award.pk})
    assert admin.post(delete).status_code == 302 and Award.objects.count() == 1
    export = admin.get(register_url(school), {"export": "xlsx"})
    assert export.status_code == 200


def test_register_lists_the_awards_of_absorbed_schools_by_year(school, users, client_as,
                                                             django_assert_max_num_queries):
    absorbed = School.objects.create(code="OLD", name="Trường Chính trị tỉnh Cũ", merged_into=school,
                                     merged_on=datetime.date(2025, 7, 1), active=False)
    older = School.objects.create(code="OLDER", name="Trường Chính trị tỉnh Cũ hơn", merged_into=absorbed,
                                  merged_on=datetime.date(2008, 8, 1), active=False)
    for owner, code, year in ((school, "province_certificate", 2024), (absorbed, "director_certificate", 2023),
                              (older, "labour_order_3", 2005)):
        Award.objects.create(school=owner, kind=kind(code), year=year, occasion="national",
                             decision_number=f"{code}-{year}", decision_date=datetime.date(year + 1, 1, 8))
    groups = awards_by_year(school)
    assert [g["year"] for g in groups] == [2024, 2023, 2005]
    assert [a.absorbed for g in groups for a in g["awards"]] == [False, True, True]
    viewer = client_as(users["viewer"])
    with django_assert_max_num_queries(12):
        response = viewer.get(register_url(school))
    page = response.content.decode()
    assert "Trường Chính trị tỉnh Cũ" in page and "trường đã hợp nhất vào" in page
    # The absorbed school's own register shows its own awards only (and the older school's).
    assert [a.kind.code for g in awards_by_year(absorbed) for a in g["awards"]] == ["director_certificate",
                                                                                   "labour_order_3"]
    labels = award_labels([school], 2023)
    assert labels[school.pk] == ["Trường Chính trị tỉnh Cũ: Bằng khen của Giám đốc Học viện — "
                                 "director_certificate-2023 (08/01/2024)"]
