"""Migration 0007_ident keeps today's learners: each becomes a CCCD learner recorded by the school of
their earliest enrollment (whose details stay the learner's own)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

IDENT = ("courses", "0007_ident_learner_documents")


def undo_ident(executor) -> list:
    """Unapply 0007_ident and only what depends on it (the other branches of 0007 stay applied, as
    on a database that had them before ident landed); return the nodes still applied.

    Migrating the whole app back to 0006 does not work on SQLite: it rebuilds a table from the
    migration state on every AlterField, so unapplying the interleaved branches re-adds columns of
    branches already unapplied."""
    graph = executor.loader.graph
    undo = [node for node in graph.backwards_plan(IDENT) if node in executor.loader.applied_migrations]
    executor.migrate(None, plan=[(graph.nodes[node], True) for node in undo])
    return [node for node in executor.loader.applied_migrations if node not in set(undo)]


@pytest.mark.django_db(transaction=True)
def test_existing_learners_get_document_type_and_recording_school():
    executor = MigrationExecutor(connection)
    applied = undo_ident(executor)
    old = MigrationExecutor(connection).loader.project_state(applied).apps
    School, Programme = old.get_model("schools", "School"), old.get_model("courses", "Programme")
    TrainingClass, Learner = old.get_model("courses", "TrainingClass"), old.get_model("courses", "Learner")
    Enrollment = old.get_model("courses", "Enrollment")
    first, second = (School.objects.create(code=code, name=f"Trường {code}") for code in ("MIGA", "MIGB"))
    programme = Programme.objects.create(code="MIG", name="Trung cấp", kind="intermediate")

    def klass(school, code, year):
        return TrainingClass.objects.create(school=school, programme=programme, code=code, name=code,
                                            opening_date=datetime.date(year, 3, 1))

    learner = Learner.objects.create(full_name="Lê Văn Cũ", cccd="040085000123", hometown="Nghi Lộc")
    Enrollment.objects.create(training_class=klass(second, "B2024", 2024), learner=learner)
    Enrollment.objects.create(training_class=klass(first, "A2019", 2019), learner=learner)
    alone = Learner.objects.create(full_name="Chưa Học", cccd="040085000124")

    executor = MigrationExecutor(connection)
    executor.migrate([IDENT])
    new = executor.loader.project_state([*applied, IDENT]).apps.get_model("courses", "Learner")
    migrated = new.objects.get(pk=learner.pk)
    assert (migrated.document_type, migrated.cccd, migrated.nationality) == ("cccd", "040085000123", "")
    assert migrated.recorded_by_id == first.pk and migrated.hometown == "Nghi Lộc"
    assert new.objects.get(pk=alone.pk).recorded_by_id is None
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
