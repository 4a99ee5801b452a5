"""Browser end-to-end tests: Playwright driving the system's Chromium against pytest-django's live server.

Playwright's own browser download does not work on our machines, so the tests use Debian's
``chromium`` package (``.ci/run`` installs it when it is missing). Without Chromium the tests are
skipped with a message — except under ``CI=true``, where they must run and so fail instead.

A failing test leaves a screenshot of the page it was on in ``test-artifacts/e2e/`` (git-ignored).
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DEMO_PASSWORD = "demo12345"  # the documented demo accounts (schools/demo.py)


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture
def browser(monkeypatch):
    """Chromium for one test. Playwright's sync API runs an event loop in this thread while it is open;
    the test's own ORM calls are still plain synchronous calls between browser steps, so Django's async
    guard is lifted for this test only (and the loop closed after it, before any other test runs)."""
    path = chromium_path()
    if path is None:
        message = "Chromium is not installed (apt-get install chromium): browser tests not run"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " — under CI=true they must run")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, request, live_server):
    context = browser.new_context(accept_downloads=True, locale="vi-VN", viewport={"width": 1366, "height": 900},
                                  base_url=live_server.url)
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def demo(browser, django_db_serialized_rollback, live_server):
    """The demo data. The live server needs a transactional database, which is emptied after each test:
    serialized rollback restores the reference data (provinces, ethnic groups) the migrations loaded."""
    from schools.models import EthnicGroup, FormerProvince, Province
    from schools.reference import load_reference_data

    if not Province.objects.exists():  # emptied by an earlier transactional test without serialized rollback
        load_reference_data(Province, FormerProvince, EthnicGroup)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def login(page, username, password=DEMO_PASSWORD):
    page.goto("/login/")
    page.fill("[name=username]", username)
    page.fill("[name=password]", password)
    page.click("form [type=submit]")
    page.wait_for_load_state()
    assert "/login/" not in page.url, f"login as {username} failed"
