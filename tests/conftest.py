"""Shared fixtures: two schools, users of every role, and clients logged in as them."""

import pytest
from django.test import Client

from accounts.models import Role, User
from schools.models import OrgUnit, School, Staff


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))) or bool(
        marker and marker.kwargs.get("transaction"))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    """pytest-django runs the plain database tests first, then the transactional ones; among those,
    the browser tests (serialized rollback) go first, on the database as migrated. After a
    transactional test without serialized rollback (the migration tests) Django's flush recreates
    the content types under new ids, and a later serialized rollback re-inserting the original rows
    collided with them on Postgres (duplicate key on django_content_type)."""
    first = next((index for index, item in enumerate(items) if _transactional(item)), None)
    if first is None:
        return
    tail = items[first:]
    tail.sort(key=lambda item: "/e2e/" not in str(item.path).replace("\\", "/"))
    items[first:] = tail


@pytest.fixture(autouse=True)
def _content_types_after_serialized_flush(request):
    """A transactional test that follows one with ``serialized_rollback`` (the e2e tests) starts on a
    database flushed without its content types; audited writes (a school, since issue 14) need them."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
        from django.apps import apps
        from django.contrib.contenttypes.management import create_contenttypes
        from django.contrib.contenttypes.models import ContentType

        request.getfixturevalue("transactional_db")
        ContentType.objects.clear_cache()
        for app_config in apps.get_app_configs():
            create_contenttypes(app_config, verbosity=0)


@pytest.fixture
def academy(db):
    return School.objects.create(code="HVCTQG", name="Học viện Chính trị quốc gia Hồ Chí Minh", kind=School.Kind.ACADEMY)


@pytest.fixture
def school(db):
    return School.objects.create(code="SCHA", name="Trường Chính trị tỉnh A", short_name="TCT A")


@pytest.fixture
def other_school(db):
    return School.objects.create(code="SCHB", name="Trường Chính trị tỉnh B", short_name="TCT B")


def make_user(username, role, school):
    return User.objects.create_user(username=username, password="pw-for-tests-123", role=role, school=school)


@pytest.fixture
def users(school, other_school, academy):
    """One user per role: members of school A, a member of school B, and the Academy."""
    return {
        "admin": make_user("admin_a", Role.SCHOOL_ADMIN, school),
        "staff": make_user("staff_a", Role.SCHOOL_STAFF, school),
        "viewer": make_user("viewer_a", Role.SCHOOL_VIEWER, school),
        "outsider": make_user("admin_b", Role.SCHOOL_ADMIN, other_school),
        "academy": make_user("academy", Role.ACADEMY_ADMIN, academy),
        "reviewer": make_user("reviewer", Role.ACADEMY_REVIEWER, academy),
    }


@pytest.fixture
def client_as(db):
    """client_as(user) → a test client logged in as ``user`` (None → anonymous)."""

    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def unit(school):
    return OrgUnit.objects.create(school=school, kind=OrgUnit.Kind.FACULTY, name="Khoa Xây dựng Đảng")


@pytest.fixture
def lecturer(school, unit):
    return Staff.objects.create(school=school, full_name="Nguyễn Văn Giảng", unit=unit, is_lecturer=True)


@pytest.fixture
def other_lecturer(other_school):
    return Staff.objects.create(school=other_school, full_name="Trần Thị Khác", is_lecturer=True)
