"""The training side: the programme catalogue, annual plans and classes.

The programme catalogue (``Programme``, ``Module``, ``ClassificationBand``) belongs to the Academy
and is shared by every school. Plans and classes belong to one school.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import SchoolScopedQuerySet, TimeStampedModel
from schools.models import School, Staff

MARK_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10"))]


def mark_field(verbose_name, **kwargs):
    """A mark on the 10-point scale, two decimals (e.g. 7.25)."""
    return models.DecimalField(verbose_name, max_digits=4, decimal_places=2, validators=MARK_VALIDATORS, **kwargs)


def mark_range_check(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0, f"{field}__lte": 10}), name=name
    )


class Classification(models.TextChoices):
    """Graduation classification, best first. The numeric cut-offs are data (``ClassificationBand``)."""

    EXCELLENT = "excellent", _("excellent")
    VERY_GOOD = "very_good", _("very good")
    GOOD = "good", _("good")
    FAIRLY_GOOD = "fairly_good", _("fairly good")
    AVERAGE = "average", _("average")


# The defaults a new programme starts with (the Academy may change them per programme).
DEFAULT_BANDS = [
    (Classification.EXCELLENT, Decimal("9.00")),
    (Classification.VERY_GOOD, Decimal("8.00")),
    (Classification.GOOD, Decimal("7.00")),
    (Classification.FAIRLY_GOOD, Decimal("6.00")),
    (Classification.AVERAGE, Decimal("5.00")),
]


class Programme(TimeStampedModel):
    """A training or refresher programme of the Academy's catalogue (not school-owned)."""

    class Kind(models.TextChoices):
        INTERMEDIATE = "intermediate", _("intermediate political theory")
        ADVANCED = "advanced", _("advanced political theory")
        ELEMENTARY = "elementary", _("elementary political theory")
        REFRESHER = "refresher", _("refresher course")
        OTHER = "other", _("other")

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"), null=True, blank=True)
    has_thesis = models.BooleanField(_("thesis"), default=False)
    has_exam = models.BooleanField(_("graduation exam"), default=False)
    thesis_weight = models.DecimalField(
        _("thesis weight"), max_digits=4, decimal_places=2, default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    exam_weight = models.DecimalField(
        _("graduation exam weight"), max_digits=4, decimal_places=2, default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    module_pass_mark = models.DecimalField(
        _("pass mark of a module"), max_digits=4, decimal_places=2, default=Decimal("5"), db_default=Decimal("5"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10"))],
        help_text=_("A module (or the thesis, or the exam) marked below it needs a re-sit mark before graduation."),
    )
    issues_diploma = models.BooleanField(
        _("issues a diploma"), default=True, help_text=_("Unticked: the course ends with a certificate.")
    )
    active = models.BooleanField(pgettext_lazy("in force", "active"), default=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("courses:programme_detail", kwargs={"pk": self.pk})


class Module(models.Model):
    """A module or knowledge block (học phần) with its weight in the average."""

    programme = models.ForeignKey(Programme, models.CASCADE, related_name="modules", verbose_name=_("programme"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=200)
    weight = models.DecimalField(
        _("weight"), max_digits=4, decimal_places=2, default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["programme", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "order"], name="module_unique_order"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="module_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class ClassificationBand(models.Model):
    """Lowest average that earns a classification in one programme (see services.classify)."""

    programme = models.ForeignKey(Programme, models.CASCADE, related_name="bands", verbose_name=_("programme"))
    label = models.CharField(_("classification"), max_length=15, choices=Classification.choices)
    min_average = mark_field(_("minimum average"))

    class Meta:
        verbose_name = _("classification band")
        verbose_name_plural = _("classification bands")
        ordering = ["programme", "-min_average"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "label"], name="band_unique_label"),
            mark_range_check("min_average", "band_min_average_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_label_display()} ≥ {self.min_average}"


class AnnualPlan(TimeStampedModel):
    """A school's annual training plan (kế hoạch đào tạo, bồi dưỡng năm)."""

    school_path = "school"
    objects = SchoolScopedQuerySet.as_manager()

    school = models.ForeignKey(School, models.PROTECT, related_name="training_plans", verbose_name=_("school"))
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("annual training plan")
        verbose_name_plural = _("annual training plans")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["school", "year"], name="plan_unique_year_per_school")]

    def __str__(self) -> str:
        return str(_("Plan %(year)s") % {"year": self.year})

    def get_absolute_url(self) -> str:
        return reverse("courses:plan_detail", kwargs={"school_code": self.school.code, "pk": self.pk})


class PlanLine(models.Model):
    """Planned classes and learner-turns of one programme in a plan."""

    school_path = "plan__school"

    plan = models.ForeignKey(AnnualPlan, models.CASCADE, related_name="lines", verbose_name=_("plan"))
    programme = models.ForeignKey(Programme, models.PROTECT, related_name="plan_lines", verbose_name=_("programme"))
    planned_classes = models.PositiveIntegerField(_("planned classes"), default=0)
    planned_learners = models.PositiveIntegerField(_("planned learner-turns"), default=0)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan line")
        verbose_name_plural = _("plan lines")
        ordering = ["plan", "programme__kind", "programme__name"]
        constraints = [models.UniqueConstraint(fields=["plan", "programme"], name="planline_unique_programme")]

    def __str__(self) -> str:
        return f"{self.programme}: {self.planned_classes} / {self.planned_learners}"


class TrainingClass(TimeStampedModel):
    """A class (lớp) of a programme run by a school."""

    class Mode(models.TextChoices):
        # "full-time" alone means a lecturer category elsewhere (cơ hữu); the mode is "tập trung".
        FULL_TIME = "full_time", pgettext_lazy("training mode", "full-time")
        IN_SERVICE = "in_service", pgettext_lazy("training mode", "in-service")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        CLOSED = "closed", _("closed")

    class JointSide(models.TextChoices):
        """Who teaches a joint class, and who issues its diploma."""

        SCHOOL = "school", _("the school")
        PARTNER = "partner", _("the partner academy")
        BOTH = "both", _("both")

    school_path = "school"
    objects = SchoolScopedQuerySet.as_manager()

    school = models.ForeignKey(School, models.PROTECT, related_name="classes", verbose_name=_("school"))
    # A class run jointly (liên kết) with the Academy or a regional academy, e.g. Cao cấp lý luận chính
    # trị hosted at the school: counted apart from the school's own classes (courses.selectors).
    partner = models.ForeignKey(
        School, models.PROTECT, null=True, blank=True, related_name="joint_classes",
        verbose_name=_("run jointly with"), limit_choices_to={"kind__in": ["academy", "member_academy"]},
        help_text=_("The Academy or regional academy the class is run with (liên kết); empty for the school's own class."),
    )
    # db_default: raw bulk writers (bench.synthetic, imports) that list their own columns keep working.
    taught_by = models.CharField(_("taught by"), max_length=10, choices=JointSide.choices, blank=True,
                                 default="", db_default="")
    diploma_by = models.CharField(
        _("diploma issued by"), max_length=10, blank=True, default="", db_default="",
        choices=[(JointSide.SCHOOL, JointSide.SCHOOL.label), (JointSide.PARTNER, JointSide.PARTNER.label)],
    )
    code = models.CharField(_("class code"), max_length=30, help_text=_("e.g. K52A"))
    name = models.CharField(_("name"), max_length=200)
    programme = models.ForeignKey(Programme, models.PROTECT, related_name="classes", verbose_name=_("programme"))
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices, default=Mode.FULL_TIME)
    venue = models.CharField(
        _("venue"), max_length=200, blank=True, help_text=_("Leave empty when the class meets at the school.")
    )
    opening_date = models.DateField(_("opening date"))
    closing_date = models.DateField(_("closing date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    adviser = models.ForeignKey(
        Staff, models.SET_NULL, null=True, blank=True, related_name="advised_classes", verbose_name=_("class adviser")
    )
    planned_size = models.PositiveIntegerField(_("planned size"), null=True, blank=True)
    opening_decision_number = models.CharField(_("opening decision number"), max_length=100, blank=True)
    opening_decision_date = models.DateField(_("opening decision date"), null=True, blank=True)
    closing_decision_number = models.CharField(_("closing decision number"), max_length=100, blank=True)
    closing_decision_date = models.DateField(_("closing decision date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["-opening_date", "code"]
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="class_unique_code_per_school"),
            models.CheckConstraint(
                condition=Q(closing_date__isnull=True) | Q(closing_date__gte=models.F("opening_date")),
                name="class_closes_after_opening",
            ),
        ]
        indexes = [models.Index(fields=["school", "opening_date"], name="class_school_opening_idx")]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    def clean(self):
        super().clean()
        if self.closing_date and self.opening_date and self.closing_date < self.opening_date:
            raise ValidationError({"closing_date": _("The closing date cannot be before the opening date.")})
        if self.status == self.Status.CLOSED and not self.closing_date:
            raise ValidationError({"closing_date": _("A closed class needs its closing date.")})
        if self.adviser_id and self.school_id and self.adviser.school_id != self.school_id:
            raise ValidationError({"adviser": _("The class adviser must be a lecturer of this school.")})
        if (self.school_id and self.programme_id and self.school.kind == "commune_centre"
                and self.programme.kind == Programme.Kind.ADVANCED):
            raise ValidationError({"programme": _("A commune political centre does not run Cao cấp classes.")})
        self.clean_joint()

    def clean_joint(self):
        errors = {}
        if self.partner_id:
            if self.partner.kind not in (School.Kind.ACADEMY, School.Kind.MEMBER_ACADEMY):
                errors["partner"] = _("A class is run jointly with the Academy or a regional academy.")
            elif self.partner_id == self.school_id:
                errors["partner"] = _("A school cannot run a class jointly with itself.")
            if not self.taught_by:
                errors["taught_by"] = _("Say who teaches the joint class.")
            if not self.diploma_by:
                errors["diploma_by"] = _("Say who issues the diploma of the joint class.")
        elif self.taught_by or self.diploma_by:
            errors["partner"] = _("Choose the partner academy of the joint class.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_joint(self) -> bool:
        return self.partner_id is not None

    def get_absolute_url(self) -> str:
        return reverse("courses:class_detail", kwargs={"school_code": self.school.code, "pk": self.pk})
