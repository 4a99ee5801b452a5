import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from compliance import services
from compliance.models import Answer, Assessment, EvidenceFile, Indicator
from tests.access import statuses

pytestmark = pytest.mark.django_db
Stage = Assessment.Stage
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF"
TODAY = timezone.localdate()


def url(name, assessment, **kwargs):
    return reverse(f"compliance:{name}", kwargs={"school_code": assessment.school.code, **kwargs})


def declared(assessment):
    return assessment.answers.filter(indicator__measurement=Indicator.Measurement.DECLARED)


def explain_all(assessment):
    declared(assessment).update(explanation="Có minh chứng tại hồ sơ")


def submitted(assessment, user):
    explain_all(assessment)
    services.submit(assessment=assessment, user=user)
    assessment.refresh_from_db()
    return assessment


def test_declared_indicator_cannot_be_submitted_without_evidence_or_explanation(assessment, users, client_as):
    explain_all(assessment)
    answer = declared(assessment).get(indicator__code="1.1")
    Answer.objects.filter(pk=answer.pk).update(explanation="")
    client = client_as(users["staff"])
    response = client.post(url("assessment_submit", assessment, pk=assessment.pk), follow=True)
    assessment.refresh_from_db()
    assert assessment.stage == Stage.DRAFT
    assert "1.1" in response.content.decode() and "Thiếu" in response.content.decode()
    # An evidence file alone is enough.
    client.post(url("answer_update", assessment, pk=answer.pk),
                {"value": "1", "explanation": "", "evidence": SimpleUploadedFile("qd.pdf", PDF, "application/pdf")})
    assert answer.files.count() == 1
    client.post(url("assessment_submit", assessment, pk=assessment.pk))
    assessment.refresh_from_db()
    assert assessment.stage == Stage.SUBMITTED and assessment.submitted_on == TODAY


def test_school_answers_a_declared_indicator_and_the_status_follows(assessment, users, client_as):
    answer = declared(assessment).get(indicator__code="1.1")
    assert answer.status == Answer.Status.PENDING
    client = client_as(users["admin"])
    response = client.post(url("answer_update", assessment, pk=answer.pk), {"value": "0", "explanation": "Chưa có"})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.status == Answer.Status.NOT_MET
    client.post(url("answer_update", assessment, pk=answer.pk), {"value": "1", "explanation": "QĐ 01", "ask_opinion": "on"})
    answer.refresh_from_db()
    assert answer.status == Answer.Status.PENDING  # the school asks the Academy for an opinion
    client.post(url("answer_update", assessment, pk=answer.pk), {"value": "1", "explanation": "QĐ 01"})
    answer.refresh_from_db()
    assessment.refresh_from_db()
    assert answer.status == Answer.Status.MET and assessment.met_count == 1


@pytest.mark.parametrize(("name", "content", "message"), [
    ("virus.exe", b"MZ....", "Chỉ nhận"),
    ("fake.pdf", b"not a pdf at all", "không khớp"),
    ("renamed.docx", b"just text, not a zip", "không phải là tệp Excel/Word"),
    ("empty.pdf", b"", "rỗng"),
])
def test_evidence_files_are_validated(assessment, users, client_as, name, content, message):
    answer = declared(assessment).get(indicator__code="1.2")
    response = client_as(users["staff"]).post(
        url("answer_update", assessment, pk=answer.pk),
        {"value": "1", "explanation": "Giữ nguyên", "evidence": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EvidenceFile.objects.exists()
    assert response.context["form"]["explanation"].value() == "Giữ nguyên"  # nothing lost


def test_evidence_file_too_large_is_refused(assessment, users, client_as, settings):
    settings.MAX_UPLOAD_MB = 1
    answer = declared(assessment).get(indicator__code="1.2")
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024))
    response = client_as(users["staff"]).post(url("answer_update", assessment, pk=answer.pk),
                                              {"value": "1", "evidence": big})
    assert "1 MB" in response.content.decode()
    assert not EvidenceFile.objects.exists()


def test_evidence_is_served_only_through_the_permission_checked_view(assessment, users, client_as):
    answer = declared(assessment).get(indicator__code="1.3")
    services.add_evidence(answer=answer, uploaded=SimpleUploadedFile("bien-ban.pdf", PDF), user=users["admin"])
    evidence = answer.files.get()
    link = url("evidence_download", assessment, pk=evidence.pk)
    assert statuses(users, link) == {"admin": 200, "staff": 200, "viewer": 200, "outsider": 404, "reviewer": 200,
                                     "anonymous": 302}
    response = client_as(users["viewer"]).get(link)
    assert b"".join(response.streaming_content) == PDF
    assert "bien-ban.pdf" in response["Content-Disposition"]
    assert "compliance/evidence/" in evidence.file.name and "bien-ban" not in evidence.file.name
    # Under another school's URL it does not exist.
    other = reverse("compliance:evidence_download", kwargs={"school_code": "SCHB", "pk": evidence.pk})
    assert client_as(users["outsider"]).get(other).status_code == 404


def test_evidence_delete_confirms_then_deletes_while_open(assessment, users, client_as):
    answer = declared(assessment).get(indicator__code="1.3")
    services.add_evidence(answer=answer, uploaded=SimpleUploadedFile("a.pdf", PDF), user=users["admin"])
    evidence = answer.files.get()
    delete = url("evidence_delete", assessment, pk=evidence.pk)
    assert statuses(users, delete)["viewer"] == 403
    confirm = client_as(users["staff"]).get(delete)
    assert confirm.status_code == 200 and "Bạn có chắc chắn muốn xóa “a.pdf”" in confirm.content.decode()
    assert EvidenceFile.objects.exists()  # GET only asks
    client_as(users["staff"]).post(delete)
    assert not EvidenceFile.objects.exists()


def test_full_review_workflow_with_history(assessment, users, client_as):
    school_client, reviewer, director = client_as(users["admin"]), client_as(users["reviewer"]), client_as(users["academy"])
    explain_all(assessment)
    school_client.post(url("assessment_submit", assessment, pk=assessment.pk))
    deadline = (TODAY + datetime.timedelta(days=14)).strftime("%d/%m/%Y")
    response = reviewer.post(url("review_request_evidence", assessment, pk=assessment.pk),
                             {"deadline": deadline, "note": "Bổ sung biên bản"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.stage == Stage.EVIDENCE_REQUESTED and assessment.evidence_deadline == TODAY + datetime.timedelta(days=14)
    # Back with the school: it may change answers again, then resubmits.
    answer = declared(assessment).get(indicator__code="1.1")
    assert school_client.post(url("answer_update", assessment, pk=answer.pk), {"value": "1", "explanation": "Đã bổ sung"}).status_code == 302
    school_client.post(url("assessment_submit", assessment, pk=assessment.pk))
    answer_comment = url("answer_comment", assessment, pk=answer.pk)
    reviewer.post(answer_comment, {"text": "Đề nghị gửi bản gốc", "opinion": ""})
    assert answer.comments.get().text == "Đề nghị gửi bản gốc"
    pending = assessment.answers.filter(status=Answer.Status.PENDING).first()
    reviewer.post(url("answer_comment", assessment, pk=pending.pk), {"text": "", "opinion": "met"})
    pending.refresh_from_db()
    assert pending.status == Answer.Status.MET and pending.reviewer_status == "met"
    reviewer.post(url("review_survey", assessment, pk=assessment.pk),
                  {"date": "01/09/2025", "leader": "PGS.TS Hoàng Phúc Lâm", "report": "Đạt 53/55"})
    reviewer.post(url("review_council", assessment, pk=assessment.pk),
                  {"date": "05/09/2025", "votes_for": "9", "votes_against": "1", "votes_abstain": "1"})
    assessment.refresh_from_db()
    assert assessment.stage == Stage.COUNCIL_APPROVED
    # Only an Academy administrator records the Director's decision.
    assert reviewer.get(url("review_recognise", assessment, pk=assessment.pk)).status_code == 403
    # The page shows what the assessment reached; a level it did not reach needs a written reason.
    page = director.get(url("review_recognise", assessment, pk=assessment.pk)).content.decode()
    assert "Mức đạt được" in page or "mức đạt được" in page
    assessment.refresh_from_db()
    decision = {"level": "1", "decision_number": "1234-QĐ/HVCTQG", "decision_date": "11/09/2025"}
    if assessment.level_reached != 1:
        response = director.post(url("review_recognise", assessment, pk=assessment.pk), decision)
        assert response.status_code == 200 and "phải ghi rõ lý do" in response.content.decode()
        decision["reason"] = "Hội đồng thẩm định xác nhận các chỉ tiêu còn lại tại biên bản khảo sát"
    response = director.post(url("review_recognise", assessment, pk=assessment.pk), decision)
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.stage, assessment.level_recognised, assessment.decision_number) == (
        Stage.RECOGNISED, 1, "1234-QĐ/HVCTQG")
    assert assessment.decision_date == datetime.date(2025, 9, 11)
    actions = list(assessment.events.values_list("action", "from_stage", "to_stage"))
    assert actions == [
        ("opened", "", "draft"), ("submitted", "draft", "submitted"),
        ("evidence_requested", "submitted", "evidence_requested"),
        ("submitted", "evidence_requested", "submitted"),
        ("commented", "submitted", "submitted"), ("commented", "submitted", "submitted"),
        ("surveyed", "submitted", "surveyed"), ("council_voted", "surveyed", "council_approved"),
        ("recognised", "council_approved", "recognised"),
    ]
    page = school_client.get(assessment.get_absolute_url()).content.decode()
    assert "1234-QĐ/HVCTQG" in page and "Đề nghị gửi bản gốc" in page


def test_council_not_in_favour_ends_without_recognition(assessment, users):
    submitted(assessment, users["admin"])
    services.record_survey(assessment=assessment, user=users["reviewer"], date=TODAY, leader="A", report="B")
    services.record_council(assessment=assessment, user=users["reviewer"], date=TODAY, votes_for=3, votes_against=3,
                            votes_abstain=1)
    assert assessment.stage == Stage.NOT_APPROVED
    with pytest.raises(ValidationError):
        services.recognise(assessment=assessment, user=users["academy"], level=1, decision_number="1",
                           decision_date=TODAY)


@pytest.mark.parametrize(("stage", "action"), [
    (Stage.DRAFT, "survey"), (Stage.DRAFT, "council"), (Stage.DRAFT, "recognise"), (Stage.DRAFT, "request_evidence"),
    (Stage.SUBMITTED, "council"), (Stage.SUBMITTED, "recognise"), (Stage.SUBMITTED, "submit"),
    (Stage.SURVEYED, "survey"), (Stage.SURVEYED, "recognise"), (Stage.SURVEYED, "submit"),
    (Stage.RECOGNISED, "request_evidence"), (Stage.RECOGNISED, "submit"), (Stage.NOT_APPROVED, "council"),
])
def test_transitions_not_in_the_table_are_refused(assessment, users, stage, action):
    Assessment.objects.filter(pk=assessment.pk).update(stage=stage, level_recognised=1, decision_date=TODAY)
    assessment.refresh_from_db()
    explain_all(assessment)
    calls = {
        "submit": lambda: services.submit(assessment=assessment, user=users["admin"]),
        "request_evidence": lambda: services.request_evidence(assessment=assessment, user=users["reviewer"],
                                                              deadline=TODAY, note="x"),
        "survey": lambda: services.record_survey(assessment=assessment, user=users["reviewer"], date=TODAY,
                                                 leader="A", report="B"),
        "council": lambda: services.record_council(assessment=assessment, user=users["reviewer"], date=TODAY,
                                                   votes_for=5, votes_against=0, votes_abstain=0),
        "recognise": lambda: services.recognise(assessment=assessment, user=users["academy"], level=1,
                                                decision_number="1", decision_date=TODAY),
    }
    with pytest.raises(ValidationError):
        calls[action]()
    assessment.refresh_from_db()
    assert assessment.stage == stage
    assert not assessment.events.exclude(action="opened").exists()


def test_school_cannot_change_answers_while_the_academy_holds_the_assessment(assessment, users, client_as):
    submitted(assessment, users["admin"])
    answer = declared(assessment).get(indicator__code="1.1")
    response = client_as(users["admin"]).post(url("answer_update", assessment, pk=answer.pk),
                                              {"value": "0", "explanation": "đổi"})
    assert response.status_code == 200 and "không thể" in response.content.decode()
    answer.refresh_from_db()
    assert answer.explanation == "Có minh chứng tại hồ sơ"


def test_recognition_cannot_exceed_the_target_level(assessment, users):
    submitted(assessment, users["admin"])
    services.record_survey(assessment=assessment, user=users["reviewer"], date=TODAY, leader="A", report="B")
    services.record_council(assessment=assessment, user=users["reviewer"], date=TODAY, votes_for=5, votes_against=0,
                            votes_abstain=0)
    with pytest.raises(ValidationError):
        services.recognise(assessment=assessment, user=users["academy"], level=2, decision_number="1",
                           decision_date=TODAY)


def test_review_pages_are_academy_only(assessment, users):
    submitted(assessment, users["admin"])
    expected = {"admin": 403, "staff": 403, "viewer": 403, "outsider": 404, "reviewer": 200, "anonymous": 302}
    for name in ("review_request_evidence", "review_survey"):
        assert statuses(users, url(name, assessment, pk=assessment.pk)) == expected
    answer = assessment.answers.first()
    assert statuses(users, url("answer_comment", assessment, pk=answer.pk)) == expected
    got = statuses(users, url("review_survey", assessment, pk=assessment.pk), method="post",
                   data={"date": "01/09/2025", "leader": "X", "report": "Y"}, roles=("admin", "viewer", "outsider"))
    assert got == {"admin": 403, "viewer": 403, "outsider": 404}
    assessment.refresh_from_db()
    assert assessment.stage == Stage.SUBMITTED


def test_open_assessment_form_refuses_a_duplicate_year(standard, users, client_as, school):
    client = client_as(users["staff"])
    create = reverse("compliance:assessment_create", kwargs={"school_code": school.code})
    assert client.post(create, {"year": "2025", "target_level": "1"}).status_code == 302
    response = client.post(create, {"year": "2025", "target_level": "2"})
    assert response.status_code == 200 and "đã có" in response.content.decode()
    assert Assessment.objects.count() == 1
    assessment = Assessment.objects.get()
    assert assessment.answers.count() == 55 and assessment.indicators_total == 40  # the issued ones count
    assert assessment.events.get().actor == users["staff"]


def reach(assessment, level):
    Assessment.objects.filter(pk=assessment.pk).update(level_reached=level)
    assessment.refresh_from_db()


@pytest.mark.parametrize(("reached", "level", "needs_reason"), [
    (1, 1, False),   # the level reached: recorded as is
    (None, 1, True),  # nothing reached (indicators not met or awaiting opinion)
    (1, 2, True),    # above what was reached (the target is 2)
    (2, 1, True),    # below what was reached
])
def test_recognition_of_a_level_not_reached_needs_a_written_reason(assessment, users, reached, level, needs_reason):
    Assessment.objects.filter(pk=assessment.pk).update(stage=Stage.COUNCIL_APPROVED, target_level=2)
    reach(assessment, reached)
    decide = {"assessment": assessment, "user": users["academy"], "level": level, "decision_number": "9-QĐ/HV",
              "decision_date": TODAY}
    if needs_reason:
        with pytest.raises(ValidationError, match="phải ghi rõ lý do"):
            services.recognise(**decide)
        assessment.refresh_from_db()
        assert assessment.stage == Stage.COUNCIL_APPROVED and assessment.level_recognised is None
        services.recognise(**decide, reason="Theo kết luận của Hội đồng thẩm định")
        assert assessment.events.get(action="recognised").note == "9-QĐ/HV — Theo kết luận của Hội đồng thẩm định"
    else:
        services.recognise(**decide)
        assert assessment.events.get(action="recognised").note == "9-QĐ/HV"
    assessment.refresh_from_db()
    assert assessment.stage == Stage.RECOGNISED and assessment.level_recognised == level


def test_recognition_form_offers_the_reached_level_first_and_shows_the_result(assessment, users, client_as):
    Assessment.objects.filter(pk=assessment.pk).update(stage=Stage.COUNCIL_APPROVED, target_level=2)
    reach(assessment, 1)
    response = client_as(users["academy"]).get(url("review_recognise", assessment, pk=assessment.pk))
    form = response.context["form"]
    assert form.initial["level"] == 1 and form.fields["level"].choices[0][0] == 1
    page = response.content.decode()
    assert 'data-testid="assessment-result"' in page and "Chuẩn mức 1" in page
    reach(assessment, None)
    response = client_as(users["academy"]).get(url("review_recognise", assessment, pk=assessment.pk))
    assert response.context["form"].initial["level"] is None  # level 2 was pre-selected whatever was reached
