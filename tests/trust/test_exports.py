"""Every list page's Excel export (``?export=xlsx``), over the demo data with every column filled.

The list pages are found by walking the URL patterns (a view class with ``export_columns``), so a
new list page is exported here as soon as it exists. School pages are filled with school A's
records and exported by A's administrator; Academy pages by the Academy's administrator. Every
export must answer a workbook whose columns each hold a value in at least one row — so a column
whose values Excel cannot store (an aware datetime: "Excel does not support timezones") is written.
"""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.test import Client

from accounts.models import User
from core.lists import ListPageMixin
from tests.trust.test_tenancy_sweep import build, fill, kwarg_names, walk
from tests.trust.worlds import build_worlds

# Lists whose default filter hides some rows: exported with every row.
LIST_FILTERS = {"yearend:console": {"active": "all"}}


def list_pages():
    """(name, route) of every URL pattern whose view is a list page with an Excel export."""
    pages = []
    for name, route, pattern in walk():
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class and issubclass(view_class, ListPageMixin) and view_class.export_columns:
            pages.append((name, route))
    return pages


def fill_every_column(a, b) -> None:
    """Give the demo data the values it leaves empty, so every exported column has one."""
    from audit.models import AuditLog
    from compliance.models import Assessment
    from emulation.models import AwardProposal, CommendationForm
    from research.models import Publication
    from schools.models import Staff

    stamp = datetime.datetime(2026, 3, 5, 23, 30, tzinfo=datetime.UTC)  # 06:30 on the 6th in Vietnam
    User.objects.update(last_login=stamp, email="tai-khoan@truong.example.vn")
    Publication.objects.for_school(a.school).update(outside_authors="Nguyễn Văn Ngoài")
    AwardProposal.objects.create(cluster_year=a.cluster_year, school=a.school,
                                 staff=Staff.objects.for_school(a.school).order_by("pk").first(),
                                 commendation_form=CommendationForm.DIRECTOR_CERTIFICATE)
    Assessment.objects.for_school(a.school).update(level_reached=1, level_recognised=1, decision_number="12/QĐ-HV",
                                                   decision_date=datetime.date(2026, 1, 2))
    # Periods (issue 14): a school dissolved into a successor, staff with joining and leaving dates.
    from schools.models import School

    centre = School.objects.filter(kind=School.Kind.DISTRICT_CENTRE).order_by("pk").first()
    School.objects.filter(pk=centre.pk).update(successor=a.school, dissolved_on=datetime.date(2025, 7, 1))
    Staff.objects.for_school(a.school).update(joined_on=datetime.date(2010, 9, 1))
    Staff.objects.filter(pk=Staff.objects.for_school(a.school).order_by("pk").first().pk).update(
        left_on=datetime.date(2025, 6, 30))
    # A joint class (issue 14 item 6) and a foreign learner with a passport (item 7).
    from courses.models import Learner, TrainingClass

    partner = School.objects.filter(kind__in=["academy", "member_academy"]).order_by("pk").first()
    TrainingClass.objects.filter(pk=TrainingClass.objects.for_school(a.school).order_by("pk").first().pk).update(
        partner=partner, taught_by=TrainingClass.JointSide.PARTNER, diploma_by=TrainingClass.JointSide.PARTNER)
    Learner.objects.filter(pk=Learner.objects.for_school(a.school).order_by("pk").first().pk).update(
        document_type="passport", nationality="Lào")
    # A year locked, then reopened by the Academy (the year-end lock console lists both).
    from yearend.models import YearLock

    YearLock.objects.create(school=a.school, year=2018, active=False, locked_at=stamp, locked_by=a.admin,
                            checksum="0" * 64, reopened_at=stamp, reopened_by=a.admin, reopen_reason="Sửa số liệu")
    entry = AuditLog.objects.order_by("pk").first()
    entry.pk = None
    entry.user, entry.user_repr, entry.flag, entry.flag_reason = a.admin, a.admin.username, True, "Ngoài giờ"
    entry.save()


def read_rows(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def column_gaps(rows) -> tuple[int, list[str]]:
    headers, data = rows[0], rows[1:]
    empty = [str(h) for i, h in enumerate(headers) if not any(i < len(r) and r[i] not in (None, "") for r in data)]
    return len(data), empty


@pytest.mark.django_db
def test_every_list_page_exports_every_column():
    a, b = build_worlds()
    school_client, academy_client = Client(), Client()
    school_client.force_login(a.admin)
    academy_client.force_login(User.objects.get(username="academy"))
    fill_every_column(a, b)  # after the logins, which set last_login
    pages = list_pages()
    assert len(pages) >= 15
    failures = []
    for name, route in pages:
        values = {k: fill(name, route, k, a) for k in kwarg_names(route)}
        url = build(route, values)
        client = academy_client if url.startswith("/academy/") else school_client
        response = client.get(url, {"export": "xlsx", **LIST_FILTERS.get(name, {})})
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("application/vnd.openxml"):
            failures.append(f"{name} {url} → {response.status_code}")
            continue
        rows = read_rows(b"".join(response.streaming_content))
        count, empty = column_gaps(rows)
        if not count or empty:
            failures.append(f"{name} {url}: {count} rows, empty columns {empty}")
        if name == "accounts:user_list":
            # 23:30 UTC on the 5th is 06:30 on the 6th in Vietnam, written as such (no tzinfo).
            assert datetime.datetime(2026, 3, 6, 6, 30) in rows[1], rows[1]
    assert not failures, "\n".join(failures)
