"""The feature apps' records are in the change log, including their bulk writes (no signals there)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from audit.models import AuditLog
from courses.models import Enrollment, Mark
from research.models import Topic
from tests.courses.helpers import enroll, make_class, make_learner, make_programme

pytestmark = pytest.mark.django_db


def logs(model, **filters):
    return AuditLog.objects.filter(content_type=ContentType.objects.get_for_model(model), **filters)


def test_grade_grid_writes_are_logged_and_marks_changed_after_graduation_stand_out(users, client_as, school):
    programme = make_programme(modules=1)
    klass = make_class(school, programme)
    enrollment = enroll(klass, make_learner("Nguyễn Văn An"))
    module = programme.modules.get()
    url = reverse("courses:grade_grid", kwargs={"school_code": school.code, "pk": klass.pk})
    client = client_as(users["staff"])
    assert client.post(url, {f"m-{enrollment.pk}-{module.pk}": "8"}).status_code == 302
    created = logs(Mark, action="create").get()
    assert created.user == users["staff"] and created.school == school and not created.flag
    Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.GRADUATED)
    assert client.post(url, {f"m-{enrollment.pk}-{module.pk}": "9"}).status_code == 302
    changed = logs(Mark, action="update").get()
    assert changed.changes["value"] == ["8.00", "9.00"]
    assert changed.flag and "tốt nghiệp" in changed.flag_reason
    history = client_as(users["viewer"]).get(
        reverse("audit:history", kwargs={"school_code": school.code, "model_label": "courses.mark",
                                         "pk": Mark.objects.get().pk})
    )
    assert history.status_code == 200


def test_research_topic_changes_are_logged(users, client_as, school, lecturer):
    Topic.objects.create(school=school, code="DT-01", title="Đề tài thử", level=Topic.Level.SCHOOL, leader=lecturer,
                         start_on=datetime.date(2025, 2, 1), end_on=datetime.date(2025, 10, 31))
    entry = logs(Topic, action="create").get()
    assert entry.school == school and entry.changes["title"][1] == "Đề tài thử"


def test_imported_learners_and_enrollments_are_logged_with_the_importer(users, client_as, school):
    from courses.models import Learner
    from tests.courses.test_import import confirm, people, upload_batch

    klass = make_class(school, make_programme(modules=1))
    client = client_as(users["staff"])
    confirm(client, upload_batch(client, klass, people(3)))
    assert Learner.objects.count() == 3
    assert logs(Learner, action="create", user=users["staff"]).count() == 3
    assert logs(Enrollment, action="create", school=school).count() == 3
