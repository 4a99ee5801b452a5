"""The parts of the synthetic data set made after the training data: emulation results
(bench/emulation_data.py), research records (bench/research_data.py) and self-assessments against
the standard (bench/compliance_data.py), in that order (the compliance metrics read the research
records).

``add_missing`` is the one place that decides what is missing: ``generate_synthetic`` and
``bench/run.py`` both call it. Each part makes only what is not there yet (a cluster year, a
school's research records, a school's self-assessments), so a re-run adds what is missing and
never duplicates. ``delete`` removes what the generator made (``generate_synthetic --replace``).
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable

from django.apps import apps
from django.db import transaction

PARTS = ("emulation", "research", "compliance")
LABELS = {"emulation": "emulation results", "research": "research records",
          "compliance": "standard-school self-assessments"}
UNITS = {"emulation": "scorecards", "research": "topics, events, publications, articles and field trips",
         "compliance": "indicator answers"}


def available(name: str) -> bool:
    return apps.is_installed(name)


def _module(name: str):
    """bench/<part>_data.py, imported only when the part's app is installed."""
    return importlib.import_module(f"bench.{name}_data")


def missing(*, schools, seed: int, first_year: int, end_year: int) -> dict[str, bool]:
    """Whether each part still has something to make for ``schools``."""
    checks = {
        "emulation": lambda: bool(_module("emulation").missing_years(schools=schools, first_year=first_year,
                                                                     end_year=end_year)),
        "research": lambda: bool(_module("research").schools_to_do(schools)),
        "compliance": lambda: bool(_module("compliance").schools_to_do(schools=schools, seed=seed,
                                                                       end_year=end_year)),
    }
    return {name: available(name) and checks[name]() for name in PARTS}


def add_missing(*, seed: int, first_year: int, end_year: int,
                log: Callable[[str], None] = lambda message: None) -> dict[str, tuple[int, float] | None]:
    """Make every part that is missing for the synthetic schools; returns, for each part, the rows
    made and the seconds it took, or None when it was already there (or its app is not installed)."""
    from bench.synthetic import synthetic_schools

    schools = synthetic_schools()
    todo = missing(schools=schools, seed=seed, first_year=first_year, end_year=end_year)
    generators = {
        "emulation": lambda: _module("emulation").generate_emulation(
            schools=schools, seed=seed, first_year=first_year, end_year=end_year),
        "research": lambda: _module("research").generate_research(
            schools=schools, seed=seed, first_year=first_year, end_year=end_year),
        "compliance": lambda: _module("compliance").generate_compliance(schools=schools, seed=seed, end_year=end_year),
    }
    made: dict[str, tuple[int, float] | None] = {}
    for name in PARTS:
        if not todo[name]:
            made[name] = None
            continue
        log(f"generating {LABELS[name]}")
        started = time.monotonic()
        made[name] = (generators[name](), time.monotonic() - started)
    return made


def counts(schools=None) -> dict[str, int]:
    """Rows of each part for the synthetic schools (what the command prints)."""
    from bench.synthetic import synthetic_schools

    schools = synthetic_schools() if schools is None else schools
    result: dict[str, int] = {}
    if available("emulation"):
        from emulation.models import Scorecard

        result["scorecards"] = Scorecard.objects.filter(
            cluster_year__cluster__code__startswith=_module("emulation").CLUSTER_PREFIX).count()
    if available("research"):
        from research.models import Article, Event, FieldTrip, Publication, Topic, TopicTransition

        for key, model, path in (("topics", Topic, "school"), ("topic transitions", TopicTransition, "topic__school"),
                                 ("events", Event, "school"), ("publications", Publication, "school"),
                                 ("articles", Article, "issue__school"), ("field trips", FieldTrip, "school")):
            result[key] = model.objects.filter(**{f"{path}__in": schools}).count()
    if available("compliance"):
        from compliance.models import Answer, Assessment

        result["assessments"] = Assessment.objects.filter(school__in=schools).count()
        result["answers"] = Answer.objects.filter(assessment__school__in=schools).count()
    return result


@transaction.atomic
def delete() -> None:
    """Remove the synthetic emulation clusters and the research records and self-assessments of the
    synthetic schools (``generate_synthetic --replace``)."""
    from bench.synthetic import synthetic_schools

    schools = synthetic_schools()
    if available("emulation"):
        _module("emulation").delete_emulation()
    if available("research"):
        _module("research").delete_research(schools)
    if available("compliance"):
        _module("compliance").delete_compliance(schools)
