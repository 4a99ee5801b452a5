"""Demo data: the 11-QĐ/TW standard and assessments at every stage for several schools.

The picture follows the results reported in the press (Lào Cai and Nghệ An first at level 1,
Thái Nguyên 47/55 at the end of 2023, Cao Bằng, Lê Hồng Phong, Quảng Trị and Cần Thơ recognised
in 2025, Phú Thọ 54/55 with 12 exceeding before its council). Decision numbers are invented and
marked "DEMO". Indicators whose threshold is still unknown get the reviewer's opinion, as the
Academy gives it on "awaiting opinion" indicators; an indicator computed from the school's records
is never overridden, so a school whose demo staff fail the 75 % lecturers' share stops after the
survey. Running it again changes nothing.
"""

import datetime
import json

from django.utils import timezone

from accounts.models import User
from compliance import services
from compliance.management.commands.load_standard import DEFAULT_FILE
from compliance.models import Answer, Assessment, Indicator
from schools.models import School

Stage = Assessment.Stage
Status = Answer.Status
EXPLANATION = "Minh chứng lưu tại hồ sơ tự đánh giá của trường (dữ liệu mẫu)."

# code, year, final stage, exceeded, indicators not met, left awaiting opinion, survey, council, decision date
PLAN = [
    ("LAOCAI", 2022, Stage.RECOGNISED, 6, [], 0, (2022, 9, 20), (2022, 10, 12), (2022, 11, 1)),
    ("NGHEAN", 2022, Stage.RECOGNISED, 8, [], 0, (2022, 10, 5), (2022, 11, 2), (2022, 11, 25)),
    ("THAINGUYEN", 2023, Stage.EVIDENCE_REQUESTED, 4,
     ["2.4", "2.7", "4.1", "6.1", "6.3", "3.6", "1.6", "5.4"], 0, None, None, None),
    ("HANOI", 2025, Stage.RECOGNISED, 11, [], 0, (2025, 3, 10), (2025, 4, 8), (2025, 5, 6)),
    ("CAOBANG", 2025, Stage.RECOGNISED, 8, [], 0, (2025, 8, 5), (2025, 8, 27), (2025, 9, 11)),
    ("QUANGTRI", 2025, Stage.RECOGNISED, 13, [], 0, (2025, 10, 20), (2025, 11, 18), (2025, 12, 5)),
    ("CANTHO", 2025, Stage.RECOGNISED, 14, [], 0, (2025, 11, 10), (2025, 12, 9), (2025, 12, 25)),
    ("PHUTHO", 2026, Stage.SURVEYED, 12, [], 1, (2026, 3, 2), None, None),
    ("HATINH", 2026, Stage.SUBMITTED, 0, [], 0, None, None, None),
    ("THANHHOA", 2026, Stage.DRAFT, 0, ["6.1"], 0, None, None, None),
    ("HUE", 2026, Stage.EVIDENCE_REQUESTED, 0, ["4.1", "2.7"], 0, None, None, None),
    ("DANANG", 2026, Stage.NOT_APPROVED, 3, ["4.1", "4.2", "6.1"], 0, (2026, 6, 3), (2026, 7, 1), None),
    ("NGHEAN", 2026, Stage.DRAFT, 0, [], 0, None, None, None),
]


def _date(parts):
    return datetime.date(*parts) if parts else None


def _declare(assessment, not_met: list[str]) -> None:
    """The school's own answers: yes for the yes/no indicators it meets, no for the others."""
    for answer in assessment.answers.select_related("indicator").filter(
        indicator__measurement=Indicator.Measurement.DECLARED, indicator__provisional=False
    ):
        yes_no = answer.indicator.comparison == Indicator.Comparison.YES_NO
        value = (0 if answer.indicator.code in not_met else 1) if yes_no else None
        services.save_answer(answer=answer, value=value, explanation=EXPLANATION, ask_opinion=False)


def _give_opinions(assessment, exceeded: int, not_met: list[str], pending: int) -> None:
    """The reviewer settles the indicators awaiting opinion (unknown thresholds), as at a survey."""
    answers = list(assessment.answers.select_related("indicator").order_by("indicator__criterion__number", "indicator__order"))
    open_ones = [a for a in answers if a.status == Status.PENDING]
    keep_pending = {a.pk for a in open_ones[:pending]}
    extra_exceeded = max(0, exceeded - sum(1 for a in answers if a.status == Status.EXCEEDED))
    for answer in answers:
        if answer.indicator.code in not_met:
            answer.reviewer_status = Status.NOT_MET
        elif answer.status == Status.PENDING and answer.pk not in keep_pending:
            numeric = answer.indicator.comparison != Indicator.Comparison.YES_NO
            answer.reviewer_status = Status.EXCEEDED if numeric and extra_exceeded > 0 else Status.MET
            extra_exceeded -= answer.reviewer_status == Status.EXCEEDED
        else:
            continue
        answer.status = answer.reviewer_status
    Answer.objects.bulk_update(answers, ["reviewer_status", "status"])
    services.refresh_result(assessment)


def _review(assessment, row, reviewer, director) -> None:
    _code, _year, stage, exceeded, not_met, pending, survey, council, decision = row
    services.submit(assessment=assessment, user=assessment_user(assessment))
    if stage == Stage.SUBMITTED:
        return
    if stage == Stage.EVIDENCE_REQUESTED:
        _give_opinions(assessment, exceeded, not_met, pending)
        services.request_evidence(
            assessment=assessment, user=reviewer, deadline=timezone.localdate() + datetime.timedelta(days=30),
            note="Bổ sung minh chứng cho các chỉ tiêu chưa đạt (dữ liệu mẫu).",
        )
        return
    _give_opinions(assessment, exceeded, not_met, pending)
    report = (f"DEMO — dữ liệu mẫu. Trên {assessment.indicators_total}/{assessment.indicators_in_standard} chỉ tiêu "
              f"đã ban hành: đạt {assessment.met_count}, chưa đạt {assessment.not_met_count}.")
    services.record_survey(assessment=assessment, user=reviewer, date=_date(survey), leader="PGS.TS Hoàng Phúc Lâm",
                           report=report)
    if stage == Stage.SURVEYED or (stage == Stage.RECOGNISED and assessment.not_met_count):
        # A school whose own records fail an indicator (e.g. its lecturers' share) is not put to the
        # council in the demo, whatever the plan says: the data must tell one story.
        return
    votes = (3, 6, 1) if stage == Stage.NOT_APPROVED else (11, 0, 0)
    services.record_council(assessment=assessment, user=director, date=_date(council), votes_for=votes[0],
                            votes_against=votes[1], votes_abstain=votes[2])
    if stage == Stage.RECOGNISED:
        # The demo's recognitions are recorded decisions; with no 11-QĐ/TW indicator issued in the
        # app yet, no level is "reached" from the answers, so the decision states its basis.
        services.recognise(assessment=assessment, user=director, level=assessment.target_level,
                           decision_number=f"DEMO-{assessment.school.code}/QĐ-HVCTQG", decision_date=_date(decision),
                           reason="DEMO: theo kết luận của Hội đồng thẩm định (bộ chỉ tiêu chưa ban hành đủ trong phần mềm)")


def assessment_user(assessment):
    return User.objects.filter(school=assessment.school, role="school_admin").first()


def seed() -> None:
    data = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    standard, _counts = services.load_standard(data=data)
    reviewer = User.objects.filter(username="reviewer").first()
    director = User.objects.filter(username="academy").first()
    schools = {s.code: s for s in School.objects.filter(code__in={row[0] for row in PLAN})}
    for row in PLAN:
        code, year, stage, *_rest = row
        school = schools.get(code)
        if school is None or Assessment.objects.for_school(school).filter(standard=standard, year=year).exists():
            continue
        recognised_before = Assessment.objects.for_school(school).filter(stage=Stage.RECOGNISED).exists()
        target = 2 if recognised_before else 1
        assessment = services.open_assessment(school=school, year=year, target_level=target, user=None,
                                              standard=standard)
        _declare(assessment, row[4])
        if stage != Stage.DRAFT:
            _review(assessment, row, reviewer, director)
