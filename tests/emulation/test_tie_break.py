"""Issue 17 item 4: the tie-break is the cluster's own rule, stated in the scheme; never the name."""

from decimal import Decimal

import pytest
from django.urls import reverse

from emulation import services
from emulation.models import ClusterYear, Score

pytestmark = pytest.mark.django_db


def yurl(cy, name, **kwargs):
    return reverse(f"emulation:{name}", kwargs={"cluster_code": cy.cluster.code, "year": cy.year, **kwargs})


def test_the_cluster_states_its_rule_in_the_scheme(cluster_year, scheme, em_users, client_as):
    head = client_as(em_users["head"])
    url = yurl(cluster_year, "tie_break")
    assert client_as(em_users["peer"]).post(url, {"step_1": "penalty"}).status_code == 403  # the head runs the year
    form = head.get(url)
    choices = [value for value, _label in form.context["form"].fields["step_1"].choices]
    assert choices == ["", "penalty", "criterion:I", "criterion:II", "vote"]  # no "school name" step
    refused = head.post(url, {"step_1": "vote", "step_2": "penalty"})
    assert refused.status_code == 200 and "biểu quyết" in refused.content.decode()
    assert head.post(url, {"step_1": "penalty", "step_2": "criterion:II", "step_3": "vote"}).status_code == 302
    cluster_year.refresh_from_db()
    assert cluster_year.tie_break == ["penalty", "criterion:II", "vote"]
    page = head.get(yurl(cluster_year, "scheme")).content.decode()
    assert "ít điểm trừ" in page and "Tiêu chí II" in page and "biểu quyết của hội nghị" in page
    services.open_scoring(cluster_year=cluster_year)
    cluster_year.refresh_from_db()
    assert head.post(url, {"step_1": "criterion:I"}).status_code == 200  # frozen with the scheme
    cluster_year.refresh_from_db()
    assert cluster_year.tie_break == ["penalty", "criterion:II", "vote"]


def _final(cluster_year, totals):
    """Final points per school code: {code: {criterion code: points}}."""
    for card in cluster_year.scorecards.select_related("school"):
        for score in Score.objects.filter(scorecard=card).select_related("criterion"):
            score.final_points = Decimal(totals[card.school.code].get(score.criterion.code, 0))
            score.save(update_fields=["final_points"])
    services.store_ranking(cluster_year=cluster_year)


def test_a_tie_with_the_rule_exhausted_is_reported_as_a_tie(open_year, scheme, school, head_school, peer_school,
                                                           em_users, client_as):
    ClusterYear.objects.filter(pk=open_year.pk).update(tie_break=["penalty", "criterion:II"],
                                                       status=ClusterYear.Status.FINAL)
    open_year.refresh_from_db()
    for card in open_year.scorecards.all():
        for code in ("1.1", "1.2", "II", "T", "TR"):
            Score.objects.get_or_create(scorecard=card, criterion=scheme[code])
    level = {"1.1": 10, "1.2": 20, "II": 15, "TR": 1}
    _final(open_year, {
        school.code: level,  # 44, penalty 1, II 15
        peer_school.code: level,  # the same on every step of the rule
        head_school.code: {"1.1": 10, "1.2": 20, "II": 14, "TR": 0},  # 44, penalty 0: first by the rule
    })
    rows = {c.school.code: c for c in open_year.scorecards.select_related("school")}
    assert rows[head_school.code].rank == 1
    assert rows[school.code].rank == rows[peer_school.code].rank == 2
    client = client_as(em_users["admin"])
    ranking = client.get(yurl(open_year, "ranking"))
    tied = {c.school.code for c in ranking.context["rows"] if c.tied}
    assert tied == {school.code, peer_school.code}
    html = ranking.content.decode()
    assert html.count("hòa — hội nghị quyết định") == 2
    minutes = client.get(yurl(open_year, "minutes")).content.decode()
    assert "Quy tắc phân định thứ hạng khi bằng điểm của cụm" in minutes
    assert "ít điểm trừ (điểm trừ); điểm cao hơn ở tiêu chí II. Tiêu chí II" in minutes
    assert "tên trường" not in minutes.lower()
