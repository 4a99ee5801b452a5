import openpyxl
import pytest
from django.urls import reverse

from schools.models import OrgUnit, School, Staff
from tests.access import assert_post_refused, assert_read_matrix, assert_write_matrix

pytestmark = pytest.mark.django_db


def url(name, school, **kwargs):
    return reverse(f"schools:{name}", kwargs={"school_code": school.code, **kwargs})


def test_school_read_pages_follow_access_matrix(users, school, unit, lecturer):
    for page in [url("overview", school), url("unit_list", school), url("staff_list", school),
                 url("unit_detail", school, pk=unit.pk), url("staff_detail", school, pk=lecturer.pk)]:
        assert_read_matrix(users, page)


def test_school_write_pages_follow_access_matrix(users, school, unit, lecturer):
    for page in [url("unit_create", school), url("unit_update", school, pk=unit.pk),
                 url("unit_delete", school, pk=unit.pk), url("staff_create", school),
                 url("staff_update", school, pk=lecturer.pk), url("staff_delete", school, pk=lecturer.pk)]:
        assert_write_matrix(users, page)
        assert_post_refused(users, page, {"full_name": "X", "name": "X", "kind": "faculty"})
    assert Staff.objects.get(pk=lecturer.pk).full_name == "Nguyễn Văn Giảng"
    assert OrgUnit.objects.filter(pk=unit.pk).exists()


def test_object_of_another_school_is_404_even_under_own_school_url(users, client_as, school, other_lecturer):
    client = client_as(users["admin"])
    assert client.get(url("staff_detail", school, pk=other_lecturer.pk)).status_code == 404
    assert client.post(url("staff_delete", school, pk=other_lecturer.pk)).status_code == 404
    assert Staff.objects.filter(pk=other_lecturer.pk).exists()


def test_staff_create_saves_in_own_school_and_scopes_unit_choices(users, client_as, school, other_school, unit):
    foreign_unit = OrgUnit.objects.create(school=other_school, kind="faculty", name="Khoa ngoài")
    client = client_as(users["staff"])
    response = client.post(url("staff_create", school), {
        "full_name": "  Lê   Thị Hoa ", "unit": foreign_unit.pk, "category": "full_time",
    })
    assert response.status_code == 200  # the foreign unit is not a valid choice
    assert not Staff.objects.filter(full_name="Lê Thị Hoa").exists()
    response = client.post(url("staff_create", school), {
        "full_name": "  Lê   Thị Hoa ", "unit": unit.pk, "category": "full_time", "date_of_birth": "05/03/1980",
    })
    assert response.status_code == 302
    person = Staff.objects.get(full_name="Lê Thị Hoa")
    assert person.school == school and person.date_of_birth.isoformat() == "1980-03-05"
    assert person.search_name == "le thi hoa"


def test_staff_search_ignores_diacritics_and_ranks_exact_first(users, client_as, school):
    for name in ["Nguyễn Văn An", "Nguyên Văn Ân", "Trần Thị Bình"]:
        Staff.objects.create(school=school, full_name=name)
    client = client_as(users["viewer"])
    names = [p.full_name for p in client.get(url("staff_list", school), {"q": "nguyen van an"}).context["object_list"]]
    assert sorted(names) == ["Nguyên Văn Ân", "Nguyễn Văn An"]
    names = [p.full_name for p in client.get(url("staff_list", school), {"q": "Nguyên Văn Ân"}).context["object_list"]]
    assert names[0] == "Nguyên Văn Ân"


def test_staff_list_sorts_by_given_name_the_vietnamese_way(users, client_as, school):
    for name in ["Trần Văn Đức", "Lê Thị Dung", "Phạm Anh", "Nguyễn Thị Ánh", "Hồ Văn Ân"]:
        Staff.objects.create(school=school, full_name=name)
    response = client_as(users["viewer"]).get(url("staff_list", school))
    names = [p.full_name for p in response.context["object_list"]]
    assert names == ["Phạm Anh", "Nguyễn Thị Ánh", "Hồ Văn Ân", "Lê Thị Dung", "Trần Văn Đức"]


def test_staff_list_query_count_does_not_grow(users, client_as, school, unit, django_assert_max_num_queries):
    client = client_as(users["viewer"])
    Staff.objects.bulk_create([Staff(school=school, full_name=f"Người {i}", unit=unit) for i in range(3)])
    with django_assert_max_num_queries(12) as small:
        client.get(url("staff_list", school))
    Staff.objects.bulk_create([Staff(school=school, full_name=f"Người {i}", unit=unit) for i in range(40)])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url("staff_list", school))


def test_unit_list_and_directory_query_counts_are_bounded(users, client_as, school, django_assert_max_num_queries):
    for i in range(30):
        OrgUnit.objects.create(school=school, kind="faculty", name=f"Khoa {i}")
        School.objects.create(code=f"X{i}", name=f"Trường {i}")
    admin, reviewer = client_as(users["admin"]), client_as(users["reviewer"])
    with django_assert_max_num_queries(8):
        admin.get(url("unit_list", school))
    with django_assert_max_num_queries(8):
        reviewer.get(reverse("schools:school_list"))


def test_staff_export_is_filtered_xlsx(users, client_as, school, unit):
    Staff.objects.create(school=school, full_name="=CMD|calc", unit=unit, is_lecturer=True)
    Staff.objects.create(school=school, full_name="Không phải giảng viên", unit=unit)
    response = client_as(users["viewer"]).get(url("staff_list", school), {"is_lecturer": "true", "export": "xlsx"})
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(__import__("io").BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.values)
    assert len(rows) == 2 and rows[1][0] == "=CMD|calc"
    assert workbook.active.cell(row=2, column=1).data_type == "s"


def test_delete_refused_when_records_depend(users, client_as, school, unit, lecturer):
    response = client_as(users["admin"]).post(url("unit_delete", school, pk=unit.pk), follow=True)
    assert OrgUnit.objects.filter(pk=unit.pk).exists()
    assert "không thể xóa" in response.content.decode().lower()


def test_academy_directory_is_academy_only(users, client_as):
    assert client_as(users["admin"]).get(reverse("schools:school_list")).status_code == 404
    assert client_as(users["reviewer"]).get(reverse("schools:school_list")).status_code == 200
    assert client_as(users["reviewer"]).get(reverse("schools:school_create")).status_code == 403
    assert client_as(users["academy"]).get(reverse("schools:school_create")).status_code == 200


def test_merged_school_history_stays_readable(users, client_as, school):
    old = School.objects.create(code="OLD", name="Trường cũ", merged_into=school, merged_on="2025-07-01", active=False)
    page = client_as(users["admin"]).get(url("overview", school)).content.decode()
    assert old.name in page
    assert client_as(users["reviewer"]).get(url("overview", old)).status_code == 200


def test_add_button_uses_the_glossary_word_not_the_admin_catalog(users, client_as, school):
    page = client_as(users["admin"]).get(url("unit_list", school)).content.decode()
    assert "Thêm mới" in page and "Thêm vào" not in page


def test_school_with_records_cannot_be_deleted(users, client_as, school, lecturer):
    url = reverse("schools:school_delete", kwargs={"school_code": school.code})
    response = client_as(users["academy"]).post(url, follow=True)
    assert School.objects.filter(pk=school.pk).exists()
    assert "không thể xóa" in response.content.decode().lower()
    empty = School.objects.create(code="EMPTY", name="Trường trống")
    client_as(users["academy"]).post(reverse("schools:school_delete", kwargs={"school_code": empty.code}))
    assert not School.objects.filter(pk=empty.pk).exists()
