"""The standard-school regulation (Quy định 11-QĐ/TW) as versioned data, and schools' assessments.

Standard → Criterion (the 6 groups) → Indicator. Most numeric thresholds are not public, so every
value is data the Academy edits. An indicator is *confirmed* only when an Academy administrator has
entered its text and threshold from the regulation or its guidance, with the document reference;
until then it is ``provisional`` ("chưa ban hành"): shown greyed, not answerable by schools, and
left out of every count and level (console, gap, recognition, reports).

An Assessment belongs to one school and one version of the standard; its answers point at that
version's indicators, so adding a new version never touches past assessments. The *result*
(how many indicators reached the target level, the level reached) and the *review progress*
(stage, survey, council, recognition) are kept in separate fields.
"""

import os
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import SchoolScopedQuerySet, TimeStampedModel


class Level(models.IntegerChoices):
    LEVEL_1 = 1, _("level 1")
    LEVEL_2 = 2, _("level 2")


class Standard(TimeStampedModel):
    code = models.CharField(_("code"), max_length=50, help_text=_("e.g. 11-QĐ/TW"))
    version = models.CharField(_("version"), max_length=20)
    title = models.CharField(_("title"), max_length=255)
    issued_on = models.DateField(_("issued on"))
    active = models.BooleanField(
        pgettext_lazy("in force", "active"), default=True, help_text=_("New assessments use the latest active version.")
    )

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["-issued_on", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="standard_unique_version")]

    def __str__(self) -> str:
        return f"{self.code} ({self.version})"

    def get_absolute_url(self) -> str:
        return reverse("compliance:standard_detail", kwargs={"pk": self.pk})


class Criterion(models.Model):
    standard = models.ForeignKey(Standard, models.CASCADE, related_name="criteria", verbose_name=_("standard"))
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=255)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["standard", "number"]
        constraints = [models.UniqueConstraint(fields=["standard", "number"], name="criterion_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Indicator(models.Model):
    class Comparison(models.TextChoices):
        GTE = "gte", "≥"
        LTE = "lte", "≤"
        EQ = "eq", "="
        YES_NO = "yes_no", _("yes/no")

    class Measurement(models.TextChoices):
        COMPUTED = "computed", _("computed from the app's records")
        DECLARED = "declared", _("declared by the school with evidence")
        PREFILLED = "prefilled", _("pre-filled from the records, the school may override it with a reason")

    criterion = models.ForeignKey(Criterion, models.CASCADE, related_name="indicators", verbose_name=_("criterion"))
    code = models.CharField(_("code"), max_length=10)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("indicator"))
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    comparison = models.CharField(_("comparison"), max_length=6, choices=Comparison.choices, default=Comparison.YES_NO)
    level1_value = models.DecimalField(_("level-1 value"), max_digits=12, decimal_places=2, null=True, blank=True)
    level2_value = models.DecimalField(_("level-2 value"), max_digits=12, decimal_places=2, null=True, blank=True)
    measurement = models.CharField(
        _("measurement"), max_length=10, choices=Measurement.choices, default=Measurement.DECLARED
    )
    metric = models.CharField(_("metric"), max_length=60, blank=True)
    provisional = models.BooleanField(
        _("to be completed by the Academy"), default=False,
        help_text=_("The text or values of this indicator are not confirmed yet."),
    )
    note = models.TextField(_("note"), blank=True)
    reference = models.CharField(
        _("document reference"), max_length=255, blank=True,
        help_text=_("The regulation or guidance the text and threshold come from, e.g. its number, date and article."),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["criterion__number", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["criterion", "code"], name="indicator_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"

    @property
    def confirmed(self) -> bool:
        return not self.provisional

    def clean(self):
        from compliance.metrics import REGISTRY

        if self.measurement in (self.Measurement.COMPUTED, self.Measurement.PREFILLED) and self.metric not in REGISTRY:
            raise ValidationError({"metric": _("Choose a metric from the registry for a computed indicator.")})
        if not self.provisional:
            errors = {}
            if not self.reference.strip():
                errors["reference"] = _("A confirmed indicator needs the reference of the document it comes from.")
            if self.comparison != self.Comparison.YES_NO and self.level1_value is None:
                errors["level1_value"] = _("A confirmed indicator needs its level-1 value.")
            if errors:
                raise ValidationError(errors)
        if self.measurement == self.Measurement.DECLARED and self.metric:
            raise ValidationError({"metric": _("A declared indicator has no metric.")})
        if self.comparison == self.Comparison.YES_NO:
            for name in ("level1_value", "level2_value"):
                value = getattr(self, name)
                if value is not None and value not in (Decimal(0), Decimal(1)):
                    raise ValidationError({name: _("A yes/no indicator takes 1 (yes) or 0 (no).")})
        for name in ("level1_value", "level2_value"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValidationError({name: _("Enter a value of zero or more.")})

    def value_for(self, level: int):
        return self.level1_value if level == Level.LEVEL_1 else self.level2_value


class Assessment(TimeStampedModel):
    """One school's assessment against one version of the standard, for a year and a target level."""

    class Stage(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("compliance stage", "self-assessment in progress")
        SUBMITTED = "submitted", pgettext_lazy("compliance stage", "submitted to the Academy")
        EVIDENCE_REQUESTED = "evidence_requested", pgettext_lazy("compliance stage", "more evidence requested")
        SURVEYED = "surveyed", pgettext_lazy("compliance stage", "survey mission done")
        COUNCIL_APPROVED = "council_approved", pgettext_lazy("compliance stage", "appraisal council in favour")
        NOT_APPROVED = "not_approved", pgettext_lazy("compliance stage", "appraisal council not in favour")
        RECOGNISED = "recognised", pgettext_lazy("compliance stage", "recognised")

    school_path = "school"
    school = models.ForeignKey("schools.School", models.PROTECT, related_name="assessments", verbose_name=_("school"))
    standard = models.ForeignKey(Standard, models.PROTECT, related_name="assessments", verbose_name=_("standard"))
    year = models.PositiveSmallIntegerField(_("assessment year"))
    target_level = models.PositiveSmallIntegerField(_("target level"), choices=Level.choices, default=Level.LEVEL_1)
    stage = models.CharField(_("review progress"), max_length=20, choices=Stage.choices, default=Stage.DRAFT)
    # The result, recomputed from the answers.
    indicators_total = models.PositiveSmallIntegerField(_("indicators"), default=0)
    met_count = models.PositiveSmallIntegerField(_("met"), default=0)
    exceeded_count = models.PositiveSmallIntegerField(_("exceeded"), default=0)
    not_met_count = models.PositiveSmallIntegerField(_("not met"), default=0)
    pending_count = models.PositiveSmallIntegerField(_("awaiting opinion"), default=0)
    level_reached = models.PositiveSmallIntegerField(_("level reached"), choices=Level.choices, null=True, blank=True)
    # ``indicators_total`` counts the confirmed indicators only; this is all of the standard's.
    indicators_in_standard = models.PositiveSmallIntegerField(_("indicators in the standard"), default=0)
    # The review.
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    evidence_deadline = models.DateField(_("deadline for more evidence"), null=True, blank=True)
    survey_date = models.DateField(_("survey date"), null=True, blank=True)
    survey_leader = models.CharField(_("head of the survey mission"), max_length=150, blank=True)
    survey_report = models.TextField(_("survey report"), blank=True)
    council_date = models.DateField(_("council meeting date"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    level_recognised = models.PositiveSmallIntegerField(
        _("level recognised"), choices=Level.choices, null=True, blank=True
    )
    decision_number = models.CharField(_("recognition decision number"), max_length=50, blank=True)
    decision_date = models.DateField(_("recognition decision date"), null=True, blank=True)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["-year", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["school", "standard", "year"], name="assessment_unique_per_year"),
            models.CheckConstraint(
                condition=~models.Q(stage="recognised")
                | (models.Q(level_recognised__isnull=False) & models.Q(decision_date__isnull=False)),
                name="assessment_recognition_complete",
            ),
        ]
        indexes = [models.Index(fields=["school", "-year"], name="assessment_school_year_idx")]

    def __str__(self) -> str:
        return f"{self.school} · {self.year} · {self.get_target_level_display()}"

    def get_absolute_url(self) -> str:
        return reverse("compliance:assessment_detail", kwargs={"school_code": self.school.code, "pk": self.pk})

    @property
    def is_open(self) -> bool:
        """The school may change its answers only while the assessment is with the school."""
        return self.stage in (self.Stage.DRAFT, self.Stage.EVIDENCE_REQUESTED)


class Answer(models.Model):
    """The school's value for one indicator of the version its assessment uses."""

    class Status(models.TextChoices):
        MET = "met", _("met")
        EXCEEDED = "exceeded", _("exceeded")
        NOT_MET = "not_met", _("not met")
        PENDING = "pending", _("awaiting opinion")

    school_path = "assessment__school"
    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="answers", verbose_name=_("self-assessment"))
    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="answers", verbose_name=_("indicator"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2, null=True, blank=True)
    evidence_url = models.CharField(_("living evidence"), max_length=300, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    overridden = models.BooleanField(
        _("overrides the value from the records"), default=False,
        help_text=_("The school's value replaces the pre-filled one; the explanation gives the reason."),
    )
    ask_opinion = models.BooleanField(_("ask the Academy for an opinion"), default=False)
    reviewer_status = models.CharField(
        _("reviewer's opinion"), max_length=10, choices=Status.choices[:3], blank=True
    )
    status = models.CharField(pgettext_lazy("indicator", "status"), max_length=10, choices=Status.choices, default=Status.PENDING)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator answer")
        verbose_name_plural = _("indicator answers")
        ordering = ["indicator__criterion__number", "indicator__order", "indicator__code"]
        constraints = [models.UniqueConstraint(fields=["assessment", "indicator"], name="answer_unique_indicator")]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.indicator.code}"


def evidence_path(instance, filename: str) -> str:
    # A random name: the original is kept in ``name``; the path reveals nothing and never clashes.
    extension = os.path.splitext(filename)[1].lower()
    return f"compliance/evidence/{uuid.uuid4().hex}{extension}"


class EvidenceFile(models.Model):
    school_path = "answer__assessment__school"
    answer = models.ForeignKey(Answer, models.CASCADE, related_name="files", verbose_name=_("indicator answer"))
    file = models.FileField(_("file"), upload_to=evidence_path)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "compliance:evidence_download",
            kwargs={"school_code": self.answer.assessment.school.code, "pk": self.pk},
        )


class ReviewComment(models.Model):
    school_path = "answer__assessment__school"
    answer = models.ForeignKey(Answer, models.CASCADE, related_name="comments", verbose_name=_("indicator answer"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("reviewer comment")
        verbose_name_plural = _("reviewer comments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class AssessmentEvent(models.Model):
    """One step of the assessment's history (who did what, when, from which stage to which)."""

    class Action(models.TextChoices):
        OPENED = "opened", pgettext_lazy("compliance action", "opened")
        SUBMITTED = "submitted", pgettext_lazy("compliance action", "submitted")
        EVIDENCE_REQUESTED = "evidence_requested", pgettext_lazy("compliance action", "requested more evidence")
        SURVEYED = "surveyed", pgettext_lazy("compliance action", "recorded the survey mission")
        COUNCIL_VOTED = "council_voted", pgettext_lazy("compliance action", "recorded the appraisal council's vote")
        RECOGNISED = "recognised", pgettext_lazy("compliance action", "recorded the recognition decision")
        COMMENTED = "commented", pgettext_lazy("compliance action", "commented")

    school_path = "assessment__school"
    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="events", verbose_name=_("self-assessment"))
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_stage = models.CharField(pgettext_lazy("history", "from"), max_length=20, choices=Assessment.Stage.choices, blank=True)
    to_stage = models.CharField(pgettext_lazy("history", "to"), max_length=20, choices=Assessment.Stage.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=pgettext_lazy("history", "by")
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(pgettext_lazy("history", "at"), auto_now_add=True)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.created_at:%d/%m/%Y}"
