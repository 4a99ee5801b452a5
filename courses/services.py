"""Writes of the training app, and the grading rule.

THE GRADING RULE (average and classification)
- The average is the weighted mean, on the 10-point scale, of
  * every module mark of the programme, each with its module's ``weight``;
  * the thesis mark, with the programme's ``thesis_weight``, when the programme ``has_thesis``;
  * the graduation-exam mark, with the programme's ``exam_weight``, when the programme ``has_exam``.
- It is rounded half-up to two decimals, and only computed once every one of those marks is
  entered; until then the average is empty and there is no classification.
- The classification is the band (``ClassificationBand``, data per programme, e.g. Xuất sắc ≥ 9.0,
  Giỏi ≥ 8.0, Khá ≥ 7.0, Trung bình khá ≥ 6.0, Trung bình ≥ 5.0) with the highest minimum that
  the average reaches. An average below the lowest band earns no classification: the learner does
  not graduate (see courses/graduation.py for the whole graduation rule).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

import audit
from courses.models import ClassificationBand, Enrollment, Learner, Mark, Module, Programme, TrainingClass
from yearend.rules import guard_class as yearend_guard_class

TWO_PLACES = Decimal("0.01")


def compute_average(programme: Programme, modules: Sequence[Module], marks: dict[int, Decimal | None],
                    thesis_mark: Decimal | None, exam_mark: Decimal | None) -> Decimal | None:
    """The weighted average of the rule above, or None while a required mark is missing."""
    parts: list[tuple[Decimal | None, Decimal]] = [(marks.get(m.pk), m.weight) for m in modules]
    if programme.has_thesis:
        parts.append((thesis_mark, programme.thesis_weight))
    if programme.has_exam:
        parts.append((exam_mark, programme.exam_weight))
    if not parts or any(value is None for value, _weight in parts):
        return None
    total_weight = sum((weight for _value, weight in parts), Decimal("0"))
    if total_weight <= 0:
        return None
    weighted = sum((Decimal(value) * weight for value, weight in parts), Decimal("0"))
    return (weighted / total_weight).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def classify(average: Decimal | None, bands: Iterable[ClassificationBand]) -> str:
    """The label of the highest band the average reaches; "" when none (not graduated)."""
    if average is None:
        return ""
    for band in sorted(bands, key=lambda b: b.min_average, reverse=True):
        if average >= band.min_average:
            return band.label
    return ""


def recompute_enrollment(enrollment: Enrollment, *, modules: Sequence[Module] | None = None,
                         bands: Sequence[ClassificationBand] | None = None,
                         marks: dict[int, Decimal | None] | None = None, save: bool = True) -> Enrollment:
    """Recompute and store ``average`` and ``classification`` from the marks and the programme's bands.

    Callers recomputing a whole class pass ``modules``, ``bands`` and ``marks`` (module id → value)
    to avoid per-learner queries.
    """
    programme = enrollment.training_class.programme
    if modules is None:
        modules = list(programme.modules.all())
    if bands is None:
        bands = list(programme.bands.all())
    if marks is None:
        marks = dict(enrollment.marks.values_list("module_id", "value"))
    enrollment.average = compute_average(programme, modules, marks, enrollment.thesis_mark, enrollment.exam_mark)
    enrollment.classification = classify(enrollment.average, bands)
    if save and enrollment.pk:
        enrollment.save(update_fields=["average", "classification", "updated_at"])
    return enrollment


@transaction.atomic
def create_default_bands(*, programme: Programme) -> None:
    """Give a new programme the default classification bands (the Academy may edit them)."""
    from courses.models import DEFAULT_BANDS

    for label, minimum in DEFAULT_BANDS:
        ClassificationBand.objects.get_or_create(programme=programme, label=label, defaults={"min_average": minimum})


@transaction.atomic
def enroll_learner(*, training_class: TrainingClass, learner: Learner) -> Enrollment:
    """Add a learner to a class; a learner already in the class is refused with a clear message."""
    if Enrollment.objects.filter(training_class=training_class, learner=learner).exists():
        raise ValidationError(_("%(name)s is already in this class.") % {"name": learner.full_name})
    enrollment = Enrollment(training_class=training_class, learner=learner)
    enrollment.full_clean()
    enrollment.save()
    return enrollment


@transaction.atomic
def save_grade_grid(*, training_class: TrainingClass, rows: dict[int, dict]) -> int:
    """Store a whole class's marks at once (already validated by the grid form) and recompute averages.

    ``rows`` maps enrollment id → {"marks": {module id: Decimal | None}, "thesis_mark": …, "exam_mark": …}.
    Every write happens in one transaction: all the marks are saved, or none.
    """
    yearend_guard_class(training_class)  # a locked year's marks are not rewritten (yearend.rules)
    programme = training_class.programme
    modules = list(programme.modules.all())
    bands = list(programme.bands.all())
    enrollments = {e.pk: e for e in training_class.enrollments.select_related("training_class__programme")}
    existing = {(m.enrollment_id, m.module_id): m for m in Mark.objects.filter(enrollment__in=list(enrollments))}
    modules_by_pk = {module.pk: module for module in modules}
    for mark in existing.values():  # share loaded rows: the change log reads mark.enrollment and str(mark)
        mark.enrollment = enrollments[mark.enrollment_id]
        mark.module = modules_by_pk[mark.module_id]
    mark_before = {m.pk: audit.snapshot(m) for m in existing.values()}
    enrollment_before = {e.pk: audit.snapshot(e) for e in enrollments.values()}
    to_create, to_update, to_delete = [], [], []
    for enrollment_id, row in rows.items():
        enrollment = enrollments[enrollment_id]
        for module in modules:
            value = row["marks"].get(module.pk)
            mark = existing.get((enrollment_id, module.pk))
            if value is None and mark is not None:
                to_delete.append(mark.pk)
            elif value is not None and mark is None:
                to_create.append(Mark(enrollment=enrollment, module=module, value=value))
            elif value is not None and mark.value != value:
                mark.value = value
                to_update.append(mark)
        enrollment.thesis_mark = row.get("thesis_mark") if programme.has_thesis else enrollment.thesis_mark
        enrollment.exam_mark = row.get("exam_mark") if programme.has_exam else enrollment.exam_mark
        recompute_enrollment(enrollment, modules=modules, bands=bands, marks=row["marks"], save=False)
    changed = [enrollments[pk] for pk in rows]
    deleted = [mark for mark in existing.values() if mark.pk in set(to_delete)]
    Mark.objects.filter(pk__in=to_delete).delete()
    Mark.objects.bulk_create(to_create)
    Mark.objects.bulk_update(to_update, ["value"])
    Enrollment.objects.bulk_update(changed, ["thesis_mark", "exam_mark", "average", "classification"])
    # Bulk writes fire no model signals: record them in the change log explicitly.
    school = training_class.school
    audit.log_bulk(deleted, action="delete", school=school)
    audit.log_bulk(to_create, action="create", school=school)
    audit.log_bulk(to_update, action="update", before=mark_before, school=school)
    audit.log_bulk(changed, action="update", before=enrollment_before, school=school)
    return len(changed)
