"""Provinces (34 current, 63 former), ethnic groups, schools, their units and staff."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.apps import VIETNAMESE_COLLATION
from core.models import PersonName, SchoolScopedQuerySet, TimeStampedModel

MERGER_DATE = datetime.date(2025, 7, 1)
# Regulation 360-QĐ/TW (29/8/2025) created the commune/ward/special-zone political centres.
COMMUNE_CENTRES_FROM = datetime.date(2025, 8, 29)


class Province(models.Model):
    """A current provincial-level unit (34 since 01/07/2025)."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("province")
        CITY = "city", _("centrally-run city")

    name = models.CharField(_("name"), max_length=100, unique=True, db_collation=VIETNAMESE_COLLATION)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("province / city")
        verbose_name_plural = _("provinces / cities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FormerProvince(models.Model):
    """One of the 63 provinces before the 2025 merger, with its CCCD code and where it went."""

    name = models.CharField(_("name"), max_length=100, unique=True, db_collation=VIETNAMESE_COLLATION)
    cccd_code = models.CharField(_("citizen ID code"), max_length=3, unique=True)
    merged_into = models.ForeignKey(
        Province, models.PROTECT, related_name="former_provinces", verbose_name=_("merged into")
    )
    merged_on = models.DateField(_("merged on"), default=MERGER_DATE)

    class Meta:
        verbose_name = _("former province (before 01/07/2025)")
        verbose_name_plural = _("former provinces (before 01/07/2025)")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EthnicGroup(models.Model):
    """The 54 officially recognised ethnic groups, in the official order."""

    order = models.PositiveSmallIntegerField(_("order"), unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("ethnic group")
        verbose_name_plural = _("ethnic groups")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class Region(models.TextChoices):
    NORTHERN_MOUNTAINS = "north_mountains", _("Northern midlands and mountains")
    RED_RIVER_DELTA = "red_river", _("Red River Delta")
    NORTH_CENTRAL = "north_central", _("North Central and Central Coast")
    CENTRAL_HIGHLANDS = "highlands", _("Central Highlands")
    SOUTH_EAST = "south_east", _("South-East")
    MEKONG = "mekong", _("Mekong Delta")
    NATIONAL = "national", _("National")


class School(TimeStampedModel):
    class Kind(models.TextChoices):
        PROVINCIAL = "provincial", _("provincial political school")
        MINISTRY = "ministry", _("ministry/sector cadre school")
        ACADEMY = "academy", _("Ho Chi Minh National Academy of Politics")
        MEMBER_ACADEMY = "member_academy", _("member academy")
        COMMUNE_CENTRE = "commune_centre", _("commune political centre")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PROVINCIAL)
    code = models.SlugField(
        _("code"), max_length=30, unique=True, help_text=_("Short unique code, e.g. NGHEAN.")
    )
    name = models.CharField(_("official name"), max_length=200, db_collation=VIETNAMESE_COLLATION)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    province = models.ForeignKey(
        Province, models.PROTECT, null=True, blank=True, related_name="schools", verbose_name=_("province / city")
    )
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    founding_decision = models.CharField(_("founding decision"), max_length=100, blank=True)
    founding_date = models.DateField(_("founding decision date"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="predecessors", verbose_name=_("merged into")
    )
    merged_on = models.DateField(_("merged on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(merged_into__isnull=True) | models.Q(merged_on__isnull=False),
                name="school_merge_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def clean(self):
        super().clean()
        if self.kind == self.Kind.COMMUNE_CENTRE and self.founding_date and self.founding_date < COMMUNE_CENTRES_FROM:
            raise ValidationError({"founding_date": _(
                "Commune political centres exist from 29/08/2025 (Regulation 360-QĐ/TW)."
            )})

    def get_absolute_url(self) -> str:
        return reverse("schools:overview", kwargs={"school_code": self.code})

    @property
    def is_academy(self) -> bool:
        return self.kind == self.Kind.ACADEMY


class Staff(PersonName, TimeStampedModel):
    """A staff member or lecturer of a school (cán bộ, viên chức, giảng viên)."""

    class Sex(models.TextChoices):
        MALE = "M", _("male")
        FEMALE = "F", _("female")

    class Category(models.TextChoices):
        FULL_TIME = "full_time", _("full-time")
        CONCURRENT = "concurrent", _("concurrent")
        VISITING = "visiting", _("visiting")

    class Degree(models.TextChoices):
        NONE = "", _("—")
        BACHELOR = "bachelor", _("bachelor")
        MASTER = "master", _("master")
        DOCTOR = "doctor", _("doctor")

    class AcademicTitle(models.TextChoices):
        NONE = "", _("—")
        ASSOCIATE_PROFESSOR = "assoc_prof", _("associate professor")
        PROFESSOR = "professor", _("professor")

    class LecturerRank(models.TextChoices):
        NONE = "", _("—")
        LECTURER = "lecturer", _("lecturer")
        PRINCIPAL = "principal", _("principal lecturer")
        SENIOR = "senior", _("senior lecturer")

    class TheoryLevel(models.TextChoices):
        NONE = "", _("—")
        ELEMENTARY = "elementary", _("elementary political theory")
        INTERMEDIATE = "intermediate", _("intermediate political theory")
        ADVANCED = "advanced", _("advanced political theory")
        BACHELOR = "bachelor", _("bachelor of politics")

    school_path = "school"
    objects = SchoolScopedQuerySet.as_manager()

    school = models.ForeignKey(School, models.PROTECT, related_name="staff", verbose_name=_("school"))
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    unit = models.ForeignKey(
        "OrgUnit", models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("faculty / office")
    )
    position = models.CharField(_("position"), max_length=150, blank=True)
    is_lecturer = models.BooleanField(_("lecturer"), default=False)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices, default=Category.FULL_TIME)
    degree = models.CharField(_("degree"), max_length=10, choices=Degree.choices, blank=True)
    academic_title = models.CharField(_("academic title"), max_length=12, choices=AcademicTitle.choices, blank=True)
    lecturer_rank = models.CharField(_("lecturer rank"), max_length=10, choices=LecturerRank.choices, blank=True)
    theory_level = models.CharField(
        _("political-theory level"), max_length=12, choices=TheoryLevel.choices, blank=True
    )
    classics_certificate = models.BooleanField(_("classics certificate"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff and lecturers")
        ordering = ["name_sort_key"]
        indexes = [models.Index(fields=["school", "name_sort_key"], name="staff_school_sort_idx")]

    def get_absolute_url(self) -> str:
        return reverse("schools:staff_detail", kwargs={"school_code": self.school.code, "pk": self.pk})


class OrgUnit(TimeStampedModel):
    """A faculty or office (khoa/phòng) as 09-QĐi/TW and 393-QĐ/TW describe them."""

    class Kind(models.TextChoices):
        FACULTY = "faculty", _("faculty")
        OFFICE = "office", _("office")

    class Function(models.TextChoices):
        BASIC_THEORY = "basic_theory", _("Faculty of Basic Theory")
        PARTY_BUILDING = "party_building", _("Faculty of Party Building")
        STATE_LAW = "state_law", _("Faculty of State and Law")
        TRAINING = "training", _("Office of Training Management and Research")
        ADMINISTRATION = "administration", _("Office of Organisation, Administration, Information and Documentation")
        OTHER = "other", _("other")

    school_path = "school"
    objects = SchoolScopedQuerySet.as_manager()

    school = models.ForeignKey(School, models.PROTECT, related_name="units", verbose_name=_("school"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    function = models.CharField(_("function"), max_length=20, choices=Function.choices, default=Function.OTHER)
    name = models.CharField(_("name"), max_length=200)
    head = models.ForeignKey(
        Staff, models.SET_NULL, null=True, blank=True, related_name="headed_units", verbose_name=_("head")
    )
    deputies = models.ManyToManyField(Staff, blank=True, related_name="deputy_of_units", verbose_name=_("deputies"))

    class Meta:
        verbose_name = _("faculty / office")
        verbose_name_plural = _("faculties / offices")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="orgunit_unique_name_per_school")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("schools:unit_detail", kwargs={"school_code": self.school.code, "pk": self.pk})
