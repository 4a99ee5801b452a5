"""Report jobs: request, send to the workers, run (task and command share ``run_job``), clean up."""

import datetime
import logging
import os
import tempfile
import threading
import uuid

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.vietnamese import slug
from reports.access import can_use_scope
from reports.models import ReportJob
from reports.registry import KINDS, build_workbook
from reports.selectors import resolve_scope

logger = logging.getLogger(__name__)


class ReportRefused(PermissionError):
    pass


def file_ttl() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.REPORT_FILE_TTL_HOURS)


def stale_after() -> datetime.timedelta:
    """A running job without a heartbeat for this long has lost its worker."""
    return datetime.timedelta(seconds=settings.REPORT_HEARTBEAT_TIMEOUT_SECONDS)


# How often a job lost by its worker is put back in the queue before it is failed.
MAX_REQUEUES = 1


class Heartbeat:
    """``with Heartbeat(job_id):`` — a thread of the worker process writes ``heartbeat_at`` every
    REPORT_HEARTBEAT_SECONDS while the job runs, even during one long step; when the worker dies
    (SIGKILL, out of memory, the machine gone) the heartbeat stops and the sweep notices."""

    def __init__(self, job_id, interval: float | None = None):
        self.job_id = job_id
        self.interval = interval if interval is not None else settings.REPORT_HEARTBEAT_SECONDS
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"report-heartbeat-{job_id}", daemon=True)

    def _beat(self):
        from django.db import DatabaseError, connection

        try:
            while not self.stopped.wait(self.interval):
                try:
                    ReportJob.objects.filter(pk=self.job_id, state=ReportJob.State.RUNNING).update(
                        heartbeat_at=timezone.now())
                except DatabaseError as exc:  # the database away for a moment: the next beat tries again
                    logger.warning("report job %s: heartbeat not written: %s", self.job_id, exc)
        finally:
            connection.close()  # this thread's own connection

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stopped.set()
        self.thread.join(timeout=self.interval + 5)
        return False


@transaction.atomic
def request_report(
    *, user, kind: str, year: int, scope: str, school=None, cluster_code: str = "", first_year: int | None = None
) -> ReportJob:
    """Create a queued job after checking that ``user`` may see the scope. Send it with ``send_job``."""
    if kind not in KINDS or scope not in KINDS[kind].scopes:
        raise ValueError(_("This report cannot be made for this scope."))
    if not can_use_scope(user, scope=scope, school=school, cluster_code=cluster_code, year=year, kind=kind):
        raise ReportRefused(_("You may not request this report."))
    if first_year is not None and kind != "learners":
        raise ValueError(_("Only the learner register covers several years."))
    resolved = resolve_scope(scope=scope, year=year, school=school, cluster_code=cluster_code, first_year=first_year)
    job = ReportJob(
        kind=kind,
        year=year,
        first_year=resolved.first_year,
        scope=scope,
        school=school if scope == "school" else None,
        cluster_code=cluster_code if scope == "cluster" else "",
        scope_label=resolved.label,
        requested_by=user,
    )
    job.full_clean()
    job.save()
    return job


def send_job(job: ReportJob) -> bool:
    """Hand the job to the broker. When the broker is down the job stays queued with a message
    saying so, and it can be sent again later (``False`` is returned)."""
    from kombu.exceptions import OperationalError as BrokerError

    from reports.tasks import build_report_task

    # The task id is the job's before the message leaves: a worker that receives an older message
    # of the job (redelivered after its worker was lost, once the job was sent again) ignores it.
    task_id = str(uuid.uuid4())
    ReportJob.objects.filter(pk=job.pk).update(task_id=task_id)
    try:
        result = build_report_task.apply_async(args=[str(job.pk)], task_id=task_id, retry=False)
    except (BrokerError, OSError) as exc:
        logger.warning("report job %s not sent: %s", job.pk, exc)
        ReportJob.objects.filter(pk=job.pk, state=ReportJob.State.QUEUED).update(
            task_id="",  # not sent
            message=_("The job queue is not reachable; the report was not started. Send it again later.")
        )
        job.refresh_from_db()
        return False
    ReportJob.objects.filter(pk=job.pk).exclude(task_id=result.id).update(task_id=result.id)
    job.refresh_from_db()
    return True


@transaction.atomic
def reset_job(*, job: ReportJob) -> ReportJob:
    """Put a failed (or unsent) job back in the queue so it can be sent again."""
    job = ReportJob.objects.select_for_update().get(pk=job.pk)
    if job.state not in (ReportJob.State.FAILED, ReportJob.State.QUEUED):
        raise ValueError(_("Only a failed or waiting report can be run again."))
    job.state = ReportJob.State.QUEUED
    job.progress = 0
    job.message = ""
    job.started_at = job.finished_at = job.heartbeat_at = None
    job.requeued = 0
    job.save(update_fields=["state", "progress", "message", "started_at", "finished_at", "heartbeat_at", "requeued"])
    return job


def _set(job: ReportJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ReportJob.objects.filter(pk=job.pk).update(**fields)


def run_job(job: ReportJob, *, progress_callback=None) -> ReportJob:
    """Build the job's workbook, recording progress on the job; the file is stored when done.

    Exceptions propagate (the task decides between retry and failure)."""
    now = timezone.now()
    _set(job, state=ReportJob.State.RUNNING, progress=0, message="", started_at=now, heartbeat_at=now, finished_at=None)
    scope = resolve_scope(scope=job.scope, year=job.year, school=job.school, cluster_code=job.cluster_code,
                          first_year=job.first_year)

    def progress(percent):
        _set(job, progress=percent, heartbeat_at=timezone.now())
        if progress_callback:
            progress_callback(percent)

    kind = KINDS[job.kind]
    target = slug(job.scope_label) or job.scope
    name = f"{kind.slug}-{job.years_slug}-{target}-{job.created_at:%Y%m%d%H%M}.xlsx"
    handle, temp_path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        rows = build_workbook(job.kind, scope, temp_path, progress=progress)
        old_file = job.file.name
        with open(temp_path, "rb") as stream:
            stored = default_storage.save(f"reports/{timezone.now():%Y/%m}/{name}", File(stream))
        if old_file:
            default_storage.delete(old_file)
    finally:
        os.unlink(temp_path)
    now = timezone.now()
    _set(
        job,
        state=ReportJob.State.DONE,
        progress=100,
        rows=rows,
        file=stored,
        finished_at=now,
        expires_at=now + file_ttl(),
        message="",
    )
    return job


def fail_job(job_id, message: str) -> None:
    ReportJob.objects.filter(pk=job_id).exclude(state=ReportJob.State.DONE).update(
        state=ReportJob.State.FAILED, message=message[:2000], finished_at=timezone.now()
    )


def sweep_stale_jobs() -> int:
    """Jobs left running by a worker that is gone (no heartbeat for REPORT_HEARTBEAT_TIMEOUT_SECONDS):
    each is put back in the queue once (``MAX_REQUEUES``) and sent again; lost a second time, it is
    failed with a message saying so, and “Gửi lại” runs it again. Returns the number of jobs handled.

    Runs on Celery beat every REPORT_SWEEP_SECONDS, so a lost job is noticed within
    timeout + sweep interval (90 s with the defaults)."""
    limit = timezone.now() - stale_after()
    stale = Q(state=ReportJob.State.RUNNING) & (
        Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, started_at__lt=limit))
    handled, to_send = 0, []
    for pk in ReportJob.objects.filter(stale).values_list("pk", flat=True):
        with transaction.atomic():
            job = ReportJob.objects.select_for_update().filter(stale, pk=pk).first()
            if job is None:  # finished, or handled by a sweep running at the same time
                continue
            handled += 1
            if job.requeued < MAX_REQUEUES:
                logger.warning("report job %s lost its worker; re-queued", job.pk)
                _set(job, state=ReportJob.State.QUEUED, progress=0, requeued=job.requeued + 1, started_at=None,
                     heartbeat_at=None, message=_("The worker making this report stopped; the report was put back "
                                                  "in the queue and will run again."))
                to_send.append(job)
            else:
                logger.warning("report job %s lost its worker again; failed", job.pk)
                _set(job, state=ReportJob.State.FAILED, finished_at=timezone.now(), message=_(
                    "The report stopped without finishing (the worker was interrupted), again after being run "
                    "a second time. Press “Send again” to run it again."))
    for job in to_send:
        send_job(job)
    return handled


def delete_expired_files() -> int:
    """Delete the files of reports past their expiry; the job stays listed as expired."""
    count = 0
    expired = ReportJob.objects.filter(expires_at__lt=timezone.now()).exclude(file="")
    for job in expired.only("pk", "file").iterator():
        default_storage.delete(job.file.name)
        ReportJob.objects.filter(pk=job.pk).update(file="", message=_("The file has expired and was deleted."))
        count += 1
    return count
