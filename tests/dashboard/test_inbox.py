"""The work inbox (dashboard/inbox.py): each kind of waiting work, for the roles that act on it only,
each entry a link the user can open; and the inbox on the two home pages."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from compliance.models import Assessment, Standard
from courses.models import ImportBatch
from dashboard.inbox import DEADLINE_DAYS, inbox
from emulation.models import Appeal, Cluster, ClusterMembership, ClusterYear, Criterion, Score, Scorecard
from reports.models import ReportJob, Scope
from tests.courses.helpers import make_class, make_programme

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
ROLES = ("admin", "staff", "viewer", "outsider", "academy", "reviewer")


def kinds(user):
    return {group["kind"]: group for group in inbox(user)}


def who_sees(users, kind):
    return {role for role in ROLES if kind in kinds(users[role])}


def assert_links_open(user, kind):
    client = Client()
    client.force_login(user)
    for item in kinds(user)[kind]["items"]:
        assert client.get(item.url).status_code == 200, item.url


@pytest.fixture
def standard(db):
    return Standard.objects.create(code="11-QĐ/TW", version="2021", title="Quy định", issued_on=datetime.date(2021, 1, 1))


def test_assessments_to_review(users, school, standard):
    Assessment.objects.create(school=school, standard=standard, year=2025, stage=Assessment.Stage.SUBMITTED)
    Assessment.objects.create(school=school, standard=standard, year=2024, stage=Assessment.Stage.COUNCIL_APPROVED)
    Assessment.objects.create(school=school, standard=standard, year=2023, stage=Assessment.Stage.DRAFT)
    assert who_sees(users, "assessment_review") == {"academy", "reviewer"}
    assert len(kinds(users["reviewer"])["assessment_review"]["items"]) == 1  # the council's approval: admins
    assert len(kinds(users["academy"])["assessment_review"]["items"]) == 2
    assert_links_open(users["reviewer"], "assessment_review")


@pytest.fixture
def cluster_year(school, other_school, users):
    """A cluster of schools A and B, headed by school A."""
    cluster = Cluster.objects.create(code="BTB", name="Cụm thi đua Bắc Trung Bộ", region="north_central")
    cy = ClusterYear.objects.create(cluster=cluster, year=2025, head=school, status=ClusterYear.Status.APPRAISAL)
    for member in (school, other_school):
        ClusterMembership.objects.create(cluster_year=cy, school=member)
    criterion = Criterion.objects.create(cluster_year=cy, code="1", name="Công tác đào tạo", max_points=Decimal(10))
    card = Scorecard.objects.create(cluster_year=cy, school=other_school, status=Scorecard.Status.SUBMITTED,
                                    submitted_at=timezone.now())
    Scorecard.objects.create(cluster_year=cy, school=school)  # still being self-scored: not to appraise
    Score.objects.create(scorecard=card, criterion=criterion, self_points=Decimal(9))
    return cy


def test_scores_to_appraise(users, cluster_year):
    assert who_sees(users, "appraisal") == {"admin", "academy"}  # the head school's admin, Academy admins
    items = kinds(users["admin"])["appraisal"]["items"]
    assert len(items) == 1 and "Trường Chính trị tỉnh B" in items[0].label
    assert_links_open(users["admin"], "appraisal")
    cluster_year.status = ClusterYear.Status.APPEALS
    cluster_year.save()
    assert who_sees(users, "appraisal") == set()


def test_appeals_to_answer(users, cluster_year):
    cluster_year.status = ClusterYear.Status.APPEALS
    cluster_year.appeal_deadline = TODAY + datetime.timedelta(days=30)
    cluster_year.save()
    score = Score.objects.get()
    Appeal.objects.create(score=score, reason="Đề nghị xem xét lại", requested_points=Decimal(10))
    assert who_sees(users, "appeal") == {"admin", "academy"}
    assert_links_open(users["admin"], "appeal")
    Appeal.objects.update(status=Appeal.Status.REJECTED, resolution="Giữ nguyên")
    assert who_sees(users, "appeal") == set()


def test_classes_to_close(users, school, other_school):
    programme = make_programme()
    make_class(school, programme, "K1", opening=TODAY - datetime.timedelta(days=200),
               closing=TODAY - datetime.timedelta(days=3), status="in_progress")
    make_class(school, programme, "K2", opening=TODAY - datetime.timedelta(days=200),
               closing=TODAY - datetime.timedelta(days=3))  # closed
    make_class(school, programme, "K3", opening=TODAY - datetime.timedelta(days=20),
               closing=TODAY + datetime.timedelta(days=30), status="in_progress")  # not yet
    make_class(other_school, programme, "B1", opening=TODAY - datetime.timedelta(days=200),
               closing=TODAY - datetime.timedelta(days=3), status="in_progress")
    assert who_sees(users, "class_to_close") == {"admin", "staff", "outsider"}
    items = kinds(users["admin"])["class_to_close"]["items"]
    assert [item.label.split(" — ")[0][-2:] for item in items] == ["K1"]
    assert_links_open(users["staff"], "class_to_close")


def test_imports_left_unconfirmed_are_the_uploader_s(users, school):
    klass = make_class(school, make_programme(), "K1")
    for status in (ImportBatch.Status.PREVIEW, ImportBatch.Status.DONE):
        ImportBatch.objects.create(training_class=klass, created_by=users["staff"], original_name="ds.xlsx",
                                   sha256="0" * 64, status=status, file=ContentFile(b"x", name="ds.xlsx"))
    assert who_sees(users, "import") == {"staff"}
    assert len(kinds(users["staff"])["import"]["items"]) == 1


def test_reports_ready(users, school):
    job = ReportJob.objects.create(kind="school", year=2025, scope=Scope.SCHOOL, school=school,
                                   requested_by=users["viewer"], state=ReportJob.State.DONE)
    job.file.save("r.xlsx", ContentFile(b"x"))
    ReportJob.objects.create(kind="school", year=2024, scope=Scope.SCHOOL, school=school,
                             requested_by=users["viewer"], state=ReportJob.State.RUNNING)
    assert who_sees(users, "report") == {"viewer"}
    assert kinds(users["viewer"])["report"]["items"][0].url == job.get_download_url()
    job.expires_at = timezone.now() - datetime.timedelta(minutes=1)  # its file is due for deletion
    job.save()
    assert who_sees(users, "report") == set()


def test_deadlines_within_14_days(users, school, other_school, cluster_year, standard):
    cluster_year.status = ClusterYear.Status.SCORING_OPEN
    cluster_year.self_score_deadline = TODAY + datetime.timedelta(days=DEADLINE_DAYS)
    cluster_year.save()
    Assessment.objects.create(school=other_school, standard=standard, year=2025,
                              stage=Assessment.Stage.EVIDENCE_REQUESTED,
                              evidence_deadline=TODAY + datetime.timedelta(days=3))
    # school A's scorecard is a draft: its members see the self-score deadline; B submitted its own
    assert {"admin", "staff", "viewer"} <= who_sees(users, "deadline")
    labels = [item.label for item in kinds(users["outsider"])["deadline"]["items"]]
    assert len(labels) == 1 and "2025" in labels[0]  # B: the evidence deadline only
    dues = [item.due for item in kinds(users["admin"])["deadline"]["items"]]
    assert dues == [TODAY + datetime.timedelta(days=DEADLINE_DAYS)]
    cluster_year.self_score_deadline = TODAY + datetime.timedelta(days=DEADLINE_DAYS + 1)
    cluster_year.save()
    assert "deadline" not in kinds(users["admin"])


def test_appeal_deadline_shows_to_members_and_the_head(users, cluster_year):
    cluster_year.status = ClusterYear.Status.APPEALS
    cluster_year.appeal_deadline = TODAY + datetime.timedelta(days=5)
    cluster_year.save()
    assert who_sees(users, "deadline") == {"admin", "staff", "viewer", "outsider", "academy"}
    for role in ("admin", "viewer", "outsider", "academy"):
        assert_links_open(users[role], "deadline")


def test_the_inbox_is_on_both_home_pages(users, school, standard):
    Assessment.objects.create(school=school, standard=standard, year=2025, stage=Assessment.Stage.SUBMITTED)
    client = Client()
    client.force_login(users["reviewer"])
    html = client.get("/academy/").content.decode()
    assert 'data-inbox-kind="assessment_review"' in html
    assert f"/s/{school.code}/standard/" in html
    client.force_login(users["admin"])
    html = client.get(f"/s/{school.code}/").content.decode()
    assert 'id="inbox-title"' in html and 'data-inbox-kind' not in html  # nothing for a school admin here


def test_the_inbox_lists_ten_and_counts_the_rest(users, school):
    programme = make_programme()
    for n in range(13):
        make_class(school, programme, f"K{n}", opening=TODAY - datetime.timedelta(days=100),
                   closing=TODAY - datetime.timedelta(days=1), status="in_progress")
    group = kinds(users["admin"])["class_to_close"]
    assert (len(group["items"]), group["more"]) == (10, 3)
    client = Client()
    client.force_login(users["admin"])
    html = client.get(f"/s/{school.code}/").content.decode()
    assert f'<a href="/s/{school.code}/classes/">và 3 mục khác</a>' in html
