"""Audit history: who changed what, when, with the old and new values.

Public API (import from ``audit``):

- ``register(Model, school_path=None, exclude=(), flag=None)`` — record every create, update
  and delete of ``Model`` (through model signals). Call it from your app's ``AppConfig.ready()``.
- ``acting_as(user)`` — context manager naming the acting user in commands and Celery tasks
  (in web requests ``audit.middleware.ActingUserMiddleware`` does it).
- ``log_bulk(objects, action=..., before=None, school=None)`` — for services that write with
  ``bulk_create`` / ``bulk_update`` / ``QuerySet.update`` (no model signals fire there).
- ``snapshot(obj)`` — the audited field values of ``obj`` now (take it before a bulk update and
  pass ``before={obj.pk: snapshot}`` to ``log_bulk``).
"""

from audit.context import acting_as, current_user


def register(model, **options):
    from audit.registry import register as _register

    return _register(model, **options)


def log_bulk(objects, **options):
    from audit.registry import log_bulk as _log_bulk

    return _log_bulk(objects, **options)


def snapshot(obj):
    from audit.registry import snapshot as _snapshot

    return _snapshot(obj)


__all__ = ["acting_as", "current_user", "log_bulk", "register", "snapshot"]
