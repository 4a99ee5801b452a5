"""The history page of a record and the Academy's log search."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import audit
from audit.models import AuditLog
from schools.models import Staff
from tests.access import assert_post_refused, assert_read_matrix

pytestmark = pytest.mark.django_db


def history_url(school, obj, label="schools.staff"):
    return reverse("audit:history", kwargs={"school_code": school.code, "model_label": label, "pk": obj.pk})


LOG = reverse("audit:log_list")


# --- history ------------------------------------------------------------------------------------
def test_history_follows_the_read_matrix(users, school, lecturer):
    assert_read_matrix(users, history_url(school, lecturer))
    assert_post_refused(users, history_url(school, lecturer))


def test_history_of_another_schools_record_is_404(users, client_as, school, other_school, other_lecturer):
    client = client_as(users["admin"])
    assert client.get(history_url(school, other_lecturer)).status_code == 404  # under own school's URL
    assert client.get(history_url(other_school, other_lecturer)).status_code == 404  # under the other school
    assert client_as(users["outsider"]).get(history_url(other_school, other_lecturer)).status_code == 200


def test_history_of_unaudited_model_or_missing_record_is_404(users, client_as, school, unit, lecturer):
    client = client_as(users["admin"])
    assert client.get(history_url(school, unit, label="schools.orgunit")).status_code == 404
    assert client.get(history_url(school, lecturer, label="accounts.user")).status_code == 404
    assert client.get(reverse("audit:history", args=[school.code, "schools.staff", 999999])).status_code == 404


def test_history_shows_who_changed_what_readably(users, client_as, school, unit, lecturer):
    with audit.acting_as(users["staff"]):
        lecturer.date_of_birth = datetime.date(1979, 4, 30)
        lecturer.degree = "doctor"
        lecturer.unit = None
        lecturer.save()
    page = client_as(users["viewer"]).get(history_url(school, lecturer)).content.decode()
    assert "Lịch sử thay đổi" in page
    assert "staff_a" in page and "30/04/1979" in page
    assert "tiến sĩ" in page  # choice label, not the stored code
    assert "Khoa Xây dựng Đảng" in page  # the old unit by name, not its id
    assert "Đã sửa" in page and "Đã tạo" in page


def test_history_query_count_does_not_grow_with_entries(users, client_as, school, unit, lecturer):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(history_url(school, lecturer)).status_code == 200
        return len(ctx.captured_queries)

    client = client_as(users["viewer"])
    few = count()
    for i in range(20):
        lecturer.position = f"Chức vụ {i}"
        lecturer.unit = unit if i % 2 else None
        lecturer.save()
    assert count() == few


def test_staff_detail_links_to_history(users, client_as, school, lecturer):
    page = client_as(users["viewer"]).get(lecturer.get_absolute_url()).content.decode()
    assert history_url(school, lecturer) in page


# --- Academy log search -------------------------------------------------------------------------
def test_log_search_is_for_the_academy_only(users, client_as):
    expected = {"admin": 404, "staff": 404, "viewer": 404, "outsider": 404, "reviewer": 200, "anonymous": 302}
    assert_read_matrix(users, LOG, expected)
    assert client_as(users["academy"]).get(LOG).status_code == 200


@pytest.fixture
def history(users, school, other_school, lecturer, other_lecturer):
    with audit.acting_as(users["staff"]):
        lecturer.position = "Trưởng khoa"
        lecturer.save()
    with audit.acting_as(users["outsider"]):
        other_lecturer.delete()
    old = AuditLog.objects.filter(school=school, action="create", content_type__model="staff").get()
    old.timestamp = timezone.now() - datetime.timedelta(days=40)
    old.flag = True
    old.save()
    return old


def listed(client, **params):
    params.setdefault("model", "schools.staff")  # the schools' own entries (created by the fixtures) aside
    return list(client.get(LOG, params).context["object_list"])


def test_log_search_filters(users, client_as, school, other_school, lecturer, history):
    client = client_as(users["reviewer"])
    assert len(listed(client)) == 4
    assert {e.school for e in listed(client, school=school.pk)} == {school}
    assert [e.action for e in listed(client, action="delete")] == ["delete"]
    assert {e.user_repr for e in listed(client, user="STAFF")} == {"staff_a"}
    assert listed(client, flagged="on") == [history]
    assert len(listed(client, model="schools.staff")) == 4
    response = client.get(LOG, {"model": "accounts.user"})  # not an audited model: refused, not a 500
    assert "model" in response.context["filter_form"].errors
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert history not in listed(client, date_from=today) and len(listed(client, date_from=today)) == 3
    assert listed(client, date_to=(timezone.localdate() - datetime.timedelta(days=30)).strftime("%d/%m/%Y")) == [history]
    assert [e.object_repr for e in listed(client, q="Khác")] == ["Trần Thị Khác"] * 2


def test_log_search_survives_bad_filter_values(users, client_as, history):
    client = client_as(users["reviewer"])
    for params in [{"date_from": "31/02/2024"}, {"date_to": "31/12/9999"}, {"school": "abc"}, {"model": "x.y"},
                   {"action": "<script>"}, {"page": "999"}, {"sort": "nonsense"}, {"q": "\x00" * 5}]:
        assert client.get(LOG, params).status_code in (200, 404), params


def test_log_search_export(users, client_as, history):
    response = client_as(users["reviewer"]).get(LOG, {"export": "xlsx", "action": "delete"})
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert len(rows) == 2 and rows[1][4] == "Trần Thị Khác" and rows[1][5] == "Đã xóa"


def test_log_search_query_count_is_bounded(users, client_as, school, other_school):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LOG).status_code == 200
        return len(ctx.captured_queries)

    client = client_as(users["reviewer"])
    with audit.acting_as(users["staff"]):
        Staff.objects.create(school=school, full_name="Một")
    few = count()
    for i in range(30):
        with audit.acting_as(users["staff" if i % 2 else "outsider"]):
            Staff.objects.create(school=school if i % 2 else other_school, full_name=f"Người {i}")
    assert count() == few


def test_django_admin_shows_the_log_read_only(lecturer, client_as):
    from accounts.models import User

    root = User.objects.create_superuser("root", password="x-very-long-pw-1")
    client = client_as(root)
    entry = AuditLog.objects.filter(content_type__model="staff").get()
    assert client.get(reverse("admin:audit_auditlog_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditlog_add")).status_code == 403
    assert client.post(reverse("admin:audit_auditlog_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert AuditLog.objects.filter(pk=entry.pk).exists()


# --- learner changes in the Academy's log (issue 13 item 5) --------------------------------------
def test_learner_edit_is_filed_under_the_editing_school_and_the_log_renders(users, client_as, school, other_school):
    from courses.models import Learner
    from tests.courses.helpers import enroll, make_class, make_learner, make_programme

    programme = make_programme()
    learner = enroll(make_class(school, programme, "K1"), make_learner("Nguyễn Văn An")).learner
    Learner.objects.create(full_name="Lê Văn Hệ Thống", cccd="040085000077")  # a change nobody made: no school
    data = {"full_name": "Nguyễn Văn Yên", "cccd": learner.cccd, "date_of_birth": "01/05/1985", "sex": "M"}
    edit = reverse("courses:learner_update", kwargs={"school_code": school.code, "pk": learner.pk})
    # (the name is corrected while the person is a learner of this school alone: issue 13 item 1)
    assert client_as(users["staff"]).post(edit, data).status_code == 302
    enroll(make_class(other_school, programme, "B1"), learner)  # then a person seen through two schools
    entry = AuditLog.objects.get(content_type__model="learner", action="update", object_id=str(learner.pk))
    assert entry.school == school and entry.user == users["staff"]

    client = client_as(users["academy"])
    response = client.get(LOG)
    assert response.status_code == 200  # was a 500: a learner entry had no school for the template
    assert "Lê Văn Hệ Thống" in response.content.decode()
    found = list(client.get(LOG, {"school": school.pk, "model": "courses.learner"}).context["object_list"])
    assert entry in found
    assert not client.get(LOG, {"school": other_school.pk, "model": "courses.learner"}).context["object_list"]
