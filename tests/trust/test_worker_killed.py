"""Faults: the whole Celery worker (main process and its pool children) killed with SIGKILL in the
middle of a report → the job is noticed within 2 minutes, put back in the queue once, and done by
the next worker — on the filesystem transport and on Redis.

A real worker (prefork pool: a main process and a child) runs on the broker and database of the
test; the report is slowed down inside that process only, so the test can kill it while the job
runs. The running task writes a heartbeat; once the worker's process group is gone the heartbeat
stops, and the periodic sweep (``reports.tasks.sweep_stale_report_jobs``, which Celery beat runs
every 30 s — the test calls it every second, with a 5 s heartbeat timeout) re-queues the job and
sends it again. A new worker finishes it. On Redis the killed worker's unacknowledged message also
comes back (after the visibility timeout, shortened here): it is recognised as superseded and
ignored, so the report is not made twice at once.

Needs PostgreSQL (a second process cannot share SQLite's in-memory test database). The Redis run
uses CELERY_BROKER_URL when it is a Redis URL, else WORKER_TEST_REDIS_URL; without either it is
skipped.
"""

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

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 150  # the test's budget for each wait
DETECTION_LIMIT = 120  # "detected within 2 minutes"

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

if app.conf.broker_url.startswith("redis"):
    # unacknowledged messages come back quickly, even if the killed worker held the restore lock
    app.conf.broker_transport_options = {{"visibility_timeout": 2, "unacked_mutex_expire": 5}}
app.worker_main(["worker", "--pool=prefork", "--concurrency=1", "--loglevel=WARNING", "--without-gossip",
                 "--without-mingle", "--without-heartbeat", "-n", "killtest-{delay}@%h"])
"""


def redis_url() -> str | None:
    if settings.CELERY_BROKER_URL.startswith("redis"):
        return settings.CELERY_BROKER_URL
    return os.environ.get("WORKER_TEST_REDIS_URL") or None


@pytest.fixture(params=["filesystem", "redis"])
def broker(request, tmp_path):
    """The broker of one run: (URL, environment for the worker processes); the test process sends
    to the same broker (Celery not eager)."""
    from config.celery import app

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a worker process shares the test database")
    env = {}
    if request.param == "filesystem":
        url = "filesystem://"
        queue = tmp_path / "celery"
        for folder in ("queue", "control"):
            (queue / folder).mkdir(parents=True)
        options = {"data_folder_in": str(queue / "queue"), "data_folder_out": str(queue / "queue"),
                   "control_folder": str(queue / "control")}
        env["VAR_DIR"] = str(tmp_path)  # the worker's settings derive the same folders from it
    else:
        url = redis_url()
        if not url:
            pytest.skip("no Redis URL (CELERY_BROKER_URL or WORKER_TEST_REDIS_URL)")
        import redis

        redis.Redis.from_url(url).flushdb()  # this test's own database number: nothing left from a run before
        options = {"visibility_timeout": 2, "unacked_mutex_expire": 5}
    keys = ("task_always_eager", "broker_url", "broker_write_url", "broker_read_url", "broker_transport_options")
    saved = {key: app.conf.get(key) for key in keys}
    saved_pools = (app._pool, app.amqp._producer_pool)
    app.conf.update(task_always_eager=False, broker_url=url, broker_write_url=url, broker_read_url=url,
                    broker_transport_options=options)
    app._pool = app.amqp._producer_pool = None
    yield url, env
    if app._pool is not None:
        app._pool.force_close_all()
    app.conf.update(saved)
    app._pool, app.amqp._producer_pool = saved_pools


def start_worker(delay: float, url: str, extra_env: dict) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "REPORT_HEARTBEAT_SECONDS": "1",
        "PYTHONPATH": str(ROOT),
        **extra_env,
    }
    return subprocess.Popen([sys.executable, "-c", WORKER.format(delay=delay)], cwd=ROOT, env=env,  # noqa: S603
                            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for(job, condition, what, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if condition(job):
            return
        time.sleep(0.2)
    pytest.fail(f"{what}: the job stayed {job.state} ({job.progress} %) for {timeout} s")


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def stop(process):
    if group_alive(process.pid):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def test_a_whole_worker_killed_mid_report_is_requeued_and_done(users, school, broker, settings):
    url, env = broker
    settings.REPORT_HEARTBEAT_TIMEOUT_SECONDS = 5
    job = services.request_report(user=users["admin"], kind="school", year=2025, scope=Scope.SCHOOL, school=school)
    first = start_worker(delay=2, url=url, extra_env=env)
    try:
        assert services.send_job(job)
        wait_for(job, lambda j: j.state == ReportJob.State.RUNNING, "waiting for the worker to start the report")
        beat = job.heartbeat_at
        wait_for(job, lambda j: j.heartbeat_at and j.heartbeat_at > beat, "waiting for a heartbeat", timeout=30)
        assert tasks.sweep_stale_report_jobs() == 0  # alive: nothing to do
        os.killpg(first.pid, signal.SIGKILL)  # the main process and its pool child, in the middle of the report
        killed_at = time.monotonic()
        first.wait(timeout=30)
        deadline = time.monotonic() + 10
        while group_alive(first.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not group_alive(first.pid), "a process of the worker survived"
    finally:
        stop(first)
    job.refresh_from_db()
    assert job.state == ReportJob.State.RUNNING  # the dead worker could not say anything

    # What beat does every 30 s, here every second: the job is re-queued (and sent) once its
    # heartbeat is older than the timeout — not before, and within 2 minutes of the kill.
    while True:
        handled = tasks.sweep_stale_report_jobs()
        job.refresh_from_db()
        if handled:
            break
        assert job.state == ReportJob.State.RUNNING
        assert time.monotonic() - killed_at < DETECTION_LIMIT, "the lost job was not noticed within 2 minutes"
        time.sleep(1)
    assert time.monotonic() - killed_at < DETECTION_LIMIT
    assert (job.state, job.requeued, job.progress) == (ReportJob.State.QUEUED, 1, 0)
    assert "đưa lại vào hàng đợi" in job.message

    second = start_worker(delay=0, url=url, extra_env=env)
    try:
        wait_for(job, lambda j: j.state == ReportJob.State.DONE, "waiting for the re-queued report")
        if url.startswith("redis"):
            time.sleep(4)  # the killed worker's message comes back (visibility 2 s): ignored
            job.refresh_from_db()
    finally:
        stop(second)
    assert job.state == ReportJob.State.DONE and job.has_file and job.progress == 100 and job.requeued == 1
