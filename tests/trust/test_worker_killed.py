"""Faults: a Celery worker killed (SIGKILL) in the middle of a report → the job ends failed or done,
never stuck "running".

A real worker process runs on the configured broker (Redis) and database; the report is slowed
down inside that process only, so the test can kill it while the job is running. Then:
1. the periodic sweep (``reports.tasks.sweep_stale_report_jobs``, on Celery beat) marks the job
   failed once it has been running longer than any report may — the user sees it and can rerun it;
2. the task was acknowledged late, so its message was not lost with the worker: a new worker gets
   it back and the job ends done, with its file.

Needs PostgreSQL (a second process cannot share SQLite's in-memory test database) and a network
broker; CI runs it on both.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from reports import services, tasks
from reports.models import ReportJob, Scope
from tests.reports.test_worker import not_eager  # noqa: F401 — fixture: Celery as configured, not eager

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 150

WORKER = """
import time
import django

django.setup()
from reports import services

original = services._set


def slow_set(job, **fields):  # every step of the report takes a while: time for the test to kill us
    original(job, **fields)
    if fields.get("state") != "done":
        time.sleep({delay})


if {delay}:
    services._set = slow_set
from config.celery import app

app.conf.broker_transport_options = {{"visibility_timeout": 2, "unacked_mutex_expire": 5}}  # unacked messages come back quickly, even if the killed worker held the restore lock
app.worker_main(["worker", "--pool=solo", "--concurrency=1", "--loglevel=WARNING", "--without-gossip",
                 "--without-mingle", "--without-heartbeat", "-n", "killtest@%h"])
"""


def start_worker(delay: float) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.Popen([sys.executable, "-c", WORKER.format(delay=delay)], cwd=ROOT, env=env,  # noqa: S603
                            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for(job, condition, what):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if condition(job):
            return
        time.sleep(0.1)
    pytest.fail(f"{what}: the job stayed {job.state} ({job.progress} %) for {TIMEOUT} s")


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


@pytest.mark.skipif(connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL.startswith("redis"),
                    reason="needs PostgreSQL and Redis (a worker process shares the test database and broker)")
def test_a_worker_killed_mid_report_leaves_no_job_stuck(users, school, not_eager):  # noqa: F811
    job = services.request_report(user=users["admin"], kind="school", year=2025, scope=Scope.SCHOOL, school=school)
    first = start_worker(delay=3)
    try:
        assert services.send_job(job)
        wait_for(job, lambda j: j.state == ReportJob.State.RUNNING, "waiting for the worker to start the report")
        os.killpg(first.pid, signal.SIGKILL)  # killed in the middle of the report
        first.wait(timeout=30)
    finally:
        stop(first)
    job.refresh_from_db()
    assert job.state == ReportJob.State.RUNNING  # the dead worker could not say anything

    # 1. the sweep fails it once it has run longer than any report may (not before)
    assert tasks.sweep_stale_report_jobs() == 0
    ReportJob.objects.filter(pk=job.pk).update(
        started_at=job.started_at - services.stale_after() - datetime.timedelta(minutes=1))
    assert tasks.sweep_stale_report_jobs() == 1
    job.refresh_from_db()
    assert job.state == ReportJob.State.FAILED and job.message

    # 2. the message was acknowledged late, so it was not lost: a new worker finishes the report
    second = start_worker(delay=0)
    try:
        wait_for(job, lambda j: j.state == ReportJob.State.DONE, "waiting for the redelivered report")
    finally:
        stop(second)
    assert job.has_file and job.progress == 100
