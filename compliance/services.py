"""Writes of the compliance app: loading the standard, the self-assessment and the Academy review.

Every review step goes through ``_transition``, which allows only the moves in ``TRANSITIONS`` and
writes one ``AssessmentEvent`` per step, so the history is complete by construction.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from compliance import metrics
from compliance.models import (
    Answer,
    Assessment,
    AssessmentEvent,
    Criterion,
    EvidenceFile,
    Indicator,
    Level,
    ReviewComment,
    Standard,
)
from core.uploads import validate_evidence

Stage = Assessment.Stage
Status = Answer.Status


# --- the standard -------------------------------------------------------------------------------
def _decimal(value):
    return None if value is None else Decimal(str(value))


@transaction.atomic
def load_standard(*, data: dict, update: bool = False) -> tuple[Standard, dict]:
    """Create the standard, its criteria and indicators described by ``data`` (idempotent).

    Rows that exist already are left as they are (the Academy may have edited them in the UI)
    unless ``update`` is true, which rewrites them from the file. Returns the standard and counts.
    """
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    standard, created = Standard.objects.get_or_create(
        code=data["code"], version=str(data["version"]),
        defaults={"title": data["title"], "issued_on": datetime.date.fromisoformat(data["issued_on"]),
                  "active": data.get("active", True)},
    )
    if not created and update:
        standard.title = data["title"]
        standard.issued_on = datetime.date.fromisoformat(data["issued_on"])
        standard.active = data.get("active", True)
        standard.full_clean()
        standard.save()
    for criterion_data in data["criteria"]:
        criterion, created = Criterion.objects.get_or_create(
            standard=standard, number=criterion_data["number"], defaults={"title": criterion_data["title"]}
        )
        if not created and update and criterion.title != criterion_data["title"]:
            criterion.title = criterion_data["title"]
            criterion.save(update_fields=["title"])
        for order, item in enumerate(criterion_data["indicators"], start=1):
            fields = {
                "order": order, "text": item["text"], "unit": item.get("unit", ""),
                "comparison": item.get("comparison", Indicator.Comparison.YES_NO),
                "level1_value": _decimal(item.get("level1_value")), "level2_value": _decimal(item.get("level2_value")),
                "measurement": item.get("measurement", Indicator.Measurement.DECLARED),
                "metric": item.get("metric", ""), "provisional": item.get("provisional", True),
                "note": item.get("note", ""), "reference": item.get("reference", ""),
            }
            indicator = Indicator.objects.filter(criterion=criterion, code=item["code"]).first()
            if indicator is None:
                indicator = Indicator(criterion=criterion, code=item["code"], **fields)
                counts["created"] += 1
            elif update:
                for name, value in fields.items():
                    setattr(indicator, name, value)
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
                continue
            try:
                indicator.full_clean()
            except ValidationError as exc:
                if "row" not in item:
                    raise
                raise ValidationError(
                    _("Row %(row)s (indicator %(code)s): %(errors)s")
                    % {"row": item["row"], "code": item["code"], "errors": " ".join(exc.messages)}
                ) from exc
            indicator.save()
    return standard, counts


@transaction.atomic
def save_indicator(*, indicator: Indicator, user) -> Indicator:
    """An Academy administrator edits an indicator; confirming it (text, threshold and the document
    reference) makes it count: every answer to it is re-evaluated and each assessment recounted."""
    previous = Indicator.objects.filter(pk=indicator.pk).values_list("provisional", flat=True).first()
    if not indicator.provisional and (previous is None or previous):
        indicator.confirmed_by, indicator.confirmed_on = user, timezone.localdate()
    if indicator.provisional:
        indicator.confirmed_by, indicator.confirmed_on = None, None
    indicator.full_clean()
    indicator.save()
    reevaluate_indicators([indicator])
    return indicator


def reevaluate_indicators(indicators) -> None:
    """Re-evaluate every answer to ``indicators`` (values from the records while the school holds the
    assessment, statuses always) and recount each assessment concerned once."""
    by_pk = {indicator.pk: indicator for indicator in indicators}
    answers = list(Answer.objects.filter(indicator__in=list(by_pk)).select_related("assessment__school"))
    assessments = {}
    for answer in answers:
        answer.indicator = by_pk[answer.indicator_id]
        answer.assessment = assessments.setdefault(answer.assessment_id, answer.assessment)
        if answer.indicator.measurement in FROM_RECORDS and answer.assessment.is_open:
            _fill_computed(answer.assessment, [answer])
        _apply_status(answer, answer.assessment.target_level)
    Answer.objects.bulk_update(answers, ["value", "evidence_url", "status"])
    for assessment in assessments.values():
        refresh_result(assessment)


def current_standard() -> Standard | None:
    return Standard.objects.filter(active=True).order_by("-issued_on", "-version").first()


# --- evaluating answers -------------------------------------------------------------------------
def indicator_status(indicator: Indicator, value, level: int, ask_opinion: bool = False) -> str:
    """Met / exceeded / not met / awaiting opinion of ``value`` against the ``level`` value.

    "Exceeded" means strictly better than the required value (as reports say "Cao Bằng's 89.9 %
    exceeds the 75 % standard"); yes/no and "=" indicators are met or not met. Without a value,
    without a known required value, or when the school asks for an opinion: awaiting opinion.
    """
    required = indicator.value_for(level)
    if ask_opinion or value is None or required is None:
        return Status.PENDING
    if indicator.comparison in (Indicator.Comparison.YES_NO, Indicator.Comparison.EQ):
        return Status.MET if value == required else Status.NOT_MET
    if indicator.comparison == Indicator.Comparison.LTE:
        value, required = -value, -required
    if value < required:
        return Status.NOT_MET
    return Status.EXCEEDED if value > required else Status.MET


def _apply_status(answer: Answer, level: int) -> None:
    if answer.indicator.provisional:  # not issued yet: it counts for nothing, whatever its value
        answer.status = Status.PENDING
        return
    answer.status = answer.reviewer_status or indicator_status(answer.indicator, answer.value, level, answer.ask_opinion)


def refresh_result(assessment: Assessment) -> None:
    """Recount the result fields from the answers to *confirmed* indicators (two queries).

    Provisional indicators count for nothing: ``indicators_total`` is the number of confirmed
    indicators, ``indicators_in_standard`` all of the standard's ("đánh giá trên 12/55 chỉ tiêu đã
    ban hành"), and the level is reached only when every confirmed indicator is met.
    """
    counts = assessment.answers.filter(indicator__provisional=False).aggregate(
        total=Count("pk"),
        met=Count("pk", filter=Q(status__in=[Status.MET, Status.EXCEEDED])),
        exceeded=Count("pk", filter=Q(status=Status.EXCEEDED)),
        not_met=Count("pk", filter=Q(status=Status.NOT_MET)),
        pending=Count("pk", filter=Q(status=Status.PENDING)),
    )
    assessment.indicators_total = counts["total"]
    assessment.met_count = counts["met"]
    assessment.exceeded_count = counts["exceeded"]
    assessment.not_met_count = counts["not_met"]
    assessment.pending_count = counts["pending"]
    assessment.indicators_in_standard = Indicator.objects.filter(criterion__standard_id=assessment.standard_id).count()
    complete = counts["total"] and counts["met"] == counts["total"]
    assessment.level_reached = assessment.target_level if complete else None
    assessment.save(update_fields=[
        "indicators_total", "met_count", "exceeded_count", "not_met_count", "pending_count", "level_reached",
        "indicators_in_standard", "updated_at",
    ])


FROM_RECORDS = (Indicator.Measurement.COMPUTED, Indicator.Measurement.PREFILLED)


def _fill_computed(assessment: Assessment, answers) -> None:
    """Computed values from the records; pre-filled ones too unless the school overrode them."""
    computed = [
        a for a in answers
        if a.indicator.measurement == Indicator.Measurement.COMPUTED
        or (a.indicator.measurement == Indicator.Measurement.PREFILLED and not a.overridden)
    ]
    results = metrics.evaluate(assessment.school, assessment.year, [a.indicator.metric for a in computed])
    for answer in computed:
        result = results.get(answer.indicator.metric)
        answer.value = result.value if result else None
        answer.evidence_url = result.evidence_url if result else ""


def _log(assessment, action, user, *, from_stage="", note=""):
    AssessmentEvent.objects.create(
        assessment=assessment, action=action, actor=user, from_stage=from_stage, to_stage=assessment.stage, note=note
    )


# --- the school's self-assessment ---------------------------------------------------------------
@transaction.atomic
def open_assessment(*, school, year: int, target_level: int, user, standard: Standard | None = None) -> Assessment:
    """Open a self-assessment on the latest active standard, computed indicators pre-filled."""
    standard = standard or current_standard()
    if standard is None:
        raise ValidationError(_("No active standard has been loaded yet."))
    if Assessment.objects.for_school(school).filter(standard=standard, year=year).exists():
        raise ValidationError(_("This school already has an assessment for this year under this standard."))
    assessment = Assessment(school=school, standard=standard, year=year, target_level=target_level)
    assessment.full_clean()
    assessment.save()
    indicators = Indicator.objects.filter(criterion__standard=standard).select_related("criterion")
    answers = [Answer(assessment=assessment, indicator=indicator) for indicator in indicators]
    _fill_computed(assessment, answers)
    for answer in answers:
        _apply_status(answer, target_level)
    Answer.objects.bulk_create(answers)
    audit.log_bulk(answers, action="create", school=school)  # bulk writes fire no signals
    refresh_result(assessment)
    _log(assessment, AssessmentEvent.Action.OPENED, user)
    return assessment


def _require_open(assessment: Assessment) -> None:
    if not assessment.is_open:
        raise ValidationError(_("This assessment is with the Academy and cannot be changed by the school now."))


@transaction.atomic
def refresh_computed(*, assessment: Assessment) -> None:
    """Recompute the computed indicators from the current records (while the school holds it)."""
    _require_open(assessment)
    answers = list(assessment.answers.select_related("indicator"))
    before = {}
    for answer in answers:
        answer.assessment = assessment  # shared: the change log names each answer without a query
        before[answer.pk] = audit.snapshot(answer)
    _fill_computed(assessment, answers)
    for answer in answers:
        _apply_status(answer, assessment.target_level)
    Answer.objects.bulk_update(answers, ["value", "evidence_url", "status"])
    audit.log_bulk(answers, action="update", before=before, school=assessment.school)
    refresh_result(assessment)


def require_confirmed(indicator: Indicator) -> None:
    if indicator.provisional:
        raise ValidationError(_("This indicator has not been issued yet: schools cannot answer it."))


@transaction.atomic
def save_answer(*, answer: Answer, value, explanation: str, ask_opinion: bool) -> Answer:
    """The school's answer to a confirmed indicator.

    A pre-filled indicator takes the value from the records; a different value overrides it and
    needs the reason in the explanation; giving back the value from the records (or none) undoes
    the override.
    """
    assessment = answer.assessment
    _require_open(assessment)
    require_confirmed(answer.indicator)
    measurement = answer.indicator.measurement
    if measurement == Indicator.Measurement.DECLARED:
        answer.value = value
    elif measurement == Indicator.Measurement.PREFILLED:
        fresh = Answer(assessment=assessment, indicator=answer.indicator)
        _fill_computed(assessment, [fresh])
        if value is None or value == fresh.value:
            answer.value, answer.evidence_url, answer.overridden = fresh.value, fresh.evidence_url, False
        else:
            if not explanation.strip():
                raise ValidationError(
                    _("Give the reason why the value differs from the one computed from the records.")
                )
            answer.value, answer.overridden = value, True
    answer.explanation = explanation.strip()
    answer.ask_opinion = ask_opinion
    _apply_status(answer, assessment.target_level)
    answer.full_clean()
    answer.save()
    refresh_result(assessment)
    return answer


@transaction.atomic
def add_evidence(*, answer: Answer, uploaded, user) -> EvidenceFile:
    """Attach an evidence file, checked by the project's upload gate (size, type by content, zip bombs)."""
    _require_open(answer.assessment)
    require_confirmed(answer.indicator)
    validate_evidence(uploaded)
    evidence = EvidenceFile(answer=answer, name=uploaded.name[:200], size=uploaded.size, uploaded_by=user)
    evidence.file.save(uploaded.name, uploaded, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def delete_evidence(*, evidence: EvidenceFile) -> None:
    _require_open(evidence.answer.assessment)
    evidence.file.delete(save=False)
    evidence.delete()


def missing_evidence(assessment: Assessment) -> list[Answer]:
    """Confirmed declared indicators with neither an evidence file nor an explanation (they block submission)."""
    return list(
        assessment.answers.filter(indicator__measurement=Indicator.Measurement.DECLARED, indicator__provisional=False,
                                  explanation="")
        .annotate(file_count=Count("files"))
        .filter(file_count=0)
        .select_related("indicator")
    )


# --- the review workflow ------------------------------------------------------------------------
TRANSITIONS = {
    "submit": ({Stage.DRAFT, Stage.EVIDENCE_REQUESTED}, {Stage.SUBMITTED}),
    "request_evidence": ({Stage.SUBMITTED, Stage.SURVEYED}, {Stage.EVIDENCE_REQUESTED}),
    "survey": ({Stage.SUBMITTED}, {Stage.SURVEYED}),
    "council": ({Stage.SURVEYED}, {Stage.COUNCIL_APPROVED, Stage.NOT_APPROVED}),
    "recognise": ({Stage.COUNCIL_APPROVED}, {Stage.RECOGNISED}),
}


def allowed_actions(assessment: Assessment) -> set[str]:
    return {name for name, (sources, _targets) in TRANSITIONS.items() if assessment.stage in sources}


def _transition(assessment: Assessment, action: str, target: str, user, note: str, event_action: str) -> None:
    sources, targets = TRANSITIONS[action]
    if assessment.stage not in sources or target not in targets:
        raise ValidationError(
            _("This step is not allowed while the assessment is “%(stage)s”.") % {"stage": assessment.get_stage_display()}
        )
    previous = assessment.stage
    assessment.stage = target
    assessment.full_clean()
    assessment.save()
    _log(assessment, event_action, user, from_stage=previous, note=note)


@transaction.atomic
def submit(*, assessment: Assessment, user) -> None:
    """The school submits: computed values are refreshed, declared ones must be substantiated."""
    _require_open(assessment)
    missing = missing_evidence(assessment)
    if missing:
        codes = ", ".join(answer.indicator.code for answer in missing)
        raise ValidationError(
            _("Each declared indicator needs an evidence file or an explanation before submission. Missing: %(codes)s.")
            % {"codes": codes}
        )
    refresh_computed(assessment=assessment)
    assessment.submitted_on = timezone.localdate()
    assessment.evidence_deadline = None
    _transition(assessment, "submit", Stage.SUBMITTED, user, "", AssessmentEvent.Action.SUBMITTED)


@transaction.atomic
def request_evidence(*, assessment: Assessment, user, deadline: datetime.date, note: str) -> None:
    if deadline < timezone.localdate():
        raise ValidationError(_("The deadline cannot be in the past."))
    assessment.evidence_deadline = deadline
    _transition(assessment, "request_evidence", Stage.EVIDENCE_REQUESTED, user, note,
                AssessmentEvent.Action.EVIDENCE_REQUESTED)


@transaction.atomic
def record_survey(*, assessment: Assessment, user, date: datetime.date, leader: str, report: str) -> None:
    assessment.survey_date, assessment.survey_leader, assessment.survey_report = date, leader.strip(), report.strip()
    _transition(assessment, "survey", Stage.SURVEYED, user, report, AssessmentEvent.Action.SURVEYED)


@transaction.atomic
def record_council(*, assessment: Assessment, user, date: datetime.date, votes_for: int, votes_against: int,
                   votes_abstain: int) -> None:
    """The appraisal council votes; more than half of the votes cast in favour proposes recognition."""
    total = votes_for + votes_against + votes_abstain
    if total == 0:
        raise ValidationError(_("Enter the council's votes."))
    assessment.council_date = date
    assessment.votes_for, assessment.votes_against, assessment.votes_abstain = votes_for, votes_against, votes_abstain
    target = Stage.COUNCIL_APPROVED if votes_for * 2 > total else Stage.NOT_APPROVED
    note = f"{votes_for}/{votes_against}/{votes_abstain}"
    _transition(assessment, "council", target, user, note, AssessmentEvent.Action.COUNCIL_VOTED)


@transaction.atomic
def recognise(*, assessment: Assessment, user, level: int, decision_number: str, decision_date: datetime.date,
              reason: str = "") -> None:
    """Record the recognition decision.

    The level recognised is the level the assessment reached (``level_reached``, computed from the
    answers); recording any other level — or a level when none was reached — needs a written
    reason, which the assessment's history keeps with the decision.
    """
    if level not in Level.values or level > assessment.target_level:
        raise ValidationError(_("The level recognised cannot be above the target level of the assessment."))
    if not decision_number.strip():
        raise ValidationError(_("Enter the number of the recognition decision."))
    reason = (reason or "").strip()
    if level != assessment.level_reached and not reason:
        if assessment.level_reached is None:
            message = _("The assessment has not reached a level: recognising level %(level)s needs a written reason.")
        else:
            message = _("The assessment reached level %(reached)s: recognising level %(level)s needs a written reason.")
        raise ValidationError(message % {"level": level, "reached": assessment.level_reached})
    assessment.level_recognised = level
    assessment.decision_number = decision_number.strip()
    assessment.decision_date = decision_date
    note = assessment.decision_number if not reason else f"{assessment.decision_number} — {reason}"
    _transition(assessment, "recognise", Stage.RECOGNISED, user, note, AssessmentEvent.Action.RECOGNISED)


REVIEW_STAGES = {Stage.SUBMITTED, Stage.SURVEYED}


@transaction.atomic
def comment(*, answer: Answer, user, text: str, opinion: str = "") -> None:
    """A reviewer's comment on one indicator, optionally with an opinion that settles its status."""
    assessment = answer.assessment
    if assessment.stage not in REVIEW_STAGES:
        raise ValidationError(_("Comments are taken while the Academy reviews the assessment."))
    text = text.strip()
    if opinion and answer.indicator.provisional:  # a comment is welcome; an opinion would count for nothing
        raise ValidationError(_("This indicator has not been issued yet: it takes comments, not an opinion."))
    if not text and opinion == answer.reviewer_status:
        raise ValidationError(_("Write a comment or give an opinion."))
    if text:
        ReviewComment.objects.create(answer=answer, author=user, text=text)
    if opinion != answer.reviewer_status:
        answer.reviewer_status = opinion
        _apply_status(answer, assessment.target_level)
        answer.save(update_fields=["reviewer_status", "status"])
        refresh_result(assessment)
    _log(assessment, AssessmentEvent.Action.COMMENTED, user, from_stage=assessment.stage,
         note=f"{answer.indicator.code}: {text}".strip())
