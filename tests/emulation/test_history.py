"""A past season entered "as recorded" (nhập bổ sung): deadlines do not apply, each step keeps the
date it took place, and the change log says who entered it and when (the real time)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditLog
from emulation import services
from emulation.models import ClusterYear, Criterion, Scorecard
from tests.emulation.conftest import LEAVES

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def season_2022(cluster, school, head_school, peer_school):
    cy = ClusterYear(cluster=cluster, year=2022, head=head_school, self_score_deadline=D(2022, 10, 31),
                     appraisal_start=D(2022, 11, 1), appraisal_end=D(2022, 11, 5), appeal_deadline=D(2022, 11, 7))
    services.cluster_year_save(cluster_year=cy, members=[school, head_school, peer_school], deputies=[])
    group = services.criterion_save(criterion=Criterion(cluster_year=cy, code="I", name="I", max_points=30, order=1))
    for code, points, parent, kind, order in (("1.1", 10, group, "criterion", 2), ("1.2", 20, group, "criterion", 3),
                                              ("II", 20, None, "criterion", 4), ("T", 5, None, "bonus", 5),
                                              ("TR", 5, None, "penalty", 6)):
        services.criterion_save(criterion=Criterion(cluster_year=cy, code=code, name=code, max_points=points,
                                                    parent=parent, kind=kind, order=order))
    return cy


def yurl(cy, name, **kwargs):
    return reverse(f"emulation:{name}", kwargs={"cluster_code": cy.cluster.code, "year": cy.year, **kwargs})


def points(card, value):
    data = {}
    for score in card.scores.select_related("criterion"):
        data[f"points_{score.criterion_id}"] = str(value)
        data[f"explanation_{score.criterion_id}"] = "Theo báo cáo năm 2022"
    return data


def test_a_past_season_entered_as_recorded_keeps_its_2022_dates_and_is_audited_with_the_real_time(
        season_2022, school, em_users, client_as):
    cy = season_2022
    head = client_as(em_users["head"])
    # Without the recorded mode, the calendar refuses a season of 2022 today.
    services.open_scoring(cluster_year=cy)
    card = Scorecard.objects.get(cluster_year=cy, school=school)
    response = head.post(yurl(cy, "self_score", school_code=school.code), points(card, 1))
    assert response.status_code == 403  # not the head's own scorecard
    with pytest.raises(Exception, match="hạn"):
        services.scorecard_submit(scorecard=card, user=em_users["admin"])
    ClusterYear.objects.filter(pk=cy.pk).update(status=ClusterYear.Status.DRAFT)
    Scorecard.objects.filter(cluster_year=cy).delete()
    # A member school may not switch it; the cluster head may.
    assert client_as(em_users["admin"]).post(yurl(cy, "year_recorded_entry")).status_code == 403
    assert "Nhập bổ sung" in head.get(yurl(cy, "year_detail")).content.decode()
    assert head.post(yurl(cy, "year_recorded_entry")).status_code == 302
    cy.refresh_from_db()
    assert cy.recorded_entry and cy.recorded_by == em_users["head"]
    # Each step asks for its date; without it nothing moves.
    head.post(yurl(cy, "year_transition", action="open_scoring"), {})
    cy.refresh_from_db()
    assert cy.status == ClusterYear.Status.DRAFT
    page = head.get(yurl(cy, "year_transition", action="open_scoring")).content.decode()
    assert "happened_on" in page
    head.post(yurl(cy, "year_transition", action="open_scoring"), {"happened_on": "25/03/2022"})
    cy.refresh_from_db()
    assert cy.status == ClusterYear.Status.SCORING_OPEN
    # The head copies each member's self-score from the records, deadlines long past, and its date.
    for card in cy.scorecards.all():
        assert head.post(yurl(cy, "self_score", school_code=card.school.code), points(card, 2)).status_code == 302
        response = head.post(yurl(cy, "scorecard_submit", school_code=card.school.code), {"happened_on": "30/10/2022"})
        assert response.status_code == 302
    card = Scorecard.objects.get(cluster_year=cy, school=school)
    assert card.status == Scorecard.Status.SUBMITTED
    assert timezone.localtime(card.submitted_at).date() == D(2022, 10, 30)
    head.post(yurl(cy, "year_transition", action="open_appraisal"), {"happened_on": "01/11/2022"})
    cy.refresh_from_db()
    for card in cy.scorecards.all():  # appraisal outside its 2022 period
        rows = {s.criterion_id: {"points": s.self_points, "reason": ""} for s in card.scores.all()}
        services.appraisal_save(scorecard=card, rows=rows)
    head.post(yurl(cy, "year_transition", action="open_appeals"), {"happened_on": "05/11/2022"})
    head.post(yurl(cy, "year_transition", action="finalize"), {"happened_on": "08/11/2022"})
    cy.refresh_from_db()
    assert cy.status == ClusterYear.Status.FINAL and cy.recorded_entry
    assert cy.step_dates == {"open_scoring": "2022-03-25", "open_appraisal": "2022-11-01",
                             "open_appeals": "2022-11-05", "finalize": "2022-11-08"}
    assert all(c.final_total == Decimal(2 * len(LEAVES) - 4) for c in cy.scorecards.all())  # 4×2 + 2 − 2
    page = head.get(yurl(cy, "year_detail")).content.decode()
    assert "08/11/2022" in page and "30/10/2022" not in page  # the steps, with their dates
    # The change log says who entered it and when: the real time, not 2022.
    entries = AuditLog.objects.filter(content_type=ContentType.objects.get_for_model(Scorecard),
                                      object_id=str(card.pk), action="update")
    submitted = [e for e in entries if "status" in e.changes]
    assert submitted and all(e.user == em_users["head"] for e in submitted)
    assert all(e.timestamp.date() == timezone.now().date() for e in submitted)
    assert cy.recorded_started_at.date() == timezone.now().date()


def test_only_a_past_season_that_is_not_final_can_be_entered_as_recorded(cluster_year, season_2022, em_users,
                                                                          client_as):
    academy = client_as(em_users["academy"])
    academy.post(yurl(cluster_year, "year_recorded_entry"))  # 2024 in the fixture: not past when today is 2024…
    cluster_year.refresh_from_db()
    assert cluster_year.recorded_entry == (cluster_year.year < timezone.localdate().year)
    ClusterYear.objects.filter(pk=season_2022.pk).update(status=ClusterYear.Status.FINAL)
    academy.post(yurl(season_2022, "year_recorded_entry"))
    season_2022.refresh_from_db()
    assert not season_2022.recorded_entry
    ClusterYear.objects.filter(pk=season_2022.pk).update(status=ClusterYear.Status.DRAFT)
    assert client_as(em_users["outsider"]).post(yurl(season_2022, "year_recorded_entry")).status_code == 404
    assert academy.post(yurl(season_2022, "year_recorded_entry")).status_code == 302
    season_2022.refresh_from_db()
    assert season_2022.recorded_entry
    # A date outside the season or in the future is refused.
    academy.post(yurl(season_2022, "year_transition", action="open_scoring"), {"happened_on": "01/01/2019"})
    season_2022.refresh_from_db()
    assert season_2022.status == ClusterYear.Status.DRAFT
