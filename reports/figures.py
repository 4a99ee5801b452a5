"""Headline figures: one section per app, each fetched for many schools in bounded queries.

A section lists its figures (label, number type, how a total is formed) and a ``fetch(school_ids,
year)`` returning ``{school_id: {figure key: value}}``. The school report prints them as
label/value rows; the cluster and national summaries as one column per figure.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from reports import selectors


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    type: str = "int"
    # "sum": totals add up; None: no total; ("ratio", numerator key, denominator key): a percentage
    # recomputed from the totals of two other figures.
    total: object = "sum"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    figures: tuple[Figure, ...]
    fetch: Callable[[list, int], dict[int, dict]]


def _staff(schools, year):
    return selectors.staff_summaries([school.pk for school in schools])


STAFF = Section(
    "staff",
    _("Staff and lecturers"),
    (
        Figure("total", _("staff (active)")),
        Figure("lecturers", _("lecturers")),
        Figure("full_time_lecturers", _("full-time lecturers")),
        Figure("masters_or_higher", _("lecturers with a master's degree or higher")),
        Figure("doctors", _("lecturers with a doctorate")),
        Figure("principal_or_higher", _("principal or senior lecturers")),
        Figure("classics", _("lecturers with a classics certificate")),
    ),
    _staff,
)


def _training(schools, year):
    from courses.selectors import training_summaries

    result = {}
    for school_id, summary in training_summaries(schools, year).items():
        flat = dict(summary)
        for label, count in summary["classifications"].items():
            flat[f"classified_{label}"] = count
        result[school_id] = flat
    return result


TRAINING = Section(
    "training",
    _("Training"),
    (
        Figure("classes_opened", _("classes opened")),
        Figure("classes_closed", _("classes closed")),
        Figure("learner_turns", _("learner-turns")),
        Figure("planned_classes", _("planned classes")),
        Figure("planned_learners", _("planned learner-turns")),
        Figure("fulfilment_classes_pct", _("plan fulfilment, classes"), "percent",
               ("ratio", "classes_opened", "planned_classes")),
        Figure("fulfilment_learners_pct", _("plan fulfilment, learner-turns"), "percent",
               ("ratio", "learner_turns", "planned_learners")),
        Figure("graduated", _("graduated learners")),
        Figure("classified_excellent", _("classified excellent")),
        Figure("classified_very_good", _("classified very good")),
        Figure("classified_good", _("classified good")),
        Figure("classified_fairly_good", _("classified fairly good")),
        Figure("classified_average", _("classified average")),
    ),
    _training,
)


def _emulation(schools, year):
    from emulation.selectors import emulation_results

    result = {}
    for school_id, entry in emulation_results(schools, year).items():
        result[school_id] = {**entry, "award_count": len(entry["awards"])}
    return result


EMULATION = Section(
    "emulation",
    _("Emulation"),
    (
        Figure("final_score", _("emulation score"), "decimal", None),
        Figure("rank", _("rank in the cluster"), "int", None),
        Figure("award_count", _("awards received"), "int"),
    ),
    _emulation,
)


def _research(schools, year):
    from research.selectors import research_summaries

    return research_summaries(schools, year)


RESEARCH = Section(
    "research",
    _("Research"),
    (
        Figure("topics_total", _("research topics under way in the year")),
        Figure("accepted_total", _("research topics accepted")),
        Figure("events_total", _("workshops and roundtables")),
        Figure("papers", _("workshop papers")),
        Figure("publications_total", _("publications")),
        Figure("articles", _("bulletin articles")),
        Figure("field_trips", _("field trips")),
        Figure("field_trip_days", _("field-trip lecturer-days")),
        Figure("field_trip_days_per_lecturer", _("field-trip days per lecturer"), "decimal", None),
    ),
    _research,
)


def _compliance(schools, year):
    from compliance.selectors import compliance_statuses

    # The whole status of each school (one query); the summaries show three of its figures, the
    # standard-school sheets the rest. The status is the latest one, whatever the report's year.
    return compliance_statuses(schools)


COMPLIANCE = Section(
    "compliance",
    _("Standard political school"),
    (
        Figure("met", _("indicators met (exceeded included)"), "int", None),
        Figure("exceeded", _("indicators exceeded"), "int", None),
        Figure("level_recognised", _("level recognised"), "int", None),
    ),
    _compliance,
)


def sections() -> list[Section]:
    """The sections whose data exists in this build, in report order."""
    return [TRAINING, STAFF, RESEARCH, COMPLIANCE, EMULATION]


# Sources of frozen figures: ``source(schools, year) -> {school id: {section key: {figure key: value}}}``
# for the schools whose year is locked (the yearend app registers its snapshots here).
FROZEN_SOURCES: list[Callable] = []


def fetch_all(schools, year, *, frozen: bool = True) -> dict[str, dict[int, dict]]:
    data = {section.key: section.fetch(schools, year) for section in sections()}
    for source in FROZEN_SOURCES if frozen else ():
        for school_id, sections_ in source(schools, year).items():
            for key, values in sections_.items():
                data[key].setdefault(school_id, {}).update(values)
    return data


def totals(section: Section, rows: list[dict]) -> dict:
    """The total of each figure over ``rows`` (dicts of one section), following ``Figure.total``."""
    result = {}
    for figure in section.figures:
        if figure.total == "sum":
            result[figure.key] = sum(row.get(figure.key) or 0 for row in rows)
    for figure in section.figures:
        if isinstance(figure.total, tuple) and figure.total[0] == "ratio":
            # Only the schools that have the percentage (e.g. a plan) count in the overall one.
            counted = [row for row in rows if row.get(figure.key) is not None]
            numerator = sum(row.get(figure.total[1]) or 0 for row in counted)
            denominator = sum(row.get(figure.total[2]) or 0 for row in counted)
            result[figure.key] = round(100 * numerator / denominator, 1) if denominator else None
    return result
