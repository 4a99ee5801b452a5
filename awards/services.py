"""Writes of the awards register."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awards.models import Award, AwardKind


@transaction.atomic
def award_save(*, award: Award, user=None) -> Award:
    """Save an entry entered by the school; entries made by the cluster pipeline are read-only here."""
    if award.pk and Award.objects.filter(pk=award.pk, proposal__isnull=False).exists():
        raise ValidationError(_("This award comes from the emulation cluster; it is changed there."))
    if award.proposal_id:
        raise ValidationError(_("This award comes from the emulation cluster; it is changed there."))
    if award.pk is None and user is not None:
        award.created_by = user
    award.full_clean()
    award.save()
    return award


@transaction.atomic
def award_delete(*, award: Award) -> None:
    if award.proposal_id:
        raise ValidationError(_("This award comes from the emulation cluster; it is changed there."))
    award.delete()


def record_from_proposal(proposal, *, user=None) -> Award | None:
    """Enter an approved cluster proposal in the register (idempotent). Returns the entry, or None
    when the proposal is not approved or its kind is not in the table."""
    if proposal.status != "approved":
        return None
    code = proposal.title or proposal.commendation_form
    kind = AwardKind.objects.filter(code=code).first()
    if kind is None:
        return None
    award, _created = Award.objects.get_or_create(
        proposal=proposal,
        defaults={
            "school_id": proposal.school_id, "staff_id": proposal.staff_id, "kind": kind,
            "year": proposal.cluster_year.year, "occasion": Award.Occasion.CLUSTER,
            "decision_number": proposal.decision_number, "decision_date": proposal.decision_date,
            "achievements": proposal.achievements, "created_by": user,
        },
    )
    return award


def record_approved_proposals() -> int:
    """Enter every approved cluster proposal that is not yet in the register (demo data, repairs)."""
    AwardProposal = Award._meta.get_field("proposal").related_model  # the emulation app sits above this one
    count = 0
    pending = AwardProposal.objects.filter(status="approved", register_entry__isnull=True).select_related("cluster_year")
    for proposal in pending:
        count += record_from_proposal(proposal) is not None
    return count
