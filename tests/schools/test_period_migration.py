"""Issue 14: the period migration gives today's rows their periods from what is stored.

The data step of ``0004_hist_periods_from_stored`` runs here on rows as they were before it (no name
periods, inactive rows without end dates), inside the test's transaction.
"""

import datetime
import importlib

import pytest
from django.apps import apps

from schools.models import Province, School, SchoolName, Staff

pytestmark = pytest.mark.django_db

step = importlib.import_module("schools.migrations.0004_hist_periods_from_stored")


def test_existing_schools_and_staff_get_their_periods():
    quang_tri = Province.objects.get(name="Tỉnh Quảng Trị")
    successor = School.objects.create(code="QT", name="Trường Chính trị Lê Duẩn tỉnh Quảng Trị", province=quang_tri)
    merged = School.objects.create(code="QB", name="Trường Chính trị tỉnh Quảng Bình", province=quang_tri,
                                   merged_into=successor, merged_on=datetime.date(2025, 7, 1))
    closed = School.objects.create(code="OLD", name="Trường đã ngừng", active=False)
    here = Staff.objects.create(school=successor, full_name="Nguyễn Văn Ở")
    gone = Staff.objects.create(school=successor, full_name="Trần Văn Đi", active=False)
    assert not SchoolName.objects.exists() and closed.dissolved_on is None and gone.left_on is None

    step.forwards(apps, None)

    assert SchoolName.objects.get(school=merged, valid_from=None).province_name == "Tỉnh Quảng Bình"
    assert SchoolName.objects.get(school=successor, valid_from=None).province_name == "Tỉnh Quảng Trị"
    assert SchoolName.objects.get(school=successor, valid_from=None).name == successor.name
    closed.refresh_from_db(), successor.refresh_from_db(), here.refresh_from_db(), gone.refresh_from_db()
    assert closed.dissolved_on is not None and successor.dissolved_on is None
    assert here.left_on is None and here.joined_on is None  # "since before the records", still there
    assert gone.left_on is not None


def test_thua_thien_hue_changed_on_1_january_2025_after_the_migrations(db):
    from schools.models import FormerProvince

    assert FormerProvince.objects.get(cccd_code="046").merged_on == datetime.date(2025, 1, 1)
