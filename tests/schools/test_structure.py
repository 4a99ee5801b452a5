"""Issue 17 items 2–3: the 09-QĐi/TW organisation rule computed from the staff records."""

from decimal import Decimal

import pytest
from django.urls import reverse

from schools.models import OrgUnit, School, Staff
from schools.structure import structure_check, structure_checks

pytestmark = pytest.mark.django_db


def people(school, unit, n, *, lecturers=None, category="full_time"):
    lecturers = n if lecturers is None else lecturers
    made = [
        Staff(school=school, full_name=f"{unit.name} {i}", unit=unit, is_lecturer=i < lecturers, category=category)
        for i in range(n)
    ]
    for person in made:
        person.set_name_keys()
    return Staff.objects.bulk_create(made)


def five_units(school, sizes=(7, 7, 7, 7, 10)):
    kinds = [OrgUnit.Kind.FACULTY] * 3 + [OrgUnit.Kind.OFFICE] * 2
    units = []
    for index, (kind, size) in enumerate(zip(kinds, sizes, strict=True)):
        unit = OrgUnit.objects.create(school=school, kind=kind, name=f"Đơn vị {index + 1}")
        staff = people(school, unit, size, lecturers=size if kind == OrgUnit.Kind.FACULTY else 1)
        unit.deputies.set(staff[1:2])
        units.append(unit)
    return units


def test_a_school_with_a_6_person_unit_and_two_deputies_fails_both_rules(school):
    units = five_units(school, sizes=(6, 7, 7, 7, 10))
    small = units[0]
    small.deputies.set(Staff.objects.filter(unit=small)[:2])
    check = structure_check(school)
    unit = next(u for u in check.units if u.unit == small)
    assert (unit.people, unit.deputies, unit.allowed) == (6, 2, 1)
    assert not unit.people_ok and not unit.deputies_ok
    assert {"people", "deputies"} <= set(check.unmet) and not check.meets
    # a 10-person unit may have two deputies
    big = next(u for u in check.units if u.unit == units[4])
    big.unit.deputies.set(Staff.objects.filter(unit=units[4])[:2])
    assert next(u for u in structure_check(school).units if u.unit == units[4]).deputies_ok


def test_concurrent_lecturers_are_not_on_the_payroll(school):
    five_units(school)  # 21 + 2 = 23 lecturers of 38 on the payroll: 60.53 %
    check = structure_check(school)
    assert (check.payroll, check.payroll_lecturers, check.lecturer_share) == (38, 23, Decimal("60.53"))
    assert "lecturer_share" in check.unmet
    extra = OrgUnit.objects.get(school=school, name="Đơn vị 1")
    people(school, extra, 30, category="concurrent")  # kiêm chức: neither lecturers nor payroll
    people(school, extra, 5, category="visiting")
    assert structure_check(school).lecturer_share == Decimal("60.53")
    people(school, extra, 40)  # full-time lecturers do count
    assert structure_check(school).lecturer_share_ok


def test_a_conforming_school_meets_the_rule(school):
    five_units(school, sizes=(20, 20, 20, 7, 7))
    check = structure_check(school)
    assert check.meets, check.unmet


def test_structure_page_shows_unmet_items_in_red_and_exports(school, other_school, users, client_as,
                                                             django_assert_max_num_queries):
    units = five_units(school, sizes=(6, 7, 7, 7, 10))
    units[0].deputies.set(Staff.objects.filter(unit=units[0])[:2])
    for n in range(5):
        more = School.objects.create(code=f"P{n}", name=f"Trường Chính trị tỉnh P{n}")
        five_units(more)
    url = reverse("schools:structure_check")
    client = client_as(users["reviewer"])
    with django_assert_max_num_queries(12):
        response = client.get(url, {"year": 2025})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="check-unmet">6<' in html and 'class="check-unmet">2/1<' in html
    assert "style=" not in html.split("<main", 1)[-1]
    by_school = {c.school: c for c in response.context["checks"]}
    assert not by_school[school].meets and School.objects.get(code="SCHB") in by_school
    assert School.objects.get(code="HVCTQG") not in by_school  # provincial schools only
    assert client.get(url, {"export": "xlsx"})["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client_as(users["admin"]).get(url).status_code == 404  # Academy page


def test_structure_checks_cost_a_fixed_number_of_queries(school, django_assert_max_num_queries):
    schools = [school]
    for n in range(6):
        more = School.objects.create(code=f"Q{n}", name=f"Trường Q{n}")
        five_units(more)
        schools.append(more)
    with django_assert_max_num_queries(4):
        checks = structure_checks(schools)
    assert len(checks) == 7


def test_unit_form_follows_the_deputy_rule(school, users, client_as):
    unit = OrgUnit.objects.create(school=school, kind=OrgUnit.Kind.FACULTY, name="Khoa Lý luận cơ sở")
    staff = people(school, unit, 6)
    url = reverse("schools:unit_update", kwargs={"school_code": school.code, "pk": unit.pk})
    form = {"kind": "faculty", "function": "basic_theory", "name": unit.name, "head": staff[0].pk,
            "deputies": [staff[1].pk, staff[2].pk]}
    response = client_as(users["admin"]).post(url, form)
    assert response.status_code == 200
    assert "dưới 10 người có một cấp phó" in response.content.decode()
    people(school, unit, 4)
    assert client_as(users["admin"]).post(url, form).status_code == 302  # 10 people: two deputies
    assert unit.deputies.count() == 2


def test_national_report_has_the_structure_sheet(school, tmp_path):
    from openpyxl import load_workbook

    from reports.registry import build_workbook
    from reports.selectors import resolve_scope

    units = five_units(school, sizes=(6, 7, 7, 7, 10))
    units[0].deputies.set(Staff.objects.filter(unit=units[0])[:2])
    path = tmp_path / "national.xlsx"
    build_workbook("national", resolve_scope(scope="national", year=2025), path)
    sheet = load_workbook(path)["Kiểm tra cơ cấu tổ chức"]
    rows = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] == school.code]
    small = next(row for row in rows if row[8] == "Đơn vị 1")
    assert (small[10], small[11], small[12], small[13]) == (6, 2, 1, "chưa đạt")
    assert small[7] == "chưa đạt"


def test_living_evidence_of_the_structure_metric_lists_units_with_people_and_deputies(school, users, client_as):
    units = five_units(school, sizes=(6, 7, 7, 7, 10))
    units[0].deputies.set(Staff.objects.filter(unit=units[0])[:2])
    people(school, units[0], 3, category="concurrent")  # not on the payroll: not counted
    url = reverse("compliance:metric_evidence", kwargs={"school_code": school.code, "metric": "structure.meets_rule"})
    response = client_as(users["admin"]).get(url, {"year": 2025})
    assert response.status_code == 200
    rows = {row[0]: row for row in response.context["rows"]}
    assert rows["Đơn vị 1"][2:] == [6, 2]
    assert response.context["value"] == 0
