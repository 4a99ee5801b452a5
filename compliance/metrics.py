"""The registry of computed metrics: each turns a school's records for a year into a value.

A metric is ``(school, year) → value`` plus its *living evidence*: the list of the records it
counted (``records``), shown at ``compliance:metric_evidence`` so a reviewer can check the number.
Metrics read a *source* summary (one bounded query set per source), so evaluating every metric of
an assessment costs a fixed number of queries.

Staff metrics: the workforce is the school's active staff excluding visiting lecturers; "lecturers"
are the full-time and concurrent lecturers of that workforce, and the degree/rank/certificate shares
are taken over those lecturers. The staffing rule of 09-QĐi/TW and 393-QĐ/TW (lecturers ≥ 75 % of the
school's payroll, concurrent lecturers excluded) is a separate computed check: ``schools.structure``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from schools.models import Staff

HUNDRED = Decimal(100)


def share(part, whole) -> Decimal | None:
    """``part`` as a percentage of ``whole`` with two decimals; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    unit: str
    source: str
    value: Callable[[dict], Decimal | None]
    records: Callable  # (school, year) → QuerySet of the counted records
    columns: tuple  # ((header, attribute path), …) for the evidence page


@dataclass(frozen=True)
class MetricResult:
    value: Decimal | None
    evidence_url: str


# --- staff --------------------------------------------------------------------------------------
def workforce(school):
    return Staff.objects.for_school(school).filter(active=True).exclude(category=Staff.Category.VISITING)


LECTURER = Q(is_lecturer=True)
MASTER_OR_HIGHER = LECTURER & Q(degree__in=[Staff.Degree.MASTER, Staff.Degree.DOCTOR])
DOCTOR = LECTURER & Q(degree=Staff.Degree.DOCTOR)
PRINCIPAL_OR_HIGHER = LECTURER & Q(lecturer_rank__in=[Staff.LecturerRank.PRINCIPAL, Staff.LecturerRank.SENIOR])
CLASSICS = LECTURER & Q(classics_certificate=True)
ADVANCED_THEORY = LECTURER & Q(theory_level__in=[Staff.TheoryLevel.ADVANCED, Staff.TheoryLevel.BACHELOR])


def staff_source(school, year) -> dict:
    return workforce(school).aggregate(
        total=Count("pk"),
        lecturers=Count("pk", filter=LECTURER),
        masters=Count("pk", filter=MASTER_OR_HIGHER),
        doctors=Count("pk", filter=DOCTOR),
        principal=Count("pk", filter=PRINCIPAL_OR_HIGHER),
        classics=Count("pk", filter=CLASSICS),
        advanced_theory=Count("pk", filter=ADVANCED_THEORY),
    )


def staff_records(condition):
    def records(school, year):
        return workforce(school).filter(condition).select_related("unit").order_by("name_sort_key")

    return records


STAFF_COLUMNS = (
    (_("full name"), "full_name"),
    (_("faculty / office"), "unit.name"),
    (_("category"), "get_category_display"),
    (_("degree"), "get_degree_display"),
    (_("lecturer rank"), "get_lecturer_rank_display"),
    (_("political-theory level"), "get_theory_level_display"),
    (_("classics certificate"), "classics_certificate"),
)

# --- training (courses.selectors.training_summary: classes by opening/closing year, plan lines) ---
# The school's own classes: those run jointly with an academy are counted apart (not in these figures).
def training_source(school, year) -> dict:
    from courses.selectors import training_summary

    return training_summary(school, year)


def classes_opened(school, year):
    from courses.models import TrainingClass

    return (TrainingClass.objects.for_school(school).filter(opening_date__year=year, partner__isnull=True)
            .select_related("programme").order_by("opening_date", "code"))


def learner_turns(school, year):
    from courses.models import Enrollment

    return (Enrollment.objects.for_school(school)
            .filter(training_class__opening_date__year=year, training_class__partner__isnull=True)
            .select_related("learner", "training_class").order_by("training_class__code", "learner__name_sort_key"))


CLASS_COLUMNS = (
    (_("class code"), "code"),
    (_("class"), "name"),
    (_("programme"), "programme.name"),
    (_("opening date"), "opening_date"),
    (_("closing date"), "closing_date"),
    (_("status"), "get_status_display"),
)
ENROLLMENT_COLUMNS = (
    (_("learner"), "learner.full_name"),
    (_("class code"), "training_class.code"),
    (_("opening date"), "training_class.opening_date"),
    (_("status"), "get_status_display"),
)


def _decimal(value):
    return None if value is None else Decimal(str(value))


# --- research (research.selectors.research_summary: accepted topics, events, publications, trips) ---
PROVINCIAL_OR_ABOVE = ("ministry", "provincial")  # Event.Level values at provincial level or above
BULLETINS_AND_MONOGRAPHS = ("bulletin", "monograph")


def research_source(school, year) -> dict:
    from research.selectors import research_summary

    return research_summary(school, year)


def topics_accepted(level):
    def records(school, year):
        from research.models import Topic

        return (Topic.objects.for_school(school)
                .filter(status=Topic.Status.ACCEPTED, accepted_on__year=year, level=level)
                .select_related("leader").order_by("accepted_on", "code"))

    return records


def events_provincial(school, year):
    from research.models import Event

    return (Event.objects.involving(school).filter(held_on__year=year, level__in=PROVINCIAL_OR_ABOVE)
            .order_by("held_on", "title"))  # hosted or co-organised (chủ trì hoặc phối hợp)


def bulletins_and_monographs(school, year):
    from research.models import Publication

    return (Publication.objects.for_school(school)
            .filter(published_on__year=year, kind__in=BULLETINS_AND_MONOGRAPHS).order_by("published_on", "title"))


def field_trip_lecturer_days(school, year):
    from research.models import FieldTripParticipant

    return (FieldTripParticipant.objects.for_school(school)
            .filter(trip__start_on__year=year, staff__is_lecturer=True)
            .select_related("staff", "trip").order_by("trip__start_on", "staff__name_sort_key"))


TOPIC_COLUMNS = (
    (_("topic code"), "code"),
    (_("title"), "title"),
    (_("level"), "get_level_display"),
    (_("topic leader"), "leader.full_name"),
    (_("acceptance council date"), "accepted_on"),
    (_("grade"), "get_grade_display"),
)
EVENT_COLUMNS = (
    (_("title"), "title"),
    (_("kind"), "get_kind_display"),
    (_("level"), "get_level_display"),
    (_("date held"), "held_on"),
    (_("number of papers"), "papers"),
)
PUBLICATION_COLUMNS = (
    (_("title"), "title"),
    (_("kind"), "get_kind_display"),
    (_("publication date"), "published_on"),
    (_("issue number"), "issue_number"),
)
TRIP_COLUMNS = (
    (_("lecturer"), "staff.full_name"),
    (_("field trip"), "trip.title"),
    (_("start date"), "trip.start_on"),
    (_("days"), "trip.days"),
)


# --- organisation (schools.structure: the 09-QĐi/TW check computed from the staff records) ---------
def structure_summary(check) -> dict:
    """The structure source of one ``schools.structure.SchoolCheck``."""
    return {"meets": Decimal(1 if check.meets else 0), "lecturer_share": check.lecturer_share}


def structure_source(school, year) -> dict:
    from schools.structure import structure_check

    return structure_summary(structure_check(school, year))


def structure_units(school, year):
    from schools.models import OrgUnit

    payroll = Q(members__active=True, members__category=Staff.Category.FULL_TIME)
    return (OrgUnit.objects.for_school(school)
            .annotate(people=Count("members", filter=payroll, distinct=True),
                      deputy_count=Count("deputies", distinct=True))
            .order_by("kind", "name"))


def payroll_lecturers(school, year):
    return (Staff.objects.for_school(school).filter(active=True, category=Staff.Category.FULL_TIME, is_lecturer=True)
            .select_related("unit").order_by("name_sort_key"))


UNIT_COLUMNS = (
    (_("faculty / office"), "name"),
    (_("kind"), "get_kind_display"),
    (_("people on the payroll"), "people"),
    (_("deputies"), "deputy_count"),
)


SOURCES: dict[str, Callable[..., dict]] = {
    "staff": staff_source, "training": training_source, "research": research_source, "structure": structure_source,
}

METRICS = [
    Metric("staff.lecturer_share", _("Lecturers' share of the workforce"), "%", "staff",
           lambda s: share(s["lecturers"], s["total"]), staff_records(LECTURER), STAFF_COLUMNS),
    Metric("staff.masters_share", _("Lecturers with a master's degree or higher"), "%", "staff",
           lambda s: share(s["masters"], s["lecturers"]), staff_records(MASTER_OR_HIGHER), STAFF_COLUMNS),
    Metric("staff.doctors_share", _("Lecturers with a doctorate"), "%", "staff",
           lambda s: share(s["doctors"], s["lecturers"]), staff_records(DOCTOR), STAFF_COLUMNS),
    Metric("staff.principal_share", _("Lecturers at principal-lecturer rank or above"), "%", "staff",
           lambda s: share(s["principal"], s["lecturers"]), staff_records(PRINCIPAL_OR_HIGHER), STAFF_COLUMNS),
    Metric("staff.classics_share", _("Lecturers with the classics certificate"), "%", "staff",
           lambda s: share(s["classics"], s["lecturers"]), staff_records(CLASSICS), STAFF_COLUMNS),
    Metric("staff.advanced_theory_share", _("Lecturers with advanced political theory or higher"), "%", "staff",
           lambda s: share(s["advanced_theory"], s["lecturers"]), staff_records(ADVANCED_THEORY), STAFF_COLUMNS),
    Metric("training.plan_classes_pct", _("Training-plan fulfilment (classes opened / planned)"), "%", "training",
           lambda s: _decimal(s["fulfilment_classes_pct"]), classes_opened, CLASS_COLUMNS),
    Metric("training.plan_learners_pct", _("Training-plan fulfilment (learner-turns / planned learners)"), "%",
           "training", lambda s: _decimal(s["fulfilment_learners_pct"]), learner_turns, ENROLLMENT_COLUMNS),
    Metric("training.classes_opened", _("Classes opened in the year"), _("classes"), "training",
           lambda s: Decimal(s["classes_opened"]), classes_opened, CLASS_COLUMNS),
    Metric("training.learner_turns", _("Learner-turns in the year"), _("learner-turns"), "training",
           lambda s: Decimal(s["learner_turns"]), learner_turns, ENROLLMENT_COLUMNS),
    Metric("research.provincial_topics_accepted", _("Provincial-level topics accepted in the year"), _("topics"),
           "research", lambda s: Decimal(s["accepted_by_level"]["provincial"]), topics_accepted("provincial"),
           TOPIC_COLUMNS),
    Metric("research.school_topics_accepted", _("School-level topics accepted in the year"), _("topics"),
           "research", lambda s: Decimal(s["accepted_by_level"]["school"]), topics_accepted("school"), TOPIC_COLUMNS),
    Metric("research.provincial_events", _("Workshops and roundtables at provincial level or above"), _("events"),
           "research", lambda s: Decimal(sum(s["events_by_level"][level] for level in PROVINCIAL_OR_ABOVE)),
           events_provincial, EVENT_COLUMNS),
    Metric("research.bulletins_and_monographs", _("Bulletin issues and monographs published in the year"),
           _("publications"), "research",
           lambda s: Decimal(sum(s["publications"][kind] for kind in BULLETINS_AND_MONOGRAPHS)),
           bulletins_and_monographs, PUBLICATION_COLUMNS),
    Metric("research.field_trip_days_per_lecturer", _("Field-trip days per lecturer"), _("days"), "research",
           lambda s: _decimal(s["field_trip_days_per_lecturer"]), field_trip_lecturer_days, TRIP_COLUMNS),
]

METRICS += [
    Metric("structure.meets_rule", _("Organisation meets Regulation 09-QĐi/TW (computed structure check)"), "",
           "structure", lambda s: s["meets"], structure_units, UNIT_COLUMNS),
    Metric("structure.payroll_lecturer_share", _("Lecturers' share of the school's payroll (concurrent excluded)"),
           "%", "structure", lambda s: s["lecturer_share"], payroll_lecturers, STAFF_COLUMNS),
]

REGISTRY: dict[str, Metric] = {metric.name: metric for metric in METRICS}


def metric_choices() -> list[tuple[str, str]]:
    return [(metric.name, f"{metric.label} ({metric.name})") for metric in METRICS]


def evidence_url(school, name: str, year: int) -> str:
    base = reverse("compliance:metric_evidence", kwargs={"school_code": school.code, "metric": name})
    return f"{base}?{urlencode({'year': year})}"


def evaluate(school, year: int, names=None) -> dict[str, MetricResult]:
    """Every requested metric (all by default) for ``school`` and ``year``; each source is read once."""
    wanted = [REGISTRY[name] for name in (names if names is not None else REGISTRY) if name in REGISTRY]
    summaries: dict[str, dict] = {}
    results = {}
    for metric in wanted:
        if metric.source not in summaries:
            summaries[metric.source] = SOURCES[metric.source](school, year)
        results[metric.name] = MetricResult(metric.value(summaries[metric.source]), evidence_url(school, metric.name, year))
    return results
