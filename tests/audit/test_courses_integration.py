"""The registry with the training records of the contract (learners, enrollments, marks).

The courses app registers its own models; here they are registered for the test only, with the
kind of flag courses uses for marks changed after graduation, to show the hook works on a deep
school path (mark → enrollment → class → school) and on a learner seen through several schools.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

import audit
from audit.models import AuditLog
from audit.registry import _registry, get_registration, register, unregister
from courses.models import Enrollment, Learner, Mark, Module, Programme, TrainingClass

pytestmark = pytest.mark.django_db


def changed_after_graduation(mark, action, changes):
    if mark.enrollment.status == Enrollment.Status.GRADUATED:
        return "Sửa điểm sau khi học viên đã tốt nghiệp"
    return False


@pytest.fixture
def audited():
    saved = {model: get_registration(model) for model in (Learner, Enrollment, Mark)}
    register(Learner)
    register(Enrollment)
    register(Mark, flag=changed_after_graduation)
    yield
    for model, registration in saved.items():
        if registration is None:
            unregister(model)
        else:
            _registry[model] = registration  # the app's own registration (signals stay connected)


@pytest.fixture
def records(school, other_school):
    programme = Programme.objects.create(code="TC-T", name="Trung cấp", kind=Programme.Kind.INTERMEDIATE)
    module = Module.objects.create(programme=programme, order=1, name="Học phần 1", weight=Decimal("1"))
    classes = [
        TrainingClass.objects.create(school=s, programme=programme, code="K1", name="Lớp K1",
                                     opening_date=datetime.date(2025, 3, 1))
        for s in (school, other_school)
    ]
    return programme, module, classes


def test_marks_changed_after_graduation_stand_out(audited, users, client_as, school, records):
    _programme, module, (klass, _other) = records
    with audit.acting_as(users["staff"]):
        learner = Learner.objects.create(full_name="Nguyễn Văn An", cccd="040085000001", date_of_birth=datetime.date(1985, 5, 1))
        enrollment = Enrollment.objects.create(training_class=klass, learner=learner)
        mark = Mark.objects.create(enrollment=enrollment, module=module, value=Decimal("7.50"))
        mark.value = Decimal("8.00")
        mark.save()
        enrollment.status = Enrollment.Status.GRADUATED
        enrollment.save()
        mark.value = Decimal("9.50")
        mark.save()
    mark_entries = list(AuditLog.objects.filter(content_type__model="mark").order_by("pk"))
    assert [(e.action, e.flag) for e in mark_entries] == [("create", False), ("update", False), ("update", True)]
    last = mark_entries[-1]
    assert last.changes == {"value": ["8.00", "9.50"]} and last.school == school and last.user == users["staff"]
    assert last.flag_reason == "Sửa điểm sau khi học viên đã tốt nghiệp"
    assert AuditLog.objects.get(content_type__model="enrollment", action="update").changes["status"] == ["studying", "graduated"]
    # the Academy finds it among flagged changes
    client = client_as(users["reviewer"])
    assert list(client.get(reverse("audit:log_list"), {"flagged": "on"}).context["object_list"]) == [last]


def test_learner_history_is_visible_to_the_schools_that_enrolled_them(audited, users, client_as, school, other_school, records):
    _programme, _module, (klass, _other_klass) = records
    with audit.acting_as(users["staff"]):
        learner = Learner.objects.create(full_name="Trần Thị Bình", cccd="040185000002", date_of_birth=datetime.date(1985, 1, 1))
        learner.position = "Phó Bí thư"
        learner.save()
    entries = AuditLog.objects.filter(content_type__model="learner")
    assert entries.count() == 2 and {e.school_id for e in entries} == {school.pk}  # filed under the acting user's school
    url_a = reverse("audit:history", args=[school.code, "courses.learner", learner.pk])
    assert client_as(users["viewer"]).get(url_a).status_code == 404  # not enrolled here yet
    Enrollment.objects.create(training_class=klass, learner=learner)
    page = client_as(users["viewer"]).get(url_a)
    assert page.status_code == 200 and "Phó Bí thư" in page.content.decode()
    assert client_as(users["outsider"]).get(reverse("audit:history", args=[other_school.code, "courses.learner", learner.pk])).status_code == 404
