"""Graduation: who graduates from a class and why not (the rule officials sign for).

THE GRADUATION RULE (a learner still "studying" when the class's decision is recorded)
- every module of the programme has a mark, and so have the thesis and the graduation exam when
  the programme has them;
- no such mark is below the programme's pass mark (``Programme.module_pass_mark``, 5,0 unless the
  Academy sets another): a module below it needs a re-sit mark, entered in the grade grid in place
  of the first one (the change log keeps the first);
- the average reaches the programme's lowest classification band (services.classify).
A learner who meets all three graduates with their classification; anyone else is "not graduated",
each with the reasons listed on the confirmation page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

import audit
from courses.models import Enrollment, TrainingClass
from yearend.rules import guard_class as yearend_guard_class


@dataclass
class Verdict:
    enrollment: Enrollment
    reasons: list[str] = field(default_factory=list)

    @property
    def graduates(self) -> bool:
        return not self.reasons


def _mark(value) -> str:
    return formats.number_format(value, decimal_pos=2 if value % 1 and (value * 10) % 1 else 1)


def graduation_verdicts(training_class: TrainingClass) -> list[Verdict]:
    """One verdict per learner still studying in the class, in roster order (3 queries)."""
    programme = training_class.programme
    modules = list(programme.modules.all())
    pass_mark = programme.module_pass_mark
    enrollments = (training_class.enrollments.filter(status=Enrollment.Status.STUDYING)
                   .select_related("learner").prefetch_related("marks")
                   .order_by("learner__name_sort_key", "pk"))
    verdicts = []
    for enrollment in enrollments:
        verdict = Verdict(enrollment)
        marks = {mark.module_id: mark.value for mark in enrollment.marks.all()}
        graded = [(module.name, marks.get(module.pk)) for module in modules]
        if programme.has_thesis:
            graded.append((_("thesis"), enrollment.thesis_mark))
        if programme.has_exam:
            graded.append((_("graduation exam"), enrollment.exam_mark))
        missing = [name for name, value in graded if value is None]
        if missing:
            verdict.reasons.append(_("No mark yet for: %(items)s.") % {"items": ", ".join(missing)})
        for name, value in graded:
            if value is not None and value < pass_mark:
                verdict.reasons.append(
                    _("%(item)s: %(mark)s is below the pass mark %(pass)s; a re-sit mark is needed.")
                    % {"item": name, "mark": _mark(value), "pass": _mark(pass_mark)})
        if not verdict.reasons and not enrollment.classification:
            verdict.reasons.append(_("The average %(average)s does not reach the lowest classification band.")
                                   % {"average": _mark(enrollment.average)})
        verdicts.append(verdict)
    return verdicts


@transaction.atomic
def record_graduation(*, training_class: TrainingClass, decision_number: str,
                      decision_date: datetime.date) -> dict[str, int]:
    """Apply the decision: graduates and the others get their status, the class is closed.

    The decision (number and date) is the school's "quyết định công nhận tốt nghiệp / cấp chứng
    chỉ"; the class closes on its closing date, or on the decision's date when it has none.
    """
    decision_number = (decision_number or "").strip()
    errors = {}
    if not decision_number:
        errors["decision_number"] = _("Enter the number of the decision.")
    if decision_date is None:
        errors["decision_date"] = _("Enter the date of the decision.")
    elif decision_date > timezone.localdate():
        errors["decision_date"] = _("The decision cannot be dated in the future.")
    elif decision_date < training_class.opening_date:
        errors["decision_date"] = _("The decision cannot be dated before the class opened.")
    if errors:
        raise ValidationError(errors)
    yearend_guard_class(training_class)  # a locked year's graduation stands (yearend.rules)
    counts = {"graduated": 0, "not_graduated": 0}
    verdicts = graduation_verdicts(training_class)
    enrollments = [verdict.enrollment for verdict in verdicts]
    before = {e.pk: audit.snapshot(e) for e in enrollments}
    for verdict in verdicts:
        verdict.enrollment.status = (Enrollment.Status.GRADUATED if verdict.graduates
                                     else Enrollment.Status.NOT_GRADUATED)
        counts["graduated" if verdict.graduates else "not_graduated"] += 1
    Enrollment.objects.bulk_update(enrollments, ["status"])
    audit.log_bulk(enrollments, action="update", before=before, school=training_class.school)
    training_class.closing_decision_number = decision_number
    training_class.closing_decision_date = decision_date
    training_class.closing_date = training_class.closing_date or decision_date
    training_class.status = TrainingClass.Status.CLOSED
    training_class.save()
    return counts
