"""Read-side queries of the reports: scopes, bulk headline figures and the big row sources.

Everything here reads many schools in a bounded number of queries: the number of queries of a
report depends on the number of sheets, never on the number of rows or schools.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from core.vietnamese import sort_key
from reports.clusters import ClusterInfo, get_cluster
from reports.models import Scope
from schools.models import School, Staff
from schools.selectors import schools_in_year, staff_at, with_names_in_year


@dataclass
class ReportScope:
    scope: str
    year: int
    school: School | None = None
    first_year: int | None = None  # the learner register may cover several years, up to ``year``
    cluster: ClusterInfo | None = None
    schools: list = field(default_factory=list)
    cache: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        if self.scope == Scope.SCHOOL:  # the name the school had in the year (its name history)
            return getattr(self.school, "name_in_year", None) or self.school.name
        if self.scope == Scope.CLUSTER:
            return self.cluster.name
        return str(_("National"))

    @property
    def years_label(self) -> str:
        if self.first_year and self.first_year != self.year:
            return f"{self.first_year}–{self.year}"
        return str(self.year)

    @property
    def school_ids(self) -> list[int]:
        return [school.pk for school in self.schools]


class ScopeError(ValueError):
    pass


FIRST_YEAR = 2000


def year_range() -> tuple[int, int]:
    """The years a report can be made for: 2000 … next year."""
    from django.utils import timezone

    return FIRST_YEAR, timezone.localdate().year + 1


def check_year(year: int) -> None:
    first, last = year_range()
    if not first <= year <= last:
        raise ScopeError(
            _("Reports are made for the years %(first)s to %(last)s; %(year)s is outside them.")
            % {"first": first, "last": last, "year": year}
        )


REGION_ORDER = ("north_mountains", "red_river", "north_central", "highlands", "south_east", "mekong", "national", "")


def national_order(school) -> tuple:
    """Region (north to south), provincial schools before the others, then the province's name."""
    region = REGION_ORDER.index(school.region) if school.region in REGION_ORDER else len(REGION_ORDER)
    province = school.province.name if school.province_id else ""
    place = province.removeprefix("Tỉnh ").removeprefix("Thành phố ")
    return (region, school.kind != School.Kind.PROVINCIAL, sort_key(place), sort_key(school.name))


def resolve_scope(
    *, scope: str, year: int, school=None, cluster_code: str = "", first_year: int | None = None
) -> ReportScope:
    """The schools a report covers: one school, a cluster's members in ``year``, or every school.
    ``first_year`` (≤ ``year``) makes the learner register cover the years ``first_year``…``year``."""
    check_year(year)
    if first_year is not None:
        check_year(first_year)
    if first_year is not None and first_year > year:
        raise ScopeError(_("The first year must not be after the year of the report."))
    first_year = first_year if first_year != year else None
    if scope == Scope.SCHOOL:
        if school is None:
            raise ScopeError(_("Choose a school."))
        school = (with_names_in_year(School.objects.filter(pk=school.pk), year)
                  .select_related("province", "merged_into").get())
        return ReportScope(scope, year, school=school, schools=[school], first_year=first_year)
    if scope == Scope.CLUSTER:
        cluster = get_cluster(cluster_code, year)
        if cluster is None:
            raise ScopeError(_("Emulation cluster “%(code)s” does not exist.") % {"code": cluster_code})
        schools = list(with_names_in_year(School.objects.filter(pk__in=cluster.member_ids), year)
                       .select_related("province", "merged_into").order_by("name"))
        return ReportScope(scope, year, cluster=cluster, schools=schools, first_year=first_year)
    if scope == Scope.NATIONAL:
        # The schools of the year (a school merged away on 01/07/2025 is in 2025, not in 2026),
        # by region, then province (the summary adds the cluster order).
        schools = list(
            with_names_in_year(schools_in_year(year).exclude(kind=School.Kind.ACADEMY), year)
            .select_related("province", "merged_into")
        )
        schools.sort(key=national_order)
        return ReportScope(scope, year, schools=schools, first_year=first_year)
    raise ScopeError(_("Unknown scope."))


# --- staff -------------------------------------------------------------------------------------
LECTURER = Q(is_lecturer=True)
STAFF_AGGREGATES = {
    "total": Count("pk"),
    "lecturers": Count("pk", filter=LECTURER),
    "full_time_lecturers": Count("pk", filter=LECTURER & Q(category=Staff.Category.FULL_TIME)),
    "masters_or_higher": Count(
        "pk", filter=LECTURER & Q(degree__in=[Staff.Degree.MASTER, Staff.Degree.DOCTOR])
    ),
    "doctors": Count("pk", filter=LECTURER & Q(degree=Staff.Degree.DOCTOR)),
    "principal_or_higher": Count(
        "pk", filter=LECTURER & Q(lecturer_rank__in=[Staff.LecturerRank.PRINCIPAL, Staff.LecturerRank.SENIOR])
    ),
    "classics": Count("pk", filter=LECTURER & Q(classics_certificate=True)),
}


def staff_on(school_ids, day: datetime.date | None = None):
    """The staff of the schools on ``day`` (``schools.selectors.staff_at``: joined on or before
    it, not yet left); without a day, the staff active today."""
    if day is None:
        return Staff.objects.filter(school_id__in=school_ids, active=True)
    return staff_at(list(School.objects.filter(pk__in=school_ids)), day)


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def staff_summaries(school_ids, day: datetime.date | None = None) -> dict[int, dict]:
    """``schools.selectors.staff_summary`` for many schools in one query (same keys, same rules),
    of the staff on ``day`` (31/12 of a report's year) or, without a day, active today."""
    empty = dict.fromkeys(STAFF_AGGREGATES, 0)
    result = {school_id: dict(empty) for school_id in school_ids}
    rows = (
        staff_on(school_ids, day)
        .order_by()
        .values("school_id")
        .annotate(**STAFF_AGGREGATES)
    )
    for row in rows:
        result[row.pop("school_id")] = row
    return result


STAFF_BREAKDOWN_FIELDS = ("category", "degree", "academic_title", "lecturer_rank", "theory_level", "sex")
AGE_BANDS = ("under_30", "30_39", "40_49", "50_plus", "unknown")


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29/02 in a year that has none
        return day.replace(year=day.year - years, day=28)


def age_band_conditions(day: datetime.date, field: str = "date_of_birth") -> dict[str, Q]:
    """The age bands (< 30, 30–39, 40–49, ≥ 50, not stated) on ``day`` as conditions on a date of
    birth: under N on ``day`` ⇔ born after the same day N years before."""

    def born_after(years):
        return _years_before(day, years)

    return {
        "under_30": Q(**{f"{field}__gt": born_after(30)}),
        "30_39": Q(**{f"{field}__gt": born_after(40), f"{field}__lte": born_after(30)}),
        "40_49": Q(**{f"{field}__gt": born_after(50), f"{field}__lte": born_after(40)}),
        "50_plus": Q(**{f"{field}__lte": born_after(50)}),
        "unknown": Q(**{f"{field}__isnull": True}),
    }


def staff_breakdown(school_ids, day: datetime.date | None = None) -> dict[str, dict[str, dict[str, int]]]:
    """The staff on ``day`` (or active today) counted by category, degree, academic title, rank,
    theory level, sex and age band: ``{field: {value: {"staff": all of them, "lecturers": of whom
    lecturers}}}`` (``age_band``: the keys of ``AGE_BANDS``). Seven grouped queries, whatever the
    number of staff."""
    breakdown = {}
    base = staff_on(school_ids, day).order_by()
    counts = {"staff": Count("pk"), "lecturers": Count("pk", filter=LECTURER)}
    for field_name in STAFF_BREAKDOWN_FIELDS:
        breakdown[field_name] = {
            row.pop(field_name): row for row in base.values(field_name).annotate(**counts)
        }
    aggregates = {}
    for band, condition in age_band_conditions(day or datetime.date.today()).items():
        aggregates[f"{band}__staff"] = Count("pk", filter=condition)
        aggregates[f"{band}__lecturers"] = Count("pk", filter=condition & LECTURER)
    ages = base.aggregate(**aggregates)
    breakdown["age_band"] = {
        band: {"staff": ages[f"{band}__staff"], "lecturers": ages[f"{band}__lecturers"]} for band in AGE_BANDS
    }
    return breakdown


STAFF_LIST_FIELDS = (
    "full_name",
    "date_of_birth",
    "sex",
    "unit__name",
    "position",
    "is_lecturer",
    "category",
    "degree",
    "academic_title",
    "lecturer_rank",
    "theory_level",
    "classics_certificate",
)


def staff_list(school_ids, day: datetime.date | None = None):
    return (
        staff_on(school_ids, day)
        .order_by("school__name", "name_sort_key", "pk")
        .values_list("school__name", *STAFF_LIST_FIELDS)
    )


# --- learner register --------------------------------------------------------------------------
REGISTER_CHUNK = 5000
REGISTER_FIELDS = (
    "training_class__school__name",
    "training_class__code",
    "training_class__name",
    "training_class__programme__name",
    "training_class__mode",
    "training_class__opening_date",
    "training_class__closing_date",
    "learner__full_name",
    "learner__cccd",
    "learner__date_of_birth",
    "learner__sex",
    "seen_ethnic",  # the class's school's own details of the learner (see seen_by_the_class_school)
    "seen_position",
    "seen_workplace",
    "status",
    "average",
    "classification",
    "diploma_number",
    "diploma_date",
)


def register_condition(year: int, first_year: int | None = None) -> Q:
    """The enrollments a year's figures count: those of the classes opened in the year (the
    learner-turns) and those of the classes whose graduation falls in the year (the graduates,
    ``courses.selectors.graduation_in``) — or in the years ``first_year``…``year``."""
    first = first_year or year
    p = "training_class__"
    return (
        Q(**{f"{p}opening_date__year__gte": first, f"{p}opening_date__year__lte": year})
        | Q(**{f"{p}closing_decision_date__year__gte": first, f"{p}closing_decision_date__year__lte": year})
        | Q(**{f"{p}closing_decision_date__isnull": True, f"{p}closing_date__year__gte": first,
               f"{p}closing_date__year__lte": year})
    )


def seen_by_the_class_school(path: str):
    """A learner's detail as the class's school recorded it (issue 13 item 1): the learner's own field
    when that school recorded the person, else the school's ``LearnerDetails`` (empty when none) —
    never what another school recorded."""
    from django.db.models import Case, F, OuterRef, Subquery, When

    from courses.models import LearnerDetails

    own = LearnerDetails.objects.filter(learner=OuterRef("learner"), school=OuterRef("training_class__school"))
    return Case(When(learner__recorded_by=F("training_class__school"), then=F(f"learner__{path}")),
                default=Subquery(own.values(path)[:1]))


def school_position(school_ids, path: str = "training_class__school_id"):
    """The position of the row's school in ``school_ids`` (the order of the scope's schools)."""
    from django.db.models import Case, IntegerField, Value, When

    school_ids = list(school_ids)
    if len(school_ids) < 2:
        return Value(0, output_field=IntegerField())
    return Case(*(When(**{path: pk}, then=Value(position)) for position, pk in enumerate(school_ids)),
                default=Value(len(school_ids)), output_field=IntegerField())


def learner_register(school_ids, year: int, first_year: int | None = None, *, exclude=(), positioned=False):
    """The enrollments the year's learner-turn and graduate figures count (``register_condition``)
    — or those of the years ``first_year``…``year`` — as plain tuples in one joined query, school by
    school in the order of ``school_ids`` (the scope's order; the schools in ``exclude`` left out;
    ``positioned`` adds the school's position in ``school_ids`` as the last value); stream it with
    ``.iterator(chunk_size=REGISTER_CHUNK)``."""
    from courses.models import Enrollment

    school_ids = list(school_ids)
    fields = (*REGISTER_FIELDS, "school_position") if positioned else REGISTER_FIELDS
    return (
        Enrollment.objects.filter(training_class__school_id__in=[pk for pk in school_ids if pk not in set(exclude)])
        .filter(register_condition(year, first_year))
        .annotate(seen_ethnic=seen_by_the_class_school("ethnic_group__name"),
                  seen_position=seen_by_the_class_school("position"),
                  seen_workplace=seen_by_the_class_school("workplace"),
                  school_position=school_position(school_ids))
        .order_by(
            "school_position", "training_class__opening_date", "training_class__code",
            "learner__name_sort_key", "pk",
        )
        .values_list(*fields)
    )
