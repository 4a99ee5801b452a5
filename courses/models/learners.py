"""Learners: one person across schools (identified by an identity document: CCCD, CMND or a
passport). A school sees a learner only through the enrollments in its own classes, and sees the
person's details (party dates, hometown, workplace …) only as it entered them itself
(``LearnerDetails``); ``SchoolLearner`` is the school's list.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.models import PersonName, SchoolScopedQuerySet, TimeStampedModel
from schools.models import EthnicGroup, School, Staff


class LearnerQuerySet(SchoolScopedQuerySet):
    def for_school(self, school):
        """Learners enrolled in at least one class of ``school`` (each person once)."""
        enrollment = self.model._meta.get_field("enrollments").related_model  # courses.models.enrollments
        enrolled = enrollment.objects.filter(learner=OuterRef("pk"), training_class__school=school)
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
