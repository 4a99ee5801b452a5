"""``make screenshots``: PNG screenshots of the main screens on the demo data, for the README.

Runs only when ``SCREENSHOTS_DIR`` is set (the make target sets it to docs/screenshots); in
``make test`` it is skipped, the scenarios in the other modules cover the same screens.
"""

import os
from pathlib import Path

import pytest

from courses.models import TrainingClass
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENS = [  # (file name, user, path — "{klass}" is a demo class of the Nghệ An school)
    ("01-school-overview.png", "nghean", "/s/NGHEAN/?year=2025"),  # the demo's training year
    ("02-class-list.png", "nghean", "/s/NGHEAN/classes/"),
    ("03-class-detail.png", "nghean", "/s/NGHEAN/classes/{klass}/"),
    ("04-grade-grid.png", "nghean", "/s/NGHEAN/classes/{klass}/marks/"),
    ("05-learner-import.png", "nghean", "/s/NGHEAN/classes/{klass}/import/"),
    ("06-staff-list.png", "nghean", "/s/NGHEAN/staff/"),
    ("07-research-topics.png", "nghean", "/s/NGHEAN/research/topics/"),
    ("08-academy-dashboard.png", "academy", "/academy/?year=2025"),
    ("09-emulation-ranking.png", "academy", "/emulation/BTB/2023/ranking/"),
    ("10-audit-log.png", "academy", "/academy/audit/"),
    ("11-compliance-console.png", "academy", "/academy/standard/"),
    ("12-reports.png", "academy", "/reports/"),
]


def test_screenshots_of_the_main_screens(page, demo):
    target = os.environ.get("SCREENSHOTS_DIR")
    if not target:
        pytest.skip("screenshots are taken by `make screenshots` (SCREENSHOTS_DIR not set)")
    folder = Path(target)
    folder.mkdir(parents=True, exist_ok=True)
    klass = (TrainingClass.objects.filter(school__code="NGHEAN", enrollments__isnull=False)
             .exclude(status=TrainingClass.Status.CLOSED).order_by("pk").first())
    user = None
    for name, username, path in SCREENS:
        if username != user:
            page.context.clear_cookies()
            login(page, username)
            user = username
        response = page.goto(path.format(klass=klass.pk))
        assert response.status == 200, (path, response.status)
        page.screenshot(path=str(folder / name), full_page=False)
