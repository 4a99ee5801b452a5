"""An Academy reviewer, in a real browser on the demo data: opens the compliance console, comments on
an indicator of a school's self-assessment, then requests the national report and downloads it
after watching its progress bar. The report runs on a real Celery worker (a thread on the
configured broker), slowed down a little so the bar has steps to show."""

import io
import time
from pathlib import Path

import openpyxl
import pytest

from compliance.models import ReviewComment
from reports import services as report_services
from reports.models import ReportJob
from tests.e2e.conftest import login
from tests.reports.test_worker import not_eager, start_celery_worker  # noqa: F401 — fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def slow_report_steps(monkeypatch):
    original = report_services._set

    def slow(job, **fields):
        original(job, **fields)
        if "progress" in fields and fields.get("state") != ReportJob.State.DONE:
            time.sleep(0.6)

    monkeypatch.setattr(report_services, "_set", slow)


def test_reviewer_comments_on_an_indicator_and_downloads_the_national_report(
        page, demo, start_celery_worker, slow_report_steps):  # noqa: F811
    login(page, "reviewer")

    # 1. the compliance console → a school's self-assessment → comment on an indicator
    page.goto("/academy/standard/")
    assert page.locator("table").count() >= 1
    page.locator("a[href^='/s/HATINH/standard/']").first.click()  # its 2026 self-assessment awaits review
    page.wait_for_load_state()
    assert "/s/HATINH/standard/" in page.url
    page.locator("a[href*='/answers/'][href$='/comment/']").first.click()
    page.wait_for_load_state()
    text = "Đề nghị bổ sung quyết định phê duyệt kế hoạch (kiểm thử E2E)."
    page.fill("[name=text]", text)
    page.click("form[method=post]:has([name=text]) [type=submit]")
    page.wait_for_load_state()
    assert ReviewComment.objects.filter(text=text).exists()
    assert text in page.content()

    # 2. the national report: request it, watch the progress bar, download the file
    start_celery_worker()
    page.goto("/reports/")
    page.select_option("[name=kind]", value="national")
    page.select_option("[name=target]", value="national")
    page.locator("form[method=post]:has([name=kind]) [type=submit]").click()
    page.wait_for_load_state()
    row = page.locator("tr[data-report-status]").first
    seen = []
    deadline = time.monotonic() + 90
    download = row.locator(".js-download")
    while time.monotonic() < deadline and not download.is_visible():
        bar = row.locator(".js-bar")
        if bar.count():
            value = (bar.text_content() or "").strip()
            if value and (not seen or seen[-1] != value):
                seen.append(value)
        time.sleep(0.2)
    assert download.is_visible(), f"the report did not finish; the bar showed {seen}"
    percents = [int(v.rstrip("%")) for v in seen]
    assert percents and percents == sorted(percents), seen  # the bar only moves forward
    assert any(p < 100 for p in percents), seen  # it was watched while running
    with page.expect_download() as info:
        download.click()
    workbook = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()), read_only=True)
    assert len(workbook.worksheets) >= 2
    assert ReportJob.objects.get(kind="national").state == ReportJob.State.DONE
