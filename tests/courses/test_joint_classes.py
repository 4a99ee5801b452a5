"""Joint classes (liên kết): a class run with an academy records the partner, who teaches and who
issues the diploma; it is counted apart in the school's figures and in the Academy's figures of the
partner."""

import datetime

import pytest
from django.urls import reverse

from courses.models import TrainingClass
from courses.selectors import partner_joint_figures, training_summary
from schools.models import School
from tests.courses.helpers import enroll, make_class, make_learner, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def regional(db):
    return School.objects.create(code="HVKV3", name="Học viện Chính trị khu vực III", kind=School.Kind.MEMBER_ACADEMY)


def form_data(programme, **extra):
    return {"code": "CC74B", "name": "Cao cấp lý luận chính trị K74B", "programme": programme.pk, "mode": "in_service",
            "opening_date": "15/03/2025", "status": "in_progress", **extra}


def test_a_joint_class_records_its_partner_and_is_counted_apart(users, client_as, school, other_school, regional):
    advanced = make_programme("CC-LLCT", name="Cao cấp lý luận chính trị", kind="advanced")
    intermediate = make_programme()
    admin = client_as(users["admin"])
    create = reverse("courses:class_create", kwargs={"school_code": school.code})
    # A joint class needs who teaches and who issues the diploma; a provincial school is no partner.
    response = admin.post(create, form_data(advanced, partner=regional.pk))
    errors = response.context["form"].errors
    assert response.status_code == 200 and {"taught_by", "diploma_by"} <= set(errors)
    response = admin.post(create, form_data(advanced, partner=other_school.pk, taught_by="partner", diploma_by="partner"))
    assert response.status_code == 200 and "partner" in response.context["form"].errors
    response = admin.post(create, form_data(advanced, taught_by="partner"))
    assert response.status_code == 200 and "partner" in response.context["form"].errors
    response = admin.post(create, form_data(advanced, partner=regional.pk, taught_by="both", diploma_by="partner"))
    assert response.status_code == 302
    joint = TrainingClass.objects.get(code="CC74B")
    assert joint.partner == regional and joint.is_joint and joint.diploma_by == "partner"
    for _ in range(3):
        enroll(joint, make_learner())
    own = make_class(school, intermediate, code="K52A", opening=datetime.date(2025, 4, 1))
    for _ in range(2):
        enroll(own, make_learner())
    # The school's figures: its own class and its learners; the joint one apart.
    summary = training_summary(school, 2025)
    assert (summary["classes_opened"], summary["learner_turns"]) == (1, 2)
    apart = summary["joint"]
    assert (apart["classes_opened"], apart["classes_closed"], apart["learner_turns"], apart["graduated"]) == (1, 0, 3, 0)
    assert [(line["programme"], line["learner_turns"]) for line in apart["by_programme"]] == [(advanced, 3)]
    assert [line["programme"] for line in summary["by_programme"]] == [intermediate]
    # The Academy's figures of the partner count it, per school.
    other_joint = make_class(other_school, advanced, code="CC75", opening=datetime.date(2025, 9, 1), partner=regional,
                             taught_by="partner", diploma_by="partner")
    enroll(other_joint, make_learner())
    figures = partner_joint_figures(regional, 2025)
    assert (figures["classes_opened"], figures["learner_turns"], figures["taught_by_partner"],
            figures["diploma_by_partner"]) == (2, 4, 2, 2)
    assert [(r["school"], r["classes_opened"]) for r in figures["by_school"]] == [(school, 1), (other_school, 1)]
    assert partner_joint_figures(regional, 2024)["classes_opened"] == 0
    # Pages: the class says it is joint; the list filters joint classes; the Academy's page shows the partner.
    detail = client_as(users["viewer"]).get(joint.get_absolute_url()).content.decode()
    assert "Học viện Chính trị khu vực III" in detail and "đơn vị cấp bằng" in detail.lower()
    listing = client_as(users["viewer"]).get(reverse("courses:class_list", kwargs={"school_code": school.code}),
                                            {"joint": "yes"})
    assert [c.code for c in listing.context["object_list"]] == ["CC74B"]
    page = reverse("courses:joint_classes")
    response = client_as(users["reviewer"]).get(page, {"partner": "HVKV3", "year": 2025})
    assert response.status_code == 200 and response.context["figures"]["classes_opened"] == 2
    assert "CC75" in response.content.decode()
    assert client_as(users["reviewer"]).get(page, {"partner": "HVKV3", "year": 2025, "export": "xlsx"}).status_code == 200
    assert client_as(users["admin"]).get(page).status_code == 404  # Academy only
