"""Training: the programme catalogue, annual plans, classes, learners, enrollments and marks.

The programme catalogue (``Programme``, ``Module``, ``ClassificationBand``) belongs to the Academy
and is shared by every school. Plans and classes belong to one school. A ``Learner`` is one person
across schools (identified by an identity document: CCCD, CMND or a passport); a school sees a
learner only through the enrollments in its own classes, and sees the person's details (party
dates, hometown, workplace …) only as it entered them itself (``LearnerDetails``).
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import PersonName, SchoolScopedQuerySet, TimeStampedModel
from schools.models import EthnicGroup, School, Staff

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


class LearnerQuerySet(SchoolScopedQuerySet):
    def for_school(self, school):
        """Learners enrolled in at least one class of ``school`` (each person once)."""
        enrolled = Enrollment.objects.filter(learner=OuterRef("pk"), training_class__school=school)
        return self.filter(Exists(enrolled))

    def listed_at(self, school, *, name: str = "", cccd: str = ""):
        """The learners of ``school``'s list (each once), through SchoolLearner in one join; ``name``
        (folded, see core.vietnamese.fold) or ``cccd`` digits search the same join. Same set as
        ``for_school``."""
        return self.filter(**SchoolLearner.condition(school, name=name, cccd=cccd, prefix="school_links__"))


class DocumentType(models.TextChoices):
    """The identity document a learner is known by (issue 14, item 7)."""

    CCCD = "cccd", _("citizen ID card (CCCD)")
    CMND = "cmnd", _("old identity card (CMND)")
    PASSPORT = "passport", _("passport / foreign identity document")


# The details of a person that each school records for itself (see LearnerDetails); the rest of a
# Learner (name, document, date of birth, sex) is the shared identity.
DETAIL_FIELDS = (
    "ethnic_group", "religion", "hometown", "party_joined_on", "party_official_on", "position", "workplace",
    "workplace_level", "education", "theory_level",
)
IDENTITY_FIELDS = ("full_name", "document_type", "cccd", "nationality", "former_number", "date_of_birth", "sex")


class LearnerDetailsFields(models.Model):
    """The details a school records about a learner (one school never sees another's)."""

    class WorkplaceLevel(models.TextChoices):
        CENTRAL = "central", _("central")
        PROVINCIAL = "provincial", _("provincial")
        DISTRICT = "district", _("district (until 01/07/2025)")
        COMMUNE = "commune", _("commune")
        OTHER = "other", _("other")

    TheoryLevel = Staff.TheoryLevel

    ethnic_group = models.ForeignKey(
        EthnicGroup, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("ethnicity")
    )
    religion = models.CharField(_("religion"), max_length=100, blank=True)
    hometown = models.CharField(_("hometown"), max_length=255, blank=True)
    party_joined_on = models.DateField(_("date joined the Party"), null=True, blank=True)
    party_official_on = models.DateField(_("date made official"), null=True, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    workplace = models.CharField(_("workplace"), max_length=255, blank=True)
    workplace_level = models.CharField(
        _("level of the workplace"), max_length=12, choices=WorkplaceLevel.choices, blank=True
    )
    education = models.CharField(_("education degree"), max_length=150, blank=True)
    theory_level = models.CharField(
        _("political-theory level"), max_length=12, choices=Staff.TheoryLevel.choices, blank=True
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.party_official_on and not self.party_joined_on:
            raise ValidationError({"party_joined_on": _("Give the date joined the Party.")})
        if self.party_official_on and self.party_official_on < self.party_joined_on:
            raise ValidationError(
                {"party_official_on": _("The date made official cannot be before the date joined the Party.")})


def party_dates_check(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(party_official_on__isnull=True)
        | Q(party_joined_on__isnull=False, party_official_on__gte=models.F("party_joined_on")),
        name=name,
    )


class Learner(PersonName, LearnerDetailsFields, TimeStampedModel):
    """A learner (học viên): one person, whatever the class, year or school, identified by an
    identity document (type + number; ``cccd`` holds the number of whichever document it is).

    The detail fields (``DETAIL_FIELDS``) stored here are those of the school that recorded the
    person first (``recorded_by``); every other school keeps its own in ``LearnerDetails`` and
    reads them through ``details_at``. The identity (``IDENTITY_FIELDS``) is shared: a school may
    correct it only while the person is a learner of no other school; otherwise the Academy does.
    """

    WorkplaceLevel = LearnerDetailsFields.WorkplaceLevel
    DocumentType = DocumentType

    class Sex(models.TextChoices):
        MALE = "M", _("male")
        FEMALE = "F", _("female")

    school_path = "enrollments__training_class__school"
    history_per_school = True  # its change history at a school: the changes made at that school only

    # The name keys without PersonName's btree indexes: every index is a cost per imported row, and no
    # page reads these two (the national search uses the trigram GIN of migration 0004, the school's list
    # SchoolLearner's covering index); the name order keeps one plain btree (Meta.indexes).
    search_name = models.CharField(max_length=150, editable=False, default="")
    name_sort_key = models.CharField(max_length=255, editable=False, default="")

    document_type = models.CharField(
        _("identity document"), max_length=10, choices=DocumentType.choices, default=DocumentType.CCCD
    )
    cccd = models.CharField(_("identity document number"), max_length=20)
    nationality = models.CharField(
        _("nationality"), max_length=100, blank=True, help_text=_("For a passport or a foreign identity document.")
    )
    former_number = models.CharField(
        _("former CMND number"), max_length=9, blank=True,
        help_text=_("The 9-digit identity card number this person had before the citizen ID card, if known."),
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    ethnic_group = models.ForeignKey(
        EthnicGroup, models.PROTECT, null=True, blank=True, related_name="learners", verbose_name=_("ethnicity")
    )
    recorded_by = models.ForeignKey(
        School, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("recorded by"),
        editable=False,
    )

    objects = LearnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("learner")
        verbose_name_plural = _("learners")
        ordering = ["name_sort_key"]
        indexes = [models.Index(fields=["name_sort_key"], name="learner_name_order_idx")]  # the Academy's list order
        constraints = [
            # Never name the person behind a number: the other record may be another school's learner.
            models.UniqueConstraint(
                fields=["cccd", "document_type", "nationality"], name="learner_unique_document",
                violation_error_message=_("This identity document number is already recorded with other details; "
                                          "check the number, the name and the date of birth."),
            ),
            models.CheckConstraint(
                condition=Q(document_type="cccd", cccd__regex=r"^[0-9]{12}$", nationality="")
                | Q(document_type="cmnd", cccd__regex=r"^[0-9]{9}$", nationality="")
                | (Q(document_type="passport", cccd__regex=r"^[A-Z0-9]{5,20}$") & ~Q(nationality="")),
                name="learner_document_number_format",
                violation_error_message=_("The identity document number does not fit the kind of document."),
            ),
            party_dates_check("learner_party_official_after_joined"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean(self):
        from courses.validators import validate_document

        errors = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if self.cccd:
            try:
                self.cccd, self.nationality = validate_document(
                    self.document_type, self.cccd, nationality=self.nationality, date_of_birth=self.date_of_birth,
                    sex=self.sex)
            except ValidationError as exc:
                errors["cccd"] = exc.messages
        if errors:
            raise ValidationError(errors)

    @property
    def document_label(self) -> str:
        """“CCCD 040185000001”, “CMND 186123456”, “Hộ chiếu P1234567 (Lào)”."""
        short = {DocumentType.CCCD: "CCCD", DocumentType.CMND: "CMND"}.get(self.document_type)
        if short:
            return f"{short} {self.cccd}"
        return f"{_('Passport')} {self.cccd} ({self.nationality})"

    def details_at(self, school_id):
        """The details of this person as the school ``school_id`` recorded them: the learner itself
        for the school that recorded the person, else that school's ``LearnerDetails`` (empty when it
        recorded none). Uses ``details_here`` when prefetched (``details_prefetch``)."""
        school_id = getattr(school_id, "pk", school_id)
        if self.recorded_by_id is not None and self.recorded_by_id == school_id:
            return self
        rows = getattr(self, "details_here", None)
        if rows is None:
            rows = list(LearnerDetails.objects.filter(learner=self, school_id=school_id)[:1])
        found = [row for row in rows if row.school_id == school_id]
        return found[0] if found else LearnerDetails(learner=self, school_id=school_id)

    @staticmethod
    def details_prefetch(school, prefix: str = ""):
        """Prefetch one school's details of many learners (``prefix`` e.g. "learner__")."""
        return models.Prefetch(
            f"{prefix}school_details", queryset=LearnerDetails.objects.filter(school=school).select_related("ethnic_group"),
            to_attr="details_here",
        )


class LearnerDetails(LearnerDetailsFields, TimeStampedModel):
    """A school's own record of a learner's details, for every school but the one that recorded the
    person (whose details are the learner's own fields). Another school's edit never changes them."""

    school_path = "school"

    school = models.ForeignKey(School, models.CASCADE, related_name="+", verbose_name=_("school"))
    learner = models.ForeignKey(Learner, models.CASCADE, related_name="school_details", verbose_name=_("learner"))

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("learner details of a school")
        verbose_name_plural = _("learner details of schools")
        constraints = [
            models.UniqueConstraint(fields=["learner", "school"], name="learnerdetails_unique"),
            party_dates_check("learnerdetails_party_official_after_joined"),
        ]

    def __str__(self) -> str:
        return str(self.learner)


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


class SchoolLearner(models.Model):
    """A learner of a school's classes, once per school, with copies of the name's search and sort
    keys: what the school's learner list reads.

    Counting, searching and paging a school's learners through their enrollments meant reading
    every learner of the country (1.36 million at national size) or every enrollment of the school:
    0.3–0.9 s for a common name (`make bench`). One index of this table, (school, name order,
    learner) with the search name included, answers the count, the search and the page in one
    index-only range of the school's rows (~12 ms for a 90,000-learner school, any query).

    Kept by courses/school_learners.py: every enrollment made or deleted through the ORM (signals),
    the bulk paths (import, demo, synthetic data) explicitly, renames of a learner. Tenancy checks
    of single records keep reading the enrollments (``Learner.objects.for_school``).
    """

    school = models.ForeignKey(School, models.CASCADE, related_name="+", db_index=False, verbose_name=_("school"))
    learner = models.ForeignKey(
        Learner, models.CASCADE, related_name="school_links", db_index=False, verbose_name=_("learner")
    )
    search_name = models.CharField(max_length=150, editable=False)
    name_sort_key = models.CharField(max_length=255, editable=False)
    cccd = models.CharField(max_length=20, editable=False)

    class Meta:
        verbose_name = _("learner of a school")
        verbose_name_plural = _("learners of schools")
        constraints = [models.UniqueConstraint(fields=["learner", "school"], name="schoollearner_unique")]
        indexes = [
            models.Index(
                fields=["school", "name_sort_key", "learner"], include=["search_name", "cccd"],
                name="schoollearner_list_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} @ {self.school_id}"

    @staticmethod
    def condition(school, *, name: str = "", cccd: str = "", prefix: str = "") -> dict:
        """Lookups for the rows of ``school`` matching a folded ``name`` or ``cccd`` digits."""
        condition = {f"{prefix}school": school}
        if name:
            condition[f"{prefix}search_name__contains"] = name
        if cccd:
            condition[f"{prefix}cccd__contains"] = cccd
        return condition


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


# --- Excel import of learners (see courses/importer.py) -------------------------------------------
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
