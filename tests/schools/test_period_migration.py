"""Issue 14: the period migration gives today's rows their periods from what is stored."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("schools", "0003_hist_school_periods")]
AFTER = [("schools", "0005_hist_hue_city")]


def test_existing_schools_and_staff_get_their_periods():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    School, Staff = apps.get_model("schools", "School"), apps.get_model("schools", "Staff")
    Province = apps.get_model("schools", "Province")
    quang_tri = Province.objects.get(name="Tỉnh Quảng Trị")
    successor = School.objects.create(code="QT", name="Trường Chính trị Lê Duẩn tỉnh Quảng Trị", province=quang_tri)
    merged = School.objects.create(code="QB", name="Trường Chính trị tỉnh Quảng Bình", province=quang_tri,
                                   merged_into=successor, merged_on=datetime.date(2025, 7, 1), active=False)
    closed = School.objects.create(code="OLD", name="Trường đã ngừng", active=False)
    here = Staff.objects.create(school=successor, full_name="Nguyễn Văn Ở")
    gone = Staff.objects.create(school=successor, full_name="Trần Văn Đi", active=False)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    School, Staff = apps.get_model("schools", "School"), apps.get_model("schools", "Staff")
    SchoolName = apps.get_model("schools", "SchoolName")
    assert SchoolName.objects.get(school_id=merged.pk, valid_from=None).province_name == "Tỉnh Quảng Bình"
    assert SchoolName.objects.get(school_id=successor.pk, valid_from=None).province_name == "Tỉnh Quảng Trị"
    assert School.objects.get(pk=closed.pk).dissolved_on is not None
    assert School.objects.get(pk=successor.pk).dissolved_on is None
    assert Staff.objects.get(pk=here.pk).left_on is None and Staff.objects.get(pk=here.pk).joined_on is None
    assert Staff.objects.get(pk=gone.pk).left_on is not None
    assert apps.get_model("schools", "FormerProvince").objects.get(cccd_code="046").merged_on == datetime.date(2025, 1, 1)
