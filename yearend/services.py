"""Locking and reopening a school's year, and the snapshot of its figures and report rows.

The snapshot holds every headline figure of the year (``reports.figures.sections()``, computed by
the reports' own ``fetch_all``), the columns and rows of every data sheet of the school's annual
report (built by the sheets' own ``rows(scope)``, typed as ``reports.frozen`` encodes them), the
values the cluster and national summaries read beyond the figures (``reports.frozen.EXTRA_KEYS``)
and the school's rows of the structure check, as JSON; its checksum is the SHA-256 of that JSON
written with sorted keys and no spaces (figures and rows alike). While the lock is active,
``reports.figures.fetch_all`` answers the school's figures of that year from the snapshot
(``frozen_figures``) and the reports give the stored rows (``reports.frozen.SOURCES``:
``locked_schools`` and ``snapshots``), so a report of a locked year is the one that was locked
whatever happened to the live rows since. Snapshots of the figures only (made before the rows were
stored) still work: their sheets read the live rows.
"""

import hashlib
import json
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tenancy import can_admin_school
from reports import frozen
from yearend.models import YearLock


class LockError(Exception):
    pass


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def compute_figures(school, year: int, data: dict | None = None) -> dict:
    """{section key: {figure key: value}} of ``school``'s ``year``, from the live data."""
    from reports import figures

    data = figures.fetch_all([school], year, frozen=False) if data is None else data
    return {
        section.key: {
            figure.key: _jsonable(data[section.key].get(school.pk, {}).get(figure.key))
            for figure in section.figures
        }
        for section in figures.sections()
    }


def compute_snapshot(school, year: int) -> dict:
    """The figures of ``school``'s ``year`` with the rows of its annual report's data sheets, the
    summaries' extra values and its structure-check rows, from the live data, in the reports'
    language (the rows hold translated labels)."""
    from django.conf import settings
    from django.utils import translation

    from reports import frozen
    from reports.models import Scope
    from reports.registry import KINDS
    from reports.selectors import resolve_scope
    from reports.summaries import structure_rows

    with translation.override(settings.LANGUAGE_CODE):
        scope = resolve_scope(scope=Scope.SCHOOL, year=year, school=school)
        data = figures_live(scope)
        snapshot = compute_figures(school, year, data)
        snapshot[frozen.SHEETS] = {
            sheet.key: frozen.encode_sheet(sheet.columns(scope), sheet.rows(scope))
            for sheet in KINDS["school"].sheets(scope) if sheet.key != "info"
        }
        snapshot[frozen.EXTRA] = {
            section: {key: frozen.encode_value(data[section].get(school.pk, {}).get(key)) for key in keys}
            for section, keys in frozen.EXTRA_KEYS.items()
        }
        snapshot[frozen.STRUCTURE] = [frozen.encode_row(row) for row in structure_rows([school], year)]
    return snapshot


def figures_live(scope) -> dict:
    """The live figures of the scope's year, put where the sheets read them (``cached_figures``)."""
    from reports import figures

    key = f"figures-{scope.year}"
    scope.cache[key] = figures.fetch_all(scope.schools, scope.year, frozen=False)
    return scope.cache[key]


def checksum(snapshot: dict) -> str:
    text = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def active_lock(school, year: int):
    return YearLock.objects.filter(school=school, year=year, active=True).first()


def year_locked(school, year: int) -> bool:
    return YearLock.objects.filter(school=school, year=year, active=True).exists()


def may_lock(user, school) -> bool:
    """A school's administrator locks its years; an Academy administrator may too."""
    return can_admin_school(user, school)


def may_reopen(user) -> bool:
    return user.is_authenticated and user.is_academy_admin


@transaction.atomic
def lock_year(*, school, year: int, user) -> YearLock:
    if not may_lock(user, school):
        raise LockError(_("Only the school's administrator or an Academy administrator can lock a year."))
    if year > timezone.localdate().year:
        raise LockError(_("A year cannot be locked before it has begun."))
    if YearLock.objects.select_for_update().filter(school=school, year=year, active=True).exists():
        raise LockError(_("Year %(year)s is already locked.") % {"year": year})
    snapshot = compute_snapshot(school, year)
    return YearLock.objects.create(
        school=school, year=year, locked_at=timezone.now(), locked_by=user,
        snapshot=snapshot, checksum=checksum(snapshot),
    )


@transaction.atomic
def reopen_year(*, school, year: int, user, reason: str) -> YearLock:
    if not may_reopen(user):
        raise LockError(_("Only an Academy administrator can reopen a locked year."))
    reason = (reason or "").strip()
    if not reason:
        raise LockError(_("Give the reason for reopening the year."))
    # The snapshot (the stored rows) is neither read nor written again.
    lock = YearLock.objects.select_for_update().filter(school=school, year=year, active=True).defer("snapshot").first()
    if lock is None:
        raise LockError(_("Year %(year)s is not locked.") % {"year": year})
    lock.active = False
    lock.reopened_at = timezone.now()
    lock.reopened_by = user
    lock.reopen_reason = reason
    lock.save(update_fields=["active", "reopened_at", "reopened_by", "reopen_reason"])
    return lock


def _restore(figure, value):
    if value is None:
        return None
    if figure.type == "decimal":
        return Decimal(value)
    if figure.type == "percent":
        return float(value)
    return value


def frozen_figures(schools, year: int) -> dict:
    """{school id: {section key: {figure key: value}}} of the locked ones among ``schools``."""
    from reports import figures

    by_pk = {getattr(school, "pk", school): school for school in schools}
    # Only the figures and the extra values are read, not the stored rows.
    keys = [section.key for section in figures.sections()]
    locks = (YearLock.objects.filter(school_id__in=list(by_pk), year=year, active=True)
             .values_list("school_id", *(f"snapshot__{key}" for key in (*keys, frozen.EXTRA))))
    result = {}
    for school_id, *stored in locks:
        snapshot = dict(zip((*keys, frozen.EXTRA), stored, strict=True))
        result[school_id] = {
            section.key: {
                figure.key: _restore(figure, (snapshot[section.key] or {}).get(figure.key))
                for figure in section.figures
            }
            for section in figures.sections()
        }
        for section, values in (snapshot[frozen.EXTRA] or {}).items():
            result[school_id].setdefault(section, {}).update(
                (key, frozen.decode_value(value)) for key, value in values.items())
    return result


def locked_schools(school_ids, year: int, sheet: str | None = None) -> list[int]:
    """``reports.frozen.Source.locked``: the ids among ``school_ids`` whose ``year`` is locked
    (and whose snapshot stores the sheet ``sheet``, when given), in one query."""
    locks = YearLock.objects.filter(school_id__in=list(school_ids), year=year, active=True)
    if sheet is not None:
        locks = locks.filter(**{f"snapshot__{frozen.SHEETS}__has_key": sheet})
    return list(locks.values_list("school_id", flat=True))


def snapshots(school_ids, year: int, *path: str) -> dict:
    """``reports.frozen.Source.load``: ``{school id: the part of its snapshot at path}`` of the
    locked ones that have it (the whole snapshot without a path), in one query."""
    locks = YearLock.objects.filter(school_id__in=list(school_ids), year=year, active=True)
    field = "__".join(("snapshot", *path))
    return {school_id: value for school_id, value in locks.values_list("school_id", field) if value is not None}
