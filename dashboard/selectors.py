"""The year's figures of the two home pages, read through the report sections (reports/figures.py).

A home page shows the same numbers as the report of the same school (or of the country) and year:
both call ``figures.<SECTION>.fetch`` — one definition per figure — and only arrange the result
here (charts, groups by region and cluster, ranking). Nothing is counted in this module.
"""

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.charts import bar_chart
from courses.models import Classification
from reports import figures
from reports.clusters import school_cluster_map
from reports.models import Scope
from reports.selectors import resolve_scope
from schools.models import Region, School

YEARS_BACK = 10
BEHIND_PLAN = 5  # schools listed as furthest behind plan


def year_choices() -> list[int]:
    this_year = timezone.localdate().year
    return list(range(this_year, this_year - YEARS_BACK, -1))


def chosen_year(value) -> int:
    """The year asked for in the query string, if it is one of ``year_choices``; the current one otherwise."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if year in year_choices() else timezone.localdate().year


def _fetch(schools, year) -> dict[str, dict[int, dict]]:
    return figures.fetch_all(schools, year)


def _programme_charts(by_programme, has_plan: bool, learners_title: str, classes_title: str):
    learners = bar_chart(
        [{"label": line["programme"].name, "value": line["learner_turns"],
          "plan": line["planned_learners"] if has_plan else None} for line in by_programme],
        title=learners_title, value_label=_("learner-turns"), plan_label=_("plan"))
    classes = bar_chart(
        [{"label": line["programme"].name, "value": line["classes_opened"],
          "plan": line["planned_classes"] if has_plan else None} for line in by_programme],
        title=classes_title, value_label=_("classes opened"), plan_label=_("plan"))
    return learners, classes


def _classification_chart(counts: dict, title: str):
    return bar_chart([{"label": capfirst(str(label)), "value": counts.get(value, 0)}
                      for value, label in Classification.choices],
                     title=title, value_label=_("graduates"))


def school_home(school, year: int) -> dict:
    """The figures of ``school`` for ``year``: each section's row of the school report, and charts."""
    data = {key: rows[school.pk] for key, rows in _fetch([school], year).items()}
    training = data["training"]
    has_plan = training["fulfilment_classes_pct"] is not None or training["fulfilment_learners_pct"] is not None
    learners_chart, classes_chart = _programme_charts(
        training["by_programme"], has_plan,
        _("Learner-turns by programme, %(year)s, against the plan") % {"year": year},
        _("Classes opened by programme, %(year)s, against the plan") % {"year": year})
    return {
        "year": year, "sections": data, "training": training, "has_plan": has_plan,
        "learners_chart": learners_chart, "classes_chart": classes_chart,
        "classification_chart": _classification_chart(
            training["classifications"], _("Graduates by classification, %(year)s") % {"year": year}),
    }


def _group_rows(schools, data, key_of) -> list[dict]:
    """Training and research totals of the schools grouped by ``key_of(school)`` (None: left out)."""
    groups: dict = {}
    for school in schools:
        key = key_of(school)
        if key is not None:
            groups.setdefault(key, []).append(school)
    result = []
    for key, members in groups.items():
        training = figures.totals(figures.TRAINING, [data["training"][s.pk] for s in members])
        research = figures.totals(figures.RESEARCH, [data["research"][s.pk] for s in members])
        result.append({"key": key, "schools": len(members), "training": training, "research": research})
    return result


def national_home(year: int) -> dict:
    """The country's figures for ``year`` over the schools of the national report, with groups by
    region and by emulation cluster, a ranking by plan fulfilment and the compliance pipeline."""
    scope = resolve_scope(scope=Scope.NATIONAL, year=year)
    schools = scope.schools
    data = _fetch(schools, year)
    totals = {section.key: figures.totals(section, [data[section.key][s.pk] for s in schools])
              for section in figures.sections()}

    by_programme: dict = {}
    classifications = dict.fromkeys(Classification.values, 0)
    for school in schools:
        training = data["training"][school.pk]
        for line in training["by_programme"]:
            entry = by_programme.setdefault(line["programme"].pk, {**line, "learner_turns": 0, "classes_opened": 0,
                                                                   "planned_learners": 0, "planned_classes": 0})
            for key in ("learner_turns", "classes_opened", "planned_learners", "planned_classes"):
                entry[key] += line[key]
        for label, count in training["classifications"].items():
            classifications[label] += count
    programmes = sorted(by_programme.values(), key=lambda line: (line["programme"].kind, line["programme"].name))
    learners_chart, classes_chart = _programme_charts(
        programmes, True,
        _("Learner-turns by programme, %(year)s, against the plans") % {"year": year},
        _("Classes opened by programme, %(year)s, against the plans") % {"year": year})

    region_labels = dict(Region.choices)
    regions = _group_rows(schools, data, lambda s: s.region or None)
    for row in regions:
        row["label"] = region_labels.get(row["key"], row["key"])
    regions.sort(key=lambda row: list(region_labels).index(row["key"]) if row["key"] in region_labels else 99)
    clusters_of = school_cluster_map(schools, year)
    clusters = _group_rows(schools, data, lambda s: clusters_of[s.pk].name if s.pk in clusters_of else None)
    for row in clusters:
        row["label"] = row["key"]
    clusters.sort(key=lambda row: row["label"])

    ranking = []
    for school in schools:
        ranking.append({
            "school": school, "training": data["training"][school.pk], "research": data["research"][school.pk],
            "emulation": data["emulation"][school.pk], "compliance": data["compliance"][school.pk],
        })
    ranking.sort(key=lambda row: (row["training"]["fulfilment_learners_pct"] is None,
                                  -(row["training"]["fulfilment_learners_pct"] or 0), row["school"].name))
    behind = sorted((row for row in ranking if row["training"]["fulfilment_learners_pct"] is not None),
                    key=lambda row: (row["training"]["fulfilment_learners_pct"], row["school"].name))[:BEHIND_PLAN]

    from compliance.models import Assessment
    from compliance.selectors import stage_counts

    stages = stage_counts(data["compliance"])
    pipeline = [{"label": capfirst(str(label)), "value": stages.get(value, 0)}
                for value, label in Assessment.Stage.choices]
    pipeline.append({"label": capfirst(_("no assessment yet")), "value": stages.get("none", 0)})

    active = sum(1 for school in schools if school.active)
    return {
        "year": year, "school_count": len(schools), "active_count": active, "inactive_count": len(schools) - active,
        "totals": totals, "learners_chart": learners_chart, "classes_chart": classes_chart,
        "classification_chart": _classification_chart(
            classifications, _("Graduates by classification, %(year)s") % {"year": year}),
        "regions": regions, "clusters": clusters, "ranking": ranking, "behind": behind,
        "pipeline_chart": bar_chart(pipeline, title=_("Standard-school review progress"), value_label=_("schools")),
    }


def schools_by_kind() -> list[tuple[str, int]]:
    """Active schools by kind (the directory's count), for the cards of the national page."""
    from django.db.models import Count

    counts = dict(School.objects.filter(active=True).values_list("kind").annotate(n=Count("pk"))
                  .values_list("kind", "n"))
    return [(capfirst(str(label)), counts.get(value, 0)) for value, label in School.Kind.choices]
