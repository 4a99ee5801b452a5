"""Which records belong to a locked year, enforced in one place.

A school's year Y is locked (``YearLock`` active for (school, Y)). A record belongs to year Y when:

- training: the annual training plan of Y and its lines; a class whose closing date falls in Y (or,
  while it has none, whose opening date does), with its enrollments and its marks;
- research: an event held in Y, a publication published in Y (and the articles of that issue), a
  field trip that started in Y (and its participants), a topic accepted or cancelled in Y (a topic
  still under way belongs to no closed year: its later steps are next year's business);
- emulation: the school's scorecard of a cluster year Y, its scores and their appeals, and the
  school's award proposals of that cluster year.

Saving or deleting such a record raises ``YearLocked`` (a ``ValidationError``) — through the model
signals below, and through ``guard()`` in the bulk paths that fire no signals (grade grid,
graduation decision, learner import). A change that moves a record out of a locked year (e.g. a
class's closing date changed from 2025 to 2026) is refused too: both the stored and the new year are
checked. The records an edit touches are read through the ids already on the instance.

A refused delete is raised from ``pre_delete``, which Django sends inside the delete's own
``atomic(savepoint=False)``: in a request (autocommit) that block is the whole transaction and is
rolled back cleanly; code that deletes inside its own ``atomic()`` and wants to go on after a
``YearLocked`` must wrap the delete in a nested ``atomic()`` (a savepoint).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models.signals import pre_delete, pre_save
from django.utils.translation import gettext as _


class YearLocked(ValidationError):
    def __init__(self, school_id, year):
        self.school_id, self.year = school_id, year
        super().__init__(
            _("Year %(year)s has been locked (chốt số liệu): its records can no longer be changed. "
              "Ask the Academy to reopen the year if a figure must be corrected.") % {"year": year},
            code="year_locked",
        )


def is_locked(school_id, year) -> bool:
    from yearend.models import YearLock

    if school_id is None or year is None:
        return False
    return YearLock.objects.filter(school_id=school_id, year=year, active=True).exists()


def guard(school, year) -> None:
    """Raise ``YearLocked`` when ``school``'s ``year`` is locked (for writes that skip the signals)."""
    school_id = getattr(school, "pk", school)
    if is_locked(school_id, year):
        raise YearLocked(school_id, year)


def guard_class(training_class) -> None:
    """The bulk paths' guard: the year of ``training_class`` (closing date, else opening date)."""
    guard(training_class.school_id, class_year(training_class.closing_date, training_class.opening_date))


# --- the year of each record --------------------------------------------------------------------
def _year(value):
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    return value.year


def class_year(closing, opening):
    return _year(closing) if closing else _year(opening)


def _class_key(klass):
    return klass.school_id, class_year(klass.closing_date, klass.opening_date)


def _keys(instance):
    """[(school id, year)] the record belongs to now (unsaved values)."""
    from courses.models import AnnualPlan, Enrollment, Mark, PlanLine, TrainingClass
    from emulation.models import Appeal, AwardProposal, Score, Scorecard
    from research.models import Article, Event, FieldTrip, FieldTripParticipant, Publication, Topic

    if isinstance(instance, AnnualPlan):
        return [(instance.school_id, instance.year)]
    if isinstance(instance, PlanLine):
        return [(instance.plan.school_id, instance.plan.year)]
    if isinstance(instance, TrainingClass):
        return [_class_key(instance)]
    if isinstance(instance, Enrollment):
        return [_class_key(instance.training_class)]
    if isinstance(instance, Mark):
        return [_class_key(instance.enrollment.training_class)]
    if isinstance(instance, Event):
        return [(instance.school_id, _year(instance.held_on))]
    if isinstance(instance, Publication):
        return [(instance.school_id, _year(instance.published_on))]
    if isinstance(instance, Article):
        return [(instance.issue.school_id, _year(instance.issue.published_on))]
    if isinstance(instance, FieldTrip):
        return [(instance.school_id, _year(instance.start_on))]
    if isinstance(instance, FieldTripParticipant):
        return [(instance.trip.school_id, _year(instance.trip.start_on))]
    if isinstance(instance, Topic):
        return [(instance.school_id, _year(instance.accepted_on or instance.cancelled_on))]
    if isinstance(instance, Scorecard | AwardProposal):
        return [(instance.school_id, instance.cluster_year.year)]
    if isinstance(instance, Score):
        return [(instance.scorecard.school_id, instance.scorecard.cluster_year.year)]
    if isinstance(instance, Appeal):
        return [(instance.score.scorecard.school_id, instance.score.scorecard.cluster_year.year)]
    return []


# Models whose own date fields decide their year: the stored values are checked too.
_DATE_FIELDS = {
    "courses.AnnualPlan": ("school", ("year",)),
    "courses.TrainingClass": ("school", ("closing_date", "opening_date")),
    "research.Event": ("school", ("held_on",)),
    "research.Publication": ("school", ("published_on",)),
    "research.FieldTrip": ("school", ("start_on",)),
    "research.Topic": ("school", ("accepted_on", "cancelled_on")),
}


def _stored_keys(sender, instance):
    spec = _DATE_FIELDS.get(sender._meta.label)
    if spec is None or instance._state.adding or instance.pk is None:
        return []
    school_field, dates = spec
    row = sender._base_manager.filter(pk=instance.pk).values(f"{school_field}_id", *dates).first()
    if row is None:
        return []
    values = [row[name] for name in dates]
    first = next((value for value in values if value), None)
    year = first if isinstance(first, int) else _year(first)
    return [(row[f"{school_field}_id"], year)]


def check(instance, *, stored: bool = True) -> None:
    keys = set(_keys(instance))
    if stored:
        keys |= set(_stored_keys(type(instance), instance))
    for school_id, year in sorted(keys, key=lambda key: (key[1] is None, key)):
        if year is not None and is_locked(school_id, year):
            raise YearLocked(school_id, year)


def _on_save(sender, instance, raw=False, **kwargs):
    if not raw:
        check(instance)


def _on_delete(sender, instance, **kwargs):
    check(instance, stored=False)


def locked_models() -> list:
    from courses.models import AnnualPlan, Enrollment, Mark, PlanLine, TrainingClass
    from emulation.models import Appeal, AwardProposal, Score, Scorecard
    from research.models import Article, Event, FieldTrip, FieldTripParticipant, Publication, Topic

    return [AnnualPlan, PlanLine, TrainingClass, Enrollment, Mark, Event, Publication, Article, FieldTrip,
            FieldTripParticipant, Topic, Scorecard, Score, Appeal, AwardProposal]


def connect() -> None:
    for model in locked_models():
        uid = f"yearend:{model._meta.label}"
        pre_save.connect(_on_save, sender=model, dispatch_uid=uid + ":save")
        pre_delete.connect(_on_delete, sender=model, dispatch_uid=uid + ":delete")
