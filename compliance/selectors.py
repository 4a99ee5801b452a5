"""Reads of the compliance app: status per school (the cross-app contract), the console and the gap."""

from decimal import Decimal

from django.db.models import Count, Q

from compliance import metrics
from compliance.models import Answer, Assessment, Indicator, Level
from compliance.services import current_standard, indicator_status

Status = Answer.Status


def _empty_status() -> dict:
    return {
        "standard": None, "indicators_total": 0, "indicators_in_standard": 0, "met": 0, "exceeded": 0, "not_met": 0, "pending": 0,
        "level_recognised": None, "recognised_on": None, "stage": None, "stage_code": None,
        "assessment_id": None, "year": None,
    }


def standard_applies(school) -> bool:
    """Whether the standard political school rule (11-QĐ/TW) applies to ``school``: provincial
    political schools only (not the Academy, its regional academies or ministry/sector schools)."""
    from schools.models import School

    return school.kind == School.Kind.PROVINCIAL


def compliance_statuses(schools, year: int | None = None) -> dict:
    """``{school_id: status}`` for many schools in one query (see ``compliance_status``).

    With ``year``: the status as it stood on 31/12 of ``year`` — the latest assessment of that
    year or before, and the latest recognition decided by that day."""
    school_ids = [getattr(school, "pk", school) for school in schools]
    result = {school_id: _empty_status() for school_id in school_ids}
    assessments = Assessment.objects.filter(school_id__in=school_ids)
    if year is not None:
        assessments = assessments.filter(year__lte=year)
    rows = (
        assessments
        .select_related("standard")
        .order_by("school_id", "-year", "-created_at", "-pk")
    )
    for assessment in rows:
        status = result[assessment.school_id]
        if status["assessment_id"] is None:  # the latest assessment gives the result and the stage
            status.update(
                standard=assessment.standard.code, indicators_total=assessment.indicators_total,
                indicators_in_standard=assessment.indicators_in_standard,
                met=assessment.met_count, exceeded=assessment.exceeded_count, not_met=assessment.not_met_count,
                pending=assessment.pending_count, stage=assessment.get_stage_display(), stage_code=assessment.stage,
                assessment_id=assessment.pk, year=assessment.year,
            )
        if year is not None and assessment.decision_date and assessment.decision_date.year > year:
            continue  # recognised after the year: not yet on 31/12
        if assessment.stage == Assessment.Stage.RECOGNISED and (
            status["recognised_on"] is None or assessment.decision_date > status["recognised_on"]
        ):
            status["level_recognised"] = assessment.level_recognised
            status["recognised_on"] = assessment.decision_date
    return result


def compliance_status(school) -> dict:
    """The school's standing against the standard.

    ``standard`` (code), ``indicators_total`` (the confirmed indicators, the only ones that count),
    ``indicators_in_standard`` (all of the standard's: "đánh giá trên 12/55 chỉ tiêu đã ban hành"), ``met`` (indicators reaching the target level,
    exceeded ones included), ``exceeded``, ``not_met``, ``pending`` (awaiting opinion) — all from
    the latest assessment —, ``level_recognised`` (1, 2 or None) and ``recognised_on`` from the
    latest recognition decision, and ``stage`` (the review-progress label of the latest assessment).
    """
    return compliance_statuses([school])[school.pk]


# --- the Academy console ------------------------------------------------------------------------
def cell_status(counts: dict | None) -> str:
    if not counts or not counts["total"]:
        return "none"
    if counts["not_met"]:
        return "not_met"
    if counts["met"] == counts["total"]:
        return "met"
    return "pending"


def criterion_matrix(statuses: dict) -> dict:
    """``{assessment_id: {criterion number: {total, met, not_met, pending}}}`` in one query (confirmed indicators)."""
    ids = [s["assessment_id"] for s in statuses.values() if s["assessment_id"]]
    matrix: dict = {}
    rows = (
        Answer.objects.filter(assessment_id__in=ids, indicator__provisional=False)
        .values("assessment_id", "indicator__criterion__number")
        .annotate(
            total=Count("pk"),
            met=Count("pk", filter=Q(status__in=[Status.MET, Status.EXCEEDED])),
            not_met=Count("pk", filter=Q(status=Status.NOT_MET)),
            pending=Count("pk", filter=Q(status=Status.PENDING)),
        )
        .order_by()
    )
    for row in rows:
        matrix.setdefault(row["assessment_id"], {})[row["indicator__criterion__number"]] = row
    return matrix


def indicator_comparison(statuses: dict, code: str) -> dict:
    """``{assessment_id: {value, status}}`` of the indicator ``code`` in each school's latest assessment."""
    ids = [s["assessment_id"] for s in statuses.values() if s["assessment_id"]]
    rows = Answer.objects.filter(assessment_id__in=ids, indicator__code=code, indicator__provisional=False).values(
        "assessment_id", "value", "status")
    return {row["assessment_id"]: row for row in rows}


# --- gap to the next level ----------------------------------------------------------------------
def _missing(indicator: Indicator, value, required):
    """What the school still lacks to reach ``required`` (None when nothing, or when unknown)."""
    if value is None or required is None:
        return None
    if indicator.comparison == Indicator.Comparison.GTE and value < required:
        return required - value
    if indicator.comparison == Indicator.Comparison.LTE and value > required:
        return value - required
    if indicator.comparison in (Indicator.Comparison.EQ, Indicator.Comparison.YES_NO) and value != required:
        return abs(required - value)
    return None


def school_gap(school, year: int) -> dict:
    """Each indicator's current value against the level-1 and level-2 values, and what is missing.

    Computed indicators are evaluated now from the records; declared ones take the value of the
    school's latest assessment. The next level is the one above the level already recognised.
    Provisional indicators are listed without a status and count for nothing: ``summary`` counts
    the confirmed indicators met at each level, out of ``confirmed``.
    """
    latest = Assessment.objects.for_school(school).select_related("standard").order_by("-year", "-created_at").first()
    standard = latest.standard if latest else current_standard()
    if standard is None:
        return {"standard": None, "rows": [], "next_level": Level.LEVEL_1}
    status = compliance_status(school)
    next_level = min(Level.LEVEL_2, (status["level_recognised"] or 0) + 1)
    declared = {}
    if latest is not None:
        declared = {a.indicator_id: a for a in latest.answers.all()}
    indicators = list(Indicator.objects.filter(criterion__standard=standard).select_related("criterion"))
    computed = metrics.evaluate(school, year, [i.metric for i in indicators if i.metric])
    rows = []
    for indicator in indicators:
        evidence_url = ""
        answer = declared.get(indicator.pk)
        overridden = answer is not None and answer.overridden
        if indicator.metric in computed and indicator.measurement != Indicator.Measurement.DECLARED and not overridden:
            value, evidence_url = computed[indicator.metric].value, computed[indicator.metric].evidence_url
        else:
            value = answer.value if answer else None
        confirmed = not indicator.provisional
        rows.append({
            "indicator": indicator, "value": value, "evidence_url": evidence_url, "confirmed": confirmed,
            "level1": indicator_status(indicator, value, Level.LEVEL_1) if confirmed else None,
            "level2": indicator_status(indicator, value, Level.LEVEL_2) if confirmed else None,
            "missing": _missing(indicator, value, indicator.value_for(next_level)) if confirmed else None,
        })
    summary = {
        level: sum(1 for row in rows if row[f"level{level}"] in (Status.MET, Status.EXCEEDED)) for level in (1, 2)
    }
    confirmed_count = sum(1 for row in rows if row["confirmed"])
    return {"standard": standard, "rows": rows, "next_level": next_level, "summary": summary,
            "confirmed": confirmed_count, "assessment": latest, "status": status}


def cluster_members(cluster):
    """The member schools of the cluster's latest year (clusters change composition over the years)."""
    from emulation.models import ClusterMembership, ClusterYear

    latest = ClusterYear.objects.filter(cluster=cluster).order_by("-year").values("year")[:1]
    return ClusterMembership.objects.filter(cluster_year__cluster=cluster, cluster_year__year=latest).values("school_id")


def stage_counts(statuses: dict) -> dict:
    counts: dict = {}
    for status in statuses.values():
        key = status["stage_code"] or "none"
        counts[key] = counts.get(key, 0) + 1
    return counts


def scale(value, maximum, width: int = 200) -> int:
    """Bar length in SVG units for a server-rendered chart."""
    if not maximum or value is None:
        return 0
    return int(Decimal(value) * width / Decimal(maximum))
