"""Research metrics come from research.selectors.research_summary; checked on a hand-counted set."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from compliance import metrics
from compliance.services import refresh_computed
from research import services as research
from research.models import Event, FieldTrip, FieldTripParticipant, Publication, Topic
from schools.models import Staff

pytestmark = pytest.mark.django_db
D = datetime.date
RESEARCH = ["research.provincial_topics_accepted", "research.school_topics_accepted", "research.provincial_events",
            "research.bulletins_and_monographs", "research.field_trip_days_per_lecturer"]


FEB_2025 = D(2025, 2, 1)


def make_topic(school, leader, user, code, level, *, accepted_on=None, start=FEB_2025):
    topic = research.topic_register(
        topic=Topic(school=school, leader=leader, code=code, title=f"Đề tài {code}", level=level, start_on=start,
                    end_on=start.replace(month=11, day=30)), user=user)
    topic = research.topic_approve(topic=topic, user=user, decision_number="1-QĐ/TCT", decision_date=start)
    topic = research.topic_start(topic=topic, user=user)
    if accepted_on:
        topic = research.topic_accept(topic=topic, user=user, council_date=accepted_on, score=Decimal("85"),
                                      grade=Topic.Grade.GOOD)
    return topic


@pytest.fixture
def research_set(school, other_school, unit, users, other_lecturer):
    """2025: provincial topics accepted 1, school-level 2; provincial-or-above events 2; bulletins and
    monographs 3; lecturer field-trip days 8 over 4 active lecturers = 2.0. Decoys: 2024 records, a
    cluster and a school-wide event, a journal article, a clerk on a trip and the other school's records."""
    lecturers = [Staff.objects.create(school=school, full_name=f"Giảng viên {i}", unit=unit, is_lecturer=True)
                 for i in range(4)]
    clerk = Staff.objects.create(school=school, full_name="Văn thư", unit=unit)
    user = users["staff"]
    make_topic(school, lecturers[0], user, "P1", "provincial", accepted_on=D(2025, 10, 1))
    make_topic(school, lecturers[0], user, "P0", "provincial", accepted_on=D(2024, 10, 1), start=D(2024, 2, 1))
    make_topic(school, lecturers[1], user, "S1", "school", accepted_on=D(2025, 11, 5))
    make_topic(school, lecturers[2], user, "S2", "school", accepted_on=D(2025, 12, 1))
    make_topic(school, lecturers[3], user, "S3", "school")
    make_topic(other_school, other_lecturer, users["outsider"], "X1", "provincial", accepted_on=D(2025, 10, 1))
    for title, level, day in (("Hội thảo tỉnh", "provincial", D(2025, 5, 1)), ("Tọa đàm Bộ", "ministry", D(2025, 6, 1)),
                              ("Cụm", "cluster", D(2025, 7, 1)), ("Trường", "school", D(2025, 8, 1)),
                              ("Năm trước", "provincial", D(2024, 5, 1))):
        Event.objects.create(school=school, title=title, level=level, held_on=day)
    Event.objects.create(school=other_school, title="Khác", level="provincial", held_on=D(2025, 5, 1))
    for kind, day in (("bulletin", D(2025, 3, 1)), ("bulletin", D(2025, 9, 1)), ("monograph", D(2025, 10, 1)),
                      ("journal_article", D(2025, 4, 1)), ("bulletin", D(2024, 9, 1))):
        Publication.objects.create(school=school, kind=kind, title=f"{kind} {day}", published_on=day)
    long_trip = FieldTrip.objects.create(school=school, title="Đi thực tế", place="Xã A", start_on=D(2025, 3, 1),
                                         end_on=D(2025, 3, 3))
    short_trip = FieldTrip.objects.create(school=school, title="Đi thực tế", place="Xã B", start_on=D(2025, 8, 1),
                                          end_on=D(2025, 8, 2))
    old_trip = FieldTrip.objects.create(school=school, title="Năm trước", place="Xã C", start_on=D(2024, 8, 1),
                                        end_on=D(2024, 8, 5))
    for trip, people in ((long_trip, lecturers[:2] + [clerk]), (short_trip, lecturers[2:3]), (old_trip, lecturers)):
        for person in people:
            FieldTripParticipant.objects.create(trip=trip, staff=person)
    return lecturers


def values(school, year=2025):
    return {name: result.value for name, result in metrics.evaluate(school, year, RESEARCH).items()}


def test_research_metrics_equal_hand_counted_values(school, research_set):
    assert values(school) == {
        "research.provincial_topics_accepted": 1, "research.school_topics_accepted": 2,
        "research.provincial_events": 2, "research.bulletins_and_monographs": 3,
        "research.field_trip_days_per_lecturer": Decimal("2.0"),
    }


def test_accepting_a_topic_and_adding_an_event_change_the_metrics(school, research_set, users):
    topic = Topic.objects.get(code="S3")
    research.topic_accept(topic=topic, user=users["staff"], council_date=D(2025, 12, 20), score=Decimal("90"),
                          grade=Topic.Grade.EXCELLENT)
    Event.objects.create(school=school, title="Hội thảo mới", level="provincial", held_on=D(2025, 12, 1))
    got = values(school)
    assert got["research.school_topics_accepted"] == 3 and got["research.provincial_events"] == 3


def test_research_evidence_lists_the_counted_records(users, client_as, school, research_set):
    client = client_as(users["reviewer"])

    def rows(metric):
        page = reverse("compliance:metric_evidence", kwargs={"school_code": school.code, "metric": metric})
        return client.get(page, {"year": 2025}).context["rows"]

    assert [row[0] for row in rows("research.school_topics_accepted")] == ["S1", "S2"]
    assert sorted(row[0] for row in rows("research.provincial_events")) == ["Hội thảo tỉnh", "Tọa đàm Bộ"]
    assert len(rows("research.bulletins_and_monographs")) == 3
    trip_rows = rows("research.field_trip_days_per_lecturer")
    assert sorted(row[0] for row in trip_rows) == ["Giảng viên 0", "Giảng viên 1", "Giảng viên 2"]
    assert sum(row[3] for row in trip_rows) == 8


def test_assessment_prefills_research_indicators(assessment, school, research_set):
    refresh_computed(assessment=assessment)
    answers = dict(assessment.answers.filter(indicator__code__startswith="4.").values_list("indicator__code", "value"))
    assert (answers["4.1"], answers["4.2"], answers["4.3"], answers["4.4"], answers["4.5"]) == (1, 2, 2, 3, Decimal("2.0"))
    assert answers["4.6"] is None  # declared
