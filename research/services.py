"""Writes of the research app. The topic lifecycle is a small state machine:

    registered ──approve──▶ approved ──start──▶ in progress ──accept──▶ accepted
         │                     │  ▲ extend          │  ▲ extend
         └───────cancel────────┴────────────────────┴──────▶ cancelled

Each step is recorded as a ``TopicTransition`` (who, when, decision number and date, note).
A step that makes no sense from the topic's current status (e.g. accepting a topic that was never
approved) is refused with a ``ValidationError`` that says why, in the user's language.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from research.models import Topic, TopicTransition

Action = TopicTransition.Action
Status = Topic.Status

# action → (statuses it may start from, status it leads to; None keeps the current status)
TRANSITIONS: dict[str, tuple[frozenset, str | None]] = {
    Action.APPROVE: (frozenset({Status.REGISTERED}), Status.APPROVED),
    Action.START: (frozenset({Status.APPROVED}), Status.IN_PROGRESS),
    Action.EXTEND: (frozenset({Status.APPROVED, Status.IN_PROGRESS}), None),
    Action.ACCEPT: (frozenset({Status.IN_PROGRESS}), Status.ACCEPTED),
    Action.CANCEL: (frozenset({Status.REGISTERED, Status.APPROVED, Status.IN_PROGRESS}), Status.CANCELLED),
}


def refusal_message(action: str, topic: Topic) -> str:
    """Why ``action`` is not possible from the topic's current status (shown to the user)."""
    status = topic.get_status_display()
    messages = {
        Action.APPROVE: _("Only a registered topic can be approved; this topic is “%(status)s”."),
        Action.START: _("Only an approved topic can be started; this topic is “%(status)s”."),
        Action.EXTEND: _("Only an approved or in-progress topic can be extended; this topic is “%(status)s”."),
        Action.ACCEPT: _(
            "Only a topic that was approved and is in progress can be accepted; this topic is “%(status)s”."
        ),
        Action.CANCEL: _("An accepted or cancelled topic cannot be cancelled; this topic is “%(status)s”."),
    }
    return messages[action] % {"status": status}


def allowed_actions(topic: Topic) -> list[str]:
    """The lifecycle steps that make sense from the topic's current status (for the buttons)."""
    return [action for action, (sources, _target) in TRANSITIONS.items() if topic.status in sources]


def _locked(topic: Topic) -> Topic:
    # Re-read under a row lock so two people acting at once cannot both move the topic.
    return Topic.objects.select_for_update().get(pk=topic.pk)


def _check(action: str, topic: Topic) -> None:
    sources, _target = TRANSITIONS[action]
    if topic.status not in sources:
        raise ValidationError(refusal_message(action, topic), code="forbidden_transition")


def _record(
    *, topic, action, from_status, user, decision_number="", decision_date=None, note="", new_end_on=None
) -> TopicTransition:
    step = TopicTransition(
        topic=topic, action=action, from_status=from_status, to_status=topic.status,
        decision_number=(decision_number or "").strip(), decision_date=decision_date, new_end_on=new_end_on,
        note=(note or "").strip(), created_by=user,
    )
    step.full_clean()
    step.save()
    return step


@transaction.atomic
def topic_register(*, topic: Topic, members=(), user) -> Topic:
    """Save a new topic as registered, with its members, and record the registration."""
    topic.status = Status.REGISTERED
    topic.full_clean()
    topic.save()
    topic.members.set(members)
    _record(topic=topic, action=Action.REGISTER, from_status="", user=user)
    return topic


@transaction.atomic
def topic_approve(*, topic: Topic, user, decision_number: str, decision_date: datetime.date, note: str = "") -> Topic:
    topic = _locked(topic)
    _check(Action.APPROVE, topic)
    if not (decision_number or "").strip() or not decision_date:
        raise ValidationError(_("Approval needs the number and date of the approval decision."))
    previous = topic.status
    topic.status = Status.APPROVED
    topic.approval_decision = decision_number.strip()
    topic.approved_on = decision_date
    topic.full_clean()
    topic.save()
    _record(topic=topic, action=Action.APPROVE, from_status=previous, user=user,
            decision_number=decision_number, decision_date=decision_date, note=note)
    return topic


@transaction.atomic
def topic_start(
    *, topic: Topic, user, decision_number: str = "", decision_date: datetime.date | None = None, note: str = ""
) -> Topic:
    topic = _locked(topic)
    _check(Action.START, topic)
    previous = topic.status
    topic.status = Status.IN_PROGRESS
    topic.save(update_fields=["status", "updated_at"])
    _record(topic=topic, action=Action.START, from_status=previous, user=user,
            decision_number=decision_number, decision_date=decision_date, note=note)
    return topic


@transaction.atomic
def topic_extend(
    *, topic: Topic, user, new_end_on: datetime.date, decision_number: str = "",
    decision_date: datetime.date | None = None, note: str = "",
) -> Topic:
    """Extend the deadline; the status stays, the new end date is kept and the step recorded."""
    topic = _locked(topic)
    _check(Action.EXTEND, topic)
    if not new_end_on:
        raise ValidationError(_("Give the new end date."))
    if new_end_on <= topic.current_end_on:
        raise ValidationError(
            _("The new end date must be after the current end date (%(date)s).")
            % {"date": topic.current_end_on.strftime("%d/%m/%Y")}
        )
    topic.extended = True
    topic.extended_until = new_end_on
    topic.full_clean()
    topic.save()
    _record(topic=topic, action=Action.EXTEND, from_status=topic.status, user=user,
            decision_number=decision_number, decision_date=decision_date, note=note, new_end_on=new_end_on)
    return topic


@transaction.atomic
def topic_accept(
    *, topic: Topic, user, council_date: datetime.date, score: Decimal, grade: str, decision_number: str = "",
    decision_date: datetime.date | None = None, note: str = "",
) -> Topic:
    """Record the acceptance council (nghiệm thu): its date, the score out of 100 and the grade."""
    topic = _locked(topic)
    _check(Action.ACCEPT, topic)
    if not council_date or score is None or not grade:
        raise ValidationError(_("Acceptance needs the council date, the score and the grade."))
    if grade not in Topic.Grade.values:
        raise ValidationError(_("Choose a grade from the list."))
    if not (0 <= Decimal(score) <= 100):
        raise ValidationError(_("The score must be between 0 and 100."))
    if council_date < topic.start_on:
        raise ValidationError(_("The acceptance council cannot meet before the topic started."))
    if council_date > timezone.localdate():
        raise ValidationError(_("The acceptance council date cannot be in the future."))
    previous = topic.status
    topic.status = Status.ACCEPTED
    topic.accepted_on, topic.score, topic.grade = council_date, Decimal(score), grade
    topic.full_clean()
    topic.save()
    _record(topic=topic, action=Action.ACCEPT, from_status=previous, user=user,
            decision_number=decision_number, decision_date=decision_date or council_date, note=note)
    return topic


@transaction.atomic
def topic_cancel(
    *, topic: Topic, user, reason: str, cancelled_on: datetime.date | None = None, decision_number: str = "",
    decision_date: datetime.date | None = None,
) -> Topic:
    topic = _locked(topic)
    _check(Action.CANCEL, topic)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for cancelling the topic."))
    previous = topic.status
    topic.status = Status.CANCELLED
    topic.cancelled_on = cancelled_on or decision_date or timezone.localdate()
    topic.cancel_reason = reason
    topic.full_clean()
    topic.save()
    _record(topic=topic, action=Action.CANCEL, from_status=previous, user=user,
            decision_number=decision_number, decision_date=decision_date, note=reason)
    return topic


def apply_transition(*, topic: Topic, action: str, user, data: dict) -> Topic:
    """Dispatch a lifecycle step by name (the transition page posts ``action`` and its fields)."""
    common = {
        "decision_number": data.get("decision_number") or "",
        "decision_date": data.get("decision_date"),
    }
    if action == Action.APPROVE:
        return topic_approve(topic=topic, user=user, note=data.get("note") or "", **common)
    if action == Action.START:
        return topic_start(topic=topic, user=user, note=data.get("note") or "", **common)
    if action == Action.EXTEND:
        return topic_extend(topic=topic, user=user, new_end_on=data.get("new_end_on"),
                            note=data.get("note") or "", **common)
    if action == Action.ACCEPT:
        return topic_accept(topic=topic, user=user, council_date=data.get("council_date"), score=data.get("score"),
                            grade=data.get("grade") or "", note=data.get("note") or "", **common)
    if action == Action.CANCEL:
        return topic_cancel(topic=topic, user=user, reason=data.get("reason") or "", **common)
    raise ValidationError(_("Unknown action."))
