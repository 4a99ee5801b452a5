"""Reads for the history pages: log entries with their changes made readable."""

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditLog


def history_queryset(obj):
    """Every entry about ``obj``, newest first (one query; paginate it)."""
    content_type = ContentType.objects.get_for_model(type(obj))
    return AuditLog.objects.filter(content_type=content_type, object_id=str(obj.pk)).select_related("user")


def log_queryset():
    return AuditLog.objects.select_related("user", "school", "content_type")


# Keys of an entry's changes that are not fields: "_import" names the Excel import that created the
# record (courses/import_writer.py writes imported records' entries in bulk).
SPECIAL_KEYS = {"_import": gettext_lazy("created by the Excel import"),
                "_merged": gettext_lazy("merged with another record of the same person")}


def readable_changes(model, entries) -> None:
    """Attach ``entry.rows`` = [(label, old, new)] to each entry, with foreign keys shown by name.

    Related names are fetched with one query per foreign-key field, whatever the number of entries.
    """
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    wanted: dict[str, set] = {}
    for entry in entries:
        for attname, pair in entry.changes.items():
            field = by_attname.get(attname)
            if isinstance(field, models.ForeignKey):
                wanted.setdefault(attname, set()).update(v for v in pair if v is not None)
    names = {
        attname: {
            pk: str(obj)
            for pk, obj in by_attname[attname].related_model._base_manager.in_bulk(list(ids)).items()
        }
        for attname, ids in wanted.items()
    }
    for entry in entries:
        rows = []
        for attname, pair in entry.changes.items():
            field = by_attname.get(attname)
            label = str(field.verbose_name) if field is not None else str(SPECIAL_KEYS.get(attname, attname))
            old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
            rows.append((label, _display(field, old, names.get(attname, {})), _display(field, new, names.get(attname, {}))))
        entry.rows = rows


def _display(field, value, names) -> str:
    if value is None or value == "":
        return "—"
    if field is None:
        return str(value)
    if isinstance(field, models.ForeignKey):
        return names.get(value, f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    try:
        if isinstance(field, models.DateTimeField):
            return formats.date_format(datetime.datetime.fromisoformat(value), "SHORT_DATETIME_FORMAT")
        if isinstance(field, models.DateField):
            return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
        if isinstance(field, models.DecimalField):
            return formats.number_format(Decimal(value), use_l10n=True)
    except (TypeError, ValueError, InvalidOperation):
        return str(value)
    return str(value)
