"""Keep ``SchoolLearner`` (the index of a school's learner list) in step with the enrollments.

- one enrollment made or deleted through the ORM, one at a time or by a queryset ``delete()``:
  the signal receivers below (Django's collector sends post_delete for each row);
- enrollments made in bulk (``bulk_create``, COPY): the code that makes them calls ``link`` or
  ``rebuild``;
- a learner renamed: ``rename`` from the learner's post_save.
"""

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

from courses.models import Enrollment, Learner, SchoolLearner, TrainingClass

REBUILD_SQL = """
INSERT INTO courses_schoollearner (school_id, learner_id, search_name, name_sort_key, cccd)
SELECT DISTINCT c.school_id, e.learner_id, l.search_name, l.name_sort_key, l.cccd
FROM courses_enrollment e
JOIN courses_trainingclass c ON c.id = e.training_class_id
JOIN courses_learner l ON l.id = e.learner_id
"""


def link(school_id: int, learner_ids) -> None:
    """Record that these learners study at the school (those already recorded are left alone)."""
    learner_ids = set(learner_ids)
    if not learner_ids:
        return
    known = set(
        SchoolLearner.objects.filter(school_id=school_id, learner_id__in=learner_ids).values_list("learner_id", flat=True)
    )
    missing = Learner.objects.filter(pk__in=learner_ids - known).values_list(
        "pk", "search_name", "name_sort_key", "cccd"
    )
    SchoolLearner.objects.bulk_create(
        [SchoolLearner(school_id=school_id, learner_id=pk, search_name=search, name_sort_key=key, cccd=cccd)
         for pk, search, key, cccd in missing],
        ignore_conflicts=True,  # a concurrent enrollment of the same person
        batch_size=2000,
    )
    record_owner(school_id, learner_ids)


def record_owner(school_id: int, learner_ids) -> None:
    """The first school a person is enrolled at is the one that recorded them (``Learner.recorded_by``):
    its details are the learner's own fields, every other school keeps its own (``LearnerDetails``)."""
    unowned = Learner.objects.filter(recorded_by__isnull=True)
    if len(learner_ids) <= 500:
        unowned.filter(pk__in=learner_ids).update(recorded_by_id=school_id)
    else:  # one statement whatever the size (after ``link`` has recorded the pairs)
        unowned.filter(school_links__school_id=school_id).update(recorded_by_id=school_id)


def unlink_if_gone(school_id: int, learner_id: int) -> None:
    """Forget the pair once the learner has no enrollment left at the school."""
    if not Enrollment.objects.filter(learner_id=learner_id, training_class__school_id=school_id).exists():
        SchoolLearner.objects.filter(school_id=school_id, learner_id=learner_id).delete()


def rename(learner: Learner) -> None:
    """Copy a learner's (changed) name keys and citizen ID to their rows."""
    keys = {"search_name": learner.search_name, "name_sort_key": learner.name_sort_key, "cccd": learner.cccd}
    SchoolLearner.objects.filter(learner=learner).exclude(**keys).update(**keys)


@transaction.atomic
def rebuild() -> int:
    """Recompute the whole table from the enrollments (after a bulk load); return its size."""
    SchoolLearner.objects.all()._raw_delete(SchoolLearner.objects.db)
    with connection.cursor() as cursor:
        cursor.execute(REBUILD_SQL)
    return SchoolLearner.objects.count()


def is_in_step() -> bool:
    """True when the table holds exactly the (school, learner) pairs of the enrollments, with the
    learners' current names and citizen IDs (a check for tests and small data sets)."""
    expected = set(
        Enrollment.objects.values_list(
            "training_class__school_id", "learner_id", "learner__search_name", "learner__name_sort_key",
            "learner__cccd",
        ).distinct()
    )
    stored = set(
        SchoolLearner.objects.values_list("school_id", "learner_id", "search_name", "name_sort_key", "cccd")
    )
    return expected == stored


# --- signal receivers (connected in CoursesConfig.ready) ----------------------------------------
def _school_id(enrollment) -> int | None:
    if Enrollment.training_class.is_cached(enrollment):
        return enrollment.training_class.school_id
    return TrainingClass.objects.filter(pk=enrollment.training_class_id).values_list("school_id", flat=True).first()


def _enrollment_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        school_id = _school_id(instance)
        link(school_id, [instance.learner_id])
        if Enrollment.learner.is_cached(instance) and instance.learner.recorded_by_id is None:
            instance.learner.recorded_by_id = school_id


def _enrollment_deleted(sender, instance, **kwargs):
    school_id = _school_id(instance)
    if school_id is not None:
        unlink_if_gone(school_id, instance.learner_id)


def _learner_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        rename(instance)


def connect() -> None:
    post_save.connect(_enrollment_saved, sender=Enrollment, dispatch_uid="school_learners_enrollment_saved")
    post_delete.connect(_enrollment_deleted, sender=Enrollment, dispatch_uid="school_learners_enrollment_deleted")
    post_save.connect(_learner_saved, sender=Learner, dispatch_uid="school_learners_learner_saved")
