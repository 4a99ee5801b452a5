"""The Celery tasks run in-process: retries on transient errors, time limit, stale sweep, expiry."""

import datetime
import io

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.utils import timezone
from openpyxl import load_workbook

from reports import services
from reports.models import ReportJob, Scope
from reports.tasks import build_report_task, delete_expired_report_files, sweep_stale_report_jobs
from tests.reports.conftest import table

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(school, users):
    return services.request_report(user=users["admin"], kind="school", year=2025, scope=Scope.SCHOOL, school=school)


def test_task_builds_the_workbook_and_records_progress(job, monkeypatch):
    seen = []
    original = services._set
    monkeypatch.setattr(services, "_set", lambda j, **f: (seen.append(dict(f)), original(j, **f)))
    build_report_task.delay(str(job.pk))
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE and job.progress == 100 and job.rows > 0
    assert job.started_at <= job.finished_at < job.expires_at
    assert seen[0]["state"] == "running"
    percents = [f["progress"] for f in seen if set(f) == {"progress", "heartbeat_at"}]  # progress is a sign of life
    assert percents == sorted(percents) and all(0 < p < 100 for p in percents) and percents
    with default_storage.open(job.file.name, "rb") as stream:
        assert load_workbook(io.BytesIO(stream.read())).sheetnames[0] == "Thông tin chung"


@pytest.fixture
def eager_retries():
    """Eager mode runs a task's retries in-process only when errors are not propagated to the caller."""
    from config.celery import app

    saved = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = saved


def test_transient_database_error_is_retried(job, monkeypatch, eager_retries):
    calls = []
    real = services.build_workbook

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "build_workbook", flaky)
    build_report_task.delay(str(job.pk))
    job.refresh_from_db()
    assert len(calls) == 2
    assert job.state == ReportJob.State.DONE and job.message == ""


def test_persistent_database_error_fails_after_the_retries(job, monkeypatch, eager_retries):
    calls = []

    def down(*args, **kwargs):
        calls.append(1)
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(services, "build_workbook", down)
    build_report_task.delay(str(job.pk))
    job.refresh_from_db()
    assert len(calls) == 4  # the first try and 3 retries
    assert job.state == ReportJob.State.FAILED
    assert job.message == "Cơ sở dữ liệu hoặc hàng đợi xử lý không sẵn sàng: could not connect to server"


def test_time_limit_marks_the_job_failed(job, monkeypatch):
    def slow(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(services, "build_workbook", slow)
    build_report_task.delay(str(job.pk))
    job.refresh_from_db()
    assert job.state == ReportJob.State.FAILED
    assert job.message == "Báo cáo chạy quá thời gian cho phép nên đã bị dừng."


def test_task_time_limits_and_acks_late():
    from django.conf import settings

    assert build_report_task.acks_late and build_report_task.reject_on_worker_lost
    assert build_report_task.time_limit == settings.CELERY_TASK_TIME_LIMIT
    assert build_report_task.soft_time_limit < build_report_task.time_limit


def test_redelivered_message_of_a_done_job_does_nothing(job):
    build_report_task.delay(str(job.pk))
    job.refresh_from_db()
    first_file = job.file.name
    build_report_task.delay(str(job.pk))
    job.refresh_from_db()
    assert job.file.name == first_file and job.state == ReportJob.State.DONE


def test_unknown_job_is_ignored(db):
    assert build_report_task.delay("00000000-0000-0000-0000-000000000000").get() is None


def test_a_job_whose_worker_is_gone_is_requeued_once_then_failed_and_can_be_sent_again(job, settings, client_as,
                                                                                       users):
    """No heartbeat for REPORT_HEARTBEAT_TIMEOUT_SECONDS: the worker is gone. The sweep re-queues the
    job once (and sends it: here the eager task finishes it), then fails it; “Gửi lại” works on it."""
    from django.urls import reverse

    silent = timezone.now() - datetime.timedelta(seconds=settings.REPORT_HEARTBEAT_TIMEOUT_SECONDS + 1)
    ReportJob.objects.filter(pk=job.pk).update(state="running", started_at=silent, heartbeat_at=silent)
    fresh = services.request_report(user=users["admin"], kind="school", year=2024, scope=Scope.SCHOOL, school=job.school)
    ReportJob.objects.filter(pk=fresh.pk).update(state="running", started_at=silent, heartbeat_at=timezone.now())
    assert sweep_stale_report_jobs.delay().get() == 1
    job.refresh_from_db()
    fresh.refresh_from_db()
    assert (job.state, job.requeued) == (ReportJob.State.DONE, 1)  # re-queued, sent, and made
    assert fresh.state == ReportJob.State.RUNNING  # its heartbeat is recent: its worker is alive
    # Lost a second time: failed, with a message saying so.
    ReportJob.objects.filter(pk=job.pk).update(state="running", started_at=silent, heartbeat_at=silent)
    assert sweep_stale_report_jobs.delay().get() == 1
    job.refresh_from_db()
    assert job.state == ReportJob.State.FAILED and "bị dừng giữa chừng" in job.message and "Gửi lại" in job.message
    assert sweep_stale_report_jobs.delay().get() == 0
    client_as(users["admin"]).post(reverse("reports:job_resend", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE and job.requeued == 0


def test_an_older_message_of_a_job_sent_again_is_ignored(job):
    """A message redelivered after its worker was lost must not run the job a second time alongside
    the message it was re-sent with."""
    services.send_job(job)
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE and job.task_id
    ReportJob.objects.filter(pk=job.pk).update(state="queued")
    assert build_report_task.apply(args=[str(job.pk)], task_id="an-older-message").get() is None
    job.refresh_from_db()
    assert job.state == ReportJob.State.QUEUED


def test_expired_files_are_deleted(job, client_as, users):
    build_report_task.delay(str(job.pk))
    job.refresh_from_db()
    kept = services.request_report(user=users["admin"], kind="school", year=2024, scope=Scope.SCHOOL, school=job.school)
    build_report_task.delay(str(kept.pk))
    kept.refresh_from_db()
    path = job.file.name
    ReportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert delete_expired_report_files.delay().get() == 1
    job.refresh_from_db()
    kept.refresh_from_db()
    assert not default_storage.exists(path) and not job.file and job.message == "Tệp đã hết hạn và đã bị xóa."
    assert default_storage.exists(kept.file.name)
    assert client_as(users["admin"]).get(job.get_download_url()).status_code == 404
    assert client_as(users["admin"]).get(job.get_status_url()).json()["download_url"] is None


def test_file_ttl_is_configurable(job, settings):
    settings.REPORT_FILE_TTL_HOURS = 2
    build_report_task.delay(str(job.pk))
    job.refresh_from_db()
    assert job.expires_at - job.finished_at == datetime.timedelta(hours=2)


def test_beat_schedule_runs_the_sweeps(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"reports.tasks.sweep_stale_report_jobs", "reports.tasks.delete_expired_report_files"} <= tasks


def test_build_report_command_prints_progress(school, staff_data, training_data, tmp_path, capsys):
    out = tmp_path / "bao-cao.xlsx"
    call_command("build_report", "--kind", "school", "--year", "2025", "--school", "SCHA", "--out", str(out))
    printed = capsys.readouterr().out
    assert "tiến độ: 100%" in printed and printed.count("tiến độ:") > 2
    book = load_workbook(out)
    assert "Sổ học viên" in book.sheetnames and len(table(book["Sổ học viên"])) == 6


def test_build_report_command_learners_national(school, training_data, tmp_path, capsys):
    out = tmp_path / "so-hoc-vien.xlsx"
    call_command("build_report", "--kind", "learners", "--year", "2025", "--out", str(out))
    assert len(table(load_workbook(out)["Sổ học viên"])) == 7  # K0 graduates in 2025


def test_build_report_command_refuses_bad_arguments(school, tmp_path):
    with pytest.raises(CommandError, match="Không có trường nào"):
        call_command("build_report", "--kind", "school", "--year", "2025", "--school", "NOPE", "--out", str(tmp_path / "a.xlsx"))
    with pytest.raises(CommandError, match="chỉ lập cho phạm vi"):
        call_command("build_report", "--kind", "school", "--year", "2025", "--out", str(tmp_path / "a.xlsx"))
    with pytest.raises(CommandError, match="xlsx"):
        call_command("build_report", "--kind", "national", "--year", "2025", "--out", str(tmp_path / "a.csv"))


def test_request_report_checks_scope(users, school, other_school):
    with pytest.raises(services.ReportRefused):
        services.request_report(user=users["admin"], kind="school", year=2025, scope=Scope.SCHOOL, school=other_school)
    with pytest.raises(services.ReportRefused):
        services.request_report(user=users["admin"], kind="national", year=2025, scope=Scope.NATIONAL)
    with pytest.raises(ValueError):
        services.request_report(user=users["academy"], kind="national", year=2025, scope=Scope.SCHOOL, school=school)
    assert not ReportJob.objects.exists()


def test_uploaded_name_does_not_matter_for_storage(job):
    # a previous file of the same job is replaced when it is built again
    job.file.save("old.xlsx", ContentFile(b"x"), save=True)
    old = job.file.name
    build_report_task.delay(str(job.pk))
    job.refresh_from_db()
    assert not default_storage.exists(old) and default_storage.exists(job.file.name)
