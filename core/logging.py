"""Logging filters: one line per refused or missing page, a traceback only for real errors."""

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """django.request logs a 403/404 with the exception that caused it; a 4xx is the client's
    doing, so the line says which URL and why, without the traceback (5xx keep theirs)."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
