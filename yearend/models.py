"""The year-end lock (chốt số liệu) of one school's year: who locked it, when, the figures as they
stood (a JSON snapshot with its SHA-256 checksum), and — when the Academy reopened it — who, when and
why. At most one active lock per (school, year); a reopened lock stays as history (``active`` False).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import SchoolScopedQuerySet
from schools.models import School


class YearLock(models.Model):
    school_path = "school"

    school = models.ForeignKey(School, models.PROTECT, related_name="year_locks", verbose_name=_("school"))
    year = models.PositiveSmallIntegerField(_("year"))
    active = models.BooleanField(_("locked"), default=True)
    locked_at = models.DateTimeField(_("locked at"))
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("locked by"))
    checksum = models.CharField(_("checksum (SHA-256)"), max_length=64)
    snapshot = models.JSONField(_("figures of the year"), default=dict)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("reopened by"))
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("year-end lock")
        verbose_name_plural = _("year-end locks")
        ordering = ["-year", "school__code", "-locked_at"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], condition=Q(active=True),
                                    name="yearend_one_active_lock"),
        ]

    def __str__(self) -> str:
        return f"{self.school.code} {self.year}"
