"""Writing a clean learner import: the learners, their enrollments, the school link and the change log.

One statement per table (on PostgreSQL; SQLite, which limits a statement to 999 parameters, takes
a few), all in the caller's transaction:

- the new learners: one multi-row INSERT … RETURNING id (``bulk_create`` without batches);
- the enrollments of the new and the known learners: one multi-row INSERT;
- the school's learner list (``SchoolLearner``): one ``INSERT … SELECT … ON CONFLICT DO NOTHING``
  from the learner rows, so the copies of the name keys are made by the database;
- the change log: one ``INSERT … SELECT`` per kind of record (learners, enrollments) from the rows
  just written, one "created" entry per record naming the import it came from — each learner's and
  enrollment's history page shows it, and the Academy's change-log search finds it by name.
  Bulk inserts fire no model signals; the log is written here instead (when the ``audit`` app is
  installed and the model registered with it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.import_checks import Analysis
from courses.import_reader import ImportRefused
from courses.models import DETAIL_FIELDS, Enrollment, Learner, LearnerDetails, SchoolLearner, TrainingClass
from yearend.rules import guard_class as yearend_guard_class

SQLITE_CHUNK = 900  # ids per statement under SQLite's 999 parameters
IMPORT_KEY = "_import"  # the change-log key naming the import (see audit.selectors.readable_changes)


@dataclass
class ImportResult:
    added: int  # new learner records created (and enrolled)
    linked: int  # known learners enrolled in the class
    already: int  # rows whose learner was already in the class (nothing done)


@transaction.atomic
def commit(analysis: Analysis, *, training_class: TrainingClass, source: str = "", user=None) -> ImportResult:
    """Save a clean analysis: new learners and every enrollment, all or nothing.

    ``source`` names the import in the change log (file name and batch); ``user`` defaults to the
    acting user. Refuses (``ImportRefused``) an analysis with errors: a file with one bad row saves nothing.
    """
    if not analysis.ok:
        raise ImportRefused(_("The file has %(n)s problems; nothing was saved.") % {"n": len(analysis.errors)},
                            code="row_errors")
    yearend_guard_class(training_class)  # bulk writes skip the signals: a locked year is refused here
    learners = [learner for _n, learner in analysis.new]
    people_known = [pk for _n, pk in analysis.linked]
    if connection.vendor == "postgresql":
        _copy_learners(learners)
        people = [learner.pk for learner in learners] + people_known
        _copy_enrollments(training_class, people)
    else:  # the portable path (SQLite, the embedded default): Django sizes the batches
        Learner.objects.bulk_create(learners)
        people = [learner.pk for learner in learners] + people_known
        Enrollment.objects.bulk_create([Enrollment(training_class=training_class, learner_id=pk) for pk in people])
    link_school(training_class.school_id, people)
    keep_school_details(training_class.school_id, analysis.details)
    audit_import(training_class, [learner.pk for learner in learners], people, source=source, user=user)
    return ImportResult(added=len(learners), linked=len(analysis.linked), already=len(analysis.already))


def keep_school_details(school_id: int, details: list[tuple[int, dict]]) -> None:
    """What the file says of known people another school recorded: the school's own details
    (``LearnerDetails``, replaced by a later import of the same people), never the shared record."""
    if details:
        LearnerDetails.objects.bulk_create(
            [LearnerDetails(school_id=school_id, learner_id=pk, **{Learner._meta.get_field(name).attname: value
                                                                    for name, value in values.items()})
             for pk, values in details],
            update_conflicts=True, unique_fields=["learner", "school"],
            update_fields=[*DETAIL_FIELDS, "updated_at"],
        )


def _field_value(field, value, now):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    return value


def _copy_learners(learners: list[Learner]) -> None:
    """PostgreSQL: the ids taken from the table's sequence in one query, then one COPY of the rows."""
    if not learners:
        return
    table = Learner._meta.db_table
    fields = list(Learner._meta.concrete_fields)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "  # noqa: S608 — our table
                       "FROM generate_series(1, %s)", [len(learners)])
        for learner, (pk,) in zip(learners, cursor.fetchall(), strict=True):
            learner.pk = pk
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        # psycopg's COPY is below Django's cursor wrapper: its errors are made Django's here (a CCCD
        # recorded by someone else a moment ago is an IntegrityError, as with the ORM)
        with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for learner in learners:
                copy.write_row([_field_value(f, getattr(learner, f.attname), now) for f in fields])
    for learner in learners:
        learner._state.adding = False


def _copy_enrollments(training_class: TrainingClass, learner_ids: list[int]) -> None:
    """PostgreSQL: one COPY of the enrollments, every column at its model default but the class and learner."""
    if not learner_ids:
        return
    fields = [f for f in Enrollment._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    template = [_field_value(f, f.get_default(), now) for f in fields]
    learner_at = next(i for i, f in enumerate(fields) if f.attname == "learner_id")
    template[next(i for i, f in enumerate(fields) if f.attname == "training_class_id")] = training_class.pk
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor, connection.wrap_database_errors, cursor.cursor.copy(
            f"COPY {Enrollment._meta.db_table} ({columns}) FROM STDIN") as copy:  # noqa: S608 — our table
        for pk in learner_ids:
            template[learner_at] = pk
            copy.write_row(template)


def _chunks(ids: list[int]):
    """``(sql, params)`` fragments selecting ``ids``: one ``= ANY(array)`` on PostgreSQL (the array sent
    as one text literal), IN lists on SQLite."""
    if connection.vendor == "postgresql":
        yield "= ANY(%s::bigint[])", ["{" + ",".join(str(int(pk)) for pk in ids) + "}"]
        return
    for start in range(0, len(ids), SQLITE_CHUNK):
        chunk = ids[start:start + SQLITE_CHUNK]
        yield f"IN ({', '.join(['%s'] * len(chunk))})", list(chunk)


def link_school(school_id: int, learner_ids: list[int]) -> None:
    """The school's learner list: one INSERT … SELECT from the learners, pairs already there left alone."""
    if not learner_ids:
        return
    table, learners = SchoolLearner._meta.db_table, Learner._meta.db_table
    with connection.cursor() as cursor:
        for where, params in _chunks(learner_ids):
            cursor.execute(
                f"INSERT INTO {table} (school_id, learner_id, search_name, name_sort_key, cccd) "  # noqa: S608
                f"SELECT %s, l.id, l.search_name, l.name_sort_key, l.cccd FROM {learners} l WHERE l.id {where} "
                "ON CONFLICT DO NOTHING",
                [school_id, *params],
            )


def audit_import(training_class: TrainingClass, new_ids: list[int], enrolled_ids: list[int], *,
                 source: str, user=None) -> None:
    """One "created" change-log entry per new learner and per enrollment, each built by the database
    (``INSERT … SELECT`` from the rows just written) and naming the import (``source``)."""
    if not apps.is_installed("audit"):
        return
    from django.contrib.contenttypes.models import ContentType

    import audit
    from audit.models import AuditLog
    from audit.registry import get_registration

    user = user if user is not None else audit.current_user()
    changes = json.dumps({IMPORT_KEY: [None, source or _("Excel import")]}, ensure_ascii=False)
    json_param = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    head = [timezone.now(), user.pk if user is not None else None, user.get_username() if user is not None else "",
            training_class.school_id]
    log = AuditLog._meta.db_table
    learners, enrollments = Learner._meta.db_table, Enrollment._meta.db_table
    columns = ("timestamp, user_id, user_repr, school_id, content_type_id, object_id, object_repr, action, "
               "changes, flag, flag_reason")
    with connection.cursor() as cursor:
        if new_ids and get_registration(Learner) is not None:
            kind = ContentType.objects.get_for_model(Learner).pk
            for where, params in _chunks(new_ids):
                cursor.execute(
                    f"INSERT INTO {log} ({columns}) SELECT %s, %s, %s, %s, %s, CAST(l.id AS TEXT), "  # noqa: S608
                    f"SUBSTR(l.full_name, 1, 200), 'create', {json_param}, %s, '' FROM {learners} l "
                    f"WHERE l.id {where}",
                    [*head, kind, changes, False, *params],
                )
        if enrolled_ids and get_registration(Enrollment) is not None:
            kind = ContentType.objects.get_for_model(Enrollment).pk
            for where, params in _chunks(enrolled_ids):
                cursor.execute(
                    f"INSERT INTO {log} ({columns}) SELECT %s, %s, %s, %s, %s, CAST(e.id AS TEXT), "  # noqa: S608
                    f"SUBSTR(l.full_name || ' · ' || %s, 1, 200), 'create', {json_param}, %s, '' "
                    f"FROM {enrollments} e JOIN {learners} l ON l.id = e.learner_id "
                    f"WHERE e.training_class_id = %s AND e.learner_id {where}",
                    [*head, kind, training_class.code, changes, False, training_class.pk, *params],
                )
