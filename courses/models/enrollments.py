"""A learner in a class (``Enrollment``) and the learner's marks in the class's modules (``Mark``)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import SchoolScopedQuerySet, TimeStampedModel
from courses.models.learners import Learner
from courses.models.training import Classification, Module, TrainingClass, mark_field, mark_range_check


class Enrollment(TimeStampedModel):
    """A learner in a class: status, thesis/exam marks, the computed average and the diploma."""

    class Status(models.TextChoices):
        STUDYING = "studying", _("studying")
        SUSPENDED = "suspended", _("suspended")
        WITHDRAWN = "withdrawn", _("withdrawn")
        GRADUATED = "graduated", _("graduated")
        NOT_GRADUATED = "not_graduated", _("not graduated")

    school_path = "training_class__school"
    objects = SchoolScopedQuerySet.as_manager()

    training_class = models.ForeignKey(
        TrainingClass, models.PROTECT, related_name="enrollments", verbose_name=_("class")
    )
    learner = models.ForeignKey(Learner, models.PROTECT, related_name="enrollments", verbose_name=_("learner"))
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.STUDYING)
    thesis_mark = mark_field(_("thesis mark"), null=True, blank=True)
    exam_mark = mark_field(_("graduation exam mark"), null=True, blank=True)
    average = mark_field(_("average mark"), null=True, blank=True, editable=False)
    classification = models.CharField(
        _("classification"), max_length=15, choices=Classification.choices, blank=True, editable=False
    )
    diploma_number = models.CharField(_("diploma / certificate number"), max_length=50, blank=True)
    diploma_date = models.DateField(_("diploma / certificate date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["training_class", "learner__name_sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["training_class", "learner"], name="enrollment_unique_learner"),
            mark_range_check("thesis_mark", "enrollment_thesis_mark_range"),
            mark_range_check("exam_mark", "enrollment_exam_mark_range"),
            mark_range_check("average", "enrollment_average_range"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} · {self.training_class.code}"

    def clean(self):
        super().clean()
        if self.diploma_date and not self.diploma_number:
            raise ValidationError({"diploma_number": _("Give the diploma / certificate number.")})
        if self.diploma_number and self.status != self.Status.GRADUATED:
            raise ValidationError({"diploma_number": _("Only a graduated learner receives a diploma / certificate.")})

    def get_absolute_url(self) -> str:
        return reverse(
            "courses:enrollment_update",
            kwargs={"school_code": self.training_class.school.code, "pk": self.pk},
        )


class Mark(models.Model):
    """A learner's mark in one module (10-point scale)."""

    school_path = "enrollment__training_class__school"

    enrollment = models.ForeignKey(Enrollment, models.CASCADE, related_name="marks", verbose_name=_("enrollment"))
    module = models.ForeignKey(Module, models.PROTECT, related_name="marks", verbose_name=_("module"))
    value = mark_field(_("mark"))

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("mark")
        verbose_name_plural = _("marks")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "module"], name="mark_unique_module"),
            mark_range_check("value", "mark_value_range"),
        ]

    def __str__(self) -> str:
        return f"{self.module}: {self.value}"
