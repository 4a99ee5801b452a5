"""Migration 0007_ident keeps today's learners: each becomes a CCCD learner recorded by the school of
their earliest enrollment (whose details stay the learner's own)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("courses", "0006_importbatch_expired")]
AFTER = [("courses", "0007_ident_learner_documents")]


@pytest.mark.django_db(transaction=True)
def test_existing_learners_get_document_type_and_recording_school():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
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
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("courses", "Learner")
    migrated = new.objects.get(pk=learner.pk)
    assert (migrated.document_type, migrated.cccd, migrated.nationality) == ("cccd", "040085000123", "")
    assert migrated.recorded_by_id == first.pk and migrated.hometown == "Nghi Lộc"
    assert new.objects.get(pk=alone.pk).recorded_by_id is None
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
