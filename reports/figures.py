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
    fetch: Callable[[list[int], int], dict[int, dict]]


def _staff(school_ids, year):
    return selectors.staff_summaries(school_ids)


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


def sections() -> list[Section]:
    """The sections whose data exists in this build, in report order."""
    return [STAFF]


def fetch_all(school_ids, year) -> dict[str, dict[int, dict]]:
    return {section.key: section.fetch(school_ids, year) for section in sections()}


def totals(section: Section, rows: list[dict]) -> dict:
    """The total of each figure over ``rows`` (dicts of one section), following ``Figure.total``."""
    result = {}
    for figure in section.figures:
        if figure.total == "sum":
            result[figure.key] = sum(row.get(figure.key) or 0 for row in rows)
    for figure in section.figures:
        if isinstance(figure.total, tuple) and figure.total[0] == "ratio":
            numerator, denominator = result.get(figure.total[1]), result.get(figure.total[2])
            result[figure.key] = round(100 * numerator / denominator, 1) if denominator else None
    return result
