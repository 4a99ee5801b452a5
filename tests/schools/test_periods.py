"""Issue 14 item 1: periods of schools (existence, names, province) and of staff membership."""

import datetime

import pytest
from django.core.exceptions import ValidationError

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


# --- through the pages --------------------------------------------------------------------------
def school_form_data(school, **changes):
    data = {"kind": school.kind, "code": school.code, "name": school.name, "short_name": school.short_name,
            "province": school.province_id or "", "region": school.region, "active": "on"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_renaming_a_school_keeps_its_old_name_by_year_and_is_in_the_change_log(users, client_as, school):
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    from audit.models import AuditLog

    client = client_as(users["academy"])
    url = reverse("schools:school_update", kwargs={"school_code": school.code})
    response = client.post(url, school_form_data(school, name="Trường Chính trị tỉnh A mới", renamed_on="01/01/2025"))
    assert response.status_code == 302, response.context["form"].errors
    school.refresh_from_db()
    assert school.name == "Trường Chính trị tỉnh A mới"
    assert selectors.school_name_in_year(school, 2022)["name"] == "Trường Chính trị tỉnh A"
    assert selectors.school_name_in_year(school, 2026)["name"] == "Trường Chính trị tỉnh A mới"
    page = client.get(reverse("schools:overview", kwargs={"school_code": school.code})).content.decode()
    assert "Lịch sử tên gọi" in page and "Trường Chính trị tỉnh A</td>" in page
    entries = AuditLog.objects.filter(content_type=ContentType.objects.get_for_model(School), object_id=str(school.pk))
    assert entries.filter(action="update", changes__name__1="Trường Chính trị tỉnh A mới").exists()
    # A date with nothing renamed is refused with a clear message; a future date too.
    response = client.post(url, school_form_data(school, renamed_on="01/02/2025"))
    assert "Hãy thay đổi tên" in response.content.decode()
    response = client.post(url, school_form_data(school, name="X", renamed_on="01/01/2099"))
    assert "không được ở tương lai" in response.content.decode()


def test_dissolved_centre_shows_its_successor_and_stays_readable(users, client_as, school):
    from django.urls import reverse

    centre = School.objects.create(code="TTQ", name="Trung tâm Chính trị quận X", kind=School.Kind.DISTRICT_CENTRE,
                                   guided_by=school)
    services.dissolve(centre, on=D(2025, 7, 1), successor=school)
    centre.refresh_from_db()
    assert centre.active is False and centre.existed_in(2025) and not centre.existed_in(2026)
    client = client_as(users["academy"])
    page = client.get(reverse("schools:overview", kwargs={"school_code": centre.code})).content.decode()
    assert "đã giải thể ngày 01/07/2025" in page and school.name in page
    page = client.get(reverse("schools:overview", kwargs={"school_code": school.code})).content.decode()
    assert "Các trung tâm chính trị do trường hướng dẫn" in page and centre.name in page
    with pytest.raises(ValidationError, match="trung tâm chính trị"):
        School(code="Z", name="Z", kind=School.Kind.PROVINCIAL, guided_by=school).full_clean()
    with pytest.raises(ValidationError, match="01/07/2025"):
        School(code="Z", name="Z", kind=School.Kind.DISTRICT_CENTRE, established_on=D(2025, 8, 1)).full_clean()
    with pytest.raises(ValidationError, match="từ năm 2025"):
        School(code="Z", name="Z", kind=School.Kind.COMMUNE_CENTRE, established_on=D(2019, 1, 1)).full_clean()


def test_staff_leaving_date_through_the_form(users, client_as, school, lecturer):
    from django.urls import reverse

    url = reverse("schools:staff_update", kwargs={"school_code": school.code, "pk": lecturer.pk})
    data = {"full_name": lecturer.full_name, "category": "full_time", "is_lecturer": "on", "unit": lecturer.unit_id,
            "joined_on": "01/09/2010", "left_on": "01/03/2024"}
    response = client_as(users["admin"]).post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    lecturer.refresh_from_db()
    assert lecturer.active is False and lecturer.left_on == D(2024, 3, 1)
    assert lecturer in selectors.staff_at(school, D(2023, 12, 31))
    assert lecturer not in selectors.staff_at(school, D(2024, 12, 31))
    response = client_as(users["admin"]).post(url, {**data, "left_on": "01/09/2009"})
    assert "Ngày thôi công tác phải sau ngày về trường" in response.content.decode()


# --- the 63 provincial schools before the 2025 mergers ------------------------------------------
def test_every_pre_merger_provincial_school_is_loaded_with_its_merger(db):
    from schools.reference import load_provincial_schools

    existing = School.objects.create(code="NGHEAN", name="Trường Chính trị tỉnh Nghệ An (tên đã có)")
    schools = load_provincial_schools()
    load_provincial_schools()  # idempotent
    provincial = School.objects.filter(kind=School.Kind.PROVINCIAL)
    assert provincial.count() == 63 and len(schools) == 63
    assert set(selectors.schools_in_year(2024, kinds=[School.Kind.PROVINCIAL])) == set(provincial)
    assert selectors.schools_in_year(2026, kinds=[School.Kind.PROVINCIAL]).count() == 34
    assert provincial.filter(merged_on=D(2025, 7, 1)).count() == 29
    existing.refresh_from_db()
    assert existing.name == "Trường Chính trị tỉnh Nghệ An (tên đã có)"  # existing rows keep their data
    binh_phuoc = School.objects.get(code="BINHPHUOC")
    assert binh_phuoc.merged_into.code == "DONGNAI" and binh_phuoc.name == "Trường Chính trị tỉnh Bình Phước"
    assert selectors.school_name_in_year(binh_phuoc, 2023)["province"] == "Tỉnh Bình Phước"
    quang_binh = School.objects.get(code="QUANGBINH")
    assert selectors.school_name_in_year(quang_binh, 2022)["province"] == "Tỉnh Quảng Bình"
    assert School.objects.get(code="BACLIEU").name == "Trường Chính trị Châu Văn Đặng tỉnh Bạc Liêu"
    hue = School.objects.get(code="HUE")
    assert hue.merged_into is None and hue.active  # Thừa Thiên Huế became a city on 01/01/2025, not merged
    assert selectors.school_name_in_year(hue, 2024) == {
        "name": "Trường Chính trị Nguyễn Chí Thanh tỉnh Thừa Thiên Huế", "short_name": "Nguyễn Chí Thanh",
        "province": "Tỉnh Thừa Thiên Huế"}
    assert selectors.school_name_in_year(hue, 2025)["province"] == "Thành phố Huế"
    assert hue.name == "Trường Chính trị Nguyễn Chí Thanh thành phố Huế"


def test_thua_thien_hue_became_a_city_on_1_january_2025(db):
    from schools.models import FormerProvince

    assert FormerProvince.objects.get(name="Thừa Thiên Huế").merged_on == D(2025, 1, 1)
    assert FormerProvince.objects.get(name="Quảng Bình").merged_on == D(2025, 7, 1)


def test_lists_filter_by_year_and_date(users, client_as, school, other_school, django_assert_max_num_queries):
    from django.urls import reverse

    gone = School.objects.create(code="GONE", name="Trường đã hợp nhất", merged_into=school, merged_on=D(2025, 7, 1))
    left = Staff.objects.create(school=school, full_name="Trần Văn Đi", left_on=D(2024, 3, 1))
    stays = Staff.objects.create(school=school, full_name="Nguyễn Văn Ở")
    client = client_as(users["academy"])
    with django_assert_max_num_queries(12):
        listed = client.get(reverse("schools:school_list"), {"year": 2023}).context["object_list"]
    assert gone in listed
    assert gone not in client.get(reverse("schools:school_list"), {"year": 2026}).context["object_list"]
    staff_url = reverse("schools:staff_list", kwargs={"school_code": school.code})
    viewer = client_as(users["viewer"])
    assert set(viewer.get(staff_url, {"on_date": "31/12/2023"}).context["object_list"]) == {left, stays}
    assert set(viewer.get(staff_url, {"on_date": "31/12/2024"}).context["object_list"]) == {stays}


def test_an_outsider_gets_404_for_a_school_history_and_a_centre(users, client_as, school, other_school):
    from django.urls import reverse

    centre = School.objects.create(code="TTQ", name="Trung tâm Chính trị quận X", kind=School.Kind.DISTRICT_CENTRE,
                                   guided_by=school)
    history = reverse("audit:history", args=[school.code, "schools.school", school.pk])
    outsider = client_as(users["outsider"])
    assert outsider.get(history).status_code == 404
    assert outsider.get(reverse("audit:history", args=[other_school.code, "schools.school", school.pk])).status_code == 404
    assert outsider.get(reverse("schools:overview", args=[centre.code])).status_code == 404
    page = client_as(users["viewer"]).get(history)
    assert page.status_code == 200


def test_plan_pages_show_the_name_of_their_year(users, client_as, school):
    from django.urls import reverse

    from courses.models import AnnualPlan

    services.record_name(school, valid_from=None, name="Trường Chính trị tỉnh Thừa Thiên Huế (cũ)", short_name="TCT A",
                         province_name="Tỉnh Thừa Thiên Huế")
    services.record_name(school, valid_from=D(2025, 1, 1), name="Trường Chính trị thành phố Huế (mới)", short_name="TCT A",
                         province_name="Thành phố Huế")
    client = client_as(users["viewer"])
    pages = {}
    for year in (2022, 2026):
        plan = AnnualPlan.objects.create(school=school, year=year)
        pages[year] = client.get(reverse("courses:plan_detail", args=[school.code, plan.pk])).content.decode()
    # (the page's header bar names the school as it is called today; the plan names it as it was then)
    assert '<div class="small">Trường Chính trị tỉnh Thừa Thiên Huế (cũ) · Tỉnh Thừa Thiên Huế</div>' in pages[2022]
    assert '<div class="small">Trường Chính trị thành phố Huế (mới) · Thành phố Huế</div>' in pages[2026]
    assert "(cũ)" not in pages[2026]


def test_academy_creates_a_district_centre_guided_by_a_provincial_school(users, client_as, school):
    from django.urls import reverse

    client = client_as(users["academy"])
    data = {"kind": School.Kind.DISTRICT_CENTRE, "code": "ttct-x", "name": "Trung tâm Chính trị huyện X",
            "guided_by": school.pk, "established_on": "01/01/2010", "dissolved_on": "01/07/2025", "active": "on"}
    response = client.post(reverse("schools:school_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    centre = School.objects.get(code="TTCT-X")
    assert centre.guided_by == school and centre.active is False and centre.existed_in(2024)
    listed = client.get(reverse("schools:school_list"), {"kind": School.Kind.DISTRICT_CENTRE}).content.decode()
    assert "Đã giải thể ngày 01/07/2025" in listed and "Trung tâm Chính trị huyện X" in listed
    response = client.post(reverse("schools:school_create"), {**data, "code": "ttct-y", "kind": School.Kind.PROVINCIAL})
    assert "Chỉ trung tâm chính trị mới có trường chính trị tỉnh hướng dẫn" in response.content.decode()


def test_load_provincial_schools_command(db):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("load_provincial_schools", stdout=out)
    assert "63" in out.getvalue() and "29" in out.getvalue()
    assert School.objects.filter(kind=School.Kind.PROVINCIAL).count() == 63
