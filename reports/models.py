"""Report jobs: one row per requested workbook, holding its state, progress and file."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import SchoolScopedQuerySet


class Scope(models.TextChoices):
    SCHOOL = "school", _("school")
    CLUSTER = "cluster", _("emulation cluster")
    NATIONAL = "national", _("national")


class ReportJobQuerySet(SchoolScopedQuerySet):
    def visible_to(self, user):
        """Jobs whose scope the user may see (re-checked per job by ``reports.access``)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_academy:
            return self.all()
        from reports.access import LEARNER_LEVEL_KINDS
        from reports.clusters import headed_condition

        condition = Q(scope=Scope.SCHOOL, school_id=user.school_id)
        if user.is_school_admin:
            condition |= Q(scope=Scope.CLUSTER) & headed_condition(user.school) & ~Q(kind__in=LEARNER_LEVEL_KINDS)
        return self.filter(condition)


class ReportJob(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    school_path = "school"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("report"), max_length=20)
    year = models.PositiveSmallIntegerField(_("year"))
    first_year = models.PositiveSmallIntegerField(
        _("from year"), null=True, blank=True, help_text=_("Learner register only: the first year it covers.")
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    school = models.ForeignKey(
        "schools.School", models.PROTECT, null=True, blank=True, related_name="report_jobs", verbose_name=_("school")
    )
    cluster_code = models.CharField(_("emulation cluster"), max_length=50, blank=True)
    scope_label = models.CharField(_("scope"), max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="report_jobs", verbose_name=_("requested by")
    )
    state = models.CharField(pgettext_lazy("job", "state"), max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    message = models.TextField(_("message"), blank=True)
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    task_id = models.CharField(_("task id"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # Written every few seconds by the worker running the job: a running job whose heartbeat stops
    # has lost its worker (reports.services.sweep_stale_jobs).
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    requeued = models.PositiveSmallIntegerField(_("times re-queued after losing its worker"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "started_at"], name="reportjob_state_started_idx"),
            models.Index(fields=["expires_at"], name="reportjob_expires_idx"),
            models.Index(fields=["school", "-created_at"], name="reportjob_school_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="reportjob_progress_max_100"
            ),
            models.CheckConstraint(
                condition=~Q(scope="school") | Q(school__isnull=False), name="reportjob_school_scope_has_school"
            ),
            models.CheckConstraint(
                condition=~Q(scope="cluster") | ~Q(cluster_code=""), name="reportjob_cluster_scope_has_cluster"
            ),
            models.CheckConstraint(
                condition=Q(first_year__isnull=True) | Q(first_year__lt=F("year")), name="reportjob_first_year_before_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} {self.years_label} · {self.scope_label}"

    @property
    def years_label(self) -> str:
        return f"{self.first_year}–{self.year}" if self.first_year else str(self.year)

    @property
    def years_slug(self) -> str:
        """The years for a file name (slugify drops the en dash)."""
        return self.years_label.replace("–", "-")

    @property
    def kind_label(self) -> str:
        from reports.registry import KINDS

        kind = KINDS.get(self.kind)
        return str(kind.label) if kind else self.kind

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def has_file(self) -> bool:
        return self.state == self.State.DONE and bool(self.file)

    def get_status_url(self) -> str:
        return reverse("reports:job_status", kwargs={"pk": self.pk})

    def get_download_url(self) -> str:
        return reverse("reports:job_download", kwargs={"pk": self.pk})
