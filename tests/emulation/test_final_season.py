"""Issue 13 item 7: a final season is read-only (reopened only by an Academy administrator, in the
change log); the deadline of the open phase is required; cluster years are in the change log."""

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditLog
from emulation.models import ClusterYear
from tests.emulation.conftest import TODAY

pytestmark = pytest.mark.django_db
CALENDAR = ("movement", "slogan", "self_score_deadline", "appraisal_start", "appraisal_end", "appeal_deadline")


def yurl(cy, name, **kwargs):
    return reverse(f"emulation:{name}", kwargs={"cluster_code": cy.cluster.code, "year": cy.year, **kwargs})


def calendar(cy):
    cy.refresh_from_db()
    return {name: getattr(cy, name) for name in CALENDAR}


def test_a_final_season_cannot_be_rewritten_and_only_the_academy_reopens_it(em_users, client_as, cluster_year):
    ClusterYear.objects.filter(pk=cluster_year.pk).update(status=ClusterYear.Status.FINAL)
    before = calendar(cluster_year)
    head, academy = client_as(em_users["head"]), client_as(em_users["academy"])
    # The head posts an empty body to the calendar: nothing is cleared, the refusal is explained.
    response = head.post(yurl(cluster_year, "year_schedule"), {})
    assert response.status_code == 200
    assert "đã có kết quả chính thức" in response.content.decode()
    assert calendar(cluster_year) == before and before["movement"] == "Phong trào"
    page = head.get(yurl(cluster_year, "year_schedule"))
    assert page.status_code == 200 and all(f.field.disabled for f in page.context["form"])
    # Nor can the Academy edit the season without reopening it first.
    members = list(cluster_year.memberships.values_list("school_id", flat=True))
    response = academy.post(yurl(cluster_year, "year_update"), {
        "member_schools": members, "head": cluster_year.head_id, "deputies": [em_users["peer"].school_id],
        "movement": "", "slogan": "", "flag_quota": 1,
        "self_score_deadline": before["self_score_deadline"].strftime("%d/%m/%Y"),
        "appeal_deadline": before["appeal_deadline"].strftime("%d/%m/%Y")})
    assert response.status_code == 200 and "đã có kết quả chính thức" in response.content.decode()
    assert calendar(cluster_year) == before
    # Reopening: not the head (no button, 403), the Academy administrator does, and it is logged.
    assert "reopen" not in head.get(yurl(cluster_year, "year_detail")).content.decode()
    assert head.post(yurl(cluster_year, "year_transition", action="reopen")).status_code == 403
    assert ClusterYear.objects.get(pk=cluster_year.pk).status == ClusterYear.Status.FINAL
    assert "reopen" in academy.get(yurl(cluster_year, "year_detail")).content.decode()
    assert academy.post(yurl(cluster_year, "year_transition", action="reopen")).status_code == 302
    assert ClusterYear.objects.get(pk=cluster_year.pk).status == ClusterYear.Status.APPEALS
    entry = AuditLog.objects.filter(content_type__model="clusteryear", object_id=str(cluster_year.pk),
                                    action="update").latest("pk")
    assert entry.user == em_users["academy"] and entry.changes["status"] == ["final", "appeals"]
    # Reopened: the calendar can be changed again (and that is in the change log too).
    data = {**{k: v.strftime("%d/%m/%Y") for k, v in before.items() if isinstance(v, datetime.date)},
            "movement": "Phong trào mới", "slogan": before["slogan"]}
    assert head.post(yurl(cluster_year, "year_schedule"), data).status_code == 302
    assert calendar(cluster_year)["movement"] == "Phong trào mới"
    log = academy.get(reverse("audit:log_list"), {"model": "emulation.clusteryear"})
    assert log.status_code == 200
    changes = [e.changes for e in log.context["object_list"]]
    assert {"movement": ["Phong trào", "Phong trào mới"]} in changes


def test_deadlines_of_the_open_phase_are_required_and_a_missing_one_is_no_500(em_users, client_as, open_year):
    head = client_as(em_users["head"])
    before = calendar(open_year)
    response = head.post(yurl(open_year, "year_schedule"), {})  # an empty calendar on the open season
    assert response.status_code == 200
    assert "Phải có hạn tự chấm điểm khi đang mở tự chấm điểm." in response.content.decode()
    assert calendar(open_year) == before
    # A season left without its deadline (data from before this rule): the step explains, no 500.
    ClusterYear.objects.filter(pk=open_year.pk).update(self_score_deadline=None)
    head.raise_request_exception = False
    url = yurl(open_year, "year_transition", action="open_appraisal")
    assert url.endswith("step/open_appraisal/")
    response = head.post(url, follow=True)
    assert response.status_code == 200
    assert "Cần đặt hạn tự chấm điểm trước." in response.content.decode()
    assert ClusterYear.objects.get(pk=open_year.pk).status == ClusterYear.Status.SCORING_OPEN
    # the appeal window likewise
    ClusterYear.objects.filter(pk=open_year.pk).update(status=ClusterYear.Status.APPEALS,
                                                       self_score_deadline=TODAY - datetime.timedelta(days=1))
    response = head.post(yurl(open_year, "year_schedule"), {"self_score_deadline": "01/01/2024"})
    assert "Phải có hạn kiến nghị khi đang nhận kiến nghị." in response.content.decode()
