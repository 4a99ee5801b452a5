"""Which models are audited, and the signal handlers that record their changes.

``register(Model)`` connects pre_save/post_save/post_delete for that model. Each change becomes one
``AuditLog`` row in the same transaction as the change itself (a rolled-back change leaves no
entry). Values are stored JSON-ready: dates as ISO strings, decimals as strings, foreign keys as
ids; ``audit.selectors`` turns them back into readable values for the history pages.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, post_save, pre_save

from audit.context import current_user

# Bookkeeping columns that change on every save and say nothing about the record.
DEFAULT_EXCLUDE = {"created_at", "updated_at", "search_name", "name_sort_key"}


@dataclass
class Registration:
    model: type
    school_path: str
    fields: list = field(default_factory=list)  # concrete model fields, pk excluded
    flag: Callable | None = None

    @property
    def attnames(self) -> list[str]:
        return [f.attname for f in self.fields]


_registry: dict[type, Registration] = {}


def register(model, *, school_path: str | None = None, exclude: Iterable[str] = (), flag: Callable | None = None):
    """Audit ``model``.

    ``school_path``: path from the model to its school (default: the model's ``school_path``).
    ``exclude``: field names not recorded (bookkeeping columns are always left out).
    ``flag(instance, action, changes) -> bool | str``: a true value marks the entry as notable
    (e.g. a mark changed after the learner graduated); a string is kept as the reason.
    """
    path = school_path or getattr(model, "school_path", None)
    if not path:
        raise ValueError(f"{model._meta.label} has no school_path; pass school_path=…")
    skip = DEFAULT_EXCLUDE | set(exclude)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and f.name not in skip]
    _registry[model] = Registration(model=model, school_path=path, fields=fields, flag=flag)
    uid = f"audit:{model._meta.label}"
    pre_save.connect(_remember_old_values, sender=model, dispatch_uid=uid + ":pre")
    post_save.connect(_record_save, sender=model, dispatch_uid=uid + ":save")
    post_delete.connect(_record_delete, sender=model, dispatch_uid=uid + ":delete")
    return model


def unregister(model) -> None:
    """Stop auditing ``model`` (tests)."""
    _registry.pop(model, None)
    uid = f"audit:{model._meta.label}"
    pre_save.disconnect(sender=model, dispatch_uid=uid + ":pre")
    post_save.disconnect(sender=model, dispatch_uid=uid + ":save")
    post_delete.disconnect(sender=model, dispatch_uid=uid + ":delete")


def get_registration(model) -> Registration | None:
    return _registry.get(model._meta.concrete_model)


def registered_models() -> list[type]:
    return sorted(_registry, key=lambda m: m._meta.label)


def model_for_label(label: str):
    """``"schools.staff"`` → the audited model, or None."""
    for model in _registry:
        if model._meta.label_lower == label.lower():
            return model
    return None


# --- values -------------------------------------------------------------------------------------
def _jsonable(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, FieldFile):  # a stored file is recorded by its name
        return value.name or None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(obj) -> dict:
    """The audited field values of ``obj`` as stored in the log (attname → JSON value)."""
    registration = get_registration(type(obj))
    if registration is None:
        raise ValueError(f"{obj._meta.label} is not registered with audit.register()")
    return {f.attname: _jsonable(f.value_from_object(obj)) for f in registration.fields}


def diff(before: dict, after: dict) -> dict:
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def _created_changes(values: dict) -> dict:
    return {name: [None, value] for name, value in values.items() if value not in (None, "")}


def _deleted_changes(values: dict) -> dict:
    return {name: [value, None] for name, value in values.items() if value not in (None, "")}


def _school_id(obj, path: str):
    """Follow ``path`` ("training_class__school") to the school id; None when there is no single school.

    A path through a to-many relation (a learner seen through several schools' enrollments) has no
    single school: the entry is then filed under the acting user's school (``_entry``), or kept
    without one for a change nobody made (a command or task without ``acting_as``); the record's
    history page finds it through the record itself either way.
    """
    parts = path.split("__")
    try:
        for part in parts[:-1]:
            obj = getattr(obj, part)
            if obj is None or isinstance(obj, models.Manager):
                return None
        value = getattr(obj, f"{parts[-1]}_id")
    except (ObjectDoesNotExist, AttributeError):
        return None
    return value if isinstance(value, int) else None


def _entry(registration, obj, action, changes, *, user, school_id=None, content_type=None):
    from django.contrib.contenttypes.models import ContentType

    from audit.models import AuditLog

    flagged = registration.flag(obj, action, changes) if registration.flag else False
    if school_id is None:
        school_id = _school_id(obj, registration.school_path)
    if school_id is None and user is not None:
        # No single school on the record (a learner seen through several schools' enrollments):
        # the change is filed under the school of the user who made it.
        school_id = getattr(user, "school_id", None)
    return AuditLog(
        user_id=user.pk if user is not None else None,
        user_repr=user.get_username() if user is not None else "",
        school_id=school_id,
        content_type=content_type or ContentType.objects.get_for_model(registration.model),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action=action,
        changes=changes,
        flag=bool(flagged),
        flag_reason=flagged[:200] if isinstance(flagged, str) else "",
    )


# --- signal handlers ----------------------------------------------------------------------------
def _remember_old_values(sender, instance, raw=False, **kwargs):
    instance._audit_before = None
    if raw or instance._state.adding or instance.pk is None:
        return
    registration = get_registration(sender)
    row = sender._base_manager.using(kwargs.get("using")).filter(pk=instance.pk).values(*registration.attnames).first()
    if row is not None:
        instance._audit_before = {name: _jsonable(value) for name, value in row.items()}


def _record_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    registration = get_registration(sender)
    after = snapshot(instance)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        action, changes = "create", _created_changes(after)
    else:
        if update_fields is not None:
            names = {sender._meta.get_field(name).attname for name in update_fields}
            after = {name: value for name, value in after.items() if name in names}
        action, changes = "update", diff(before, after)
        if not changes:
            return
    instance._audit_before = None
    _entry(registration, instance, action, changes, user=current_user()).save(force_insert=True)


def _record_delete(sender, instance, **kwargs):
    registration = get_registration(sender)
    _entry(registration, instance, "delete", _deleted_changes(snapshot(instance)), user=current_user()).save(
        force_insert=True
    )


# --- bulk writes --------------------------------------------------------------------------------
def log_bulk(objects, *, action: str = "create", before: dict | None = None, school=None, user=None) -> list:
    """Record changes written without model signals (bulk_create, bulk_update, QuerySet.update).

    ``objects``: the saved instances (with their pk), all of one registered model.
    ``action``: ``"create"``, ``"update"`` or ``"delete"``.
    ``before``: for updates, ``{pk: audit.snapshot(obj)}`` taken before the write; objects whose
    audited values did not change are skipped.
    ``school``: the school of every object (saves one lookup per object when the path is long).
    ``user``: defaults to the acting user (request, or ``acting_as``).
    Returns the AuditLog rows created (one INSERT per 500 rows).
    """
    from django.contrib.contenttypes.models import ContentType

    from audit.models import AuditLog

    objects = list(objects)
    if not objects:
        return []
    registration = get_registration(type(objects[0]))
    if registration is None:
        raise ValueError(f"{objects[0]._meta.label} is not registered with audit.register()")
    if action not in {"create", "update", "delete"}:
        raise ValueError(f"unknown audit action {action!r}")
    if action == "update" and before is None:
        raise ValueError("log_bulk(action='update') needs before={pk: snapshot}")
    user = user if user is not None else current_user()
    content_type = ContentType.objects.get_for_model(registration.model)
    school_id = school.pk if school is not None else None
    rows = []
    for obj in objects:
        values = snapshot(obj)
        if action == "create":
            changes = _created_changes(values)
        elif action == "delete":
            changes = _deleted_changes(values)
        else:
            changes = diff(before.get(obj.pk, {}), values)
            if not changes:
                continue
        rows.append(_entry(registration, obj, action, changes, user=user, school_id=school_id, content_type=content_type))
    return AuditLog.objects.bulk_create(rows, batch_size=500)
