"""The confirmed/provisional migration keeps today's data."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("compliance", "0001_standard_and_assessments")]
AFTER = [("compliance", "0003_reg_confirmed_indicators_data")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_migration_keeps_todays_data_and_counts_only_issued_indicators():
    apps = migrate(BEFORE)
    School = apps.get_model("schools", "School")
    Standard = apps.get_model("compliance", "Standard")
    Criterion = apps.get_model("compliance", "Criterion")
    Indicator = apps.get_model("compliance", "Indicator")
    Assessment = apps.get_model("compliance", "Assessment")
    Answer = apps.get_model("compliance", "Answer")
    school = School.objects.create(code="MIG", name="Trường Chính trị tỉnh M")
    standard = Standard.objects.create(code="11-QĐ/TW", version="2021", title="Quy định 11-QĐ/TW",
                                       issued_on=datetime.date(2021, 5, 19))
    criterion = Criterion.objects.create(standard=standard, number=2, title="Đội ngũ")
    lecturers = Indicator.objects.create(
        criterion=criterion, code="2.1", text="Tỷ lệ giảng viên (cơ hữu và kiêm chức)", comparison="gte",
        level1_value=75, measurement="computed", metric="staff.lecturer_share", provisional=False,
        note="Ngưỡng 75% đã được xác nhận (Quy định 09-QĐi/TW, 393-QĐ/TW).")
    masters = Indicator.objects.create(
        criterion=criterion, code="2.2", text="Tỷ lệ thạc sĩ", comparison="gte", measurement="computed",
        metric="staff.masters_share", provisional=True,
        note="Giá trị ngưỡng chưa được công bố (DOMAIN.md §2.3); Học viện cập nhật.")
    assessment = Assessment.objects.create(school=school, standard=standard, year=2025, indicators_total=2,
                                           met_count=2, level_reached=1)
    Answer.objects.create(assessment=assessment, indicator=lecturers, value=80, status="exceeded")
    Answer.objects.create(assessment=assessment, indicator=masters, value=70, status="met")

    apps = migrate(AFTER)
    Indicator = apps.get_model("compliance", "Indicator")
    Assessment = apps.get_model("compliance", "Assessment")
    Answer = apps.get_model("compliance", "Answer")
    masters = Indicator.objects.get(code="2.2")
    assert masters.provisional and masters.note == "Giá trị ngưỡng chưa được công bố; Học viện cập nhật."
    lecturers = Indicator.objects.get(code="2.1")
    assert lecturers.provisional and lecturers.level1_value is None and "09-QĐi/TW" in lecturers.note
    assert Answer.objects.get(indicator__code="2.2").value == 70  # the school's values are kept
    assessment = Assessment.objects.get()
    assert (assessment.indicators_total, assessment.met_count, assessment.indicators_in_standard) == (0, 0, 2)
    assert assessment.level_reached is None
