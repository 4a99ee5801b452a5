"""One person, two learner records: proposing the link and merging them (issue 14, item 7).

A learner known by the old 9-digit identity card (CMND, records before 2021) who later appears with
a citizen ID card (CCCD) gets a second record. ``link_proposals`` finds such pairs for the Academy
(same name and date of birth, or the CCCD record naming the CMND as its former number); schools
never see them (the other record may be another school's learner). ``merge_learners`` moves every
enrollment (with its marks, diploma and history) of one record to the other, keeps each school's
own details, and deletes the emptied record — all audited, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from courses import school_learners
from courses.models import DETAIL_FIELDS, DocumentType, Enrollment, Learner, LearnerDetails


@dataclass
class LinkProposal:
    old: Learner  # the CMND record
    new: Learner  # the CCCD record
    named: bool  # the CCCD record gives the CMND number as its former number


def link_proposals(*, learner: Learner | None = None) -> list[LinkProposal]:
    """Pairs (CMND record, CCCD record) that are probably one person: the same name and date of birth,
    or the CCCD record's former CMND number is the CMND record's. ``learner`` limits them to its pairs."""
    old = Learner.objects.filter(document_type=DocumentType.CMND)
    new = Learner.objects.filter(document_type=DocumentType.CCCD)
    same_person = new.filter(
        Q(former_number=OuterRef("cccd"))
        | Q(search_name=OuterRef("search_name"), date_of_birth=OuterRef("date_of_birth"), date_of_birth__isnull=False)
    ).order_by("pk").values("pk")[:1]
    if learner is not None:
        if learner.document_type == DocumentType.CMND:
            old = old.filter(pk=learner.pk)
        else:
            old = old.filter(Q(cccd=learner.former_number)
                             | Q(search_name=learner.search_name, date_of_birth=learner.date_of_birth))
            same_person = new.filter(pk=learner.pk).values("pk")[:1]
    pairs = list(old.annotate(match=Subquery(same_person)).filter(match__isnull=False).order_by("name_sort_key")[:500])
    matches = Learner.objects.in_bulk([pair.match for pair in pairs])
    return [LinkProposal(old=pair, new=matches[pair.match], named=matches[pair.match].former_number == pair.cccd)
            for pair in pairs if pair.match in matches]


def merge_conflicts(duplicate: Learner, keep: Learner) -> list[str]:
    """Why the two records cannot be merged (empty when they can)."""
    problems = []
    if duplicate.pk == keep.pk:
        problems.append(_("A record cannot be merged into itself."))
    shared = (Enrollment.objects.filter(learner=duplicate, training_class__enrollments__learner=keep)
              .values_list("training_class__code", flat=True).distinct())
    if shared:
        problems.append(_("Both records are enrolled in the same class (%(classes)s): remove one enrollment first.")
                        % {"classes": ", ".join(sorted(shared))})
    if duplicate.date_of_birth and keep.date_of_birth and duplicate.date_of_birth != keep.date_of_birth:
        problems.append(_("The dates of birth differ: correct the wrong record first."))
    return problems


@transaction.atomic
def merge_learners(*, duplicate: Learner, keep: Learner, user=None) -> int:
    """Merge ``duplicate`` into ``keep``: its enrollments (marks, diplomas and their history follow) and
    its change history move to ``keep``, each school keeps its own details of the person, the CMND
    number is kept as ``keep``'s former number, and ``duplicate`` is deleted. Returns the number of
    enrollments moved; raises ``ValidationError`` when ``merge_conflicts`` finds a problem."""
    duplicate = Learner.objects.select_for_update().get(pk=duplicate.pk)
    keep = Learner.objects.select_for_update().get(pk=keep.pk)
    problems = merge_conflicts(duplicate, keep)
    if problems:
        raise ValidationError(problems)
    # Each school keeps what it recorded: the duplicate's own fields were its recording school's view.
    own = {name: getattr(duplicate, Learner._meta.get_field(name).attname) for name in DETAIL_FIELDS}
    details = {d.school_id: d for d in LearnerDetails.objects.filter(learner=duplicate)}
    kept_schools = set(LearnerDetails.objects.filter(learner=keep).values_list("school_id", flat=True))
    kept_schools.add(keep.recorded_by_id)
    for school_id, row in details.items():
        if school_id in kept_schools:
            row.delete()
        else:
            row.learner = keep
            row.save()
            kept_schools.add(school_id)
    if duplicate.recorded_by_id and duplicate.recorded_by_id not in kept_schools:
        if keep.recorded_by_id is None:
            Learner.objects.filter(pk=keep.pk).update(**{Learner._meta.get_field(n).attname: v for n, v in own.items()},
                                                       recorded_by_id=duplicate.recorded_by_id)
            keep.refresh_from_db()
        else:
            LearnerDetails.objects.create(learner=keep, school_id=duplicate.recorded_by_id,
                                          **{Learner._meta.get_field(n).attname: v for n, v in own.items()})
    moved = list(Enrollment.objects.filter(learner=duplicate).select_related("training_class"))
    for enrollment in moved:  # one save each: the change log records every move
        enrollment.learner = keep
        enrollment.save(update_fields=["learner", "updated_at"])
    for school_id in {enrollment.training_class.school_id for enrollment in moved}:
        school_learners.link(school_id, [keep.pk])
    if duplicate.document_type == DocumentType.CMND and not keep.former_number:
        keep.former_number = duplicate.cccd
        keep.save(update_fields=["former_number", "updated_at"])
    _move_history(duplicate, keep, user=user)
    duplicate.delete()
    return len(moved)


def _move_history(duplicate: Learner, keep: Learner, *, user=None) -> None:
    """The duplicate's change history becomes the kept record's, with an entry saying so."""
    from django.apps import apps

    if not apps.is_installed("audit"):
        return
    from django.contrib.contenttypes.models import ContentType

    import audit
    from audit.models import AuditLog

    kind = ContentType.objects.get_for_model(Learner)
    AuditLog.objects.filter(content_type=kind, object_id=str(duplicate.pk)).update(object_id=str(keep.pk))
    user = user if user is not None else audit.current_user()
    AuditLog.objects.create(
        user=user, user_repr=user.get_username() if user is not None else "", content_type=kind,
        object_id=str(keep.pk), object_repr=str(keep)[:200], action=AuditLog.Action.UPDATE,
        changes={"_merged": [duplicate.document_label, keep.document_label]},
    )
