"""Provinces (34 current, 63 former), ethnic groups, schools, their units and staff."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.apps import VIETNAMESE_COLLATION
from core.models import PersonName, SchoolScopedQuerySet, TimeStampedModel

MERGER_DATE = datetime.date(2025, 7, 1)
# Regulation 360-QĐ/TW (29/8/2025) created the commune/ward/special-zone political centres.
COMMUNE_CENTRES_FROM = datetime.date(2025, 8, 29)
# The district level ended with the 01/07/2025 reorganisation (294-QĐ/TW, 06-HD/TW; DOMAIN.md §1.4).
DISTRICT_LEVEL_END = MERGER_DATE


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


class SchoolQuerySet(SchoolScopedQuerySet):
    def for_school(self, school):
        """A school's own row (tenancy: a school sees itself, nothing else)."""
        return self.filter(pk=school.pk if school is not None else None)


class School(TimeStampedModel):
    class Kind(models.TextChoices):
        PROVINCIAL = "provincial", _("provincial political school")
        MINISTRY = "ministry", _("ministry/sector cadre school")
        ACADEMY = "academy", _("Ho Chi Minh National Academy of Politics")
        MEMBER_ACADEMY = "member_academy", _("member academy")
        DISTRICT_CENTRE = "district_centre", _("district political centre (until 01/07/2025)")
        COMMUNE_CENTRE = "commune_centre", _("commune political centre (from 2025)")

    CENTRE_KINDS = (Kind.DISTRICT_CENTRE, Kind.COMMUNE_CENTRE)

    # The tenancy layer's view of a school: its own row (the change history page asks ``for_school``).
    school_path = "pk"
    objects = SchoolQuerySet.as_manager()

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
    established_on = models.DateField(
        _("in operation since"), null=True, blank=True,
        help_text=_("Leave empty when the school existed before the records begin."),
    )
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    successor = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="took_over_from",
        verbose_name=_("work taken over by"),
    )
    guided_by = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="guided_centres",
        verbose_name=_("guided by (provincial school)"),
        help_text=_("For a political centre: the provincial school that gives it professional guidance."),
    )
    active = models.BooleanField(_("active"), default=True)
    # The form of the school's official documents (REPORT_FORM.md); blank ones are derived from
    # the province and the name (reports/document.py).
    superior_body = models.CharField(
        _("superior body"), max_length=200, blank=True, db_default="", help_text=_("First line of the document heading, e.g. TỈNH ỦY NGHỆ AN.")
    )
    issuing_body = models.CharField(
        _("issuing body"), max_length=200, blank=True, db_default="",
        help_text=_("Second line of the document heading; the school's name in capitals when blank."),
    )
    place_name = models.CharField(
        _("place name"), max_length=100, blank=True, db_default="", help_text=_("Place in the date line, e.g. Nghệ An, Huế, TP. Hồ Chí Minh.")
    )
    document_symbol = models.CharField(
        _("document symbol"), max_length=30, blank=True, db_default="", help_text=_("After “-BC/” in the report number, e.g. TCT.")
    )
    signer_capacity = models.CharField(
        _("signing on behalf of"), max_length=100, blank=True, db_default="", help_text=_("e.g. T/M BAN GIÁM HIỆU (optional).")
    )
    signer_title = models.CharField(_("signer's title"), max_length=100, default="HIỆU TRƯỞNG", db_default="HIỆU TRƯỞNG")
    signer_name = models.CharField(_("signer's name"), max_length=150, blank=True, db_default="")
    cluster_signer_title = models.CharField(
        _("signer's title as cluster head"), max_length=100, default="CỤM TRƯỞNG", db_default="CỤM TRƯỞNG"
    )

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(merged_into__isnull=True) | models.Q(merged_on__isnull=False),
                name="school_merge_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(merged_on__isnull=True) | models.Q(dissolved_on__isnull=True),
                name="school_merged_or_dissolved",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("schools:overview", kwargs={"school_code": self.code})

    @property
    def is_academy(self) -> bool:
        return self.kind == self.Kind.ACADEMY

    def clean(self):
        super().clean()
        errors = {}
        if self.dissolved_on and self.merged_into_id:
            errors["dissolved_on"] = _("A school is either merged or dissolved, not both.")
        if self.successor_id and not self.dissolved_on:
            errors["dissolved_on"] = _("Give the date of the dissolution.")
        if self.pk and self.successor_id == self.pk:
            errors["successor"] = _("A school cannot take over its own work.")
        if self.guided_by_id and self.kind not in self.CENTRE_KINDS:
            errors["guided_by"] = _("Only a political centre is guided by a provincial school.")
        if self.kind == self.Kind.DISTRICT_CENTRE and self.established_on and self.established_on >= DISTRICT_LEVEL_END:
            errors["established_on"] = _("District political centres ended on 01/07/2025.")
        if self.kind == self.Kind.COMMUNE_CENTRE and self.established_on and self.established_on.year < 2025:
            errors["established_on"] = _("Commune political centres exist from 2025 (Regulation 360-QĐ/TW).")
        if self.kind == self.Kind.COMMUNE_CENTRE and self.founding_date and self.founding_date < COMMUNE_CENTRES_FROM:
            errors["founding_date"] = _("Commune political centres exist from 29/08/2025 (Regulation 360-QĐ/TW).")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # ``active`` stays the "exists today" flag; a past merger or dissolution clears it.
        if isinstance(self.ended_on, datetime.date):
            self.active = self.ended_on > timezone.localdate()
        super().save(*args, **kwargs)

    @property
    def is_centre(self) -> bool:
        return self.kind in self.CENTRE_KINDS

    @property
    def school_id(self):
        """The change log's path to "the school of this record" (``school_path = "school"``): itself —
        except for the entry of its own deletion, which cannot point at a row that is gone."""
        return None if getattr(self, "_being_deleted", False) else self.pk

    @property
    def ended_on(self):
        """The day the school stopped existing (merged or dissolved), or None while it exists."""
        return self.merged_on or self.dissolved_on

    def existed_on(self, day) -> bool:
        """True when the school existed on ``day`` (established on or before it, not yet ended)."""
        if self.established_on and self.established_on > day:
            return False
        return self.ended_on is None or self.ended_on > day

    def existed_in(self, year: int) -> bool:
        """True when the school existed at any time in ``year``."""
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        if self.established_on and self.established_on > end:
            return False
        return self.ended_on is None or self.ended_on > start

    @property
    def status_label(self) -> str:
        """"active", "merged into X on d/m/Y" or "dissolved on d/m/Y" (successor named when known)."""
        from django.utils.formats import date_format

        if self.merged_on:
            return _("merged into %(school)s on %(date)s") % {
                "school": self.merged_into.name, "date": date_format(self.merged_on, "SHORT_DATE_FORMAT")}
        if self.dissolved_on:
            label = _("dissolved on %(date)s") % {"date": date_format(self.dissolved_on, "SHORT_DATE_FORMAT")}
            if self.successor_id:
                label = _("%(label)s; work taken over by %(school)s") % {"label": label, "school": self.successor.name}
            return label
        return _("active") if self.active else _("inactive")


class SchoolName(models.Model):
    """One period of a school's official name and province (name history, DOMAIN.md §1.2).

    The period runs from ``valid_from`` (empty: since before the records) until the next record's
    ``valid_from``. ``province_name`` is the province or city as it was called then ("Tỉnh Quảng
    Bình" for 2022, though the school's current province is Quảng Trị).
    """

    school_path = "school"

    school = models.ForeignKey(School, models.CASCADE, related_name="names", verbose_name=_("school"))
    valid_from = models.DateField(
        _("valid from"), null=True, blank=True, help_text=_("Leave empty when the name predates the records.")
    )
    name = models.CharField(_("official name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    province_name = models.CharField(_("province / city"), max_length=100, blank=True)
    decision = models.CharField(_("decision"), max_length=100, blank=True)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("name period")
        verbose_name_plural = _("name history")
        ordering = ["school", models.F("valid_from").asc(nulls_first=True)]
        constraints = [models.UniqueConstraint(fields=["school", "valid_from"], name="schoolname_unique_start")]

    def __str__(self) -> str:
        return self.name


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
    joined_on = models.DateField(
        _("joined the school on"), null=True, blank=True,
        help_text=_("Leave empty when the person was already at the school before the records begin."),
    )
    left_on = models.DateField(
        _("left the school on"), null=True, blank=True,
        help_text=_("First day no longer at the school (transfer, retirement …). Empty while still there."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff and lecturers")
        ordering = ["name_sort_key"]
        indexes = [models.Index(fields=["school", "name_sort_key"], name="staff_school_sort_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(joined_on__isnull=True) | models.Q(left_on__isnull=True)
                | models.Q(left_on__gt=models.F("joined_on")),
                name="staff_leaves_after_joining",
            )
        ]

    def get_absolute_url(self) -> str:
        return reverse("schools:staff_detail", kwargs={"school_code": self.school.code, "pk": self.pk})

    def clean(self):
        super().clean()
        if self.joined_on and self.left_on and self.left_on <= self.joined_on:
            raise ValidationError({"left_on": _("The leaving date must be after the joining date.")})

    def save(self, *args, **kwargs):
        # ``active`` stays the "still here today" flag the lists filter on; a past leaving date clears it.
        if isinstance(self.left_on, datetime.date):
            self.active = self.left_on > timezone.localdate()
        super().save(*args, **kwargs)

    def was_member_on(self, day) -> bool:
        """True when the person belonged to the school on ``day`` (see ``schools.selectors.staff_at``)."""
        if self.joined_on and self.joined_on > day:
            return False
        if self.left_on is None:
            return self.active  # inactive without a date: left at an unknown time, not counted
        return self.left_on > day


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
