"""The two home pages show the year's figures of the report selectors (reports/figures.py), with
accessible SVG charts, a year picker and a bounded number of queries."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from courses.models import AnnualPlan, Classification, Enrollment, PlanLine
from reports import figures
from reports.models import Scope
from reports.selectors import resolve_scope
from schools.models import School
from tests.courses.helpers import enroll, make_class, make_programme

THIS_YEAR = timezone.localdate().year
LAST_YEAR = THIS_YEAR - 1


def login(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def training(school, other_school):
    """School A this year: a plan of 2 classes / 40 learners; 1 class opened with 3 learners; a class
    closed this year with 2 graduates (good, average). Last year: another class of 1 learner."""
    programme = make_programme()
    plan = AnnualPlan.objects.create(school=school, year=THIS_YEAR)
    PlanLine.objects.create(plan=plan, programme=programme, planned_classes=2, planned_learners=40)
    opened = make_class(school, programme, "K1", opening=datetime.date(THIS_YEAR, 1, 5))
    for _ in range(3):
        enroll(opened)
    closed = make_class(school, programme, "K0", opening=datetime.date(LAST_YEAR, 3, 1),
                        closing=datetime.date(THIS_YEAR, 1, 2))
    enroll(closed, status=Enrollment.Status.GRADUATED, classification=Classification.GOOD)
    enroll(closed, status=Enrollment.Status.GRADUATED, classification=Classification.AVERAGE)
    make_class(other_school, programme, "B1", opening=datetime.date(THIS_YEAR, 2, 1))
    return programme


def _figure(html, key):
    match = re.search(rf'data-figure="{key}">([^<]*)<', html)
    assert match, key
    return match.group(1).strip()


def test_school_home_shows_the_report_figures_of_the_year(users, school, training, django_assert_max_num_queries):
    client = login(users["admin"])
    with django_assert_max_num_queries(45):
        response = client.get(f"/s/{school.code}/")
    assert response.status_code == 200
    expected = {section.key: section.fetch([school], THIS_YEAR)[school.pk] for section in figures.sections()}
    home = response.context["home"]
    assert home["year"] == THIS_YEAR
    for key in ("classes_opened", "classes_closed", "learner_turns", "planned_learners", "graduated",
                "fulfilment_learners_pct"):
        assert home["training"][key] == expected["training"][key]
    html = response.content.decode()
    assert _figure(html, "classes_opened") == "1"
    assert _figure(html, "learner_turns") == "3"
    assert _figure(html, "graduated") == "2"
    assert _figure(html, "fulfilment_learners_pct") == "7,5%"  # 3 of 40
    assert expected["training"]["fulfilment_learners_pct"] == 7.5
    assert _figure(html, "staff_total") == str(expected["staff"]["total"])


def test_school_home_for_an_earlier_year(users, school, training):
    response = login(users["admin"]).get(f"/s/{school.code}/?year={LAST_YEAR}")
    home = response.context["home"]
    assert home["year"] == LAST_YEAR
    assert home["training"]["classes_opened"] == 1  # K0
    assert home["training"]["learner_turns"] == 2
    assert home["has_plan"] is False
    assert "selected>" + str(LAST_YEAR) in response.content.decode().replace(f' value="{LAST_YEAR}"', "")


def test_an_unknown_year_falls_back_to_the_current_one(users, school, training):
    response = login(users["admin"]).get(f"/s/{school.code}/?year=1800")
    assert response.context["home"]["year"] == THIS_YEAR


def test_school_home_charts_are_accessible_svg_with_a_table(users, school, training):
    html = login(users["viewer"]).get(f"/s/{school.code}/").content.decode()
    charts = re.findall(r'<svg class="home-chart"[^>]*role="img"[^>]*aria-labelledby="([^"]+)"', html)
    assert len(charts) == 3
    for chart_id in charts:
        assert f'<title id="{chart_id}">' in html
    assert html.count('<table class="table table-sm figure-table') >= 3
    # the programme's bars: 3 learner-turns against 40 planned
    assert re.search(r"<td class=\"text-end\">3</td><td class=\"text-end\">40</td>", html)
    assert "style=" not in html and "<script>" not in html


def test_school_home_for_the_academy_has_no_school_inbox(users, school, training):
    response = login(users["academy"]).get(f"/s/{school.code}/")
    assert response.status_code == 200
    assert response.context["inbox"] == []


def test_national_home_shows_the_national_report_figures(users, school, other_school, training,
                                                         django_assert_max_num_queries):
    client = login(users["academy"])
    with django_assert_max_num_queries(45):
        response = client.get("/academy/")
    assert response.status_code == 200
    schools = resolve_scope(scope=Scope.NATIONAL, year=THIS_YEAR).schools
    expected = figures.totals(figures.TRAINING, list(figures.TRAINING.fetch(schools, THIS_YEAR).values()))
    home = response.context["home"]
    assert home["totals"]["training"] == expected
    html = response.content.decode()
    assert _figure(html, "classes_opened") == "2"  # K1 + B1
    assert _figure(html, "learner_turns") == "3"
    assert _figure(html, "graduated") == "2"
    assert home["school_count"] == len(schools)
    assert [row["school"] for row in home["behind"]] == [school]  # the only school with a plan
    assert home["ranking"][0]["school"] == school


def test_national_home_query_count_does_not_grow_with_schools(users, training, django_assert_max_num_queries):
    client = login(users["reviewer"])
    client.get("/academy/")
    for n in range(15):
        School.objects.create(code=f"X{n}", name=f"Trường Chính trị tỉnh X{n}", region="mekong")
    with django_assert_max_num_queries(45):
        assert client.get("/academy/").status_code == 200


def test_national_home_explains_its_school_count(users, school, other_school, training):
    other_school.active = False
    other_school.save()
    html = login(users["academy"]).get("/academy/").content.decode()
    note = re.search(r"<p class=\"small text-muted\" data-school-count>([^<]+)</p>", html).group(1)
    assert "cho 2 trường của báo cáo tổng hợp toàn quốc" in note
    assert "gồm 1 trường đang hoạt động và 1 trường đã hợp nhất hoặc giải thể" in note


def test_card_labels_are_not_capitalised_word_by_word(users, training):
    html = login(users["academy"]).get("/academy/").content.decode()
    assert "text-capitalize" not in html
    assert "Trường chính trị tỉnh, thành phố" in html


def test_home_pages_show_the_joint_classes_apart(users, school, academy, training):
    """A class run jointly with an academy is not in the school's own figures; both home pages show
    it on a line of its own, the same figures as the report's."""
    joint = make_class(school, training, "J1", opening=datetime.date(THIS_YEAR, 3, 1), partner=academy,
                       taught_by="partner", diploma_by="partner")
    for _ in range(4):
        enroll(joint)
    response = login(users["admin"]).get(f"/s/{school.code}/")
    html = response.content.decode()
    assert _figure(html, "classes_opened") == "1" and _figure(html, "learner_turns") == "3"  # as before
    assert _figure(html, "joint_classes_opened") == "1" and _figure(html, "joint_learner_turns") == "4"
    assert "Các lớp liên kết với học viện (tính riêng)" in html
    expected = figures.TRAINING.fetch([school], THIS_YEAR)[school.pk]
    assert response.context["home"]["training"]["joint_learner_turns"] == expected["joint_learner_turns"] == 4
    html = login(users["academy"]).get("/academy/").content.decode()
    assert _figure(html, "classes_opened") == "2" and _figure(html, "joint_classes_opened") == "1"
    # a school without joint classes has no such line
    assert "data-joint-figures" not in login(users["academy"]).get("/s/SCHB/").content.decode()
