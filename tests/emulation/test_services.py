import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from emulation import services
from emulation.models import (
    Appeal,
    AwardProposal,
    ClusterYear,
    CommendationForm,
    Criterion,
    EmulationTitle,
    Meeting,
    Score,
)
from emulation.selectors import emulation_results, school_emulation_results
from schools.models import School, Staff
from tests.emulation.conftest import LEAVES, TODAY, card_of, fill

pytestmark = pytest.mark.django_db
FULL = {"1.1": 10, "1.2": 18, "II": 15, "T": 2, "TR": 1}


def past(days=1):
    return TODAY - datetime.timedelta(days=days)


# --- scheme ----------------------------------------------------------------------------------
def test_scheme_is_frozen_once_scoring_opens(open_year, scheme):
    item = Criterion(cluster_year=open_year, code="III", name="Mới", max_points=Decimal(5))
    with pytest.raises(ValidationError, match="đã được khóa"):
        services.criterion_save(criterion=item)
    with pytest.raises(ValidationError):  # the model refuses too, whoever calls it
        item.full_clean()
    existing = Criterion.objects.get(pk=scheme["II"].pk)
    existing.max_points = Decimal(50)
    with pytest.raises(ValidationError):
        services.criterion_save(criterion=existing)
    with pytest.raises(ValidationError):
        services.criterion_delete(criterion=existing)
    with pytest.raises(ValidationError):
        existing.delete()
    assert Criterion.objects.get(pk=scheme["II"].pk).max_points == Decimal(20)


def test_sub_items_cannot_exceed_their_parent(cluster_year, scheme):
    extra = Criterion(cluster_year=cluster_year, parent=scheme["I"], code="1.3", name="x", max_points=Decimal(1))
    with pytest.raises(ValidationError, match="vượt"):
        services.criterion_save(criterion=extra)


def test_copy_from_last_year_copies_the_tree(cluster_year, scheme, school):
    nxt = ClusterYear.objects.create(cluster=cluster_year.cluster, year=2025)
    assert services.scheme_copy_from_last_year(cluster_year=nxt) == 6
    copied = {c.code: c for c in nxt.criteria.all()}
    assert copied["1.1"].parent == copied["I"] and copied["TR"].kind == Criterion.Kind.PENALTY
    with pytest.raises(ValidationError):  # not twice
        services.scheme_copy_from_last_year(cluster_year=nxt)
    first = ClusterYear.objects.create(cluster=cluster_year.cluster, year=2020)
    with pytest.raises(ValidationError):  # nothing earlier to copy
        services.scheme_copy_from_last_year(cluster_year=first)


def test_open_scoring_needs_a_scheme(cluster_year):
    with pytest.raises(ValidationError):
        services.open_scoring(cluster_year=cluster_year)


# --- self-scoring ----------------------------------------------------------------------------
def test_self_score_deadline_and_lock(open_year, scheme, school, users):
    card = card_of(open_year, school)
    fill(card, scheme, FULL)
    services.scorecard_submit(scorecard=card, user=users["admin"])
    with pytest.raises(ValidationError, match="khóa"):
        fill(card, scheme, {**FULL, "II": 20})
    assert Score.objects.get(scorecard=card, criterion=scheme["II"]).self_points == 15

    other = card_of(open_year, open_year.deputies.get())
    ClusterYear.objects.filter(pk=open_year.pk).update(self_score_deadline=past())
    other.cluster_year.refresh_from_db()
    with pytest.raises(ValidationError, match="hạn"):
        fill(other, scheme, FULL)
    with pytest.raises(ValidationError):
        services.scorecard_submit(scorecard=other, user=users["admin"])


def test_submit_needs_every_item(open_year, scheme, school, users):
    card = card_of(open_year, school)
    services.self_scores_save(scorecard=card, rows={scheme["II"].pk: {"points": Decimal(5), "explanation": "x"}})
    with pytest.raises(ValidationError, match="1.1"):
        services.scorecard_submit(scorecard=card, user=users["admin"])


def test_points_above_maximum_and_missing_evidence_are_refused(open_year, scheme, school):
    card = card_of(open_year, school)
    with pytest.raises(ValidationError) as exc:
        services.self_scores_save(scorecard=card, rows={
            scheme["1.1"].pk: {"points": Decimal(11), "explanation": "x"},
            scheme["II"].pk: {"points": Decimal(5)},
        })
    assert f"points_{scheme['1.1'].pk}" in exc.value.message_dict
    assert f"explanation_{scheme['II'].pk}" in exc.value.message_dict


def test_evidence_link_must_point_to_own_school(open_year, scheme, school, other_school):
    card = card_of(open_year, school)
    key = scheme["II"].pk
    with pytest.raises(ValidationError) as exc:
        services.self_scores_save(scorecard=card, rows={key: {"points": Decimal(5), "link": f"/s/{other_school.code}/units/"}})
    assert f"link_{key}" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.self_scores_save(scorecard=card, rows={key: {"points": Decimal(5), "link": "/khong-ton-tai/"}})
    services.self_scores_save(scorecard=card, rows={key: {"points": Decimal(5), "link": f"/s/{school.code}/units/"}})
    assert Score.objects.get(scorecard=card, criterion_id=key).has_evidence


def test_evidence_file_type_and_size(open_year, scheme, school, settings):
    card = card_of(open_year, school)
    key = scheme["II"].pk
    with pytest.raises(ValidationError) as exc:
        services.self_scores_save(scorecard=card, rows={
            key: {"points": Decimal(5), "file": SimpleUploadedFile("x.exe", b"MZ")}})
    assert f"file_{key}" in exc.value.message_dict
    settings.MAX_UPLOAD_MB = 0
    with pytest.raises(ValidationError):
        services.self_scores_save(scorecard=card, rows={
            key: {"points": Decimal(5), "file": SimpleUploadedFile("x.pdf", b"%PDF-1.4")}})
    settings.MAX_UPLOAD_MB = 1
    services.self_scores_save(scorecard=card, rows={
        key: {"points": Decimal(5), "file": SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4")}})
    score = Score.objects.get(scorecard=card, criterion_id=key)
    assert score.evidence_file.name.endswith(".pdf") and "emulation/evidence/" in score.evidence_file.name


# --- appraisal, appeals, final ---------------------------------------------------------------
def submit_all(open_year, scheme, users, points=None):
    for card in open_year.scorecards.all():
        fill(card, scheme, (points or {}).get(card.school.code, FULL))
        services.scorecard_submit(scorecard=card, user=users["admin"])


def appraise_as_self(cy, scheme, changes=None):
    for card in cy.scorecards.all():
        rows = {}
        for code in LEAVES:
            score = card.scores.get(criterion=scheme[code])
            rows[scheme[code].pk] = {"points": score.self_points, "reason": ""}
        rows.update((changes or {}).get(card.school.code, {}))
        services.appraisal_save(scorecard=card, rows=rows)


def test_appraisal_change_needs_a_reason(open_year, scheme, school, users):
    submit_all(open_year, scheme, users)
    services.open_appraisal(cluster_year=open_year)
    open_year.refresh_from_db()
    card = card_of(open_year, school)
    key = scheme["II"].pk
    with pytest.raises(ValidationError) as exc:
        services.appraisal_save(scorecard=card, rows={key: {"points": Decimal(12), "reason": " "}})
    assert f"reason_{key}" in exc.value.message_dict
    services.appraisal_save(scorecard=card, rows={key: {"points": Decimal(12), "reason": "Thiếu minh chứng"}})
    assert Score.objects.get(scorecard=card, criterion_id=key).difference == Decimal(-3)
    open_year.appraisal_end = past()  # the calendar's appraisal period is over
    with pytest.raises(ValidationError, match="thời gian thẩm định"):
        services.appraisal_save(scorecard=card, rows={key: {"points": Decimal(11), "reason": "x"}})


def test_open_appraisal_waits_for_deadline_or_all_submissions(open_year, scheme, school, users):
    card = card_of(open_year, school)
    fill(card, scheme, FULL)
    services.scorecard_submit(scorecard=card, user=users["admin"])
    with pytest.raises(ValidationError):
        services.open_appraisal(cluster_year=open_year)
    ClusterYear.objects.filter(pk=open_year.pk).update(self_score_deadline=past())
    open_year.refresh_from_db()
    services.open_appraisal(cluster_year=open_year)
    assert open_year.status == ClusterYear.Status.APPRAISAL


def go_to_appeals(open_year, scheme, users, points=None, changes=None):
    submit_all(open_year, scheme, users, points)
    services.open_appraisal(cluster_year=open_year)
    open_year.refresh_from_db()
    appraise_as_self(open_year, scheme, changes)
    services.open_appeals(cluster_year=open_year)
    open_year.refresh_from_db()


def test_appeal_window(open_year, scheme, school, users):
    submit_all(open_year, scheme, users)
    services.open_appraisal(cluster_year=open_year)
    open_year.refresh_from_db()
    score = card_of(open_year, school).scores.get(criterion=scheme["II"])
    with pytest.raises(ValidationError, match="Kiến nghị|kiến nghị"):  # not open during the appraisal
        services.appeal_file(score=score, reason="x", requested_points=Decimal(15))
    appraise_as_self(open_year, scheme, {school.code: {scheme["II"].pk: {"points": Decimal(10), "reason": "Trừ"}}})
    services.open_appeals(cluster_year=open_year)
    score = Score.objects.select_related("scorecard__cluster_year", "criterion").get(pk=score.pk)
    appeal = services.appeal_file(score=score, reason="Có minh chứng bổ sung", requested_points=Decimal(15))
    assert appeal.status == Appeal.Status.PENDING
    ClusterYear.objects.filter(pk=open_year.pk).update(appeal_deadline=past())
    other = Score.objects.select_related("scorecard__cluster_year", "criterion").get(
        scorecard__school=school, criterion=scheme["1.1"])
    with pytest.raises(ValidationError, match="hết hạn|đã đóng"):
        services.appeal_file(score=other, reason="x", requested_points=Decimal(10))


def test_finalize_applies_accepted_appeals_and_ranks(open_year, scheme, school, head_school, peer_school, users):
    points = {school.code: FULL, head_school.code: {**FULL, "TR": 0}, peer_school.code: {**FULL, "1.2": 20}}
    go_to_appeals(open_year, scheme, users, points,
                  changes={peer_school.code: {scheme["1.2"].pk: {"points": Decimal(18), "reason": "Trừ 2 điểm"}}})
    score = Score.objects.get(scorecard__school=peer_school, criterion=scheme["1.2"])
    appeal = services.appeal_file(score=score, reason="x", requested_points=Decimal(20))
    with pytest.raises(ValidationError):  # window still open
        services.finalize(cluster_year=open_year)
    ClusterYear.objects.filter(pk=open_year.pk).update(appeal_deadline=past())
    open_year.refresh_from_db()
    with pytest.raises(ValidationError, match="kiến nghị"):  # pending appeal
        services.finalize(cluster_year=open_year)
    with pytest.raises(ValidationError):  # acceptance needs the new points
        services.appeal_resolve(appeal=appeal, status="accepted", resolution="Đồng ý", resolved_points=None,
                                user=users["academy"])
    appeal.refresh_from_db()
    services.appeal_resolve(appeal=appeal, status="accepted", resolution="Đồng ý", resolved_points=Decimal(19),
                            user=users["academy"])
    services.finalize(cluster_year=open_year)
    cards = {c.school.code: c for c in open_year.scorecards.select_related("school")}
    # A: 10+18+15+2-1 = 44; HEAD: 45; PEER: 10+19+15+2-1 = 45 → without a tie-break rule adopted by the
    # cluster, HEAD and PEER share rank 1 (a tie for the meeting), A is 3rd.
    assert cards[head_school.code].final_total == 45 and cards[peer_school.code].final_total == 45
    assert cards[head_school.code].rank == cards[peer_school.code].rank == 1 and cards[school.code].rank == 3
    # with the cluster's rule "fewer deductions", HEAD (no penalty) comes before PEER
    ClusterYear.objects.filter(pk=open_year.pk).update(tie_break=["penalty", "vote"])
    open_year.refresh_from_db()
    services.store_ranking(cluster_year=open_year)
    cards = {c.school.code: c for c in open_year.scorecards.select_related("school")}
    assert (cards[head_school.code].rank, cards[peer_school.code].rank, cards[school.code].rank) == (1, 2, 3)


# --- awards ----------------------------------------------------------------------------------
@pytest.fixture
def final_year(open_year, scheme, users):
    go_to_appeals(open_year, scheme, users)
    ClusterYear.objects.filter(pk=open_year.pk).update(appeal_deadline=past())
    open_year.refresh_from_db()
    services.finalize(cluster_year=open_year)
    return open_year


def test_flag_quota_is_enforced(final_year, school, head_school, peer_school):
    services.award_propose(proposal=AwardProposal(cluster_year=final_year, school=school, title=EmulationTitle.ACADEMY_FLAG))
    with pytest.raises(ValidationError, match="chỉ tiêu"):
        services.award_propose(proposal=AwardProposal(
            cluster_year=final_year, school=head_school, title=EmulationTitle.ACADEMY_FLAG))
    ClusterYear.objects.filter(pk=final_year.pk).update(flag_quota=2)
    services.award_propose(proposal=AwardProposal(cluster_year=final_year, school=head_school, title=EmulationTitle.ACADEMY_FLAG))
    # a certificate is not a flag: no quota
    services.award_propose(proposal=AwardProposal(
        cluster_year=final_year, school=peer_school, commendation_form=CommendationForm.DIRECTOR_CERTIFICATE))
    assert AwardProposal.objects.count() == 3


def test_non_member_cannot_be_proposed(final_year, other_school):
    with pytest.raises(ValidationError):
        services.award_propose(proposal=AwardProposal(
            cluster_year=final_year, school=other_school, commendation_form=CommendationForm.DIRECTOR_CERTIFICATE))


def test_titles_and_forms_of_commendation_are_never_mixed(final_year, school, lecturer):
    both = AwardProposal(cluster_year=final_year, school=school, title=EmulationTitle.ACADEMY_FLAG,
                         commendation_form=CommendationForm.DIRECTOR_CERTIFICATE)
    with pytest.raises(ValidationError, match="hoặc"):
        services.award_propose(proposal=both)
    with pytest.raises(ValidationError):
        services.award_propose(proposal=AwardProposal(cluster_year=final_year, school=school))
    with pytest.raises(ValidationError):  # a flag is for a school, not a person
        services.award_propose(proposal=AwardProposal(
            cluster_year=final_year, school=school, staff=lecturer, title=EmulationTitle.ACADEMY_FLAG))
    with pytest.raises(ValidationError):  # an individual title needs a person
        services.award_propose(proposal=AwardProposal(
            cluster_year=final_year, school=school, title=EmulationTitle.EMULATION_FIGHTER))
    services.award_propose(proposal=AwardProposal(
        cluster_year=final_year, school=school, staff=lecturer, commendation_form=CommendationForm.DIRECTOR_CERTIFICATE))
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses too
        AwardProposal.objects.create(cluster_year=final_year, school=school, title=EmulationTitle.ACADEMY_FLAG,
                                     commendation_form=CommendationForm.DIRECTOR_CERTIFICATE)
    assert set(EmulationTitle.values).isdisjoint(CommendationForm.values)


def test_vote_then_decision_and_contract_selectors(final_year, school, users, django_assert_max_num_queries):
    proposal = services.award_propose(proposal=AwardProposal(
        cluster_year=final_year, school=school, title=EmulationTitle.ACADEMY_FLAG))
    with pytest.raises(ValidationError):  # approval needs the vote first
        services.award_decide(proposal=proposal, approve=True, number="1/QĐ", date=TODAY, user=users["academy"])
    with pytest.raises(ValidationError):
        services.award_record_vote(proposal=proposal, method="peer_vote", votes_for=3, votes_against=1, votes_total=3)
    proposal.refresh_from_db()
    services.award_record_vote(proposal=proposal, method="acclamation", votes_for=3, votes_against=0, votes_total=3)
    with pytest.raises(ValidationError):  # a decision needs number and date
        services.award_decide(proposal=proposal, approve=True, number="", date=None, user=users["academy"])
    proposal.refresh_from_db()
    services.award_decide(proposal=proposal, approve=True, number="12-QĐ/HVCTQG", date=datetime.date(2025, 1, 10),
                          user=users["academy"])
    result = school_emulation_results(school, 2024)
    assert result["cluster"] == "Cụm thi đua Bắc Trung Bộ" and result["members"] == 3
    assert result["final_score"] == Decimal(44) and result["rank"] == 1
    assert result["awards"] == ["Cờ thi đua của Học viện Chính trị quốc gia Hồ Chí Minh (quyết định 12-QĐ/HVCTQG ngày 10/01/2025)"]
    others = [School.objects.create(code=f"X{i}", name=f"Trường {i}") for i in range(15)]
    with django_assert_max_num_queries(3):
        results = emulation_results([school, *others], 2024)
    assert results[others[0].pk] == {"cluster": None, "final_score": None, "rank": None, "members": 0, "awards": []}


# --- year-end conference ---------------------------------------------------------------------
def test_meeting_elects_next_years_head_and_carries_members_over(final_year, school, head_school, peer_school):
    merged = School.objects.create(code="MERGED", name="Trường sáp nhập")
    School.objects.filter(pk=peer_school.pk).update(merged_into=merged, merged_on=datetime.date(2025, 7, 1))
    meeting = Meeting(cluster_year=final_year, held_on=TODAY, place="Hội trường", next_head=school)
    upcoming = services.meeting_save(meeting=meeting, next_deputies=[merged])
    assert upcoming.year == 2025 and upcoming.head == school
    assert set(upcoming.members.all()) == {school, head_school, merged}
    assert list(upcoming.deputies.all()) == [merged]
    bad = Meeting.objects.get(pk=meeting.pk)
    bad.next_head = School.objects.create(code="NOPE", name="Ngoài cụm")
    with pytest.raises(ValidationError):
        services.meeting_save(meeting=bad, next_deputies=[])


def test_head_and_deputies_must_be_members(cluster, school, other_school):
    cy = ClusterYear(cluster=cluster, year=2030, head=other_school)
    with pytest.raises(ValidationError):
        services.cluster_year_save(cluster_year=cy, members=[school], deputies=[])
    cy.head = school
    with pytest.raises(ValidationError):
        services.cluster_year_save(cluster_year=cy, members=[school], deputies=[school])


def test_staff_award_history(final_year, school, lecturer):
    services.award_propose(proposal=AwardProposal(
        cluster_year=final_year, school=school, staff=lecturer, commendation_form=CommendationForm.DIRECTOR_CERTIFICATE))
    assert Staff.objects.get(pk=lecturer.pk).award_proposals.count() == 1
