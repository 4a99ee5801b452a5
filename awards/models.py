"""The awards register (sổ khen thưởng): every emulation title (danh hiệu thi đua) and form of
commendation (hình thức khen thưởng) a school or one of its staff received, whoever conferred it.

Who may confer which award is data: ``AwardKind`` rows carry the conferring level (the school's
head, the province, the Academy's Director, the Prime Minister, the State President). The cluster
pipeline (emulation app) proposes to the Academy only the kinds the Academy's Director confers;
its approved awards are entered here automatically (``Award.proposal``).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import SchoolScopedQuerySet, TimeStampedModel
from schools.models import School, Staff


class ConferringLevel(models.TextChoices):
    SCHOOL_HEAD = "school_head", _("the school's head")
    PROVINCE = "province", _("the province")
    ACADEMY_DIRECTOR = "academy_director", _("the Director of the Academy")
    PRIME_MINISTER = "prime_minister", _("the Prime Minister")
    STATE_PRESIDENT = "state_president", _("the State President")


class AwardKind(models.Model):
    """One kind of award and who confers it (a table the Academy keeps, not code)."""

    class Category(models.TextChoices):
        TITLE = "title", _("emulation title")
        COMMENDATION = "commendation", _("form of commendation")

    class Recipient(models.TextChoices):
        COLLECTIVE = "collective", _("collective")
        INDIVIDUAL = "individual", _("individual")
        BOTH = "both", _("collective or individual")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    category = models.CharField(_("category"), max_length=15, choices=Category.choices)
    recipient = models.CharField(_("awarded to"), max_length=12, choices=Recipient.choices, default=Recipient.BOTH)
    level = models.CharField(_("conferred by"), max_length=20, choices=ConferringLevel.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("kind of award")
        verbose_name_plural = _("kinds of award")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def conferred_by_academy(self) -> bool:
        return self.level == ConferringLevel.ACADEMY_DIRECTOR


class Award(TimeStampedModel):
    """One award received by a school or by one of its staff."""

    class Occasion(models.TextChoices):
        CLUSTER = "cluster", _("emulation cluster season")
        NATIONAL = "national", _("national conference of the Academy")
        SCHOOL = "school", _("school's year-end review")
        PROVINCIAL = "provincial", _("provincial")
        STATE = "state", _("state")

    school_path = "school"
    objects = SchoolScopedQuerySet.as_manager()

    school = models.ForeignKey(School, models.PROTECT, related_name="awards", verbose_name=_("school"))
    staff = models.ForeignKey(
        Staff, models.PROTECT, null=True, blank=True, related_name="awards", verbose_name=_("individual"),
        help_text=_("Leave empty for an award to the school."),
    )
    kind = models.ForeignKey(AwardKind, models.PROTECT, related_name="awards", verbose_name=_("award"))
    year = models.PositiveSmallIntegerField(
        _("for the year"), validators=[MinValueValidator(1945), MaxValueValidator(2100)]
    )
    occasion = models.CharField(_("occasion"), max_length=12, choices=Occasion.choices)
    authority = models.CharField(
        _("conferring authority"), max_length=200, blank=True,
        help_text=_("e.g. Chủ tịch UBND tỉnh Nghệ An; empty: the level of the award."),
    )
    decision_number = models.CharField(_("decision number"), max_length=100)
    decision_date = models.DateField(_("decision date"))
    achievements = models.TextField(_("achievements"), blank=True)
    proposal = models.OneToOneField(
        "emulation.AwardProposal", models.PROTECT, null=True, blank=True, related_name="register_entry",
        verbose_name=_("cluster proposal"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("entered by")
    )

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards register")
        ordering = ["-year", "-decision_date", "pk"]
        indexes = [models.Index(fields=["school", "year"], name="award_school_year_idx")]

    def __str__(self) -> str:
        return f"{self.kind} — {self.recipient}"

    def get_absolute_url(self) -> str:
        return reverse("awards:award_update", kwargs={"school_code": self.school.code, "pk": self.pk})

    @property
    def recipient(self):
        return self.staff or self.school

    @property
    def authority_label(self) -> str:
        return self.authority or self.kind.get_level_display()

    @property
    def from_cluster(self) -> bool:
        return self.proposal_id is not None

    def clean(self):
        errors = {}
        if self.staff_id and self.school_id and self.staff.school_id != self.school_id:
            errors["staff"] = _("The person must work at this school.")
        kind = self.kind if self.kind_id else None
        if kind is not None:
            if kind.recipient == AwardKind.Recipient.COLLECTIVE and self.staff_id:
                errors["kind"] = _("This award is for a school, not for a person.")
            if kind.recipient == AwardKind.Recipient.INDIVIDUAL and not self.staff_id:
                errors["kind"] = _("This award is for a person; choose the person.")
        if self.decision_date and self.year and self.decision_date.year < self.year:
            errors["decision_date"] = _("The decision cannot be dated before the year it rewards.")
        if errors:
            raise ValidationError(errors)
