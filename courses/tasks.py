"""Periodic work of the training app (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

import datetime

from celery import shared_task
from django.conf import settings

from courses import importer


@shared_task
def expire_import_uploads() -> int:
    """Delete uploaded learner workbooks left unconfirmed longer than IMPORT_UPLOAD_TTL_HOURS."""
    return importer.expire_uploads(older_than=datetime.timedelta(hours=settings.IMPORT_UPLOAD_TTL_HOURS))
