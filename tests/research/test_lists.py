"""List pages: search, filters, sorting, Excel export, and a query count that does not grow with rows."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from research.models import Article, Event, FieldTrip, FieldTripParticipant, Publication, Topic
from schools.models import School

pytestmark = pytest.mark.django_db


def url(name, school):
    return reverse(f"research:{name}", kwargs={"school_code": school.code})


def workbook_rows(response):
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook, list(workbook.active.values)


# --- query counts -------------------------------------------------------------------------------
def add_topics(school, lecturers, count, offset=0):
    for i in range(offset, offset + count):
        topic = Topic.objects.create(school=school, code=f"T{i:03}", title=f"Đề tài {i}", level="school",
                                     leader=lecturers[i % 3], start_on=datetime.date(2024, 2, 1),
                                     end_on=datetime.date(2024, 12, 1))
        topic.members.set(lecturers[:2])


def add_events(school, count, partner):
    for i in range(count):
        event = Event.objects.create(school=school, kind="workshop", level="school", title=f"Hội thảo {i}",
                                     held_on=datetime.date(2024, 3, 1), papers=i)
        event.co_schools.set([partner])


def add_publications(school, lecturers, count):
    for i in range(count):
        issue = Publication.objects.create(school=school, kind="bulletin", title="Bản tin", issue_number=str(i),
                                           published_on=datetime.date(2024, 3, 1))
        issue.authors.set(lecturers[:2])
        Article.objects.create(issue=issue, title=f"Bài {i}")


def add_trips(school, lecturers, count, year=2024):
    for i in range(count):
        trip = FieldTrip.objects.create(school=school, title=f"Chuyến {i}", place="Xã", start_on=datetime.date(year, 1, 1),
                                        end_on=datetime.date(year, 1, 2))
        FieldTripParticipant.objects.bulk_create([FieldTripParticipant(trip=trip, staff=p) for p in lecturers])


@pytest.mark.parametrize("page", ["topic_list", "event_list", "publication_list", "fieldtrip_list"])
def test_list_query_count_does_not_grow_with_rows(page, users, client_as, school, other_school, lecturers,
                                                  django_assert_max_num_queries):
    client = client_as(users["viewer"])
    fill = {
        "topic_list": lambda n, k: add_topics(school, lecturers, n, offset=k),
        "event_list": lambda n, k: add_events(school, n, other_school),
        "publication_list": lambda n, k: add_publications(school, lecturers, n),
        "fieldtrip_list": lambda n, k: add_trips(school, lecturers, n),
    }[page]
    fill(2, 0)
    with django_assert_max_num_queries(15) as few:
        assert client.get(url(page, school)).status_code == 200
    fill(30, 100)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url(page, school))
    assert len(response.context["object_list"]) == 25  # paginated
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        assert client.get(url(page, school), {"q": "a", "year": "2024", "sort": "-" + next(
            iter(response.context["view"].sort_options))}).status_code == 200


# --- topics -------------------------------------------------------------------------------------
@pytest.fixture
def topic_set(school, lecturers, make_topic):
    return {
        "accepted": make_topic(school, lecturers[0], code="ĐT.CS.01", title="Nâng cao chất lượng giảng dạy",
                               status=Topic.Status.ACCEPTED, field="training", grade="excellent"),
        "provincial": make_topic(school, lecturers[1], code="ĐT.T.01", title="Bảo vệ nền tảng tư tưởng",
                                 level="provincial", status=Topic.Status.IN_PROGRESS, field="party_building",
                                 start_on=datetime.date(2025, 3, 1), end_on=datetime.date(2025, 12, 1)),
        "registered": make_topic(school, lecturers[2], code="SK.01", title="Sáng kiến quản lý lớp", level="initiative",
                                 start_on=datetime.date(2025, 5, 1), end_on=datetime.date(2025, 10, 1)),
    }


def codes(response):
    return [t.code for t in response.context["object_list"]]


def test_topic_search_filters_and_sort(users, client_as, school, topic_set):
    client = client_as(users["viewer"])
    assert codes(client.get(url("topic_list", school), {"q": "nền tảng"})) == ["ĐT.T.01"]
    assert codes(client.get(url("topic_list", school), {"q": "tran thi binh"})) == ["ĐT.T.01"]  # leader, no accents
    assert codes(client.get(url("topic_list", school), {"level": "initiative"})) == ["SK.01"]
    assert codes(client.get(url("topic_list", school), {"status": "accepted"})) == ["ĐT.CS.01"]
    assert codes(client.get(url("topic_list", school), {"field": "party_building"})) == ["ĐT.T.01"]
    assert codes(client.get(url("topic_list", school), {"grade": "excellent"})) == ["ĐT.CS.01"]
    assert sorted(codes(client.get(url("topic_list", school), {"year": "2025"}))) == ["SK.01", "ĐT.T.01"]
    assert codes(client.get(url("topic_list", school), {"year": "2024"})) == ["ĐT.CS.01"]
    assert codes(client.get(url("topic_list", school), {"sort": "code"})) == ["SK.01", "ĐT.CS.01", "ĐT.T.01"]
    assert codes(client.get(url("topic_list", school), {"sort": "-start"}))[0] == "SK.01"
    empty = client.get(url("topic_list", school), {"q": "không có đề tài nào"})
    assert "Chưa có dữ liệu" in empty.content.decode()


def test_topic_export_is_the_filtered_list(users, client_as, school, topic_set):
    Topic.objects.filter(code="SK.01").update(title="=HYPERLINK(\"x\")")
    response = client_as(users["viewer"]).get(url("topic_list", school), {"year": "2025", "export": "xlsx"})
    workbook, rows = workbook_rows(response)
    assert rows[0][:4] == ("Mã đề tài", "Tên", "Cấp", "Lĩnh vực")
    assert sorted(r[0] for r in rows[1:]) == ["SK.01", "ĐT.T.01"]
    formula_row = next(i for i, r in enumerate(rows, start=1) if r[0] == "SK.01")
    assert workbook.active.cell(row=formula_row, column=2).data_type == "s"
    provincial = next(r for r in rows if r[0] == "ĐT.T.01")
    assert "Cấp tỉnh" in provincial and "Đang thực hiện" in provincial


# --- events, publications, field trips ----------------------------------------------------------
def test_event_search_filters_sort_and_export(users, client_as, school, other_school):
    Event.objects.create(school=school, kind="workshop", level="provincial", title="Hội thảo tư tưởng",
                         held_on=datetime.date(2024, 11, 19), papers=46,
                         other_organisers="Ban Tuyên giáo Tỉnh ủy")
    roundtable = Event.objects.create(school=school, kind="roundtable", level="cluster", title="Tọa đàm cụm",
                                      held_on=datetime.date(2025, 9, 12), papers=18)
    roundtable.co_schools.set([other_school])
    client = client_as(users["viewer"])

    def titles(params):
        return [e.title for e in client.get(url("event_list", school), params).context["object_list"]]

    assert titles({"q": "tuyên giáo"}) == ["Hội thảo tư tưởng"]
    assert titles({"q": "TCT B"}) == ["Tọa đàm cụm"]  # co-organising school's short name
    assert titles({"kind": "roundtable"}) == ["Tọa đàm cụm"]
    assert titles({"level": "provincial"}) == ["Hội thảo tư tưởng"]
    assert titles({"year": "2024"}) == ["Hội thảo tư tưởng"]
    assert titles({"sort": "papers"}) == ["Tọa đàm cụm", "Hội thảo tư tưởng"]
    _, rows = workbook_rows(client.get(url("event_list", school), {"export": "xlsx", "kind": "roundtable"}))
    assert len(rows) == 2 and rows[1][0] == "Tọa đàm cụm" and other_school.name in rows[1][6]


def test_publication_search_filters_and_export(users, client_as, school, lecturers):
    issue = Publication.objects.create(school=school, kind="bulletin", title="Thông tin lý luận và thực tiễn",
                                       issue_number="Số 2/2024", published_on=datetime.date(2024, 6, 25))
    Article.objects.create(issue=issue, title="Bài 1")
    Article.objects.create(issue=issue, title="Bài 2")
    essay = Publication.objects.create(school=school, kind="essay", title="Vững niềm tin", prize="second",
                                       contest_year=2025, ideological_column=True,
                                       published_on=datetime.date(2025, 7, 20))
    essay.authors.set([lecturers[1]])
    client = client_as(users["viewer"])

    def titles(params):
        return [p.title for p in client.get(url("publication_list", school), params).context["object_list"]]

    assert titles({"q": "tran thi"}) == ["Vững niềm tin"]  # staff author without accents
    assert titles({"kind": "bulletin"}) == ["Thông tin lý luận và thực tiễn"]
    assert titles({"ideological_column": "true"}) == ["Vững niềm tin"]
    assert titles({"year": "2024"}) == ["Thông tin lý luận và thực tiễn"]
    assert titles({"sort": "-articles"})[0] == "Thông tin lý luận và thực tiễn"
    _, rows = workbook_rows(client.get(url("publication_list", school), {"export": "xlsx"}))
    by_title = {r[1]: r for r in rows[1:]}
    assert by_title["Thông tin lý luận và thực tiễn"][9] == 2  # article count
    assert by_title["Vững niềm tin"][12] == "Giải Nhì"


def test_field_trip_filters_and_export(users, client_as, school, lecturers):
    add_trips(school, lecturers[:2], 1, year=2024)
    add_trips(school, lecturers[1:], 2, year=2025)
    client = client_as(users["viewer"])
    response = client.get(url("fieldtrip_list", school), {"participant": lecturers[0].pk})
    assert response.context["object_list"].count() == 1
    assert client.get(url("fieldtrip_list", school), {"year": "2025"}).context["object_list"].count() == 2
    _, rows = workbook_rows(client.get(url("fieldtrip_list", school), {"export": "xlsx", "year": "2025"}))
    assert len(rows) == 3 and rows[1][4] == 2 and rows[1][6] == 2 and rows[1][7] == 4  # 2 days × 2 lecturers


def test_lists_of_a_merged_school_stay_readable_by_the_academy(users, client_as, school):
    old = School.objects.create(code="OLD", name="Trường cũ", merged_into=school, merged_on="2025-07-01", active=False)
    for page in ("topic_list", "event_list", "publication_list", "fieldtrip_list", "summary"):
        assert client_as(users["reviewer"]).get(url(page, old)).status_code == 200
