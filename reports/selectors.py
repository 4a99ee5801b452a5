"""Read-side queries of the reports: scopes, bulk headline figures and the big row sources.

Everything here reads many schools in a bounded number of queries: the number of queries of a
report depends on the number of sheets, never on the number of rows or schools.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from reports.clusters import ClusterInfo, get_cluster
from reports.models import Scope
from schools.models import School, Staff


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
        if self.scope == Scope.SCHOOL:
            return self.school.name
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


def resolve_scope(
    *, scope: str, year: int, school=None, cluster_code: str = "", first_year: int | None = None
) -> ReportScope:
    """The schools a report covers: one school, a cluster's members in ``year``, or every school.
    ``first_year`` (≤ ``year``) makes the learner register cover the years ``first_year``…``year``."""
    if first_year is not None and first_year > year:
        raise ScopeError(_("The first year must not be after the year of the report."))
    first_year = first_year if first_year != year else None
    if scope == Scope.SCHOOL:
        if school is None:
            raise ScopeError(_("Choose a school."))
        return ReportScope(scope, year, school=school, schools=[school], first_year=first_year)
    if scope == Scope.CLUSTER:
        cluster = get_cluster(cluster_code, year)
        if cluster is None:
            raise ScopeError(_("Emulation cluster “%(code)s” does not exist.") % {"code": cluster_code})
        schools = list(School.objects.filter(pk__in=cluster.member_ids).order_by("name"))
        return ReportScope(scope, year, cluster=cluster, schools=schools, first_year=first_year)
    if scope == Scope.NATIONAL:
        schools = list(School.objects.exclude(kind=School.Kind.ACADEMY).order_by("kind", "name"))
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


def staff_summaries(school_ids) -> dict[int, dict]:
    """``schools.selectors.staff_summary`` for many schools in one query (same keys, same rules)."""
    empty = dict.fromkeys(STAFF_AGGREGATES, 0)
    result = {school_id: dict(empty) for school_id in school_ids}
    rows = (
        Staff.objects.filter(school_id__in=school_ids, active=True)
        .order_by()
        .values("school_id")
        .annotate(**STAFF_AGGREGATES)
    )
    for row in rows:
        result[row.pop("school_id")] = row
    return result


def staff_breakdown(school_ids) -> dict[str, dict[str, int]]:
    """Active staff counted by category, degree, academic title, rank and theory level (lecturers)."""
    breakdown = {}
    base = Staff.objects.filter(school_id__in=school_ids, active=True, is_lecturer=True).order_by()
    for field_name in ("category", "degree", "academic_title", "lecturer_rank", "theory_level"):
        counts = dict(base.values_list(field_name).annotate(n=Count("pk")).values_list(field_name, "n"))
        breakdown[field_name] = counts
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


def staff_list(school_ids):
    return (
        Staff.objects.filter(school_id__in=school_ids, active=True)
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


def seen_by_the_class_school(path: str):
    """A learner's detail as the class's school recorded it (issue 13 item 1): the learner's own field
    when that school recorded the person, else the school's ``LearnerDetails`` (empty when none) —
    never what another school recorded."""
    from django.db.models import Case, F, OuterRef, Subquery, When

    from courses.models import LearnerDetails

    own = LearnerDetails.objects.filter(learner=OuterRef("learner"), school=OuterRef("training_class__school"))
    return Case(When(learner__recorded_by=F("training_class__school"), then=F(f"learner__{path}")),
                default=Subquery(own.values(path)[:1]))


def learner_register(school_ids, year: int, first_year: int | None = None):
    """The enrollments of the classes opened in ``year`` (the year's learner-turns) — or in the
    years ``first_year``…``year`` — as plain tuples in one joined query; stream it with
    ``.iterator(chunk_size=REGISTER_CHUNK)``."""
    from courses.models import Enrollment

    years = {"training_class__opening_date__year__gte": first_year or year,
             "training_class__opening_date__year__lte": year}
    return (
        Enrollment.objects.filter(training_class__school_id__in=school_ids, **years)
        .annotate(seen_ethnic=seen_by_the_class_school("ethnic_group__name"),
                  seen_position=seen_by_the_class_school("position"),
                  seen_workplace=seen_by_the_class_school("workplace"))
        .order_by(
            "training_class__school__name", "training_class__opening_date", "training_class__code",
            "learner__name_sort_key", "pk",
        )
        .values_list(*REGISTER_FIELDS)
    )
