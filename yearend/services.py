"""Locking and reopening a school's year, and the snapshot of its figures.

The snapshot holds every headline figure of the year (``reports.figures.sections()``, computed by
the reports' own ``fetch_all``) as JSON; its checksum is the SHA-256 of that JSON written with
sorted keys and no spaces. While the lock is active, ``reports.figures.fetch_all`` answers the
school's figures of that year from the snapshot (``frozen_figures``), so a report of a locked year
gives the figures that were locked whatever happened to the live rows since.
"""

import hashlib
import json
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tenancy import can_admin_school
from yearend.models import YearLock


class LockError(Exception):
    pass


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def compute_snapshot(school, year: int) -> dict:
    """{section key: {figure key: value}} of ``school``'s ``year``, from the live data."""
    from reports import figures

    data = figures.fetch_all([school], year, frozen=False)
    return {
        section.key: {
            figure.key: _jsonable(data[section.key].get(school.pk, {}).get(figure.key))
            for figure in section.figures
        }
        for section in figures.sections()
    }


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
    lock = YearLock.objects.select_for_update().filter(school=school, year=year, active=True).first()
    if lock is None:
        raise LockError(_("Year %(year)s is not locked.") % {"year": year})
    lock.active = False
    lock.reopened_at = timezone.now()
    lock.reopened_by = user
    lock.reopen_reason = reason
    lock.save()
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
    locks = YearLock.objects.filter(school_id__in=list(by_pk), year=year, active=True).only("school_id", "snapshot")
    result = {}
    for lock in locks:
        result[lock.school_id] = {
            section.key: {
                figure.key: _restore(figure, lock.snapshot.get(section.key, {}).get(figure.key))
                for figure in section.figures
            }
            for section in figures.sections()
        }
    return result
