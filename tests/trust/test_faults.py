"""Faults: the database unreachable → a friendly 503 page and /healthz/ 503, never a stack trace."""

import socket

import pytest
from django.db import connections
from django.db.utils import load_backend
from django.urls import reverse

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A local TCP port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def database_down():
    """Point the default connection at a PostgreSQL server that is not there, then restore it."""
    yield from _database_down()


@pytest.fixture
def take_database_down():
    """The same, started by the test when it is ready (e.g. after logging in)."""
    generators = []

    def go_down():
        generators.append(_database_down())
        next(generators[-1])

    yield go_down
    for generator in generators:
        next(generator, None)


def _database_down():
    original = connections["default"]
    settings_dict = {
        **original.settings_dict,
        "ENGINE": "django.db.backends.postgresql", "NAME": "unreachable", "USER": "nobody", "PASSWORD": "",
        "HOST": "127.0.0.1", "PORT": str(closed_port()), "OPTIONS": {"connect_timeout": 2},
        "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False,
    }
    down = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")
    connections["default"] = down
    try:
        yield
    finally:
        down.close()
        connections["default"] = original


def test_page_is_a_friendly_503_when_the_database_is_down(users, client_as, school, take_database_down):
    client = client_as(users["staff"])  # logged in while the database was up
    take_database_down()
    response = client.get(reverse("schools:staff_list", args=[school.code]))
    assert response.status_code == 503
    page = response.content.decode()
    assert "Hệ thống tạm thời không hoạt động" in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert response["Retry-After"] == "60"
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_login_post_is_a_friendly_503_when_the_database_is_down(client, database_down):
    response = client.post(reverse("login"), {"username": "staff_a", "password": "x"})
    assert response.status_code == 503
    assert "Hệ thống tạm thời không hoạt động" in response.content.decode()


def test_healthz_is_503_when_the_database_is_down(client, database_down):
    response = client.get("/healthz/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error" and body["database"] == "error"
    assert "OperationalError" not in response.content.decode()  # no exception class for anonymous callers


def test_other_errors_are_not_hidden_as_503(users, client_as, school, monkeypatch):
    """Only database outages become 503; a programming error stays a 500 (and is reported)."""
    from schools import views

    def boom(self):
        raise RuntimeError("bug")

    monkeypatch.setattr(views.StaffListView, "get_base_queryset", boom)
    client = client_as(users["staff"])
    client.raise_request_exception = False
    assert client.get(reverse("schools:staff_list", args=[school.code])).status_code == 500
