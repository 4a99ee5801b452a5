"""Recording create/update/delete through signals, the acting user, log_bulk and the flag hook."""

import pytest
from django.db import transaction
from django.urls import reverse

import audit
from audit.models import AuditLog
from audit.registry import _registry, get_registration, register
from schools.models import Staff

pytestmark = pytest.mark.django_db


def entries(obj):
    return list(AuditLog.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name).order_by("pk"))


def test_staff_changes_through_the_pages_are_recorded_with_who_and_what(users, client_as, school, unit):
    client = client_as(users["staff"])
    client.post(reverse("schools:staff_create", args=[school.code]), {
        "full_name": "Lê Thị Hoa", "unit": unit.pk, "category": "full_time", "date_of_birth": "05/03/1980",
    })
    person = Staff.objects.get(full_name="Lê Thị Hoa")
    client.post(reverse("schools:staff_update", args=[school.code, person.pk]), {
        "full_name": "Lê Thị Hoa", "unit": unit.pk, "category": "full_time", "date_of_birth": "06/03/1980",
        "is_lecturer": "on",
    })
    client_as(users["admin"]).post(reverse("schools:staff_delete", args=[school.code, person.pk]))
    created, updated, deleted = entries(person)
    assert [e.action for e in (created, updated, deleted)] == ["create", "update", "delete"]
    assert created.user == users["staff"] and created.user_repr == "staff_a" and created.school == school
    assert created.changes["full_name"] == [None, "Lê Thị Hoa"] and created.changes["unit_id"] == [None, unit.pk]
    assert "updated_at" not in created.changes and "search_name" not in created.changes
    assert updated.changes == {"date_of_birth": ["1980-03-05", "1980-03-06"], "is_lecturer": [False, True]}
    assert deleted.user == users["admin"] and deleted.changes["full_name"] == ["Lê Thị Hoa", None]
    assert deleted.object_repr == "Lê Thị Hoa"


def test_a_save_that_changes_nothing_records_nothing(lecturer):
    lecturer.save()
    assert [e.action for e in entries(lecturer)] == ["create"]


def test_update_fields_limit_what_is_compared(lecturer):
    lecturer.position = "Trưởng khoa"
    lecturer.save(update_fields=["position"])
    assert entries(lecturer)[-1].changes == {"position": ["", "Trưởng khoa"]}


def test_acting_as_names_the_user_in_commands_and_tasks(users, lecturer):
    with audit.acting_as(users["admin"]):
        lecturer.position = "Phó trưởng khoa"
        lecturer.save()
    lecturer.position = "Giảng viên chính"
    lecturer.save()  # no acting user: a system change
    by_admin, by_system = entries(lecturer)[-2:]
    assert by_admin.user == users["admin"] and by_system.user is None and by_system.user_repr == ""


def test_a_rolled_back_change_leaves_no_entry(lecturer):
    before = AuditLog.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        lecturer.position = "X"
        lecturer.save()
        raise RuntimeError
    assert AuditLog.objects.count() == before


def test_log_bulk_records_bulk_create_and_bulk_update(users, school, django_assert_max_num_queries):
    people = [Staff(school=school, full_name=f"Người {i}") for i in range(30)]
    for person in people:
        person.set_name_keys()
    Staff.objects.bulk_create(people)
    people = list(Staff.objects.filter(school=school).order_by("pk"))
    with audit.acting_as(users["staff"]), django_assert_max_num_queries(3):
        rows = audit.log_bulk(people, school=school)
    assert len(rows) == 30 and {r.action for r in rows} == {"create"}
    assert AuditLog.objects.filter(user=users["staff"], school=school, action="create").count() == 30

    before = {p.pk: audit.snapshot(p) for p in people}
    for person in people[:10]:
        person.position = "Giảng viên"
    Staff.objects.bulk_update(people, ["position"])
    rows = audit.log_bulk(people, action="update", before=before)
    assert len(rows) == 10  # unchanged objects are skipped
    assert rows[0].changes == {"position": ["", "Giảng viên"]} and rows[0].school_id == school.pk


def test_log_bulk_refuses_unregistered_models_and_bad_calls(school, unit, lecturer):
    with pytest.raises(ValueError):
        audit.log_bulk([unit])
    with pytest.raises(ValueError):
        audit.log_bulk([lecturer], action="update")  # no "before"
    with pytest.raises(ValueError):
        audit.log_bulk([lecturer], action="rename")
    assert audit.log_bulk([]) == []


@pytest.fixture
def flagged_staff():
    """Re-register Staff with a flag (as courses will for marks changed after graduation)."""
    original = get_registration(Staff)

    def after_retirement(instance, action, changes):
        if action == "update" and instance.active is False and "degree" in changes:
            return "Sửa trình độ của người đã nghỉ"
        return False

    register(Staff, flag=after_retirement)
    yield
    _registry[Staff] = original


def test_flag_hook_marks_notable_changes(flagged_staff, lecturer):
    lecturer.degree = "master"
    lecturer.save()
    lecturer.active = False
    lecturer.save()
    lecturer.degree = "doctor"
    lecturer.save()
    last = entries(lecturer)
    assert [e.flag for e in last] == [False, False, False, True]
    assert last[-1].flag_reason == "Sửa trình độ của người đã nghỉ"


def test_register_needs_a_school_path():
    from schools.models import Province

    with pytest.raises(ValueError):
        register(Province)


def test_flag_hook_applies_to_bulk_writes_too(flagged_staff, school, lecturer):
    lecturer.active = False
    lecturer.save()
    before = {lecturer.pk: audit.snapshot(lecturer)}
    Staff.objects.filter(pk=lecturer.pk).update(degree="doctor")
    lecturer.refresh_from_db()
    (row,) = audit.log_bulk([lecturer], action="update", before=before, school=school)
    assert row.flag and row.flag_reason == "Sửa trình độ của người đã nghỉ"
    assert AuditLog.objects.filter(flag=True).count() == 1


def test_a_path_through_a_to_many_relation_keeps_the_entry_without_a_school(school, unit, lecturer):
    """e.g. a learner reached through enrollments of several schools: the save must still succeed."""
    original = get_registration(Staff)
    register(Staff, school_path="unit__members__school")
    try:
        lecturer.position = "Giảng viên chính"
        lecturer.save()
        assert entries(lecturer)[-1].school is None
    finally:
        _registry[Staff] = original
