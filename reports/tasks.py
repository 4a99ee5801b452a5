"""Celery tasks: build a report (with retries on transient errors), sweep stale jobs, delete old files."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django.utils import translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from reports import services
from reports.models import ReportJob

logger = logging.getLogger(__name__)

# Errors worth another try: the database or the broker went away for a moment.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, BrokerError)
MAX_RETRIES = 3


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def build_report_task(self, job_id: str):
    with translation.override(settings.LANGUAGE_CODE):
        return _build(self, job_id)


def _build(task, job_id):
    job = ReportJob.objects.select_related("school").filter(pk=job_id).first()
    if job is None:
        logger.warning("report job %s no longer exists", job_id)
        return None
    if job.state == ReportJob.State.DONE:
        return job_id  # a redelivered message (acks late) for a job that already finished
    if job.task_id and task.request.id and task.request.id != job.task_id:
        # An older message of a job sent again since (its worker was lost, and the message came back
        # after the broker's visibility timeout): the job's current message runs it.
        logger.warning("report job %s: message %s superseded by %s, ignored", job_id, task.request.id, job.task_id)
        return None
    try:
        if task.request.is_eager:
            services.run_job(job)
        else:
            with services.Heartbeat(job.pk):
                services.run_job(job)
    except SoftTimeLimitExceeded:
        services.fail_job(job_id, _("The report took longer than the time limit and was stopped."))
    except TRANSIENT_ERRORS as exc:
        if not connection.in_atomic_block:  # drop a broken connection (never the caller's transaction)
            close_old_connections()
        if task.request.retries < MAX_RETRIES:
            logger.warning("report job %s: transient error, retrying: %s", job_id, exc)
            _requeue(job_id, task.request.retries + 1)
            raise task.retry(exc=exc, countdown=2 ** task.request.retries * 5) from exc
        services.fail_job(job_id, _("The database or the job queue was unavailable: %(error)s") % {"error": exc})
    except Exception as exc:
        logger.exception("report job %s failed", job_id)
        services.fail_job(job_id, _("The report could not be made: %(error)s") % {"error": exc})
    return job_id


def _requeue(job_id, attempt: int) -> None:
    try:
        ReportJob.objects.filter(pk=job_id).update(
            state=ReportJob.State.QUEUED,
            progress=0,
            message=_("A temporary error occurred; trying again (attempt %(n)s).") % {"n": attempt + 1},
        )
    except (OperationalError, InterfaceError):
        logger.warning("report job %s: could not record the retry", job_id)


@shared_task
def sweep_stale_report_jobs() -> int:
    with translation.override(settings.LANGUAGE_CODE):
        return services.sweep_stale_jobs()


@shared_task
def delete_expired_report_files() -> int:
    with translation.override(settings.LANGUAGE_CODE):
        return services.delete_expired_files()
