"""Headline figures: one section per app, each fetched for many schools in bounded queries.

A section lists its figures (label, number type, how a total is formed) and a ``fetch(school_ids,
year)`` returning ``{school_id: {figure key: value}}``. The school report prints them as
label/value rows; the cluster and national summaries as one column per figure.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from reports import selectors


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    type: str = "int"
    # "sum": totals add up; None: no total; ("ratio", numerator key, denominator key): a percentage
    # recomputed from the totals of two other figures.
    total: object = "sum"
    unit: str = ""  # "Đơn vị tính" of the figure (Lớp, Lượt người, Người, …)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    figures: tuple[Figure, ...]
    fetch: Callable[[list, int], dict[int, dict]]


def _staff(schools, year):
    # The staff as at 31/12 of the year (joined on or before it, not yet left).
    return selectors.staff_summaries([school.pk for school in schools], selectors.year_end(year))


PEOPLE, CLASSES, TURNS, PERCENT = _("person"), _("class"), _("learner-turn"), "%"


STAFF = Section(
    "staff",
    _("Staff and lecturers"),
    (
        Figure("total", _("staff at 31/12"), unit=PEOPLE),
        Figure("lecturers", _("lecturers"), unit=PEOPLE),
        Figure("full_time_lecturers", _("full-time lecturers"), unit=PEOPLE),
        Figure("masters_or_higher", _("lecturers with a master's degree or higher"), unit=PEOPLE),
        Figure("doctors", _("lecturers with a doctorate"), unit=PEOPLE),
        Figure("principal_or_higher", _("principal or senior lecturers"), unit=PEOPLE),
        Figure("classics", _("lecturers with a classics certificate"), unit=PEOPLE),
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
        # Classes run jointly with an academy: apart from the school's own figures above.
        for key in ("classes_opened", "classes_closed", "learner_turns", "graduated"):
            flat[f"joint_{key}"] = summary["joint"][key]
        result[school_id] = flat
    return result


TRAINING = Section(
    "training",
    _("Training"),
    (
        Figure("classes_opened", _("classes opened"), unit=CLASSES),
        Figure("classes_closed", _("classes closed"), unit=CLASSES),
        Figure("learner_turns", _("learner-turns"), unit=TURNS),
        Figure("planned_classes", _("planned classes"), unit=CLASSES),
        Figure("planned_learners", _("planned learner-turns"), unit=TURNS),
        Figure("fulfilment_classes_pct", _("plan fulfilment, classes"), "percent",
               ("ratio", "classes_opened", "planned_classes"), PERCENT),
        Figure("fulfilment_learners_pct", _("plan fulfilment, learner-turns"), "percent",
               ("ratio", "learner_turns", "planned_learners"), PERCENT),
        Figure("graduated", _("graduated learners"), unit=PEOPLE),
        Figure("classified_excellent", _("classified excellent"), unit=PEOPLE),
        Figure("classified_very_good", _("classified very good"), unit=PEOPLE),
        Figure("classified_good", _("classified good"), unit=PEOPLE),
        Figure("classified_fairly_good", _("classified fairly good"), unit=PEOPLE),
        Figure("classified_average", _("classified average"), unit=PEOPLE),
        Figure("joint_classes_opened", _("joint classes opened (with an academy)"), unit=CLASSES),
        Figure("joint_classes_closed", _("joint classes closed (with an academy)"), unit=CLASSES),
        Figure("joint_learner_turns", _("learner-turns of joint classes"), unit=TURNS),
        Figure("joint_graduated", _("graduates of joint classes"), unit=PEOPLE),
    ),
    _training,
)


def _emulation(schools, year):
    # The cluster, score and rank of the season; the awards of the year from the awards register
    # (every level, the school's own: its staff's awards are not the school's).
    from awards.selectors import collective_award_labels
    from emulation.selectors import emulation_results

    awards = collective_award_labels(schools, year)
    result = {}
    for school_id, entry in emulation_results(schools, year, with_awards=False).items():
        labels = awards.get(school_id, [])
        result[school_id] = {**entry, "awards": labels, "award_count": len(labels)}
    return result


EMULATION = Section(
    "emulation",
    _("Emulation"),
    (
        Figure("final_score", _("emulation score"), "decimal", None, _("point")),
        Figure("rank", _("rank in the cluster"), "int", None, pgettext_lazy("unit", "rank")),
        Figure("award_count", _("awards received"), "int", unit=pgettext_lazy("unit", "award")),
    ),
    _emulation,
)


def _research(schools, year):
    from research.models import Publication
    from research.selectors import research_summaries

    # Publications by kind; contest entries are not publications and are counted apart.
    result = research_summaries(schools, year)
    for data in result.values():
        by_kind = data["publications"]
        data["bulletin_issues"] = by_kind.get(Publication.Kind.BULLETIN_ISSUE, 0)
        data["monographs"] = by_kind.get(Publication.Kind.MONOGRAPH, 0)
        data["journal_articles"] = by_kind.get(Publication.Kind.JOURNAL_ARTICLE, 0)
    return result


RESEARCH = Section(
    "research",
    _("Research"),
    (
        Figure("topics_total", _("research topics under way in the year"), unit=_("topic")),
        Figure("accepted_total", _("research topics accepted"), unit=_("topic")),
        Figure("events_total", _("workshops and roundtables"), unit=_("event")),
        Figure("papers", _("workshop papers"), unit=_("paper")),
        Figure("bulletin_issues", _("bulletin / internal journal issues"), unit=pgettext_lazy("unit", "issue")),
        Figure("monographs", _("monographs"), unit=_("book")),
        Figure("journal_articles", _("articles in outside journals"), unit=pgettext_lazy("unit", "article")),
        Figure("articles", _("bulletin articles"), unit=pgettext_lazy("unit", "article")),
        Figure("essay_entries", _("political-essay contest entries (apart from publications)"), unit=_("entry")),
        Figure("field_trips", _("field trips"), unit=_("trip")),
        Figure("field_trip_days", _("field-trip lecturer-days"), unit=_("day")),
        Figure("field_trip_days_per_lecturer", _("field-trip days per lecturer"), "decimal", None, _("day")),
    ),
    _research,
)


def _compliance(schools, year):
    # The whole status of each school as it stood on 31/12 of the year (one query); the
    # summaries show three of its figures, the standard-school sheets the rest. ``applies`` is
    # False for the schools the standard is not made for (their rows say "không áp dụng").
    from compliance.selectors import compliance_statuses, standard_applies

    statuses = compliance_statuses(schools, year)
    for school in schools:
        statuses[school.pk]["applies"] = standard_applies(school)
    return statuses


COMPLIANCE = Section(
    "compliance",
    _("Standard political school"),
    (
        Figure("met", _("indicators met (exceeded included)"), "int", None, pgettext_lazy("unit", "indicator")),
        Figure("exceeded", _("indicators exceeded"), "int", None, pgettext_lazy("unit", "indicator")),
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
