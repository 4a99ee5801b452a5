"""An uploaded learner workbook kept between the preview and the confirmation (courses/importer.py)."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import SchoolScopedQuerySet, TimeStampedModel
from courses.models.training import TrainingClass


def _import_file_name(instance, filename) -> str:
    """Where an uploaded workbook is kept: our own name, never a path or name sent by the client."""
    return f"imports/{instance.pk}.xlsx"


def _import_error_file_name(instance, filename) -> str:
    return f"imports/{instance.pk}-loi.xlsx"


class ImportBatch(TimeStampedModel):
    """One uploaded learner workbook, kept between the preview and the confirmation.

    It belongs to the user who uploaded it, the school and the class: nobody else can preview,
    confirm or download it. ``errors`` holds the problems found at upload time as
    ``[excel_row, column_header, message]`` triples (column "" for a whole-row problem).
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", _("awaiting confirmation")
        INVALID = "invalid", _("has errors")
        DONE = "done", _("imported")
        CANCELLED = "cancelled", _("cancelled")
        EXPIRED = "expired", _("expired")

    school_path = "training_class__school"
    objects = SchoolScopedQuerySet.as_manager()

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    training_class = models.ForeignKey(
        TrainingClass, models.CASCADE, related_name="import_batches", verbose_name=_("class")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="import_batches", verbose_name=_("uploaded by")
    )
    file = models.FileField(_("file"), upload_to=_import_file_name, max_length=200)
    # The annotated error workbook, built once when the upload is validated (courses/import_workbooks.py).
    error_file = models.FileField(_("error workbook"), upload_to=_import_error_file_name, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    new_count = models.PositiveIntegerField(_("new learners"), default=0)
    linked_count = models.PositiveIntegerField(_("known learners linked"), default=0)
    already_count = models.PositiveIntegerField(_("already in the class"), default=0)
    errors = models.JSONField(default=list, blank=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("learner import")
        verbose_name_plural = _("learner imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def error_count(self) -> int:
        return len(self.errors)

    @property
    def to_add_count(self) -> int:
        return self.new_count + self.linked_count

    def get_absolute_url(self) -> str:
        return reverse(
            "courses:import_preview", kwargs={"school_code": self.training_class.school.code, "pk": self.pk}
        )
