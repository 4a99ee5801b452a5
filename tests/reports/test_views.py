"""The Reports page, status JSON, download and rerun, through the test client (tasks run eagerly)."""

import contextlib
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports import registry
from reports.models import ReportJob, Scope
from tests.access import assert_read_matrix, statuses

pytestmark = pytest.mark.django_db
LIST_URL = reverse("reports:job_list")


def post_report(client, kind, target, year=2025):
    return client.post(LIST_URL, {"kind": kind, "year": year, "target": target}, follow=True)


def test_reports_page_access_matrix(users):
    # Everyone logged in has a Reports page (each sees only their own scopes); anonymous → login.
    assert_read_matrix(users, LIST_URL, {**dict.fromkeys(["admin", "staff", "viewer", "outsider", "reviewer"], 200), "anonymous": 302})


def test_reports_page_is_vietnamese_and_has_no_inline_script(users, client_as):
    page = client_as(users["staff"]).get(LIST_URL).content.decode()
    assert "Yêu cầu lập báo cáo" in page and "Chưa có báo cáo nào được yêu cầu." in page
    assert "reports/progress.js" in page
    assert "<script>" not in page and 'style="' not in page


def test_scope_choices_follow_the_role(users, client_as, school, other_school):
    school_form = client_as(users["viewer"]).get(LIST_URL).context["form"]
    assert [value for value, _label in school_form.fields["target"].choices] == ["school:SCHA"]
    academy_form = client_as(users["reviewer"]).get(LIST_URL).context["form"]
    values = [value for value, _label in academy_form.fields["target"].choices]
    assert values[0] == "national" and {"school:SCHA", "school:SCHB"} <= set(values)
    assert "school:HVCTQG" not in values  # the Academy does not report to itself


def test_school_member_requests_and_downloads_their_school_report(users, client_as, school):
    client = client_as(users["viewer"])
    response = post_report(client, "school", "school:SCHA")
    job = ReportJob.objects.get()
    assert (job.scope, job.school, job.requested_by, job.kind) == (Scope.SCHOOL, school, users["viewer"], "school")
    assert job.state == ReportJob.State.DONE and job.progress == 100 and job.expires_at
    assert "Đã gửi yêu cầu lập báo cáo" in response.content.decode()
    status = client.get(job.get_status_url()).json()
    assert status["state"] == "done" and status["state_label"] == "Hoàn thành" and status["progress"] == 100
    assert status["download_url"] == job.get_download_url()
    download = client.get(job.get_download_url())
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book.sheetnames[0] == "Thông tin chung"
    assert job.kind_label in response.content.decode()  # listed among past reports


def test_school_user_cannot_request_another_school_or_national(users, client_as, school, other_school):
    client = client_as(users["admin"])
    for kind, target in [("school", "school:SCHB"), ("national", "national"), ("learners", "national")]:
        response = post_report(client, kind, target)
        assert response.status_code == 400
        assert "Lựa chọn không hợp lệ" in response.content.decode() or "không" in response.content.decode()
    assert not ReportJob.objects.exists()


def test_kind_and_scope_must_fit(users, client_as):
    response = post_report(client_as(users["academy"]), "national", "school:SCHA")
    assert response.status_code == 400
    assert "Không lập được “Tổng hợp toàn quốc” cho phạm vi này" in response.content.decode()
    assert not ReportJob.objects.exists()


def _job(users, scope, school=None, state=ReportJob.State.QUEUED, kind="school"):
    return ReportJob.objects.create(
        kind=kind if scope != Scope.NATIONAL else "national", year=2025, scope=scope, school=school,
        scope_label=str(school or "Toàn quốc"), requested_by=users["academy"], state=state,
    )


def test_status_and_download_check_the_job_scope(users, school, client_as, tmp_path):
    own = _job(users, Scope.SCHOOL, school)
    national = _job(users, Scope.NATIONAL)
    expected_own = {"admin": 200, "staff": 200, "viewer": 200, "outsider": 404, "reviewer": 200, "anonymous": 302}
    assert statuses(users, own.get_status_url()) == expected_own
    expected_national = {**dict.fromkeys(["admin", "staff", "viewer", "outsider"], 404), "reviewer": 200, "anonymous": 302}
    assert statuses(users, national.get_status_url()) == expected_national
    # Knowing the id (or the task id) is not enough to download either.
    client_as(users["academy"]).post(reverse("reports:job_resend", args=[own.pk]))
    client_as(users["academy"]).post(reverse("reports:job_resend", args=[national.pk]))
    own.refresh_from_db()
    national.refresh_from_db()
    assert own.has_file and national.has_file
    assert statuses(users, own.get_download_url()) == expected_own
    assert statuses(users, national.get_download_url()) == expected_national


def test_other_schools_jobs_are_not_listed(users, client_as, school, other_school):
    _job(users, Scope.SCHOOL, school)
    other = _job(users, Scope.SCHOOL, other_school)
    national = _job(users, Scope.NATIONAL)
    listed = set(client_as(users["viewer"]).get(LIST_URL).context["jobs"])
    assert other not in listed and national not in listed and len(listed) == 1
    assert len(client_as(users["reviewer"]).get(LIST_URL).context["jobs"]) == 3


def test_resend_is_refused_to_outsiders(users, school):
    job = _job(users, Scope.SCHOOL, school, state=ReportJob.State.FAILED)
    url = reverse("reports:job_resend", args=[job.pk])
    assert statuses(users, url, method="post", roles=("outsider", "anonymous")) == {"outsider": 404, "anonymous": 302}
    job.refresh_from_db()
    assert job.state == ReportJob.State.FAILED


def test_failed_job_shows_its_message_and_can_run_again(users, client_as, school, monkeypatch):
    def broken(scope):
        raise ValueError("ô A1 hỏng")

    monkeypatch.setitem(registry.KINDS, "school", registry.ReportKind(
        "school", registry.KINDS["school"].label, (Scope.SCHOOL,), broken, "bao-cao-nam"))
    client = client_as(users["admin"])
    post_report(client, "school", "school:SCHA")
    job = ReportJob.objects.get()
    assert job.state == ReportJob.State.FAILED and job.finished_at
    assert job.message == "Không lập được báo cáo: ô A1 hỏng"
    status = client.get(job.get_status_url()).json()
    assert status == {**status, "state": "failed", "state_label": "Lỗi", "finished": True, "download_url": None}
    assert client.get(job.get_download_url()).status_code == 404
    page = client.get(LIST_URL).content.decode()
    assert "Không lập được báo cáo: ô A1 hỏng" in page and "Lập lại" in page

    monkeypatch.undo()
    client.post(reverse("reports:job_resend", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE and job.message == "" and job.has_file


@contextlib.contextmanager
def broker_down():
    """Point Celery at a port where nothing listens, with eager mode off, then restore everything."""
    from config.celery import app

    keys = ("task_always_eager", "broker_url", "broker_write_url")
    saved = {key: app.conf.get(key) for key in keys}
    saved_pools = (app._pool, app.amqp._producer_pool)
    app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:1/0", broker_write_url="redis://127.0.0.1:1/0")
    app._pool = app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.update(saved)
        app._pool, app.amqp._producer_pool = saved_pools


def test_broker_down_keeps_the_job_queued_and_says_so(users, client_as, school):
    client = client_as(users["admin"])
    with broker_down():
        response = post_report(client, "school", "school:SCHA")
    page = response.content.decode()
    assert "Không kết nối được hàng đợi xử lý" in page and "Gửi lại" in page
    job = ReportJob.objects.get()
    assert job.state == ReportJob.State.QUEUED and not job.task_id
    assert "Hãy gửi lại sau" in job.message
    assert client.get(job.get_status_url()).json()["state"] == "queued"

    # The broker is back (and tasks run eagerly again in tests): send it again.
    client.post(reverse("reports:job_resend", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE and job.task_id and job.message == ""


def test_running_or_done_jobs_cannot_be_resent(users, client_as, school):
    job = _job(users, Scope.SCHOOL, school, state=ReportJob.State.RUNNING)
    response = client_as(users["admin"]).post(reverse("reports:job_resend", args=[job.pk]), follow=True)
    assert "Chỉ lập lại được báo cáo bị lỗi hoặc đang chờ." in response.content.decode()
    job.refresh_from_db()
    assert job.state == ReportJob.State.RUNNING


def test_reports_page_query_count_does_not_grow(users, client_as, school, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(users["reviewer"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST_URL).status_code == 200
        return len(ctx.captured_queries)

    _job(users, Scope.SCHOOL, school)
    few = count()
    for _ in range(20):
        _job(users, Scope.SCHOOL, school, state=ReportJob.State.DONE)
        _job(users, Scope.NATIONAL, state=ReportJob.State.RUNNING)
    assert count() == few
