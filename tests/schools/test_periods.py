"""Issue 14 item 1: periods of schools (existence, names, province) and of staff membership."""

import datetime

import pytest

from schools import selectors, services
from schools.models import School, Staff

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def merged_pair(db):
    successor = School.objects.create(code="QT", name="Trường Chính trị Lê Duẩn tỉnh Quảng Trị")
    merged = School.objects.create(code="QB", name="Trường Chính trị tỉnh Quảng Bình", merged_into=successor,
                                   merged_on=D(2025, 7, 1))
    founded = School.objects.create(code="NEW", name="Trung tâm chính trị xã A", established_on=D(2025, 9, 1),
                                    kind=School.Kind.COMMUNE_CENTRE)
    return successor, merged, founded


def test_schools_in_year_keeps_schools_of_that_year(merged_pair):
    successor, merged, founded = merged_pair
    assert set(selectors.schools_in_year(2023)) == {successor, merged}
    assert set(selectors.schools_in_year(2025)) == {successor, merged, founded}
    assert set(selectors.schools_in_year(2026)) == {successor, founded}
    assert set(selectors.schools_in_year(2025, kinds=[School.Kind.COMMUNE_CENTRE])) == {founded}
    assert set(selectors.schools_at(D(2025, 6, 30))) == {successor, merged}
    assert set(selectors.schools_at(D(2025, 7, 1))) == {successor}
    merged.refresh_from_db()
    assert merged.active is False  # a past merger clears the "exists today" flag


def test_a_rename_shows_the_old_name_for_2022_and_the_new_one_for_2026(db):
    school = School.objects.create(code="HUE", name="Trường Chính trị Nguyễn Chí Thanh tỉnh Thừa Thiên Huế")
    services.record_name(school, valid_from=None, name=school.name, short_name="Nguyễn Chí Thanh",
                         province_name="Tỉnh Thừa Thiên Huế")
    services.record_name(school, valid_from=D(2025, 1, 1), name="Trường Chính trị Nguyễn Chí Thanh thành phố Huế",
                         short_name="Nguyễn Chí Thanh", province_name="Thành phố Huế")
    school.refresh_from_db()
    assert school.name == "Trường Chính trị Nguyễn Chí Thanh thành phố Huế"
    assert selectors.school_name_in_year(school, 2022)["province"] == "Tỉnh Thừa Thiên Huế"
    assert selectors.school_name_in_year(school, 2026)["name"] == "Trường Chính trị Nguyễn Chí Thanh thành phố Huế"
    rows = {s.pk: s for s in selectors.with_names_in_year(School.objects.all(), 2022)}
    assert rows[school.pk].name_in_year == "Trường Chính trị Nguyễn Chí Thanh tỉnh Thừa Thiên Huế"
    assert rows[school.pk].province_in_year == "Tỉnh Thừa Thiên Huế"
    rows = {s.pk: s for s in selectors.with_names_in_year(School.objects.all(), 2026)}
    assert rows[school.pk].province_in_year == "Thành phố Huế"


def test_names_of_many_schools_in_one_query(db, django_assert_num_queries):
    for index in range(5):
        School.objects.create(code=f"S{index}", name=f"Trường {index}")
    with django_assert_num_queries(1):
        names = [s.name_in_year for s in selectors.with_names_in_year(School.objects.all(), 2022)]
    assert sorted(names) == [f"Trường {i}" for i in range(5)]


def test_staff_at_year_end_differs_after_a_departure(school):
    stays = Staff.objects.create(school=school, full_name="Nguyễn Văn Ở")
    leaves = Staff.objects.create(school=school, full_name="Trần Văn Đi", left_on=D(2024, 3, 1))
    joins = Staff.objects.create(school=school, full_name="Lê Thị Đến", joined_on=D(2024, 9, 1))
    assert set(selectors.staff_at(school, D(2023, 12, 31))) == {stays, leaves}
    assert set(selectors.staff_at(school, D(2024, 12, 31))) == {stays, joins}
    assert set(selectors.staff_in_year(school, 2024)) == {stays, leaves, joins}
    assert set(selectors.staff_at(School.objects.filter(pk=school.pk), D(2024, 12, 31))) == {stays, joins}
    leaves.refresh_from_db()
    assert leaves.active is False
