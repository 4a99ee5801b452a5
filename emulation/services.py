"""Writes of the emulation pipeline. Every rule is checked here (and in the models' clean), so no
view, form or command can skip it."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from awards import services as register
from awards.models import AwardKind
from emulation import ranking
from emulation.dates import as_datetime, check_step_date
from emulation.models import (
    FINAL_READ_ONLY,
    Appeal,
    AwardProposal,
    ClusterMembership,
    ClusterYear,
    Criterion,
    EmulationTitle,
    Meeting,
    Score,
    Scorecard,
)
from emulation.ranking import Entry, rank_entries

Status = ClusterYear.Status
ZERO = Decimal(0)


# --- cluster years ---------------------------------------------------------------------------
@transaction.atomic
def cluster_year_save(*, cluster_year: ClusterYear, members, deputies) -> ClusterYear:
    """Save a cluster year with its member schools; head and deputies must be members."""
    members = list(members)
    member_ids = {school.pk for school in members}
    if cluster_year.head_id and cluster_year.head_id not in member_ids:
        raise ValidationError({"head": _("The cluster head must be a member of the cluster that year.")})
    if any(d.pk not in member_ids for d in deputies):
        raise ValidationError({"deputies": _("The deputy heads must be members of the cluster that year.")})
    if cluster_year.head_id and any(d.pk == cluster_year.head_id for d in deputies):
        raise ValidationError({"deputies": _("The cluster head cannot also be a deputy head.")})
    if cluster_year.pk and ClusterYear.objects.filter(pk=cluster_year.pk, status=Status.FINAL).exists():
        raise ValidationError(FINAL_READ_ONLY)
    if cluster_year.pk and cluster_year.status != Status.DRAFT:
        current = set(cluster_year.memberships.values_list("school_id", flat=True))
        if current != member_ids:
            raise ValidationError({"members": _("Members cannot change once self-scoring has opened.")})
    cluster_year.full_clean()
    cluster_year.save()
    cluster_year.memberships.exclude(school_id__in=member_ids).delete()
    existing = set(cluster_year.memberships.values_list("school_id", flat=True))
    ClusterMembership.objects.bulk_create(
        [ClusterMembership(cluster_year=cluster_year, school=s) for s in members if s.pk not in existing]
    )
    cluster_year.deputies.set(deputies)
    return cluster_year


# --- scoring scheme --------------------------------------------------------------------------
def _check_scheme_editable(cluster_year: ClusterYear) -> None:
    if cluster_year.scheme_frozen:
        raise ValidationError(_("The scoring scheme is frozen once self-scoring has opened."))


@transaction.atomic
def criterion_save(*, criterion: Criterion) -> Criterion:
    _check_scheme_editable(criterion.cluster_year)
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: Criterion) -> None:
    _check_scheme_editable(criterion.cluster_year)
    criterion.delete()


@transaction.atomic
def scheme_copy_from_last_year(*, cluster_year: ClusterYear) -> int:
    """Copy the scheme of the cluster's previous year (items and their tree). Returns the number copied."""
    _check_scheme_editable(cluster_year)
    if cluster_year.criteria.exists():
        raise ValidationError(_("The scheme already has items; delete them before copying."))
    previous = (
        ClusterYear.objects.filter(cluster=cluster_year.cluster, year__lt=cluster_year.year).order_by("-year").first()
    )
    if previous is None or not previous.criteria.exists():
        raise ValidationError(_("There is no scheme of an earlier year to copy."))
    mapping: dict[int, Criterion] = {}
    # Parents before children: ordering by depth (root → leaf) keeps the tree intact.
    items = list(previous.criteria.all())
    by_pk = {c.pk: c for c in items}

    def depth(c):
        return 0 if c.parent_id is None else 1 + depth(by_pk[c.parent_id])

    for old in sorted(items, key=lambda c: (depth(c), c.order, c.pk)):
        new = Criterion(
            cluster_year=cluster_year, parent=mapping.get(old.parent_id), kind=old.kind, order=old.order,
            code=old.code, name=old.name, max_points=old.max_points, guidance=old.guidance,
        )
        new.save()
        mapping[old.pk] = new
    if previous.tie_break and not cluster_year.tie_break:  # the rule is part of the scheme
        cluster_year.tie_break = list(previous.tie_break)
        cluster_year.save(update_fields=["tie_break", "updated_at"])
    return len(mapping)


def leaf_criteria(cluster_year: ClusterYear) -> list[Criterion]:
    criteria = list(cluster_year.criteria.all())
    parents = {c.parent_id for c in criteria if c.parent_id}
    return [c for c in criteria if c.pk not in parents]


# --- state machine ---------------------------------------------------------------------------
@transaction.atomic
def open_scoring(*, cluster_year: ClusterYear) -> None:
    """Freeze the scheme and give every member a scorecard."""
    _require_status(cluster_year, Status.DRAFT)
    leaves = leaf_criteria(cluster_year)
    if not leaves:
        raise ValidationError(_("Define the scoring scheme before opening self-scoring."))
    members = list(cluster_year.memberships.values_list("school_id", flat=True))
    if not members:
        raise ValidationError(_("The cluster has no members that year."))
    if cluster_year.self_score_deadline is None:
        raise ValidationError(_("Set the self-score deadline first."))
    for school_id in members:
        card, _created = Scorecard.objects.get_or_create(cluster_year=cluster_year, school_id=school_id)
        Score.objects.bulk_create(
            [Score(scorecard=card, criterion=c) for c in leaves], ignore_conflicts=True
        )
    _set_status(cluster_year, Status.SCORING_OPEN)


@transaction.atomic
def open_appraisal(*, cluster_year: ClusterYear) -> None:
    """Close self-scoring: allowed once the deadline has passed or every member has submitted."""
    _require_status(cluster_year, Status.SCORING_OPEN)
    pending = cluster_year.scorecards.exclude(status=Scorecard.Status.SUBMITTED).exists()
    if pending and not cluster_year.recorded_entry and cluster_year.self_score_deadline is None:
        raise ValidationError(_("Set the self-score deadline first."))
    if pending and not cluster_year.recorded_entry and timezone.localdate() <= cluster_year.self_score_deadline:
        raise ValidationError(_("Some members have not submitted yet and the self-score deadline has not passed."))
    _set_status(cluster_year, Status.APPRAISAL)


@transaction.atomic
def open_appeals(*, cluster_year: ClusterYear) -> None:
    _require_status(cluster_year, Status.APPRAISAL)
    if Score.objects.filter(scorecard__cluster_year=cluster_year, appraised_points__isnull=True).exists():
        raise ValidationError(_("Appraise every score before opening the appeal window."))
    if cluster_year.appeal_deadline is None or (
        not cluster_year.recorded_entry and cluster_year.appeal_deadline < timezone.localdate()
    ):
        raise ValidationError(_("Set an appeal deadline that has not passed yet."))
    _set_status(cluster_year, Status.APPEALS)


@transaction.atomic
def finalize(*, cluster_year: ClusterYear) -> None:
    """Final scores = appraised scores, corrected by accepted appeals; then rank the members."""
    _require_status(cluster_year, Status.APPEALS)
    if not cluster_year.recorded_entry and cluster_year.appeal_deadline and timezone.localdate() <= cluster_year.appeal_deadline:
        raise ValidationError(_("The appeal window is still open."))
    if Appeal.objects.filter(score__scorecard__cluster_year=cluster_year, status=Appeal.Status.PENDING).exists():
        raise ValidationError(_("Resolve every appeal before making the scores final."))
    scores = list(Score.objects.filter(scorecard__cluster_year=cluster_year).select_related("appeal"))
    before = {score.pk: audit.snapshot(score) for score in scores}
    for score in scores:
        appeal = getattr(score, "appeal", None)
        accepted = appeal is not None and appeal.status == Appeal.Status.ACCEPTED
        score.final_points = appeal.resolved_points if accepted else score.appraised_points
    Score.objects.bulk_update(scores, ["final_points"])
    audit.log_bulk(scores, action="update", before=before)  # bulk writes fire no signals
    store_ranking(cluster_year=cluster_year)
    _set_status(cluster_year, Status.FINAL)


@transaction.atomic
def reopen(*, cluster_year: ClusterYear) -> None:
    """Reopen a final season (an Academy administrator only, checked by the view): back to the
    appeals stage, so it can be corrected and made final again. The change log records who did it."""
    _require_status(cluster_year, Status.FINAL)
    _set_status(cluster_year, Status.APPEALS)


def store_ranking(*, cluster_year: ClusterYear) -> list:
    cards = list(cluster_year.scorecards.select_related("school").order_by("pk"))  # never by name
    totals = scorecard_totals(cluster_year, "final_points")
    entries = [Entry(key=c.pk, name=c.school.name, **totals[c.pk]) for c in cards]
    by_pk = {c.pk: c for c in cards}
    before = {c.pk: audit.snapshot(c) for c in cards}
    ranked = rank_entries(entries, cluster_year.tie_break or ())
    for item in ranked:
        card = by_pk[item.entry.key]
        card.final_total, card.final_penalty = item.entry.total, item.entry.penalty
        card.rank, card.rank_order = item.rank, item.position
    Scorecard.objects.bulk_update(cards, ["final_total", "final_penalty", "rank", "rank_order"])
    audit.log_bulk(cards, action="update", before=before)
    return ranked


def scorecard_totals(cluster_year: ClusterYear, field: str) -> dict[int, dict]:
    """Per scorecard: ``total`` (criteria + bonus − penalty), ``penalty`` and ``criteria`` (points per
    top-level criterion code, which the cluster's tie-break may name), from one column of Score. Two queries."""
    criteria = list(cluster_year.criteria.all())
    by_pk = {c.pk: c for c in criteria}

    def root(c):
        return c if c.parent_id is None else root(by_pk[c.parent_id])

    result: dict[int, dict] = {
        pk: {"total": ZERO, "penalty": ZERO, "criteria": {}}
        for pk in cluster_year.scorecards.values_list("pk", flat=True)
    }
    rows = Score.objects.filter(scorecard__cluster_year=cluster_year).values_list("scorecard_id", "criterion_id", field)
    for card_id, criterion_id, points in rows:
        points = points or ZERO
        criterion = by_pk[criterion_id]
        entry = result[card_id]
        if criterion.kind == Criterion.Kind.PENALTY:
            entry["total"] -= points
            entry["penalty"] += points
        else:
            entry["total"] += points
        top = root(criterion)
        if top.kind == Criterion.Kind.CRITERION:
            entry["criteria"][top.code] = entry["criteria"].get(top.code, ZERO) + points
    return result


# --- the cluster's tie-break rule ---------------------------------------------------------------
def tie_break_choices(cluster_year: ClusterYear) -> list[tuple[str, str]]:
    """The steps a cluster may put in its tie-break rule, with their labels."""
    choices = [(ranking.PENALTY, _("fewer deductions (penalty points)"))]
    for criterion in cluster_year.criteria.filter(parent__isnull=True, kind=Criterion.Kind.CRITERION).order_by(
        "order", "pk"
    ):
        choices.append((f"{ranking.CRITERION}{criterion.code}",
                        _("higher score in criterion %(code)s. %(name)s") % {"code": criterion.code,
                                                                               "name": criterion.name}))
    choices.append((ranking.VOTE, _("the meeting's vote")))
    return choices


def tie_break_labels(cluster_year: ClusterYear) -> list[str]:
    labels = dict(tie_break_choices(cluster_year))
    return [labels.get(step, step) for step in cluster_year.tie_break or []]


@transaction.atomic
def tie_break_save(*, cluster_year: ClusterYear, steps: list[str]) -> ClusterYear:
    """The cluster adopts its tie-break rule (while the scheme can still change)."""
    if cluster_year.scheme_frozen:
        raise ValidationError(_("The scoring scheme is frozen once self-scoring has opened."))
    steps = [step for step in steps if step]
    allowed = {value for value, _label in tie_break_choices(cluster_year)}
    if any(step not in allowed for step in steps):
        raise ValidationError(_("Choose the steps of the rule from the list."))
    if len(set(steps)) != len(steps):
        raise ValidationError(_("Each step of the rule may appear only once."))
    if ranking.VOTE in steps and steps[-1] != ranking.VOTE:
        raise ValidationError(_("The meeting's vote is the last step of the rule: nothing after it can be applied."))
    cluster_year.tie_break = steps
    cluster_year.save(update_fields=["tie_break", "updated_at"])
    return cluster_year


def _require_status(cluster_year: ClusterYear, status: str) -> None:
    if cluster_year.status != status:
        raise ValidationError(
            _("This step is only possible while the cluster year is “%(status)s”.")
            % {"status": Status(status).label}
        )


def _set_status(cluster_year: ClusterYear, status: str) -> None:
    cluster_year.status = status
    cluster_year.save(update_fields=["status", "updated_at"])


# --- self-scoring ----------------------------------------------------------------------------
FIELD_PREFIX = {"self_points": "points", "evidence_file": "file", "evidence_link": "link", "explanation": "explanation"}


def _check_self_scoring(scorecard: Scorecard) -> None:
    cluster_year = scorecard.cluster_year
    if cluster_year.status != Status.SCORING_OPEN:
        raise ValidationError(_("Self-scoring is not open."))
    if not cluster_year.self_scoring_open:
        raise ValidationError(_("The self-score deadline has passed."))
    if scorecard.locked:
        raise ValidationError(_("The self-score has been submitted and is locked."))


@transaction.atomic
def self_scores_save(*, scorecard: Scorecard, rows: dict[int, dict]) -> None:
    """Save self-scores: ``rows`` maps a criterion id to ``points``, ``link``, ``explanation``,
    ``file`` (an upload or None) and ``clear_file``. Errors come back keyed ``<field>_<criterion id>``."""
    _check_self_scoring(scorecard)
    errors: dict[str, list] = {}
    scores = {s.criterion_id: s for s in scorecard.scores.select_related("criterion", "scorecard__school")}
    for criterion_id, row in rows.items():
        score = scores.get(criterion_id)
        if score is None:
            continue
        score.self_points = row.get("points")
        score.evidence_link = (row.get("link") or "").strip()
        score.explanation = (row.get("explanation") or "").strip()
        if row.get("clear_file"):
            score.evidence_file.delete(save=False)
            score.evidence_file = ""
        if row.get("file"):
            score.evidence_file = row["file"]
        try:
            score.full_clean(exclude=["appraised_points", "appraisal_reason"])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[f"{FIELD_PREFIX.get(field, 'points')}_{criterion_id}"] = messages
    if errors:
        raise ValidationError(errors)
    for score in scores.values():
        if score.criterion_id in rows:
            score.save()


@transaction.atomic
def scorecard_submit(*, scorecard: Scorecard, user, submitted_on=None) -> None:
    """Submit the self-score; it is locked afterwards. A season entered as recorded keeps the date
    the school really submitted (``submitted_on``, required there)."""
    _check_self_scoring(scorecard)
    if scorecard.cluster_year.recorded_entry:
        check_step_date(scorecard.cluster_year, submitted_on)
    missing = scorecard.scores.filter(self_points__isnull=True).select_related("criterion")
    if missing:
        codes = ", ".join(s.criterion.code for s in missing)
        raise ValidationError(_("Score every item before submitting (missing: %(codes)s).") % {"codes": codes})
    scorecard.status = Scorecard.Status.SUBMITTED
    scorecard.submitted_at = timezone.now()
    if scorecard.cluster_year.recorded_entry:
        scorecard.submitted_at = as_datetime(submitted_on)
    scorecard.submitted_by = user
    scorecard.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])


# --- appraisal and appeals -------------------------------------------------------------------
@transaction.atomic
def appraisal_save(*, scorecard: Scorecard, rows: dict[int, dict], note: str = "") -> None:
    """Record appraised scores (``rows``: criterion id → ``points``, ``reason``); a change from the
    self-score needs a reason. Errors come back keyed ``points_<id>`` / ``reason_<id>``."""
    cluster_year = scorecard.cluster_year
    if cluster_year.status != Status.APPRAISAL:
        raise ValidationError(_("The appraisal is not open."))
    today = timezone.localdate()
    if not cluster_year.recorded_entry and ((cluster_year.appraisal_start and today < cluster_year.appraisal_start) or (
        cluster_year.appraisal_end and today > cluster_year.appraisal_end
    )):
        raise ValidationError(_("Today is outside the appraisal period set in the calendar."))
    errors: dict[str, list] = {}
    scores = {s.criterion_id: s for s in scorecard.scores.select_related("criterion", "scorecard__school")}
    for criterion_id, row in rows.items():
        score = scores.get(criterion_id)
        if score is None:
            continue
        score.appraised_points = row.get("points")
        score.appraisal_reason = (row.get("reason") or "").strip()
        try:
            score.full_clean(exclude=["self_points", "evidence_file", "evidence_link", "explanation"])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                prefix = "reason" if field == "appraisal_reason" else "points"
                errors[f"{prefix}_{criterion_id}"] = messages
    if errors:
        raise ValidationError(errors)
    for score in scores.values():
        if score.criterion_id in rows:
            score.save(update_fields=["appraised_points", "appraisal_reason"])
    scorecard.appraisal_note = note
    scorecard.save(update_fields=["appraisal_note", "updated_at"])


@transaction.atomic
def appeal_file(*, score: Score, reason: str, requested_points) -> Appeal:
    cluster_year = score.scorecard.cluster_year
    if not cluster_year.appeal_window_open:
        raise ValidationError(_("The appeal window is closed."))
    if Appeal.objects.filter(score=score).exists():
        raise ValidationError(_("This score already has an appeal."))
    appeal = Appeal(score=score, reason=reason.strip(), requested_points=requested_points)
    appeal.full_clean()
    appeal.save()
    return appeal


@transaction.atomic
def appeal_resolve(*, appeal: Appeal, status: str, resolution: str, resolved_points, user) -> Appeal:
    if appeal.score.scorecard.cluster_year.status != Status.APPEALS:
        raise ValidationError(_("Appeals can only be resolved during the appeal stage."))
    if appeal.status != Appeal.Status.PENDING:
        raise ValidationError(_("This appeal has already been resolved."))
    if status not in (Appeal.Status.ACCEPTED, Appeal.Status.REJECTED):
        raise ValidationError({"status": _("Accept or reject the appeal.")})
    appeal.status, appeal.resolution = status, resolution.strip()
    appeal.resolved_points = resolved_points if status == Appeal.Status.ACCEPTED else None
    appeal.resolved_at, appeal.resolved_by = timezone.now(), user
    appeal.full_clean()
    appeal.save()
    return appeal


# --- awards ----------------------------------------------------------------------------------
def _check_academy_confers(proposal: AwardProposal) -> None:
    """A cluster proposes to the Academy only what the Academy's Director confers (awards.AwardKind)."""
    code = proposal.title or proposal.commendation_form
    kind = AwardKind.objects.filter(code=code).first()
    if kind is not None and not kind.conferred_by_academy:
        field = "title" if proposal.title else "commendation_form"
        raise ValidationError({field: _(
            "“%(award)s” is conferred by %(level)s, not by the Academy; record it in the school's awards register."
        ) % {"award": kind.name, "level": kind.get_level_display()}})
    if kind is None and code:
        raise ValidationError(_("This award is not in the table of award kinds."))


@transaction.atomic
def award_propose(*, proposal: AwardProposal) -> AwardProposal:
    """Propose an award for a member school or one of its staff; the flag quota is enforced."""
    cluster_year = ClusterYear.objects.select_for_update().get(pk=proposal.cluster_year_id)
    if cluster_year.status != Status.FINAL:
        raise ValidationError(_("Awards are proposed once the scores are final."))
    if not cluster_year.memberships.filter(school_id=proposal.school_id).exists():
        raise ValidationError({"school": _("The school is not a member of the cluster that year.")})
    proposal.full_clean()
    _check_academy_confers(proposal)
    if proposal.title == EmulationTitle.ACADEMY_FLAG:
        used = (
            AwardProposal.objects.filter(cluster_year=cluster_year, title=EmulationTitle.ACADEMY_FLAG)
            .exclude(status=AwardProposal.Status.REJECTED).exclude(pk=proposal.pk).count()
        )
        if used >= cluster_year.flag_quota:
            raise ValidationError(
                {"title": _("The quota of %(quota)s Academy emulation flag(s) for this cluster year is used up.")
                 % {"quota": cluster_year.flag_quota}}
            )
    proposal.save()
    return proposal


@transaction.atomic
def award_record_vote(*, proposal: AwardProposal, method: str, votes_for, votes_against, votes_total) -> AwardProposal:
    if proposal.status != AwardProposal.Status.PROPOSED:
        raise ValidationError(_("The Academy has already decided on this proposal."))
    proposal.vote_method = method
    proposal.votes_for, proposal.votes_against, proposal.votes_total = votes_for, votes_against, votes_total
    proposal.full_clean()
    proposal.save()
    return proposal


@transaction.atomic
def award_decide(*, proposal: AwardProposal, approve: bool, number: str, date, user) -> AwardProposal:
    """The Academy approves (with the decision number and date) or rejects a proposal."""
    if proposal.status != AwardProposal.Status.PROPOSED:
        raise ValidationError(_("The Academy has already decided on this proposal."))
    if approve and proposal.votes_for is None:
        raise ValidationError(_("Record the vote of the year-end conference first."))
    if approve:
        _check_academy_confers(proposal)
    proposal.status = AwardProposal.Status.APPROVED if approve else AwardProposal.Status.REJECTED
    proposal.decision_number, proposal.decision_date = (number or "").strip(), date
    proposal.decided_by = user
    proposal.full_clean()
    proposal.save()
    register.record_from_proposal(proposal, user=user)  # the register shows it from now on
    return proposal


# --- the year-end conference -----------------------------------------------------------------
@transaction.atomic
def meeting_save(*, meeting: Meeting, next_deputies) -> ClusterYear | None:
    """Save the conference record; electing next year's head creates/updates next year's cluster year
    (members carried over, merged schools replaced by their successors)."""
    meeting.full_clean()
    meeting.save()
    meeting.next_deputies.set(next_deputies)
    if meeting.next_head_id is None:
        return None
    current = meeting.cluster_year
    members = [m.school for m in current.memberships.select_related("school__merged_into")]
    next_year = current.year + 1
    carried = []
    for school in members:
        if school.merged_into_id and school.merged_on and school.merged_on.year <= next_year:
            school = school.merged_into
        if school not in carried:
            carried.append(school)
    upcoming, created = ClusterYear.objects.get_or_create(cluster=current.cluster, year=next_year)
    if not created and upcoming.status != Status.DRAFT:
        raise ValidationError(_("Next year's cluster year has already started; change its head there."))
    if not created:
        carried = list({*carried, *[m.school for m in upcoming.memberships.select_related("school")]})
    for school in [meeting.next_head, *next_deputies]:
        if school not in carried:
            raise ValidationError({"next_head": _("%(school)s is not a member next year.") % {"school": school}})
    upcoming.head = meeting.next_head
    return cluster_year_save(cluster_year=upcoming, members=carried, deputies=list(next_deputies))

