"""generate_synthetic at a tiny size: counts, valid and consistent rows, determinism for a seed."""

import pytest
from django.core.management import call_command

from core.vietnamese import fold, sort_key
from courses import school_learners
from courses.models import Enrollment, Learner, Mark, PlanLine, TrainingClass
from courses.services import classify, compute_average
from courses.validators import cccd_province_codes, validate_cccd
from schools.models import School, Staff

pytestmark = pytest.mark.django_db


def generate(seed=3, replace=False):
    call_command("generate_synthetic", years=2, enrollments_per_year=150, seed=seed, end_year=2025,
                 replace=replace, stdout=open("/dev/null", "w"))  # noqa: SIM115


def snapshot():
    learners = list(Learner.objects.order_by("pk").values_list(
        "cccd", "full_name", "date_of_birth", "sex", "ethnic_group__name", "workplace"))
    enrollments = list(Enrollment.objects.order_by("pk").values_list(
        "training_class__school__code", "training_class__code", "learner__cccd", "status", "average",
        "classification", "diploma_number"))
    marks = list(Mark.objects.order_by("pk").values_list("enrollment__learner__cccd", "module__name", "value"))
    return learners, enrollments, marks


def test_counts_and_realistic_rows():
    generate()
    assert Enrollment.objects.count() == 300
    assert School.objects.filter(kind=School.Kind.PROVINCIAL, active=True).count() == 34
    assert School.objects.filter(kind=School.Kind.MINISTRY).count() >= 5
    assert Staff.objects.filter(is_lecturer=True).exists()
    assert TrainingClass.objects.count() >= 2
    assert PlanLine.objects.exists()
    learners = list(Learner.objects.all())
    assert 150 < len(learners) < 300  # some people come back in the second year
    assert Learner.objects.filter(enrollments__training_class__opening_date__year=2024).filter(
        enrollments__training_class__opening_date__year=2025).exists()
    codes = cccd_province_codes()
    for learner in learners:
        assert validate_cccd(learner.cccd, date_of_birth=learner.date_of_birth, sex=learner.sex,
                             province_codes=codes) == learner.cccd
        assert learner.search_name == fold(learner.full_name)
        assert learner.name_sort_key == sort_key(learner.full_name)
    assert any(ch in "ăâđêôơưàáạảãễệ" for learner in learners for ch in learner.full_name.lower())
    assert school_learners.is_in_step()  # the learner lists' index was rebuilt after the COPY


def test_emulation_results_for_every_teaching_school_and_year():
    from emulation.models import ClusterYear, Scorecard
    from emulation.selectors import emulation_results

    generate()
    teaching = School.objects.filter(active=True).exclude(kind=School.Kind.ACADEMY)
    assert Scorecard.objects.count() == 2 * teaching.count()
    assert not ClusterYear.objects.exclude(status=ClusterYear.Status.FINAL).exists()
    results = emulation_results(list(teaching), 2025)
    ranked = [r for r in results.values() if r["rank"]]
    assert len(ranked) == teaching.count()
    assert all(r["final_score"] is not None for r in ranked)


def test_marks_average_and_classification_follow_the_grading_rule():
    generate()
    checked = 0
    for enrollment in Enrollment.objects.select_related("training_class__programme"):
        programme = enrollment.training_class.programme
        marks = dict(enrollment.marks.values_list("module_id", "value"))
        average = compute_average(programme, list(programme.modules.all()), marks, enrollment.thesis_mark,
                                  enrollment.exam_mark)
        assert enrollment.average == average
        assert enrollment.classification == classify(average, programme.bands.all())
        if enrollment.status == Enrollment.Status.GRADUATED:
            assert enrollment.classification and enrollment.diploma_number
        checked += average is not None
    assert checked > 100


def parts_snapshot():
    """The research, compliance and emulation rows by natural keys (ids differ between runs)."""
    from compliance.models import Answer, Assessment, AssessmentEvent, ReviewComment
    from emulation.models import Score
    from research.models import (
        Article,
        Event,
        FieldTrip,
        FieldTripParticipant,
        Publication,
        Topic,
        TopicTransition,
    )

    topics = list(Topic.objects.order_by("school__code", "code").values_list(
        "school__code", "code", "title", "field", "level", "leader__full_name", "start_on", "end_on", "budget",
        "status", "approval_decision", "approved_on", "extended_until", "accepted_on", "score", "grade",
        "cancelled_on", "cancel_reason", "outside_members", "created_at", "updated_at"))
    members = sorted(Topic.members.through.objects.values_list("topic__school__code", "topic__code",
                                                                "staff__full_name"))
    transitions = list(TopicTransition.objects.order_by("topic__school__code", "topic__code", "created_at").values_list(
        "topic__code", "action", "from_status", "to_status", "decision_number", "decision_date", "new_end_on",
        "note", "created_at"))
    events = sorted(Event.objects.values_list("school__code", "held_on", "title", "kind", "level", "venue",
                                              "other_organisers", "papers", "proceedings_published", "created_at"))
    links = sorted([*Event.co_schools.through.objects.values_list("event__school__code", "event__held_on",
                                                                   "event__title", "school__code"),
                    *Event.topics.through.objects.values_list("event__school__code", "event__held_on",
                                                              "event__title", "topic__code")])
    publications = sorted(Publication.objects.values_list(
        "school__code", "published_on", "kind", "title", "series", "issue_number", "publisher", "prize",
        "contest_year", "ideological_column", "created_at"))
    articles = sorted(Article.objects.values_list("issue__school__code", "issue__issue_number", "title", "pages",
                                                  "outside_authors", "ideological_column"))
    authors = sorted([*Publication.authors.through.objects.values_list("publication__title", "staff__full_name"),
                      *Article.authors.through.objects.values_list("article__title", "staff__full_name")])
    trips = sorted(FieldTrip.objects.values_list("school__code", "start_on", "end_on", "days", "title", "place",
                                                 "decision_number"))
    participants = sorted(FieldTripParticipant.objects.values_list("trip__school__code", "trip__start_on",
                                                                   "staff__full_name"))
    assessments = list(Assessment.objects.order_by("school__code", "year").values_list(
        "school__code", "year", "target_level", "stage", "met_count", "exceeded_count", "not_met_count",
        "pending_count", "level_reached", "submitted_on", "evidence_deadline", "survey_date", "survey_leader",
        "survey_report", "council_date", "votes_for", "votes_against", "votes_abstain", "level_recognised",
        "decision_number", "decision_date", "created_at", "updated_at"))
    answers = sorted(Answer.objects.values_list("assessment__school__code", "assessment__year", "indicator__code",
                                                "value", "evidence_url", "explanation", "ask_opinion",
                                                "reviewer_status", "status"))
    history = sorted(AssessmentEvent.objects.values_list("assessment__school__code", "assessment__year",
                                                         "created_at", "action", "from_stage", "to_stage", "note"))
    comments = sorted(ReviewComment.objects.values_list("answer__assessment__school__code",
                                                        "answer__indicator__code", "text", "created_at"))
    scores = sorted(Score.objects.values_list("scorecard__cluster_year__cluster__code",
                                              "scorecard__cluster_year__year", "scorecard__school__code",
                                              "criterion__code", "self_points", "final_points",
                                              "scorecard__rank"))
    return (topics, members, transitions, events, links, publications, articles, authors, trips, participants,
            assessments, answers, history, comments, scores)


def test_same_seed_same_data_other_seed_other_data():
    generate(seed=3)
    first, first_parts = snapshot(), parts_snapshot()
    assert all(first_parts)  # every table of every part has rows
    generate(seed=3)  # a re-run without --replace adds nothing: every part is there already
    assert snapshot() == first
    assert parts_snapshot() == first_parts
    generate(seed=3, replace=True)
    assert snapshot() == first
    assert parts_snapshot() == first_parts
    generate(seed=4, replace=True)
    assert snapshot()[0] != first[0]
    other = parts_snapshot()
    assert other[0] != first_parts[0] and other[10] != first_parts[10]


def test_foreign_keys_are_back_after_the_load():
    from django.db import connection

    def foreign_keys():
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute("SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) "
                           "ORDER BY conname", [["courses_mark", "courses_enrollment", "courses_learner"]])
            return [row[0] for row in cursor.fetchall()]

    before = foreign_keys()
    generate()
    assert foreign_keys() == before
    if before is not None:
        # mark → enrollment, module; enrollment → class, learner; learner → ethnic group, recording school
        assert len(before) == 6


def test_research_records_of_every_kind_keep_the_model_rules():
    from research.models import Article, Event, FieldTrip, Publication, Topic, TopicTransition
    from research.services import TRANSITIONS

    generate()
    teaching = School.objects.filter(active=True).exclude(kind=School.Kind.ACADEMY)
    topics = list(Topic.objects.select_related("school", "leader").prefetch_related("transitions", "members"))
    assert len(topics) > 5 * teaching.count()  # ~10 a school and year, the last year stops at 30/06
    assert {t.status for t in topics} == set(Topic.Status.values)
    assert {t.level for t in topics} >= {"school", "faculty", "provincial", "ministry"}
    assert any(ch in "ăâđêôơưàáạảãễệ" for topic in topics for ch in topic.title.lower())
    for topic in topics:
        topic.full_clean()
        assert topic.leader.school_id == topic.school_id
        assert all(member.school_id == topic.school_id and member != topic.leader for member in topic.members.all())
        steps = list(topic.transitions.all())
        assert steps[0].action == "register" and steps[0].from_status == ""
        for before, after in zip(steps, steps[1:], strict=False):
            assert after.from_status == before.to_status and after.created_at > before.created_at
            if after.action != "register":
                sources, target = TRANSITIONS[after.action]
                assert after.from_status in sources and after.to_status == (target or after.from_status)
        assert steps[-1].to_status == topic.status
        for step in steps:
            step.full_clean(exclude=["created_by"])
    assert TopicTransition.objects.filter(action="extend", new_end_on__isnull=False).exists()
    events = list(Event.objects.prefetch_related("co_schools", "topics"))
    assert {e.kind for e in events} == set(Event.Kind.values) and {e.level for e in events} == set(Event.Level.values)
    assert any(e.co_schools.all() for e in events) and any(e.topics.all() for e in events)
    for event in events:
        event.full_clean()
        assert all(t.school_id == event.school_id for t in event.topics.all())
        assert event.school not in event.co_schools.all()
    publications = list(Publication.objects.all())
    assert {p.kind for p in publications} == set(Publication.Kind.values)
    for publication in publications:
        publication.full_clean()
    assert Article.objects.filter(issue__kind="bulletin").count() == Article.objects.count() > 0
    for article in Article.objects.all():
        article.full_clean()
    trips = list(FieldTrip.objects.prefetch_related("participations__staff"))
    assert trips
    for trip in trips:
        trip.full_clean()
        assert trip.days == (trip.end_on - trip.start_on).days + 1
        assert trip.participations.all() and all(p.staff.school_id == trip.school_id for p in trip.participations.all())


def test_self_assessments_follow_the_compliance_rules():
    from compliance import metrics
    from compliance.models import Answer, Assessment, AssessmentEvent, Indicator
    from compliance.services import TRANSITIONS, indicator_status

    generate()
    provincial = School.objects.filter(active=True, kind=School.Kind.PROVINCIAL)
    assessments = list(Assessment.objects.select_related("school").prefetch_related("answers__indicator", "events"))
    assert {a.school.kind for a in assessments} == {School.Kind.PROVINCIAL}
    assert len({a.school_id for a in assessments}) > provincial.count() // 2  # most schools
    assert len({a.stage for a in assessments}) >= 4
    indicators = Indicator.objects.count()
    assert indicators == 55
    steps = {"submitted": "submit", "evidence_requested": "request_evidence", "surveyed": "survey",
             "council_voted": "council", "recognised": "recognise"}
    for assessment in assessments:
        assessment.full_clean()
        answers = list(assessment.answers.all())
        assert len(answers) == indicators
        issued = [a for a in answers if not a.indicator.provisional]  # only issued indicators count
        for answer in answers:
            answer.full_clean()
        for answer in issued:
            rule = indicator_status(answer.indicator, answer.value, assessment.target_level, answer.ask_opinion)
            assert answer.status == (answer.reviewer_status or rule)
        met = sum(a.status in ("met", "exceeded") for a in issued)
        assert (assessment.met_count, assessment.not_met_count, assessment.indicators_total) == (
            met, sum(a.status == "not_met" for a in issued), len(issued))
        assert assessment.indicators_in_standard == indicators
        assert assessment.level_reached == (assessment.target_level if issued and met == len(issued) else None)
        if assessment.stage in ("council_approved", "recognised") and issued:
            assert met == len(issued)
        history = list(assessment.events.all())
        assert history[0].action == "opened"
        moves = [e for e in history if e.action != "commented"]
        for before, after in zip(moves, moves[1:], strict=False):
            sources, targets = TRANSITIONS[steps[after.action]]
            assert after.from_stage == before.to_stage and after.from_stage in sources and after.to_stage in targets
        assert moves[-1].to_stage == assessment.stage
        for event in history:
            event.full_clean(exclude=["actor"])
            if event.action == "commented":
                assert event.from_stage in ("submitted", "surveyed")
    assert AssessmentEvent.objects.filter(action="commented").exists()
    sample = next(a for a in assessments if a.stage != "draft")
    computed = metrics.evaluate(sample.school, sample.year)
    for answer in sample.answers.filter(indicator__measurement="computed").select_related("indicator"):
        assert (answer.value, answer.evidence_url) == (computed[answer.indicator.metric].value,
                                                       computed[answer.indicator.metric].evidence_url)
    assert Answer.objects.filter(status="pending").exists() and Answer.objects.filter(reviewer_status="met").exists()


def test_summary_console_and_school_pages_work_on_the_synthetic_data(client):
    from django.urls import reverse

    from accounts.models import Role, User
    from compliance.models import Assessment
    from research.models import Topic
    from research.selectors import research_summaries

    generate()
    teaching = list(School.objects.filter(active=True).exclude(kind=School.Kind.ACADEMY).order_by("code"))
    summaries = research_summaries(teaching, 2024)
    assert sum(s["topics_total"] for s in summaries.values()) > 0
    assert sum(s["accepted_total"] for s in summaries.values()) > 0
    assert sum(s["events_total"] + s["publications_total"] + s["articles"] + s["field_trips"]
               for s in summaries.values()) > 0
    user = User.objects.create_user(username="academy_syn", password="pw-for-tests-123", role=Role.ACADEMY_ADMIN,
                                    school=School.objects.get(code="HVCTQG"))
    client.force_login(user)
    response = client.get(reverse("compliance:console"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == School.objects.filter(active=True, kind=School.Kind.PROVINCIAL).count()
    assert sum(1 for row in rows if row["status"]["assessment_id"]) > len(rows) // 2
    assert client.get(reverse("compliance:console"), {"indicator": "2.1"}).status_code == 200
    assessment = Assessment.objects.exclude(stage="draft").select_related("school").first()
    school = assessment.school
    for name, kwargs, params in (
        ("research:summary", {}, {"year": 2024}),
        ("research:topic_list", {}, {}),
        ("research:event_list", {}, {}),
        ("research:publication_list", {}, {}),
        ("research:fieldtrip_list", {}, {}),
        ("compliance:gap", {}, {"year": assessment.year}),
        ("compliance:assessment_list", {}, {}),
        ("compliance:assessment_detail", {"pk": assessment.pk}, {}),
        ("research:topic_detail", {"pk": Topic.objects.filter(school=school).order_by("pk").last().pk}, {}),
    ):
        response = client.get(reverse(name, kwargs={"school_code": school.code, **kwargs}), params)
        assert response.status_code == 200, name


def test_a_rerun_adds_only_what_is_missing_and_replace_keeps_other_clusters():
    from bench import compliance_data, parts, research_data
    from bench.synthetic import synthetic_schools
    from compliance.models import Assessment
    from emulation.models import Cluster
    from research.models import Topic

    generate()
    full = parts_snapshot()
    assert parts.missing(schools=synthetic_schools(), seed=3, first_year=2024, end_year=2025) == {
        "emulation": False, "research": False, "compliance": False}
    nghean = School.objects.get(code="NGHEAN")
    hanoi = School.objects.get(code="HANOI")
    research_data.delete_research([nghean])
    compliance_data.delete_compliance([hanoi])
    assert not Topic.objects.filter(school=nghean).exists()
    generate()  # makes NGHEAN's research and HANOI's assessments again, exactly as before
    assert parts_snapshot() == full
    Cluster.objects.create(code="TDMN", name="Cụm Trung du miền núi phía Bắc")
    generate(replace=True)
    assert Cluster.objects.filter(code="TDMN").exists()
    assert parts_snapshot() == full
    assert Assessment.objects.filter(school=hanoi).count() == sum(1 for row in full[10] if row[0] == "HANOI")


def test_replace_on_an_empty_database_generates():
    """`make bench` on a new database calls the command with --replace before anything exists."""
    generate(replace=True)
    assert Enrollment.objects.count() == 300
