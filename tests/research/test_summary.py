"""The yearly research summary equals the records counted, in a bounded number of queries, and its
page (chart included) shows those figures."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from research.models import Article, Event, FieldTrip, FieldTripParticipant, Publication, Topic
from research.selectors import research_summaries, research_summary, topics_active_in
from schools.models import School, Staff

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def known(school, other_school, lecturers, other_lecturer, make_topic, unit):
    """A known data set for 2024 (and decoys in 2023, 2025 and in another school)."""
    make_topic(school, lecturers[0], code="A", status=Topic.Status.ACCEPTED, start_on=D(2024, 2, 1),
               end_on=D(2024, 11, 1), accepted_on=D(2024, 11, 30), grade="good")
    make_topic(school, lecturers[1], code="B", level="provincial", status=Topic.Status.IN_PROGRESS,
               start_on=D(2024, 3, 1), end_on=D(2025, 6, 30))
    make_topic(school, lecturers[2], code="C", level="initiative", start_on=D(2025, 1, 10), end_on=D(2025, 6, 1))
    make_topic(school, lecturers[0], code="D", level="faculty", status=Topic.Status.CANCELLED,
               start_on=D(2024, 2, 1), end_on=D(2024, 6, 1))  # cancelled 02/03/2024
    make_topic(school, lecturers[1], code="E", status=Topic.Status.ACCEPTED, start_on=D(2023, 2, 1),
               end_on=D(2023, 11, 30), accepted_on=D(2023, 12, 15))
    make_topic(school, lecturers[2], code="F", level="ministry", status=Topic.Status.APPROVED,
               start_on=D(2023, 6, 1), end_on=D(2023, 12, 31))  # overdue but still open: active in 2024
    make_topic(other_school, other_lecturer, code="G", status=Topic.Status.ACCEPTED, start_on=D(2024, 2, 1),
               end_on=D(2024, 10, 1), accepted_on=D(2024, 10, 20))

    Event.objects.create(school=school, kind="workshop", level="provincial", title="E1", held_on=D(2024, 11, 19),
                         papers=46, proceedings_published=True)
    Event.objects.create(school=school, kind="roundtable", level="cluster", title="E2", held_on=D(2024, 9, 12),
                         papers=10)
    Event.objects.create(school=school, kind="workshop", level="school", title="E3", held_on=D(2023, 12, 31), papers=5)
    Event.objects.create(school=other_school, kind="workshop", level="school", title="E4", held_on=D(2024, 5, 5))

    def publication(kind, day, **extra):
        return Publication.objects.create(school=extra.pop("owner", school), kind=kind, title=f"{kind} {day}",
                                          published_on=day, **extra)

    for day, count in ((D(2024, 3, 25), 3), (D(2024, 6, 25), 2), (D(2023, 12, 25), 4)):
        issue = publication("bulletin", day, issue_number=str(day.month))
        for k in range(count):
            Article.objects.create(issue=issue, title=f"Bài {k}", ideological_column=(day.month == 3 and k == 0))
    publication("monograph", D(2024, 10, 1))
    publication("journal_article", D(2024, 4, 10), series="Tạp chí Lý luận chính trị", ideological_column=True)
    publication("essay", D(2024, 7, 20), prize="second", contest_year=2024, ideological_column=True)
    publication("essay", D(2024, 7, 21), contest_year=2024, ideological_column=True)
    publication("essay", D(2024, 7, 22), owner=other_school, prize="first", contest_year=2024)

    clerk = Staff.objects.create(school=school, full_name="Phạm Thị Văn Thư", unit=unit, is_lecturer=False)
    Staff.objects.create(school=school, full_name="Lê Văn Nghỉ", is_lecturer=True, active=False)

    def trip(start, end, people, owner=school):
        t = FieldTrip.objects.create(school=owner, title="Đi thực tế", place="Xã", start_on=start, end_on=end)
        FieldTripParticipant.objects.bulk_create([FieldTripParticipant(trip=t, staff=p) for p in people])

    trip(D(2024, 4, 1), D(2024, 4, 3), lecturers[:2])  # 3 days × 2 lecturers
    trip(D(2024, 8, 5), D(2024, 8, 6), [*lecturers, clerk])  # 2 days × 3 lecturers (the clerk is not a lecturer)
    trip(D(2023, 12, 30), D(2024, 1, 2), lecturers[:1])  # belongs to 2023, the year it started
    trip(D(2024, 5, 1), D(2024, 5, 9), [other_lecturer], owner=other_school)


def test_summary_equals_the_known_data_set(school, known):
    s = research_summary(school, 2024)
    assert s["topics_by_level"] == {"state": 0, "ministry": 1, "provincial": 1, "school": 1, "faculty": 1,
                                    "initiative": 0}
    assert s["topics_by_status"] == {"registered": 0, "approved": 1, "in_progress": 1, "accepted": 1, "cancelled": 1}
    assert s["topics_total"] == 4
    assert s["accepted_by_level"] == {"state": 0, "ministry": 0, "provincial": 0, "school": 1, "faculty": 0,
                                      "initiative": 0}
    assert s["accepted_by_grade"] == {"excellent": 0, "good": 1, "pass": 0, "fail": 0}
    assert s["events_by_level"] == {"ministry": 0, "provincial": 1, "cluster": 1, "school": 0, "faculty": 0}
    assert s["events_by_kind"] == {"workshop": 1, "roundtable": 1}
    assert (s["papers"], s["proceedings"]) == (56, 1)
    assert s["publications"] == {"bulletin": 2, "monograph": 1, "journal_article": 1, "essay": 2}
    assert s["articles"] == 5
    assert s["ideological_items"] == 4  # 1 article + 1 journal article + 2 essays
    assert (s["essay_entries"], s["essay_prizes"]) == (2, 1)
    assert (s["field_trips"], s["field_trip_days"], s["field_trip_lecturers"]) == (2, 12, 3)
    assert s["lecturers"] == 3 and s["field_trip_days_per_lecturer"] == 4.0


def test_summary_of_other_years(school, known):
    s2025 = research_summary(school, 2025)
    # B (in progress until 06/2025), C (registered 2025) and F (still open) are active in 2025
    assert s2025["topics_total"] == 3 and s2025["topics_by_level"]["initiative"] == 1
    assert s2025["accepted_total"] == 0 and s2025["events_total"] == 0 and s2025["field_trip_days"] == 0
    s2023 = research_summary(school, 2023)
    assert s2023["topics_total"] == 2 and s2023["accepted_by_level"]["school"] == 1
    assert s2023["articles"] == 4 and s2023["field_trip_days"] == 4
    empty = research_summary(school, 2030)
    assert empty["topics_total"] == 0 and empty["field_trip_days_per_lecturer"] == 0.0


def test_open_topics_count_in_future_years_only_until_their_end(school, lecturer, make_topic):
    topic = make_topic(school, lecturer, status=Topic.Status.IN_PROGRESS, start_on=D(2024, 1, 1),
                       end_on=D(2024, 12, 31))
    today = D(2024, 6, 1)
    active = Topic.objects.filter(topics_active_in(2025, today=today))
    assert not active.exists()
    Topic.objects.filter(pk=topic.pk).update(extended=True, extended_until=D(2025, 3, 31))
    assert Topic.objects.filter(topics_active_in(2025, today=today)).exists()
    assert not Topic.objects.filter(topics_active_in(2026, today=today)).exists()


def test_summaries_for_many_schools_use_a_fixed_number_of_queries(school, other_school, known,
                                                                   django_assert_num_queries):
    with django_assert_num_queries(14):  # 13 + the co-organised events
        one = research_summaries([school], 2024)
    many_schools = [school, other_school] + [School.objects.create(code=f"X{i}", name=f"Trường {i}") for i in range(8)]
    with django_assert_num_queries(14):
        many = research_summaries(many_schools, 2024)
    assert many[school.pk] == one[school.pk]
    assert many[other_school.pk]["accepted_by_level"]["school"] == 1
    assert many[other_school.pk]["essay_prizes"] == 1 and many[other_school.pk]["field_trip_days"] == 9
    assert many[many_schools[-1].pk]["topics_total"] == 0


def test_topic_list_year_filter_counts_what_the_summary_counts(users, client_as, school, known):
    client = client_as(users["viewer"])
    for year in (2023, 2024, 2025):
        listed = client.get(reverse("research:topic_list", kwargs={"school_code": school.code}), {"year": year})
        assert listed.context["paginator"].count == research_summary(school, year)["topics_total"]


def test_summary_page_shows_the_figures_and_a_server_rendered_chart(users, client_as, school, known,
                                                                    django_assert_max_num_queries):
    client = client_as(users["viewer"])
    page_url = reverse("research:summary", kwargs={"school_code": school.code})
    with django_assert_max_num_queries(26):  # 25 + the co-organised events
        response = client.get(page_url, {"year": 2024})
    html = response.content.decode()
    assert response.context["summary"] == research_summary(school, 2024)
    assert re.search(r'id="stat-topics">4<', html) and re.search(r'id="stat-days">12<', html)
    assert re.search(r'id="stat-articles">5<', html)
    assert "<svg" in html and "<rect" in html and "style=" not in html and "<script>" not in html
    # the longest bar fills the width, the others are scaled to it
    level_rows = {row["key"]: row["length"] for row in response.context["level_rows"]}
    assert level_rows == {"state": 0, "ministry": 100, "provincial": 100, "school": 100, "faculty": 100,
                          "initiative": 0}
    assert 'width="100"' in html
    assert "Đề tài theo cấp" in html and "Cấp tỉnh" in html
    # a bar label opens the filtered list
    assert "?year=2024&amp;level=provincial" in html


def test_summary_page_defaults_to_this_year_and_ignores_bad_input(users, client_as, school):
    client = client_as(users["viewer"])
    page_url = reverse("research:summary", kwargs={"school_code": school.code})
    this_year = timezone.localdate().year
    assert client.get(page_url).context["year"] == this_year
    assert client.get(page_url, {"year": "abc"}).context["year"] == this_year
    assert client.get(page_url, {"year": "99999"}).context["year"] == this_year
    assert "Chưa có dữ liệu" in client.get(page_url).content.decode()  # no lecturers yet


def test_summary_year_picker_keeps_the_requested_year(users, client_as, school):
    page_url = reverse("research:summary", kwargs={"school_code": school.code})
    html = client_as(users["viewer"]).get(page_url, {"year": 2019}).content.decode()
    assert '<option value="2019" selected>' in html
