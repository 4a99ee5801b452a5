"""The year-end lock (issue 15 item 5): a locked year refuses edits in each app, reopening is the
Academy's with a reason and audited, and a locked year's report reads the snapshot."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse

from audit.models import AuditLog
from courses.models import Enrollment, Mark, TrainingClass
from emulation.models import Scorecard
from reports import figures
from research.models import Event
from tests.courses.helpers import enroll, make_class, make_programme
from yearend import services
from yearend.models import YearLock
from yearend.rules import YearLocked

pytestmark = pytest.mark.django_db
D = datetime.date


def lock_url(school, year):
    return reverse("yearend:year_lock", kwargs={"school_code": school.code, "year": year})


def lock(client, school, year):
    return client.post(lock_url(school, year), {"action": "lock", "confirm": "on"})


@pytest.fixture
def klass(school):
    programme = make_programme()
    training_class = make_class(school, programme, opening=D(2025, 3, 1), closing=D(2025, 11, 30))
    enroll(training_class)
    return training_class


def test_school_admin_locks_through_the_page_with_confirmation(users, client_as, school, klass):
    client = client_as(users["admin"])
    page = client.get(lock_url(school, 2025)).content.decode()
    assert "Số liệu chưa chốt" in page and 'name="confirm"' in page
    response = client.post(lock_url(school, 2025), {"action": "lock"})  # not confirmed
    assert response.status_code == 200 and not YearLock.objects.exists()
    assert lock(client, school, 2025).status_code == 302
    year_lock = YearLock.objects.get(school=school, year=2025, active=True)
    assert year_lock.locked_by == users["admin"]
    assert year_lock.snapshot["training"]["classes_closed"] == 1
    assert year_lock.checksum == services.checksum(year_lock.snapshot) and len(year_lock.checksum) == 64
    assert AuditLog.objects.filter(content_type__model="yearlock", action="create", user=users["admin"]).exists()


@pytest.mark.parametrize("role", ["staff", "viewer", "reviewer"])
def test_others_cannot_lock(users, client_as, school, klass, role):
    assert lock(client_as(users[role]), school, 2025).status_code == 403
    assert not YearLock.objects.exists()


def test_outsider_gets_404(users, client_as, school):
    client = client_as(users["outsider"])
    assert client.get(lock_url(school, 2025)).status_code == 404
    assert lock(client, school, 2025).status_code == 404


def test_courses_locked_year_refuses_edits_other_years_do_not(users, client_as, school, klass):
    services.lock_year(school=school, year=2025, user=users["admin"])
    client = client_as(users["staff"])
    # the grade grid (a bulk write without signals) answers with the message
    enrollment = klass.enrollments.get()
    module = klass.programme.modules.first()
    grid = reverse("courses:grade_grid", kwargs={"school_code": school.code, "pk": klass.pk})
    response = client.post(grid, {f"m-{enrollment.pk}-{module.pk}": "8"}, follow=True)
    assert "Năm 2025 đã chốt số liệu" in response.content.decode()
    assert not Mark.objects.exists()
    # model level: enrollments, marks, moving the class out of the year, deleting
    with pytest.raises(YearLocked):
        Enrollment.objects.get().save()
    with pytest.raises(YearLocked):
        Mark.objects.create(enrollment=enrollment, module=module, value=Decimal("7"))
    klass.closing_date = D(2026, 1, 5)
    with pytest.raises(YearLocked):
        klass.save()
    # the year's training plan too; next year's plan is not locked
    from courses.models import AnnualPlan

    with pytest.raises(YearLocked):
        AnnualPlan.objects.create(school=school, year=2025)
    AnnualPlan.objects.create(school=school, year=2026)
    # a class of 2024 is still editable
    other = make_class(school, klass.programme, code="K51", opening=D(2024, 3, 1), closing=D(2024, 6, 1))
    other.name = "Lớp 2024"
    other.save()


# A refused delete raises inside Django's delete transaction (savepoint=False): in a request that
# rolls the whole transaction back, as in production; the test's own wrapping transaction would
# stay marked for rollback, so this test runs outside one.
@pytest.mark.django_db(transaction=True)
def test_research_locked_year_refuses_edits(users, client_as, school):
    event = Event.objects.create(school=school, kind="workshop", level="school", title="Hội thảo 2025",
                                 held_on=D(2025, 5, 5), papers=3)
    Event.objects.create(school=school, kind="workshop", level="school", title="Hội thảo 2026",
                         held_on=D(2026, 5, 5), papers=3)
    services.lock_year(school=school, year=2025, user=users["admin"])
    client = client_as(users["staff"])
    url = reverse("research:event_delete", kwargs={"school_code": school.code, "pk": event.pk})
    response = client.post(url, follow=True)
    assert "Năm 2025 đã chốt số liệu" in response.content.decode()
    assert Event.objects.filter(pk=event.pk).exists()
    with pytest.raises(YearLocked):
        Event.objects.create(school=school, kind="workshop", level="school", title="Mới", held_on=D(2025, 6, 1))
    Event.objects.get(title="Hội thảo 2026").delete()  # another year: allowed


def test_emulation_locked_year_refuses_self_scores(em_users, client_as, open_year, scheme, school):
    from tests.emulation.test_views import post_scores

    services.lock_year(school=school, year=open_year.year, user=em_users["admin"])
    points = {"1.1": 10, "1.2": 18, "II": 15, "T": 2, "TR": 1}
    response = post_scores(client_as(em_users["admin"]), open_year, school, scheme, points)
    page = (client_as(em_users["admin"]).get(response["Location"]) if response.status_code == 302 else response)
    assert f"Năm {open_year.year} đã chốt số liệu" in page.content.decode()
    card = Scorecard.objects.get(cluster_year=open_year, school=school)
    assert not card.scores.exclude(self_points=None).exists()


def test_reopen_is_the_academys_with_a_reason_and_audited(users, client_as, school, klass):
    services.lock_year(school=school, year=2025, user=users["admin"])
    assert client_as(users["admin"]).post(lock_url(school, 2025), {"action": "reopen", "reason": "x"}).status_code == 403
    academy = client_as(users["academy"])
    assert academy.post(lock_url(school, 2025), {"action": "reopen", "reason": ""}).status_code == 200
    assert YearLock.objects.get().active
    response = academy.post(lock_url(school, 2025), {"action": "reopen", "reason": "Sửa số học viên tốt nghiệp"})
    assert response.status_code == 302
    year_lock = YearLock.objects.get()
    assert not year_lock.active and year_lock.reopened_by == users["academy"]
    entry = AuditLog.objects.get(content_type__model="yearlock", action="update")
    assert entry.user == users["academy"] and entry.changes["reopen_reason"][1] == "Sửa số học viên tốt nghiệp"
    klass.name = "Sửa sau khi mở lại"
    klass.save()  # editable again
    # and the year may be locked again
    services.lock_year(school=school, year=2025, user=users["admin"])
    assert YearLock.objects.filter(active=True).count() == 1


def _headline(tmp_path, school, name):
    from openpyxl import load_workbook

    from reports.registry import build_workbook
    from reports.selectors import resolve_scope

    path = tmp_path / f"{name}.xlsx"
    build_workbook("school", resolve_scope(scope="school", year=2025, school=school), path)
    return list(load_workbook(path)["Số liệu chủ yếu"].iter_rows(min_row=2, values_only=True))


def test_locked_year_report_equals_the_snapshot_after_live_data_changed(users, school, klass, tmp_path):
    year_lock = services.lock_year(school=school, year=2025, user=users["admin"])
    before = _headline(tmp_path, school, "before")
    assert year_lock.snapshot["training"]["learner_turns"] == 1
    # live data changes behind the guards' back (bulk writes fire no signals)
    TrainingClass.objects.bulk_create([TrainingClass(
        school=school, programme=klass.programme, code="K99", name="Lớp chen", opening_date=D(2025, 4, 1),
        closing_date=D(2025, 5, 1), status=TrainingClass.Status.CLOSED)])
    Enrollment.objects.filter(training_class=klass).update(status=Enrollment.Status.GRADUATED)
    live = figures.fetch_all([school], 2025, frozen=False)["training"][school.pk]
    assert live["classes_closed"] == 2 and live["graduated"] == 1
    data = figures.fetch_all([school], 2025)
    for section in figures.sections():
        for figure in section.figures:
            value = data[section.key][school.pk].get(figure.key)
            assert (str(value) if isinstance(value, Decimal) else value) == year_lock.snapshot[section.key][figure.key]
    # the school report of 2025 gives the same figures as when it was locked
    assert _headline(tmp_path, school, "after") == before
    # once reopened, the report reads the live data again
    services.reopen_year(school=school, year=2025, user=users["academy"], reason="Bổ sung lớp K99")
    assert _headline(tmp_path, school, "reopened") != before


def test_console_shows_which_schools_locked_which_year(users, client_as, school, other_school):
    services.lock_year(school=school, year=2025, user=users["admin"])
    services.lock_year(school=other_school, year=2024, user=users["academy"])
    client = client_as(users["academy"])
    page = client.get(reverse("yearend:console")).content.decode()
    assert str(school) in page and str(other_school) in page and "2024" in page
    page = client.get(reverse("yearend:console"), {"year": 2024}).content.decode()
    assert str(other_school) in page and str(school) not in page
    assert client_as(users["admin"]).get(reverse("yearend:console")).status_code == 404


def test_graduation_decision_of_a_locked_year_is_refused(users, school, klass):
    from courses.graduation import record_graduation

    services.lock_year(school=school, year=2025, user=users["admin"])
    with pytest.raises(YearLocked):
        record_graduation(training_class=klass, decision_number="12/QĐ-TCT", decision_date=D(2025, 12, 1))
    assert not Enrollment.objects.filter(status=Enrollment.Status.GRADUATED).exists()


def test_locking_a_year_that_has_not_begun_is_refused(users, client_as, school):
    from django.utils import timezone

    next_year = timezone.localdate().year + 1
    assert client_as(users["admin"]).get(lock_url(school, next_year)).status_code == 404
    with pytest.raises(services.LockError):
        services.lock_year(school=school, year=next_year, user=users["admin"])


def test_pages_are_in_vietnamese_and_the_console_query_count_is_bounded(
        users, client_as, school, other_school, klass, django_assert_max_num_queries):
    import re

    services.lock_year(school=school, year=2025, user=users["admin"])
    services.reopen_year(school=school, year=2025, user=users["academy"], reason="Bổ sung")
    services.lock_year(school=school, year=2025, user=users["admin"])
    for year in range(2015, 2025):
        services.lock_year(school=other_school, year=year, user=users["academy"])
    client = client_as(users["academy"])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("yearend:console"), {"active": "all"}).content.decode()
    assert "Chốt số liệu các năm" in page and "đã mở lại" in page and "Bổ sung" in page
    school_page = client_as(users["viewer"]).get(
        reverse("yearend:school_locks", kwargs={"school_code": school.code})).content.decode()
    year_page = client.get(lock_url(school, 2025)).content.decode()
    assert "Các năm đã mở lại" in school_page and "đã chốt" in school_page
    assert "Đã chốt lúc" in year_page and "Mở lại năm 2025" in year_page and "Lý do mở lại" in year_page
    for text in (school_page, year_page, page):
        body = re.sub(r"<[^>]+>", " ", text[text.index("<main") if "<main" in text else 0:])
        for english in ("Year-end", "Locked on", "Reopen", "locked at", "reason for"):
            assert english not in body, english
    export = client.get(reverse("yearend:console"), {"export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_learner_import_into_a_locked_years_class_is_refused(users, client_as, school, klass,
                                                              django_capture_on_commit_callbacks):
    from courses.models import ImportBatch, Learner
    from tests.courses.test_import import confirm, people, upload_batch

    open_class = make_class(school, klass.programme, code="K53", opening=D(2025, 9, 1))  # open: its opening year
    client = client_as(users["staff"])
    batch = upload_batch(client, open_class, people(2))  # previewed before the lock
    services.lock_year(school=school, year=2025, user=users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        done = confirm(client, batch)
    assert "Năm 2025 đã chốt số liệu" in done.content.decode()
    assert Learner.objects.count() == 1 and not open_class.enrollments.exists()  # the fixture's learner only
    assert ImportBatch.objects.get().status != ImportBatch.Status.DONE


def test_research_records_of_the_year_and_topics_finished_in_it(users, school, lecturer):
    from research.models import Article, FieldTrip, Publication, Topic

    issue = Publication.objects.create(school=school, kind="bulletin", title="Bản tin", issue_number="1/2025",
                                       published_on=D(2025, 6, 1))
    trip = FieldTrip.objects.create(school=school, title="Thực tế", place="Xã", start_on=D(2025, 12, 30),
                                    end_on=D(2026, 1, 2))
    accepted = Topic.objects.create(school=school, code="T1", title="Đề tài nghiệm thu", level="school",
                                    leader=lecturer, start_on=D(2024, 2, 1), end_on=D(2025, 10, 1))
    Topic.objects.filter(pk=accepted.pk).update(accepted_on=D(2025, 11, 5))
    running = Topic.objects.create(school=school, code="T2", title="Đề tài đang làm", level="school",
                                   leader=lecturer, start_on=D(2025, 2, 1), end_on=D(2026, 10, 1))
    services.lock_year(school=school, year=2025, user=users["admin"])
    for write in (lambda: Article.objects.create(issue=issue, title="Bài mới"),
                  lambda: trip.delete(),
                  lambda: Topic.objects.get(pk=accepted.pk).save()):
        with pytest.raises(YearLocked), transaction.atomic():  # a refused delete spoils its transaction
            write()
    running.title = "Đề tài đang làm (sửa tên)"
    running.save()  # a topic still under way belongs to no locked year
