"""Reads of the training app: the yearly training summary used by overviews, reports and consoles."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from courses.models import Classification, Enrollment, PlanLine, Programme, TrainingClass


def fulfilment_pct(done: int, planned: int, has_plan: bool) -> Decimal | None:
    """Fulfilment in % of plan, one decimal; None without a plan (or with nothing planned)."""
    if not has_plan or not planned:
        return None
    return (Decimal(done) * 100 / Decimal(planned)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


JOINT_KEYS = ("classes_opened", "classes_closed", "learner_turns", "graduated")
LINE_KEYS = ("classes_opened", "classes_closed", "learner_turns", "planned_classes", "planned_learners", "graduated",
             *(f"classified_{label}" for label in Classification.values))


def _empty_summary() -> dict:
    return {
        "classes_opened": 0, "classes_closed": 0, "learner_turns": 0,
        "planned_classes": 0, "planned_learners": 0,
        "fulfilment_classes_pct": None, "fulfilment_learners_pct": None,
        "by_programme": [], "classifications": dict.fromkeys(Classification.values, 0), "graduated": 0,
        "joint": {**dict.fromkeys(JOINT_KEYS, 0), "classifications": dict.fromkeys(Classification.values, 0),
                  "by_programme": []},
    }


def graduation_in(year: int, prefix: str = "") -> Q:
    """Enrollments (``prefix="training_class__"``) or classes whose graduation falls in ``year``:
    the year of the class's closing (graduation) decision, or of its closing date when the
    decision is not recorded. Graduates and classifications count in that year."""
    return Q(**{f"{prefix}closing_decision_date__year": year}) | Q(
        **{f"{prefix}closing_decision_date__isnull": True, f"{prefix}closing_date__year": year}
    )


def training_summaries(schools, year: int) -> dict[int, dict]:
    """``training_summary`` for many schools in six queries, whatever the number of schools or rows.

    One definition: the school's own figures leave out the classes run jointly with an academy
    (``partner`` set, liên kết), which are counted apart under ``joint`` with the same rules.

    - classes_opened / classes_closed: the school's own classes whose opening / closing date falls in
      ``year``;
    - learner_turns: enrollments in the school's own classes opened in ``year``;
    - classifications and graduated: enrollments of the school's own classes whose graduation is in
      ``year`` (``graduation_in``);
    - planned_*: the school's annual plan of ``year`` (its own classes); fulfilment % = done / planned
      × 100 (None when the school has no plan for the year);
    - by_programme: one line per programme with any of these, ordered by kind then name;
    - joint: classes_opened, classes_closed, learner_turns, graduated, classifications and
      by_programme (same line keys, no plan) of the joint classes.
    """
    school_ids = [s.pk for s in schools]
    per_school: dict[int, dict] = {pk: _empty_summary() for pk in school_ids}

    def counter():
        return defaultdict(lambda: defaultdict(int))

    # rows[joint][school id][programme id] → counts; joint = the class has a partner academy.
    rows: dict[bool, dict[int, dict[int, dict]]] = {
        joint: {pk: counter() for pk in school_ids} for joint in (False, True)
    }
    has_plan: set[int] = set()

    classes = TrainingClass.objects.filter(school_id__in=school_ids)
    for key, date_field in (("classes_opened", "opening_date"), ("classes_closed", "closing_date")):
        for school_id, programme_id, partner_id, n in (
            classes.filter(**{f"{date_field}__year": year}).values_list("school_id", "programme_id", "partner_id")
            .annotate(n=Count("pk")).values_list("school_id", "programme_id", "partner_id", "n")
        ):
            rows[partner_id is not None][school_id][programme_id][key] += n

    enrollments = Enrollment.objects.filter(training_class__school_id__in=school_ids)
    for school_id, programme_id, partner_id, n in (
        enrollments.filter(training_class__opening_date__year=year)
        .values_list("training_class__school_id", "training_class__programme_id", "training_class__partner_id")
        .annotate(n=Count("pk"))
        .values_list("training_class__school_id", "training_class__programme_id", "training_class__partner_id", "n")
    ):
        rows[partner_id is not None][school_id][programme_id]["learner_turns"] += n
    for school_id, programme_id, partner_id, label, status, n in (
        enrollments.filter(graduation_in(year, "training_class__"))
        .values_list("training_class__school_id", "training_class__programme_id", "training_class__partner_id",
                     "classification", "status")
        .annotate(n=Count("pk"))
        .values_list("training_class__school_id", "training_class__programme_id", "training_class__partner_id",
                     "classification", "status", "n")
    ):
        line = rows[partner_id is not None][school_id][programme_id]
        if label:
            line[f"classified_{label}"] += n
        if status == Enrollment.Status.GRADUATED:
            line["graduated"] += n

    for school_id, programme_id, planned_classes, planned_learners in PlanLine.objects.filter(
        plan__school_id__in=school_ids, plan__year=year
    ).values_list("plan__school_id", "programme_id", "planned_classes", "planned_learners"):
        rows[False][school_id][programme_id]["planned_classes"] += planned_classes
        rows[False][school_id][programme_id]["planned_learners"] += planned_learners
        has_plan.add(school_id)
    # A plan with no lines yet is still a plan (fulfilment of nothing planned stays None).

    programme_ids = {pid for by_school in rows.values() for by_programme in by_school.values() for pid in by_programme}
    programmes = Programme.objects.in_bulk(programme_ids)

    def fill(target: dict, by_programme: dict, line_keys) -> None:
        ordered = sorted(by_programme.items(), key=lambda item: (programmes[item[0]].kind, programmes[item[0]].name))
        for programme_id, counts in ordered:
            line = {"programme": programmes[programme_id], **{key: counts.get(key, 0) for key in line_keys}}
            target["by_programme"].append(line)
            for key in line_keys:
                if key.startswith("classified_"):
                    target["classifications"][key.removeprefix("classified_")] += line[key]
                elif key in target:
                    target[key] += line[key]

    joint_line_keys = tuple(key for key in LINE_KEYS if not key.startswith("planned_"))
    for school_id in school_ids:
        summary = per_school[school_id]
        fill(summary, rows[False][school_id], LINE_KEYS)
        fill(summary["joint"], rows[True][school_id], joint_line_keys)
        plan = school_id in has_plan
        summary["fulfilment_classes_pct"] = fulfilment_pct(summary["classes_opened"], summary["planned_classes"], plan)
        summary["fulfilment_learners_pct"] = fulfilment_pct(summary["learner_turns"], summary["planned_learners"], plan)
    return per_school


def training_summary(school, year: int) -> dict:
    """One school's training figures for ``year`` (see ``training_summaries`` for the definitions)."""
    return training_summaries([school], year)[school.pk]


def joint_classes(*, school=None, partner=None, year: int):
    """The joint classes (liên kết) opened in ``year`` by ``school`` and/or with ``partner``, with their
    learner count: the list behind the figures below."""
    queryset = TrainingClass.objects.filter(partner__isnull=False, opening_date__year=year)
    if school is not None:
        queryset = queryset.filter(school=school)
    if partner is not None:
        queryset = queryset.filter(partner=partner)
    return (queryset.select_related("school", "partner", "programme")
            .annotate(learner_count=Count("enrollments")).order_by("school__name", "opening_date", "code"))


def partner_joint_figures(partner, year: int) -> dict:
    """The Academy's figures of a partner academy for ``year``: the classes the schools ran jointly
    with it (opened in ``year``), per school and in total, and how many of them it teaches / issues
    the diploma of. Two queries."""
    rows: dict[int, dict] = {}
    totals = {"classes_opened": 0, "learner_turns": 0, "taught_by_partner": 0, "diploma_by_partner": 0}
    classes = list(joint_classes(partner=partner, year=year))
    for klass in classes:
        row = rows.setdefault(klass.school_id, {"school": klass.school, "classes_opened": 0, "learner_turns": 0,
                                                "taught_by_partner": 0, "diploma_by_partner": 0})
        values = {
            "classes_opened": 1, "learner_turns": klass.learner_count,
            "taught_by_partner": int(klass.taught_by in (TrainingClass.JointSide.PARTNER, TrainingClass.JointSide.BOTH)),
            "diploma_by_partner": int(klass.diploma_by == TrainingClass.JointSide.PARTNER),
        }
        for key, value in values.items():
            row[key] += value
            totals[key] += value
    return {"partner": partner, "year": year, "by_school": sorted(rows.values(), key=lambda r: r["school"].name),
            **totals}
