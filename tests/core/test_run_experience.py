"""`make run` as a user sees it: the app's own error pages with DEBUG on, one log line per 4xx,
no system-check warning on every migrate."""

import logging

import pytest
from django.core.checks import run_checks
from django.test import override_settings
from django.urls import path

from config.urls import urlpatterns as project_urls
from core.logging import ClientErrorsWithoutTraceback


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [*project_urls, path("boom/", boom)]


@pytest.mark.django_db
@override_settings(DEBUG=True)
@pytest.mark.parametrize("url", ["/no-such-page/", "/s/NO-SUCH-SCHOOL/"])
def test_404_with_debug_on_is_the_apps_own_page(client, django_user_model, url):
    """Django's debug 404 lists every URL pattern of the app (in English) to anyone."""
    for logged_in in (False, True):
        if logged_in:
            client.force_login(django_user_model.objects.create_user("u404", role="academy_reviewer"))
        elif url.startswith("/s/"):
            continue  # anonymous users are sent to the login page first
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 404
        assert "Không tìm thấy trang" in page
        assert "URLconf" not in page and "Using the URLconf" not in page


@pytest.mark.django_db
@override_settings(DEBUG=True, ROOT_URLCONF=__name__)
def test_500_with_debug_on_is_the_apps_own_page(client, caplog):
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR):
        response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Đã có lỗi xảy ra" in page and "Traceback" not in page and "RuntimeError" not in page
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info  # logged once, with its traceback


@pytest.mark.django_db
@override_settings(DEBUG=True, DEBUG_ERROR_PAGES=True)
def test_developers_can_have_djangos_debug_pages_back(client):
    assert "URLconf" in client.get("/no-such-page/").content.decode()


def test_one_log_line_per_client_error_without_traceback():
    # Django's own configuration gives the "django" logger a console handler while DEBUG is on;
    # ours is on the root logger, so a handler there too printed every 403/404 twice.
    assert logging.getLogger("django").handlers == []
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/x",),
                               exc_info=(ValueError, ValueError("x"), None))
    record.status_code = 404
    assert ClientErrorsWithoutTraceback().filter(record) and record.exc_info is None
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error", (),
                               exc_info=(ValueError, ValueError("x"), None))
    record.status_code = 500
    assert ClientErrorsWithoutTraceback().filter(record) and record.exc_info is not None


@pytest.mark.django_db
def test_migrate_shows_no_system_check_warning():
    """`migrate` runs the checks with the database: on SQLite models.W040 warned every time."""
    shown = [m for m in run_checks(databases=["default"]) if not m.is_silenced()]
    assert not shown


@pytest.mark.django_db
def test_every_page_has_a_favicon(client):
    page = client.get("/login/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
