"""Uploaded learner workbooks that nobody confirms are deleted by the hourly task (personal data),
and the “Nhập từ Excel” page of the menu."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrollment, ImportBatch
from courses.tasks import expire_import_uploads
from tests.access import assert_read_matrix
from tests.courses.helpers import make_class, make_programme
from tests.courses.test_import import confirm, page_text, people, upload_batch


@pytest.fixture
def programme(db):
    return make_programme()


@pytest.fixture
def klass(school, programme):
    return make_class(school, programme, code="DEMO-TC1")


def age(batch, hours):
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - datetime.timedelta(hours=hours))


def test_old_unconfirmed_uploads_expire_and_fresh_ones_stay(users, client_as, klass, settings,
                                                            django_capture_on_commit_callbacks):
    settings.IMPORT_UPLOAD_TTL_HOURS = 24
    client = client_as(users["staff"])
    old = upload_batch(client, klass, people(2))
    bad = people(1)
    bad[0]["Số CCCD"] = "123"
    old_invalid = upload_batch(client, klass, bad)
    fresh = upload_batch(client, klass, people(2, start=10))
    for batch in (old, old_invalid):
        age(batch, 25)
    age(fresh, 23)
    names = {batch.pk: batch.file.name for batch in (old, old_invalid, fresh)}
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_import_uploads.delay().get() == 2
    statuses = dict(ImportBatch.objects.values_list("pk", "status"))
    assert statuses == {old.pk: "expired", old_invalid.pk: "expired", fresh.pk: "preview"}
    storage = fresh.file.storage
    assert not storage.exists(names[old.pk]) and not storage.exists(names[old_invalid.pk])
    assert storage.exists(names[fresh.pk])
    # The expired upload says what happened and cannot be confirmed.
    old.refresh_from_db()
    page = page_text(client.get(old.get_absolute_url()))
    assert "Tệp tải lên chưa được xác nhận kịp thời" in page and "Xác nhận: thêm" not in page
    assert "Tệp đã tải lên không còn nữa" in page_text(confirm(client, old))
    assert not Enrollment.objects.exists()


def test_the_beat_schedule_runs_the_expiry(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "courses.tasks.expire_import_uploads" in tasks


# --- “Nhập từ Excel” in the menu ------------------------------------------------------------------
def test_import_page_lists_open_classes_with_buttons_for_editors(users, client_as, school, other_school,
                                                                 programme, django_assert_max_num_queries):
    url = reverse("courses:import_start", kwargs={"school_code": school.code})
    assert_read_matrix(users, url)  # members read, outsiders 404, anonymous to the login page
    open_class = make_class(school, programme, "MO-1")
    make_class(school, programme, "DONG-1", closing=datetime.date(2025, 6, 1))
    make_class(other_school, programme, "KHAC-1")
    for n in range(5):
        make_class(school, programme, f"MO-{n + 2}")
    staff = client_as(users["staff"])
    upload_batch(staff, open_class, people(1))
    with django_assert_max_num_queries(12):
        page = staff.get(url)
    text = page_text(page)
    assert [c.code for c in page.context["object_list"]][-1] == "MO-1" and len(page.context["object_list"]) == 6
    assert "DONG-1" not in text and "KHAC-1" not in text
    assert reverse("courses:class_import", kwargs={"school_code": school.code, "pk": open_class.pk}) in text
    assert "Nhập từ Excel" in text and "danh-sach.xlsx" in text  # the menu entry and the user's upload
    viewer = page_text(client_as(users["viewer"]).get(url))
    import_url = reverse("courses:class_import", kwargs={"school_code": school.code, "pk": open_class.pk})
    assert "MO-1" in viewer and import_url not in viewer and "Cần quyền cập nhật" in viewer
