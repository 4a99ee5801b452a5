import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from emulation import services
from emulation.models import (
    Appeal,
    AwardProposal,
    Cluster,
    ClusterYear,
    CommendationForm,
    Criterion,
    EmulationTitle,
    Score,
    Scorecard,
)
from schools.models import School
from tests.access import assert_read_matrix, statuses
from tests.emulation.conftest import LEAVES, TODAY, card_of, fill

pytestmark = pytest.mark.django_db
ROLES = ("admin", "staff", "viewer", "outsider", "reviewer", "academy", "head", "head_staff", "peer", "anonymous")
READ = {"admin": 200, "staff": 200, "viewer": 200, "outsider": 404, "reviewer": 200, "academy": 200,
        "head": 200, "head_staff": 200, "peer": 200, "anonymous": 302}
RUN = {**READ, "admin": 403, "staff": 403, "viewer": 403, "reviewer": 403, "head_staff": 403, "peer": 403}
MANAGE = {**RUN, "head": 403}
OWN_CARD_WRITE = {**RUN, "admin": 200, "staff": 200, "academy": 403, "head": 403}
FULL = {"1.1": 10, "1.2": 18, "II": 15, "T": 2, "TR": 1}


def yurl(cy, name, **kwargs):
    return reverse(f"emulation:{name}", kwargs={"cluster_code": cy.cluster.code, "year": cy.year, **kwargs})


def matrix(users, url, method="get", data=None):
    return statuses(users, url, method=method, data=data, roles=ROLES)


def past():
    return TODAY - datetime.timedelta(days=1)


# --- access ----------------------------------------------------------------------------------
def test_cluster_year_pages_are_for_members_head_and_academy(em_users, cluster_year, scheme):
    for name in ("year_detail", "scheme", "ranking", "proposals", "minutes"):
        assert matrix(em_users, yurl(cluster_year, name)) == READ, name
        # nobody writes through a read page
        got = matrix(em_users, yurl(cluster_year, name), method="post")
        assert all(code in (403, 404, 302) for code in got.values()), name


def test_run_pages_are_for_the_head_schools_admins_and_the_academy(em_users, cluster_year, scheme):
    for name in ("year_schedule", "criterion_create", "scheme_copy", "appeals", "meeting"):
        assert matrix(em_users, yurl(cluster_year, name)) == RUN, name
    assert matrix(em_users, yurl(cluster_year, "criterion_update", pk=scheme["II"].pk)) == RUN
    assert matrix(em_users, yurl(cluster_year, "year_transition", action="open_scoring")) == RUN
    post = statuses(em_users, yurl(cluster_year, "criterion_delete", pk=scheme["II"].pk), method="post",
                    roles=("admin", "peer", "reviewer", "outsider"))
    assert post == {
        "admin": 403, "peer": 403, "reviewer": 403, "outsider": 404}
    assert Criterion.objects.filter(pk=scheme["II"].pk).exists()


def test_manage_pages_are_for_academy_admins(em_users, cluster_year):
    assert matrix(em_users, yurl(cluster_year, "year_update")) == MANAGE
    academy_only = {**dict.fromkeys(ROLES, 404), "academy": 200, "reviewer": 200, "anonymous": 302}
    assert matrix(em_users, reverse("emulation:cluster_list")) == academy_only
    assert matrix(em_users, reverse("emulation:cluster_detail", args=["BTB"])) == academy_only
    assert matrix(em_users, reverse("emulation:cluster_create")) == {**academy_only, "reviewer": 403}
    assert matrix(em_users, reverse("emulation:year_create", args=["BTB"])) == {**academy_only, "reviewer": 403}


def test_school_pages_follow_the_access_matrix(users, school, lecturer, cluster_year):
    for name in ("school_clusters", "school_scores", "school_awards"):
        assert_read_matrix(users, reverse(f"emulation:{name}", args=[school.code]))
    assert_read_matrix(users, reverse("emulation:staff_awards", args=[school.code, lecturer.pk]))


def test_member_cannot_see_another_members_self_score_before_appraisal(em_users, open_year, scheme, school):
    url = yurl(open_year, "scorecard", school_code=school.code)
    before = {**READ, "head": 403, "head_staff": 403, "peer": 403}
    assert matrix(em_users, url) == before
    assert matrix(em_users, yurl(open_year, "self_score", school_code=school.code)) == OWN_CARD_WRITE
    assert matrix(em_users, yurl(open_year, "scorecard_submit", school_code=school.code)) == OWN_CARD_WRITE
    assert matrix(em_users, yurl(open_year, "appraise", school_code=school.code)) == {**before, "admin": 403,
                                                                                  "staff": 403, "viewer": 403,
                                                                                  "reviewer": 403}
    # the year page does not link to it either
    client = Client()
    client.force_login(em_users["peer"])
    assert url not in client.get(yurl(open_year, "year_detail")).content.decode()
    ClusterYear.objects.filter(pk=open_year.pk).update(status=ClusterYear.Status.APPRAISAL)
    assert matrix(em_users, url) == READ
    assert matrix(em_users, yurl(open_year, "appraise", school_code=school.code)) == RUN


def test_evidence_is_served_only_through_the_permission_check(em_users, client_as, open_year, scheme, school):
    card = card_of(open_year, school)
    services.self_scores_save(scorecard=card, rows={scheme["II"].pk: {
        "points": Decimal(5), "file": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 demo")}})
    score = card.scores.get(criterion=scheme["II"])
    url = yurl(open_year, "evidence", school_code=school.code, pk=score.pk)
    got = matrix(em_users, url)
    assert got == {**READ, "head": 403, "head_staff": 403, "peer": 403}
    response = client_as(em_users["viewer"]).get(url)
    assert b"".join(response.streaming_content) == b"%PDF-1.4 demo"
    other = card_of(open_year, open_year.head).scores.first()  # a score of another card under A's url → 404
    assert client_as(em_users["admin"]).get(
        yurl(open_year, "evidence", school_code=school.code, pk=other.pk)).status_code == 404


def test_evidence_uploads_go_through_the_upload_gate(em_users, client_as, open_year, scheme, school):
    """Issue 13 item 8: the same content checks as compliance evidence (core/uploads.py)."""
    key = scheme["II"].pk
    url = yurl(open_year, "self_score", school_code=school.code)
    client = client_as(em_users["staff"])
    html = b"<html><script>alert(document.cookie)</script></html>"
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    for name, content, message in (("bao-cao.pdf", html, "không khớp với phần mở rộng"),
                                   ("bao-cao.doc", ole, "Loại tệp này không được chấp nhận"),
                                   ("so-lieu.xls", ole, "Loại tệp này không được chấp nhận")):
        response = client.post(url, {f"points_{key}": "5", f"file_{key}": SimpleUploadedFile(name, content)})
        assert response.status_code == 200, name
        assert message in response.content.decode(), name
        assert not card_of(open_year, school).scores.get(criterion=scheme["II"]).evidence_file
    response = client.post(url, {f"points_{key}": "5", f"file_{key}": SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.7 x")})
    assert response.status_code == 302
    assert card_of(open_year, school).scores.get(criterion=scheme["II"]).evidence_file


# --- the whole pipeline through the views ----------------------------------------------------
def post_scores(client, cy, school, scheme, points, **extra):
    data = {}
    for code in LEAVES:
        key = scheme[code].pk
        data[f"points_{key}"] = str(points[code])
        data[f"explanation_{key}"] = "Báo cáo tổng kết"
    data.update(extra)
    return client.post(yurl(cy, "self_score", school_code=school.code), data)


def test_pipeline_through_the_views(em_users, client_as, cluster, school, head_school, peer_school, lecturer):
    academy, head = client_as(em_users["academy"]), client_as(em_users["head"])
    a_staff = client_as(em_users["staff"])
    # The Academy opens the year; members, head and deputies are chosen from the schools.
    deadline = (TODAY + datetime.timedelta(days=5)).strftime("%d/%m/%Y")
    response = academy.post(reverse("emulation:year_create", args=[cluster.code]), {
        "year": 2024, "member_schools": [school.pk, head_school.pk, peer_school.pk], "head": head_school.pk,
        "deputies": [peer_school.pk], "self_score_deadline": deadline, "flag_quota": 1,
        "appeal_deadline": (TODAY + datetime.timedelta(days=20)).strftime("%d/%m/%Y"),
    })
    assert response.status_code == 302, response.context["form"].errors
    cy = ClusterYear.objects.get(cluster=cluster, year=2024)
    assert set(cy.members.all()) == {school, head_school, peer_school}
    # The head defines the scheme.
    for code, points, kind in (("I", 20, "criterion"), ("II", 25, "criterion"), ("TR", 5, "penalty")):
        response = head.post(yurl(cy, "criterion_create"), {"code": code, "name": f"Tiêu chí {code}",
                                                            "max_points": points, "kind": kind, "order": 1})
        assert response.status_code == 302
    i = Criterion.objects.get(cluster_year=cy, code="I")
    response = head.post(yurl(cy, "criterion_create"), {"code": "1.1", "name": "x", "max_points": 30, "kind": "criterion",
                                                        "order": 2, "parent": i.pk})
    assert "vượt điểm tối đa" in response.content.decode()
    assert head.post(yurl(cy, "year_transition", action="open_scoring")).status_code == 302
    cy.refresh_from_db()
    assert cy.status == ClusterYear.Status.SCORING_OPEN and cy.scorecards.count() == 3
    # Frozen: adding an item is refused, through the view too.
    response = head.post(yurl(cy, "criterion_create"), {"code": "III", "name": "x", "max_points": 1,
                                                        "kind": "criterion", "order": 9})
    assert response.status_code == 200 and "đã được khóa" in response.content.decode()
    assert not Criterion.objects.filter(cluster_year=cy, code="III").exists()
    # School A self-scores: bad input is shown with what was typed.
    items = {c.code: c for c in cy.criteria.all()}
    url = yurl(cy, "self_score", school_code=school.code)
    response = a_staff.post(url, {f"points_{items['I'].pk}": "25", f"explanation_{items['I'].pk}": "Giữ lại nội dung"})
    assert response.status_code == 200 and "Tối đa 20" in response.content.decode()
    assert "Giữ lại nội dung" in response.content.decode()
    response = a_staff.post(url, {
        f"points_{items['I'].pk}": "18", f"file_{items['I'].pk}": SimpleUploadedFile("kq.pdf", b"%PDF-1.4 kq"),
        f"points_{items['II'].pk}": "20", f"link_{items['II'].pk}": f"/s/{school.code}/units/",
        f"points_{items['TR'].pk}": "0", f"explanation_{items['TR'].pk}": "Không vi phạm",
    })
    assert response.status_code == 302
    assert a_staff.post(yurl(cy, "scorecard_submit", school_code=school.code)).status_code == 302
    card = card_of(cy, school)
    assert card.locked
    response = a_staff.post(url, {f"points_{items['I'].pk}": "1", f"explanation_{items['I'].pk}": "x"})
    assert "khóa" in response.content.decode()
    assert card.scores.get(criterion=items["I"]).self_points == 18
    # The others self-score and the deadline passes.
    for other in (head_school, peer_school):
        services.self_scores_save(scorecard=card_of(cy, other), rows={
            c.pk: {"points": Decimal(p), "explanation": "x"} for c, p in ((items["I"], 18), (items["II"], 20), (items["TR"], 1))})
    ClusterYear.objects.filter(pk=cy.pk).update(self_score_deadline=past())
    assert head.post(yurl(cy, "year_transition", action="open_appraisal")).status_code == 302
    cy.refresh_from_db()
    # Appraisal: a change needs a reason.
    appraise = yurl(cy, "appraise", school_code=school.code)
    data = {f"points_{items['I'].pk}": "18", f"points_{items['II'].pk}": "17", f"points_{items['TR'].pk}": "0"}
    response = head.post(appraise, data)
    assert response.status_code == 200 and "phải nêu lý do" in response.content.decode()
    assert card.scores.get(criterion=items["II"]).appraised_points is None
    assert head.post(appraise, {**data, f"reason_{items['II'].pk}": "Thiếu một hội thảo"}).status_code == 302
    for other in (head_school, peer_school):
        services.appraisal_save(scorecard=card_of(cy, other), rows={
            c.pk: {"points": Decimal(p), "reason": ""} for c, p in ((items["I"], 18), (items["II"], 20), (items["TR"], 1))})
    assert head.post(yurl(cy, "year_transition", action="open_appeals")).status_code == 302
    # The school sees the difference and appeals.
    response = a_staff.get(yurl(cy, "scorecard", school_code=school.code))
    assert "Thiếu một hội thảo" in response.content.decode() and response.context["can_appeal"]
    score = card.scores.get(criterion=items["II"])
    response = a_staff.post(yurl(cy, "appeal_create", school_code=school.code, pk=score.pk),
                            {"requested_points": "20", "reason": "Có kỷ yếu hội thảo"})
    assert response.status_code == 302
    appeal = Appeal.objects.get(score=score)
    assert head.get(yurl(cy, "appeals")).status_code == 200
    response = head.post(yurl(cy, "appeal_resolve", pk=appeal.pk), {"status": "accepted", "resolution": "Đồng ý",
                                                                     "resolved_points": "19"})
    assert response.status_code == 302
    ClusterYear.objects.filter(pk=cy.pk).update(appeal_deadline=past())
    assert head.post(yurl(cy, "year_transition", action="finalize")).status_code == 302
    cy.refresh_from_db()
    assert cy.status == ClusterYear.Status.FINAL
    # A: 18 + 19 − 0 = 37; the others 18 + 20 − 1 = 37 → all share rank 1: the cluster adopted no
    # tie-break rule, so the tie is left for the meeting to decide.
    ranking = a_staff.get(yurl(cy, "ranking"))
    assert [c.rank for c in ranking.context["rows"]] == [1, 1, 1]
    assert all(c.tied for c in ranking.context["rows"])
    export = a_staff.get(yurl(cy, "ranking"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "xếp hạng" and rows[1][1] == school.name and len(rows) == 4
    # Awards: quota, vote, Academy decision.
    response = head.post(yurl(cy, "proposal_create"), {"school": school.pk, "title": EmulationTitle.ACADEMY_FLAG})
    assert response.status_code == 302
    response = head.post(yurl(cy, "proposal_create"), {"school": peer_school.pk, "title": EmulationTitle.ACADEMY_FLAG})
    assert response.status_code == 200 and "hết chỉ tiêu" in response.content.decode()
    response = head.post(yurl(cy, "proposal_create"), {
        "school": school.pk, "title": EmulationTitle.EXCELLENT_COLLECTIVE,
        "commendation_form": CommendationForm.DIRECTOR_CERTIFICATE})
    assert response.status_code == 200 and AwardProposal.objects.count() == 1
    response = head.post(yurl(cy, "proposal_create"), {
        "school": school.pk, "staff": lecturer.pk, "commendation_form": CommendationForm.DIRECTOR_CERTIFICATE})
    assert response.status_code == 302
    flag = AwardProposal.objects.get(title=EmulationTitle.ACADEMY_FLAG)
    assert client_as(em_users["peer"]).post(yurl(cy, "proposal_vote", pk=flag.pk), {}).status_code == 403
    response = head.post(yurl(cy, "proposal_vote", pk=flag.pk), {"vote_method": "acclamation", "votes_for": 3,
                                                                 "votes_against": 0, "votes_total": 3})
    assert response.status_code == 302
    assert head.post(yurl(cy, "proposal_decide", pk=flag.pk), {"approve": "yes"}).status_code == 403
    response = academy.post(yurl(cy, "proposal_decide", pk=flag.pk), {"approve": "yes"})
    assert response.status_code == 200 and "số và ngày quyết định" in response.content.decode()
    response = academy.post(yurl(cy, "proposal_decide", pk=flag.pk), {
        "approve": "yes", "decision_number": "15-QĐ/HVCTQG", "decision_date": "10/01/2025"})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.status == AwardProposal.Status.APPROVED and flag.decision_date == datetime.date(2025, 1, 10)
    # The year-end conference elects next year's head; the minutes list it all.
    response = head.post(yurl(cy, "meeting"), {"held_on": "22/11/2024", "place": "Hội trường", "voters": 3,
                                               "next_head": peer_school.pk, "next_deputies": [school.pk]})
    assert response.status_code == 302
    upcoming = ClusterYear.objects.get(cluster=cluster, year=2025)
    assert upcoming.head == peer_school and list(upcoming.deputies.all()) == [school]
    minutes = a_staff.get(yurl(cy, "minutes")).content.decode()
    for text in (school.name, peer_school.name, "Suy tôn", "15-QĐ/HVCTQG", "Biên bản", lecturer.full_name):
        assert text in minutes, text
    # Award history: the school's and the person's.
    awards = a_staff.get(reverse("emulation:school_awards", args=[school.code])).content.decode()
    assert "Cờ thi đua của Học viện" in awards and lecturer.full_name in awards
    person = a_staff.get(reverse("emulation:staff_awards", args=[school.code, lecturer.pk]))
    assert list(person.context["awards"]) == [AwardProposal.objects.get(staff=lecturer)]


def test_academy_creates_and_edits_clusters(em_users, client_as):
    client = client_as(em_users["academy"])
    response = client.post(reverse("emulation:cluster_create"), {"code": "TN", "name": "Cụm Tây Nguyên",
                                                                 "region": "highlands"})
    assert response.status_code == 302 and Cluster.objects.filter(code="TN").exists()
    response = client.post(reverse("emulation:cluster_update", args=["TN"]), {"code": "TN", "name": "Cụm thi đua Tây Nguyên"})
    assert response.status_code == 302 and Cluster.objects.get(code="TN").name == "Cụm thi đua Tây Nguyên"
    assert client_as(em_users["reviewer"]).post(reverse("emulation:cluster_create"), {"code": "X", "name": "X"}).status_code == 403


def test_scheme_copy_through_the_view(em_users, client_as, cluster_year, scheme):
    upcoming = ClusterYear.objects.create(cluster=cluster_year.cluster, year=2025, head=cluster_year.head)
    services.cluster_year_save(cluster_year=upcoming, members=[cluster_year.head], deputies=[])
    response = client_as(em_users["head"]).post(yurl(upcoming, "scheme_copy"))
    assert response.status_code == 302 and upcoming.criteria.count() == 6


# --- query counts ----------------------------------------------------------------------------
def test_cluster_list_query_count_does_not_grow(em_users, client_as, django_assert_max_num_queries):
    client = client_as(em_users["reviewer"])
    Cluster.objects.bulk_create([Cluster(code=f"C{i}", name=f"Cụm {i}") for i in range(3)])
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("emulation:cluster_list"))
    Cluster.objects.bulk_create([Cluster(code=f"D{i}", name=f"Cụm D{i}") for i in range(30)])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("emulation:cluster_list"))


def test_school_awards_and_year_pages_query_counts_do_not_grow(
        em_users, client_as, open_year, scheme, school, lecturer, django_assert_max_num_queries):
    ClusterYear.objects.filter(pk=open_year.pk).update(status=ClusterYear.Status.FINAL)
    client = client_as(em_users["viewer"])
    url = reverse("emulation:school_awards", args=[school.code])

    def add(n):
        AwardProposal.objects.bulk_create([
            AwardProposal(cluster_year=open_year, school=school, staff=lecturer if i % 2 else None,
                          commendation_form=CommendationForm.DIRECTOR_CERTIFICATE) for i in range(n)])

    add(2)
    with django_assert_max_num_queries(15) as small:
        client.get(url)
    with django_assert_max_num_queries(15) as small_year:
        client.get(yurl(open_year, "proposals"))
    add(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
    with django_assert_max_num_queries(len(small_year.captured_queries)):
        client.get(yurl(open_year, "proposals"))


def test_year_and_ranking_pages_query_counts_do_not_grow(em_users, client_as, cluster, django_assert_max_num_queries):
    def build(year, n):
        schools = [School.objects.create(code=f"S{year}{i}", name=f"Trường {year} {i}") for i in range(n)]
        cy = ClusterYear(cluster=cluster, year=year, self_score_deadline=TODAY)
        services.cluster_year_save(cluster_year=cy, members=schools, deputies=[])
        services.criterion_save(criterion=Criterion(cluster_year=cy, code="I", name="x", max_points=10))
        services.open_scoring(cluster_year=cy)
        for card in cy.scorecards.all():
            Score.objects.filter(scorecard=card).update(self_points=5, appraised_points=5, final_points=5)
        services.store_ranking(cluster_year=cy)
        ClusterYear.objects.filter(pk=cy.pk).update(status=ClusterYear.Status.FINAL)
        return cy

    client = client_as(em_users["academy"])
    small_cy, big_cy = build(2020, 2), build(2021, 12)
    for name in ("year_detail", "ranking", "minutes"):
        with django_assert_max_num_queries(20) as small:
            client.get(yurl(small_cy, name))
        with django_assert_max_num_queries(len(small.captured_queries)):
            client.get(yurl(big_cy, name))
    card = Scorecard.objects.filter(cluster_year=big_cy).select_related("school").first()
    assert client.get(yurl(big_cy, "scorecard", school_code=card.school.code)).status_code == 200


def test_own_card_can_be_filled_with_fixture_helper(open_year, scheme, school):
    fill(card_of(open_year, school), scheme, FULL)
    assert card_of(open_year, school).scores.filter(self_points__isnull=False).count() == len(LEAVES)


def test_appeal_and_award_pages_access(em_users, open_year, scheme, school, head_school):
    for card in open_year.scorecards.all():
        fill(card, scheme, FULL)
        Score.objects.filter(scorecard=card).update(appraised_points=1)
    ClusterYear.objects.filter(pk=open_year.pk).update(status=ClusterYear.Status.APPEALS)
    score = card_of(open_year, school).scores.get(criterion=scheme["II"])
    appeal = Appeal.objects.create(score=score, reason="x", requested_points=5)
    assert matrix(em_users, yurl(open_year, "appeal_create", school_code=school.code, pk=score.pk)) == OWN_CARD_WRITE
    assert matrix(em_users, yurl(open_year, "appeal_resolve", pk=appeal.pk)) == RUN
    ClusterYear.objects.filter(pk=open_year.pk).update(status=ClusterYear.Status.FINAL)
    proposal = AwardProposal.objects.create(cluster_year=open_year, school=head_school,
                                            commendation_form=CommendationForm.DIRECTOR_CERTIFICATE)
    assert matrix(em_users, yurl(open_year, "proposal_create")) == RUN
    assert matrix(em_users, yurl(open_year, "proposal_vote", pk=proposal.pk)) == RUN
    assert matrix(em_users, yurl(open_year, "proposal_decide", pk=proposal.pk)) == MANAGE
    academy_admin_only = {**dict.fromkeys(ROLES, 404), "academy": 200, "reviewer": 403, "anonymous": 302}
    assert matrix(em_users, reverse("emulation:cluster_update", args=["BTB"])) == academy_admin_only


def test_school_cluster_and_score_pages_query_counts_do_not_grow(
        em_users, client_as, cluster, school, django_assert_max_num_queries):
    def add(years):
        for year in years:
            cy = ClusterYear(cluster=cluster, year=year, self_score_deadline=TODAY)
            services.cluster_year_save(cluster_year=cy, members=[school], deputies=[])
            Scorecard.objects.create(cluster_year=cy, school=school)

    client = client_as(em_users["viewer"])
    add([2001, 2002])
    sizes = {}
    for name in ("school_clusters", "school_scores"):
        with django_assert_max_num_queries(12) as small:
            client.get(reverse(f"emulation:{name}", args=[school.code]))
        sizes[name] = len(small.captured_queries)
    add(range(2003, 2020))
    for name in ("school_clusters", "school_scores"):
        with django_assert_max_num_queries(sizes[name]):
            response = client.get(reverse(f"emulation:{name}", args=[school.code]))
        assert "2019" in response.content.decode()


def test_list_exports_keep_formula_text_as_text(em_users, client_as, open_year, school):
    Cluster.objects.create(code="X", name="=HYPERLINK(\"x\")")
    ClusterYear.objects.filter(pk=open_year.pk).update(status=ClusterYear.Status.FINAL)
    AwardProposal.objects.create(cluster_year=open_year, school=school, decision_number="=1+1",
                                 commendation_form=CommendationForm.DIRECTOR_CERTIFICATE)
    for user, url in ((em_users["reviewer"], reverse("emulation:cluster_list")),
                      (em_users["viewer"], reverse("emulation:school_awards", args=[school.code]))):
        response = client_as(user).get(url, {"export": "xlsx"})
        sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
        assert cells and all(c.data_type == "s" for c in cells)
