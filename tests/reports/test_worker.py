"""A real Celery worker (not eager) on the configured broker: filesystem transport with no
environment, Redis when CELERY_BROKER_URL is set. The job goes through the Reports page, the broker
and the worker; the test watches its state through the status JSON the progress bar polls."""

import time

import pytest
from django.urls import reverse

from reports import registry
from reports.models import ReportJob, Scope

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
TIMEOUT = 90


@pytest.fixture
def not_eager():
    """Celery as configured in settings (the broker of CELERY_BROKER_URL), with eager mode off.

    The broker URLs are set again from settings because another test may have left a patched
    ``broker_write_url`` behind (tests/core patches it to check the health page)."""
    from django.conf import settings

    from config.celery import app

    keys = ("task_always_eager", "broker_url", "broker_write_url", "broker_read_url")
    saved = {key: app.conf.get(key) for key in keys}
    saved_pools = (app._pool, app.amqp._producer_pool)
    url = settings.CELERY_BROKER_URL
    app.conf.update(task_always_eager=False, broker_url=url, broker_write_url=url, broker_read_url=url)
    app._pool = app.amqp._producer_pool = None
    yield app
    app.conf.update(saved)
    app._pool, app.amqp._producer_pool = saved_pools


@pytest.fixture
def start_celery_worker(not_eager):
    """Start an in-process worker thread on the configured broker when called."""
    from celery.contrib.testing.worker import start_worker

    stack = []

    def start():
        manager = start_worker(not_eager, pool="solo", perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING")
        manager.__enter__()
        stack.append(manager)

    yield start
    for manager in stack:
        manager.__exit__(None, None, None)


def watch(client, job):
    """Poll the status JSON like static/reports/progress.js does; return the (state, progress) seen."""
    seen = []
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        data = client.get(job.get_status_url()).json()
        if not seen or seen[-1] != (data["state"], data["progress"]):
            seen.append((data["state"], data["progress"]))
        if data["finished"]:
            return seen, data
        time.sleep(0.2)
    pytest.fail(f"the job did not finish in {TIMEOUT} s; seen {seen}")


def test_job_goes_from_queued_to_done_on_a_real_worker(users, client_as, school, start_celery_worker):
    from tests.reports.conftest import make_register

    make_register(school, 400)
    client = client_as(users["admin"])
    client.post(reverse("reports:job_list"), {"kind": "school", "year": 2025, "target": "school:SCHA"})
    job = ReportJob.objects.get()
    assert job.task_id  # handed to the broker
    first = client.get(job.get_status_url()).json()
    assert (first["state"], first["progress"]) == ("queued", 0)  # no worker yet: it waits in the queue

    start_celery_worker()
    seen, final = watch(client, job)
    assert seen[-1] == ("done", 100)
    assert {state for state, _p in seen} <= {"queued", "running", "done"}
    # Progress only moves forward within an attempt (a transient error sends the job back to the
    # queue and the retry starts again from 0: on SQLite the test's reads can lock the table).
    attempts = [[]]
    for state, percent in seen:
        if state == "queued":
            attempts.append([])
        attempts[-1].append(percent)
    assert all(attempt == sorted(attempt) for attempt in attempts)
    assert final["download_url"] and final["rows"] > 400
    download = client.get(final["download_url"])
    assert download.status_code == 200
    job.refresh_from_db()
    assert job.started_at and job.finished_at and job.state == ReportJob.State.DONE


def test_forced_failure_on_a_real_worker_shows_failed_and_the_message(
    users, client_as, school, start_celery_worker, monkeypatch
):
    def broken(scope):
        raise RuntimeError("lỗi cố ý để kiểm thử")

    # The worker runs in this process, so it sees the broken report kind.
    monkeypatch.setitem(registry.KINDS, "school", registry.ReportKind(
        "school", registry.KINDS["school"].label, (Scope.SCHOOL,), broken, "bao-cao-nam"))
    start_celery_worker()
    client = client_as(users["viewer"])
    client.post(reverse("reports:job_list"), {"kind": "school", "year": 2025, "target": "school:SCHA"})
    job = ReportJob.objects.get()
    _seen, final = watch(client, job)
    assert final["state"] == "failed" and final["state_label"] == "Lỗi"
    assert final["message"] == "Không lập được báo cáo: lỗi cố ý để kiểm thử"
    assert final["download_url"] is None
    page = client.get(reverse("reports:job_list")).content.decode()
    assert "Không lập được báo cáo: lỗi cố ý để kiểm thử" in page and "Lập lại" in page
