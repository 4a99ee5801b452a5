"""Synthetic self-assessments against the standard-school regulation (compliance/models.py).

Most provincial schools of the synthetic set (the regulation is theirs, and the Academy's console
lists them) get a self-assessment in one of the last years, at any stage of the review: being
filled in, submitted, more evidence requested, surveyed, council for or against, recognised; some
were recognised at level 1 in an earlier year and now aim at level 2. Each assessment has one
answer per indicator of the standard, the reviewer's opinions and comments where the Academy has
reviewed it, and the ``AssessmentEvent`` history of every step, dated.

The values follow the app's own rules: computed indicators take the value the compliance metrics
give from the school's records (staff, training, research: the research part is made first),
statuses come from ``compliance.services.indicator_status`` (or the reviewer's opinion), and the
result fields from ``services.refresh_result``. The data tells one story: a school whose records
miss a known level value (e.g. the 75 % lecturers' share) is not put to the council. The review
stops at 30/06 of ``end_year`` like the research records.

Deterministic for a seed: every school has its own random stream (seed, "compliance", school code)
and every date and timestamp is derived from it. A school that already has an assessment is left
alone, so a re-run adds only what is missing.
"""

from __future__ import annotations

import datetime
import json
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from compliance import metrics, services
from compliance.models import Answer, Assessment, AssessmentEvent, Indicator, ReviewComment
from schools.models import School

Stage = Assessment.Stage
Status = Answer.Status
Action = AssessmentEvent.Action
DAY = datetime.timedelta(days=1)

NO_ASSESSMENT_SHARE = 0.12
# The stage the school's latest assessment is planned to reach (weights).
LATEST_STAGES = {Stage.DRAFT: 22, Stage.SUBMITTED: 14, Stage.EVIDENCE_REQUESTED: 12, Stage.SURVEYED: 12,
                 Stage.COUNCIL_APPROVED: 6, Stage.NOT_APPROVED: 6, Stage.RECOGNISED: 28}
REVIEWED = {Stage.EVIDENCE_REQUESTED, Stage.SURVEYED, Stage.COUNCIL_APPROVED, Stage.NOT_APPROVED, Stage.RECOGNISED}
SURVEYED = {Stage.SURVEYED, Stage.COUNCIL_APPROVED, Stage.NOT_APPROVED, Stage.RECOGNISED}
# What a planned stage becomes when the school's records miss a known level value.
BLOCKED = [Stage.EVIDENCE_REQUESTED, Stage.SURVEYED, Stage.NOT_APPROVED]

EXPLANATIONS = [
    "Minh chứng lưu tại hồ sơ tự đánh giá của trường.",
    "Có quyết định ban hành kèm theo, lưu tại phòng Tổ chức, hành chính.",
    "Số liệu theo báo cáo tổng kết năm học của trường.",
    "Đã được Ban Thường vụ Tỉnh ủy thông qua; văn bản lưu tại văn phòng.",
    "Kết quả kiểm tra của cơ quan chức năng, lưu tại hồ sơ.",
]
COMMENTS = [
    "Đề nghị bổ sung quyết định phê duyệt kèm theo.",
    "Minh chứng chưa thể hiện rõ năm đánh giá.",
    "Số liệu chưa khớp với báo cáo tổng kết năm của trường.",
    "Cần bổ sung biên bản họp hội đồng khoa học.",
    "Đã đối chiếu hồ sơ tại trường, đạt yêu cầu.",
]
SURVEY_LEADERS = ["PGS.TS Hoàng Phúc Lâm", "TS. Nguyễn Thị Thu Hà", "PGS.TS Trần Văn Phòng", "TS. Lê Quang Minh",
                  "PGS.TS Đỗ Thị Thạch"]


@dataclass
class Planned:
    year: int
    target: int
    stage: str


def _stamp(day: datetime.date, hour: int = 2) -> datetime.datetime:
    from bench.synthetic import utc_stamp

    return utc_stamp(day, hour)


def cutoff(end_year: int) -> datetime.date:
    return datetime.date(end_year, 6, 30)


def _rng(seed: int, school: School) -> random.Random:
    return random.Random(f"{seed}-compliance-{school.code}")


def plan(rng: random.Random, end_year: int) -> list[Planned]:
    """The assessments of one school, oldest first (empty: the school has not started one)."""
    if rng.random() < NO_ASSESSMENT_SHARE:
        return []
    first = end_year - 3
    stage = rng.choices(list(LATEST_STAGES), list(LATEST_STAGES.values()))[0]
    year = end_year - 1 if stage in SURVEYED and rng.random() < 0.6 else end_year
    if year > first and rng.random() < 0.4:  # recognised at level 1 before, now aiming at level 2
        return [Planned(rng.randint(first, year - 1), 1, Stage.RECOGNISED), Planned(year, 2, stage)]
    return [Planned(year, 1, stage)]


def schools_to_do(*, schools, seed: int, end_year: int) -> list[tuple[School, list[Planned]]]:
    """The provincial schools ``generate_compliance`` would still make assessments for, with their plan."""
    provincial = [s for s in sorted(schools, key=lambda s: s.code) if s.kind == School.Kind.PROVINCIAL]
    have = set(Assessment.objects.filter(school__in=[s.pk for s in provincial])
               .values_list("school_id", flat=True).distinct())
    todo = []
    for school in provincial:
        if school.pk in have:
            continue
        planned = plan(_rng(seed, school), end_year)
        if planned:
            todo.append((school, planned))
    return todo


def standard():
    """The active standard, loaded from the repository's 11-QĐ/TW file when there is none."""
    from compliance.management.commands.load_standard import DEFAULT_FILE

    current = services.current_standard()
    if current is None:
        services.load_standard(data=json.loads(DEFAULT_FILE.read_text(encoding="utf-8")))
        current = services.current_standard()
    return current


def computed_values(pairs, names) -> dict[tuple[int, int], dict[str, metrics.MetricResult]]:
    """The compliance metrics for each (school, year) of ``pairs``, as ``metrics.evaluate`` gives
    them, reading each source once per year for all the schools (not once per school)."""
    from courses.selectors import training_summaries
    from research.selectors import research_summaries
    from schools.structure import structure_checks

    wanted = [metrics.REGISTRY[name] for name in names if name in metrics.REGISTRY]
    by_year: dict[int, list] = {}
    for school, year in pairs:
        by_year.setdefault(year, []).append(school)
    result = {}
    for year, schools in sorted(by_year.items()):
        training = training_summaries(schools, year)
        research = research_summaries(schools, year)
        structure = {check.school.pk: metrics.structure_summary(check) for check in structure_checks(schools, year)}
        for school in schools:
            sources = {"training": training[school.pk], "research": research[school.pk],
                       "staff": metrics.staff_source(school, year), "structure": structure[school.pk]}
            result[school.pk, year] = {
                metric.name: metrics.MetricResult(metric.value(sources[metric.source]),
                                                  metrics.evidence_url(school, metric.name, year))
                for metric in wanted
            }
    return result


def _blocked(indicators, values: dict, level: int) -> bool:
    """Whether a computed indicator with a known level value is not met by the school's records."""
    return any(
        services.indicator_status(i, values[i.metric].value, level) == Status.NOT_MET
        for i in indicators if i.measurement == Indicator.Measurement.COMPUTED and i.metric in values
    )


class Maker:
    """One assessment: its timeline, answers, opinions, comments and history."""

    def __init__(self, rng, school, standard_, indicators, planned: Planned, values, last_day):
        self.rng, self.school, self.standard, self.indicators = rng, school, standard_, indicators
        self.year, self.target, self.stage = planned.year, planned.target, planned.stage
        self.values, self.last_day = values, last_day
        self.steps: list[tuple] = []  # (day, action, from stage, to stage, note)
        self.comments: list[tuple] = []  # (day, indicator code, text)

    # --- timeline --------------------------------------------------------------------------------
    def timeline(self) -> Assessment:
        rng = self.rng
        opened = datetime.date(self.year, rng.randint(1, 3), rng.randint(1, 28))
        fields: dict = {}
        day = opened
        stage = Stage.DRAFT
        self.steps.append((opened, Action.OPENED, "", Stage.DRAFT, ""))

        def step(days: tuple[int, int], action, target, note="") -> bool:
            nonlocal day, stage
            when = day + rng.randint(*days) * DAY
            if when > self.last_day:
                return False
            self.steps.append((when, action, stage, target, note))
            day, stage = when, target
            return True

        plan_ = self.stage
        rounds = 2 if plan_ in SURVEYED and rng.random() < 0.25 else 1  # a first round sent back for evidence
        done = plan_ == Stage.DRAFT
        for round_ in range(rounds):
            if done or not step((40, 100) if round_ == 0 else (20, 40), Action.SUBMITTED, Stage.SUBMITTED):
                done = True
                break
            fields.update(submitted_on=day, evidence_deadline=None)
            if plan_ == Stage.SUBMITTED:
                done = True
                break
            if plan_ == Stage.EVIDENCE_REQUESTED or round_ < rounds - 1:
                self.comment_between(day, 2)
                note = "Bổ sung minh chứng cho các chỉ tiêu còn thiếu."
                if not step((15, 40), Action.EVIDENCE_REQUESTED, Stage.EVIDENCE_REQUESTED, note):
                    done = True
                    break
                fields["evidence_deadline"] = day + 30 * DAY
                if plan_ == Stage.EVIDENCE_REQUESTED:
                    done = True
        if not done:
            self.comment_between(day, 1)
            leader = rng.choice(SURVEY_LEADERS)
            if step((20, 50), Action.SURVEYED, Stage.SURVEYED):
                fields.update(survey_date=day, survey_leader=leader)
                if plan_ != Stage.SURVEYED:
                    approve = plan_ != Stage.NOT_APPROVED
                    votes = (rng.randint(9, 13), rng.randint(0, 1), rng.randint(0, 1)) if approve else \
                        (rng.randint(2, 4), rng.randint(6, 9), rng.randint(0, 2))
                    target = Stage.COUNCIL_APPROVED if approve else Stage.NOT_APPROVED
                    if step((20, 40), Action.COUNCIL_VOTED, target, "/".join(map(str, votes))):
                        fields.update(council_date=day, votes_for=votes[0], votes_against=votes[1],
                                      votes_abstain=votes[2])
                        if plan_ == Stage.RECOGNISED:
                            number = f"{rng.randint(100, 999)}-QĐ/HVCTQG"
                            if step((10, 30), Action.RECOGNISED, Stage.RECOGNISED, number):
                                fields.update(level_recognised=self.target, decision_number=number,
                                              decision_date=day)
        self.stage = stage
        return Assessment(
            school=self.school, standard=self.standard, year=self.year, target_level=self.target, stage=stage,
            created_at=_stamp(opened), updated_at=_stamp(day, 3), **fields,
        )

    def comment_between(self, day: datetime.date, most: int) -> None:
        """Reviewer comments a few days after ``day`` (kept if they happen before the next step)."""
        for k in range(self.rng.randint(0, most)):
            self.comments.append((day + (3 + k) * DAY, None, self.rng.choice(COMMENTS)))

    # --- answers ---------------------------------------------------------------------------------
    def answers(self, assessment: Assessment) -> list[Answer]:
        rng, stage = self.rng, self.stage
        yes_no = [i for i in self.indicators if i.measurement == Indicator.Measurement.DECLARED
                  and i.comparison == Indicator.Comparison.YES_NO]
        weak: set[str] = set()  # declared indicators the school does not meet
        if stage == Stage.NOT_APPROVED:
            weak = {i.code for i in rng.sample(yes_no, rng.randint(1, 3))}
        elif stage not in (Stage.COUNCIL_APPROVED, Stage.RECOGNISED):
            weak = {i.code for i in rng.sample(yes_no, rng.choice([0, 0, 1, 1, 2, 3]))}
        reviewed = stage in REVIEWED
        answers = []
        for indicator in self.indicators:
            answer = Answer(assessment=assessment, indicator=indicator)
            if indicator.measurement == Indicator.Measurement.COMPUTED:
                result = self.values.get(indicator.metric)
                answer.value = result.value if result else None
                answer.evidence_url = result.evidence_url if result else ""
            elif stage == Stage.DRAFT and rng.random() < 0.2:
                pass  # not answered yet
            else:
                if indicator.comparison == Indicator.Comparison.YES_NO:
                    answer.value = Decimal(0 if indicator.code in weak else 1)
                elif indicator.unit == "%":
                    answer.value = Decimal(str(round(rng.uniform(80, 99), 2)))
                else:
                    answer.value = Decimal(rng.randint(0, 5))
                answer.explanation = rng.choice(EXPLANATIONS)
                answer.ask_opinion = indicator.provisional and stage in (Stage.DRAFT, Stage.SUBMITTED) \
                    and rng.random() < 0.05
            status = services.indicator_status(indicator, answer.value, self.target, answer.ask_opinion)
            if reviewed and status == Status.PENDING:
                answer.reviewer_status = self.opinion(indicator)
            answer.status = answer.reviewer_status or status
            answers.append(answer)
        return answers

    def opinion(self, indicator: Indicator) -> str:
        """The reviewer's opinion on an indicator awaiting one (unknown level value)."""
        rng, stage = self.rng, self.stage
        if stage == Stage.EVIDENCE_REQUESTED and rng.random() < 0.5:
            return ""  # not looked at yet
        if stage == Stage.SURVEYED and rng.random() < 0.03:
            return ""
        if stage in (Stage.EVIDENCE_REQUESTED, Stage.NOT_APPROVED) and rng.random() < 0.06:
            return Status.NOT_MET
        numeric = indicator.comparison != Indicator.Comparison.YES_NO
        return Status.EXCEEDED if numeric and rng.random() < 0.3 else Status.MET

    def survey_report(self, answers) -> str:
        met = sum(1 for a in answers if a.status in (Status.MET, Status.EXCEEDED))
        return f"Đoàn khảo sát làm việc tại trường; trường đạt {met}/{len(answers)} chỉ tiêu."


def generate_compliance(*, schools, seed: int, end_year: int) -> int:
    """Self-assessments for the provincial schools among ``schools`` that have none yet; returns
    the number of answers made (one per indicator of each assessment)."""
    todo = schools_to_do(schools=schools, seed=seed, end_year=end_year)
    if not todo:
        return 0
    with transaction.atomic():
        return _generate(todo, seed=seed, end_year=end_year)


def _generate(todo, *, seed: int, end_year: int) -> int:
    from bench.synthetic import stamped_as_given

    standard_ = standard()
    indicators = list(Indicator.objects.filter(criterion__standard=standard_).select_related("criterion")
                      .order_by("criterion__number", "order", "code"))
    names = [i.metric for i in indicators if i.metric]
    values = computed_values([(school, p.year) for school, planned in todo for p in planned], names)
    last_day = cutoff(end_year)
    makers: list[tuple[Maker, Assessment]] = []
    for school, planned in todo:
        rng = _rng(seed, school)
        plan(rng, end_year)  # the same draws as schools_to_do, so what follows continues the stream
        blocked = {p.year: _blocked(indicators, values[school.pk, p.year], p.target) for p in planned}
        if len(planned) == 2 and blocked[planned[0].year]:
            planned = [Planned(planned[1].year, 1, planned[1].stage)]  # never recognised: level 1 again
            blocked[planned[0].year] = _blocked(indicators, values[school.pk, planned[0].year], 1)
        for p in planned:
            if blocked[p.year] and p.stage in (Stage.COUNCIL_APPROVED, Stage.RECOGNISED):
                p.stage = rng.choice(BLOCKED)
            maker = Maker(rng, school, standard_, indicators, p, values[school.pk, p.year], last_day)
            makers.append((maker, maker.timeline()))
    answers, events, comments = [], [], []
    for maker, assessment in makers:
        mine = maker.answers(assessment)
        answers.extend(mine)
        if assessment.survey_date:
            assessment.survey_report = maker.survey_report(mine)
        events.extend(_events(maker, assessment))
        comments.extend(_comments(maker, assessment, mine))
    with stamped_as_given(Assessment, AssessmentEvent, ReviewComment):
        Assessment.objects.bulk_create([assessment for _maker, assessment in makers])
        Answer.objects.bulk_create(answers, batch_size=2000)
        AssessmentEvent.objects.bulk_create(events + [event for _comment, event in comments], batch_size=2000)
        ReviewComment.objects.bulk_create([comment for comment, _event in comments], batch_size=2000)
        for _maker, assessment in makers:
            services.refresh_result(assessment)  # the result fields, by the app's own rule
    return len(answers)


def _events(maker: Maker, assessment: Assessment) -> list[AssessmentEvent]:
    return [
        AssessmentEvent(assessment=assessment, action=action, from_stage=from_stage, to_stage=to_stage,
                        note=assessment.survey_report if action == Action.SURVEYED else note, created_at=_stamp(day))
        for day, action, from_stage, to_stage, note in maker.steps
    ]


def _comments(maker: Maker, assessment: Assessment, answers) -> list[tuple[ReviewComment, AssessmentEvent]]:
    """The reviewer's comments, each on an answer worth a remark, with its history entry. A comment
    is kept only if the assessment was with the reviewer that day (not after the next step, nor
    after the cut-off)."""
    result = []
    concerned = [a for a in answers if a.status in (Status.NOT_MET, Status.PENDING)] or answers
    step_days = {step[0] for step in maker.steps}
    for day, _code, text in maker.comments:
        if day > maker.last_day or day in step_days:
            continue
        stage = [s[3] for s in maker.steps if s[0] < day][-1]  # the stage that day
        if stage not in services.REVIEW_STAGES:
            continue
        answer = maker.rng.choice(concerned)
        comment = ReviewComment(answer=answer, author=None, text=text, created_at=_stamp(day, 4))
        event = AssessmentEvent(assessment=assessment, action=Action.COMMENTED, from_stage=stage, to_stage=stage,
                                note=f"{answer.indicator.code}: {text}", created_at=_stamp(day, 4))
        result.append((comment, event))
    return result


def delete_compliance(schools) -> int:
    """Remove every self-assessment of ``schools`` (``--replace``), evidence files included."""
    from bench.synthetic import raw_delete
    from compliance.models import EvidenceFile

    assessments = Assessment.objects.filter(school__in=[s.pk for s in schools])
    files = EvidenceFile.objects.filter(answer__assessment__in=assessments)
    for evidence in files.exclude(file=""):
        evidence.file.delete(save=False)
    return raw_delete(
        files,
        ReviewComment.objects.filter(answer__assessment__in=assessments),
        AssessmentEvent.objects.filter(assessment__in=assessments),
        Answer.objects.filter(assessment__in=assessments),
        assessments,
    )
