"""Access matrix and tenancy of every research page; forms keep choices inside the school."""

import datetime

import pytest
from django.urls import reverse

from research.models import Article, Event, FieldTrip, FieldTripParticipant, Publication, Topic
from schools.models import Staff
from tests.access import assert_post_refused, assert_read_matrix, assert_write_matrix

pytestmark = pytest.mark.django_db


def url(name, school, **kwargs):
    return reverse(f"research:{name}", kwargs={"school_code": school.code, **kwargs})


@pytest.fixture
def records(school, lecturer, make_topic, other_school):
    topic = make_topic(school, lecturer)
    event = Event.objects.create(school=school, kind="workshop", level="provincial", title="Hội thảo A",
                                 held_on=datetime.date(2024, 5, 1), papers=10)
    issue = Publication.objects.create(school=school, kind="bulletin", title="Thông tin lý luận và thực tiễn",
                                       issue_number="Số 1/2024", published_on=datetime.date(2024, 3, 1))
    article = Article.objects.create(issue=issue, title="Bài viết 1", outside_authors="Tác giả ngoài")
    trip = FieldTrip.objects.create(school=school, title="Đi thực tế", place="Huyện Nam Đàn",
                                    start_on=datetime.date(2024, 4, 1), end_on=datetime.date(2024, 4, 3))
    FieldTripParticipant.objects.create(trip=trip, staff=lecturer)
    return {"topic": topic, "event": event, "issue": issue, "article": article, "trip": trip}


def test_read_pages_follow_the_access_matrix(users, school, records):
    pages = [url(n, school) for n in ("topic_list", "event_list", "publication_list", "fieldtrip_list", "summary")]
    pages += [url("topic_detail", school, pk=records["topic"].pk), url("event_detail", school, pk=records["event"].pk),
              url("publication_detail", school, pk=records["issue"].pk),
              url("fieldtrip_detail", school, pk=records["trip"].pk)]
    for page in pages:
        assert_read_matrix(users, page)


def test_write_pages_follow_the_access_matrix_and_refused_posts_change_nothing(users, school, records):
    topic, event, issue, article, trip = (records[k] for k in ("topic", "event", "issue", "article", "trip"))
    pages = [
        url("topic_create", school), url("topic_update", school, pk=topic.pk), url("topic_delete", school, pk=topic.pk),
        url("event_create", school), url("event_update", school, pk=event.pk), url("event_delete", school, pk=event.pk),
        url("publication_create", school), url("publication_update", school, pk=issue.pk),
        url("publication_delete", school, pk=issue.pk), url("article_create", school, issue_pk=issue.pk),
        url("article_update", school, issue_pk=issue.pk, pk=article.pk),
        url("article_delete", school, issue_pk=issue.pk, pk=article.pk),
        url("fieldtrip_create", school), url("fieldtrip_update", school, pk=trip.pk),
        url("fieldtrip_delete", school, pk=trip.pk),
    ]
    for page in pages:
        assert_write_matrix(users, page)
        assert_post_refused(users, page, {"title": "Đổi tên", "code": "X"})
    assert Topic.objects.get(pk=topic.pk).title == "Đề tài thử nghiệm"
    assert Event.objects.get(pk=event.pk).title == "Hội thảo A"
    assert Article.objects.filter(pk=article.pk).exists() and FieldTrip.objects.filter(pk=trip.pk).exists()


def test_another_schools_records_are_404_under_own_url(users, client_as, school, other_school, other_lecturer,
                                                       make_topic):
    foreign_topic = make_topic(other_school, other_lecturer)
    foreign_event = Event.objects.create(school=other_school, kind="workshop", level="school", title="B",
                                         held_on=datetime.date(2024, 1, 1))
    foreign_issue = Publication.objects.create(school=other_school, kind="bulletin", title="Bản tin B",
                                               issue_number="1", published_on=datetime.date(2024, 1, 1))
    foreign_trip = FieldTrip.objects.create(school=other_school, title="T", place="P",
                                            start_on=datetime.date(2024, 1, 1), end_on=datetime.date(2024, 1, 2))
    client = client_as(users["admin"])
    for name, pk in [("topic", foreign_topic.pk), ("event", foreign_event.pk), ("publication", foreign_issue.pk),
                     ("fieldtrip", foreign_trip.pk)]:
        assert client.get(url(f"{name}_detail", school, pk=pk)).status_code == 404
        assert client.post(url(f"{name}_delete", school, pk=pk)).status_code == 404
    assert client.get(url("article_create", school, issue_pk=foreign_issue.pk)).status_code == 404
    assert Topic.objects.filter(pk=foreign_topic.pk).exists() and FieldTrip.objects.filter(pk=foreign_trip.pk).exists()
    # and the lists never show them
    assert client.get(url("topic_list", school)).context["object_list"].count() == 0


def test_topic_form_only_offers_own_school_staff(users, client_as, school, lecturer, other_lecturer):
    client = client_as(users["staff"])
    data = {"code": "ĐT1", "title": "Đề tài", "level": "school", "field": "other", "leader": other_lecturer.pk,
            "start_on": "01/02/2024", "end_on": "30/11/2024"}
    response = client.post(url("topic_create", school), data)
    assert response.status_code == 200 and "leader" in response.context["form"].errors
    response = client.post(url("topic_create", school), {**data, "leader": lecturer.pk, "members": [other_lecturer.pk]})
    assert response.status_code == 200 and "members" in response.context["form"].errors
    assert not Topic.objects.exists()


def test_topic_form_validates_code_dates_and_keeps_input(users, client_as, school, lecturer, make_topic):
    make_topic(school, lecturer, code="ĐT1")
    response = client_as(users["staff"]).post(url("topic_create", school), {
        "code": "đt1", "title": "Đề tài mới", "level": "school", "field": "other", "leader": lecturer.pk,
        "start_on": "01/12/2024", "end_on": "01/02/2024", "budget": "12,5"})
    page = response.content.decode()
    assert "Trường đã có đề tài mang mã này." in page
    assert "Ngày kết thúc không được trước ngày bắt đầu." in page
    assert 'value="Đề tài mới"' in page  # nothing typed is lost


def test_edit_does_not_change_status(users, client_as, school, lecturer, make_topic):
    topic = make_topic(school, lecturer, status=Topic.Status.APPROVED)
    response = client_as(users["staff"]).post(url("topic_update", school, pk=topic.pk), {
        "code": topic.code, "title": "Tên mới", "level": "provincial", "field": "other", "leader": lecturer.pk,
        "start_on": "01/02/2024", "end_on": "30/11/2024", "status": "accepted"})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.title == "Tên mới" and topic.level == "provincial" and topic.status == Topic.Status.APPROVED


def test_topic_with_event_deletes_after_confirmation(users, client_as, school, records):
    topic = records["topic"]
    records["event"].topics.add(topic)
    client = client_as(users["admin"])
    assert "Bạn có chắc chắn muốn xóa" in client.get(url("topic_delete", school, pk=topic.pk)).content.decode()
    assert client.post(url("topic_delete", school, pk=topic.pk)).status_code == 302
    assert not Topic.objects.filter(pk=topic.pk).exists() and Event.objects.filter(pk=records["event"].pk).exists()


def test_staff_leading_a_topic_cannot_be_deleted(users, client_as, school, lecturer, make_topic):
    make_topic(school, lecturer)
    response = client_as(users["admin"]).post(
        reverse("schools:staff_delete", kwargs={"school_code": school.code, "pk": lecturer.pk}), follow=True)
    assert Staff.objects.filter(pk=lecturer.pk).exists()
    assert "không thể xóa" in response.content.decode().lower()


def test_event_with_co_organisers_and_linked_topics(users, client_as, school, other_school, lecturer, make_topic):
    topic = make_topic(school, lecturer)
    client = client_as(users["staff"])
    response = client.post(url("event_create", school), {
        "kind": "workshop", "level": "provincial", "title": "Bảo vệ nền tảng tư tưởng của Đảng", "field": "other",
        "held_on": "19/11/2024", "co_schools": [other_school.pk], "papers": "46", "proceedings_published": "on",
        "other_organisers": "Ban Tuyên giáo Tỉnh ủy\nHọc viện Chính trị khu vực III", "topics": [topic.pk]})
    assert response.status_code == 302
    event = Event.objects.get(school=school)
    assert list(event.co_schools.all()) == [other_school] and list(event.topics.all()) == [topic]
    assert event.other_organiser_list == ["Ban Tuyên giáo Tỉnh ủy", "Học viện Chính trị khu vực III"]
    page = client.get(event.get_absolute_url()).content.decode()
    assert other_school.name in page and "Ban Tuyên giáo Tỉnh ủy" in page and topic.code in page
    # the topic page lists the workshop it was presented at
    assert event.title in client.get(topic.get_absolute_url()).content.decode()


def test_event_refuses_own_school_as_co_organiser_and_foreign_topics(users, client_as, school, other_school,
                                                                     other_lecturer, make_topic):
    foreign_topic = make_topic(other_school, other_lecturer)
    response = client_as(users["staff"]).post(url("event_create", school), {
        "kind": "roundtable", "level": "school", "title": "Tọa đàm", "field": "other", "held_on": "01/03/2024",
        "co_schools": [school.pk], "topics": [foreign_topic.pk], "papers": "0", "proceedings_published": "on"})
    errors = response.context["form"].errors
    assert {"co_schools", "topics", "papers"} <= set(errors)
    assert "Đã xuất bản kỷ yếu: nhập số tham luận." in response.content.decode()
    assert not Event.objects.exists()


def test_publication_rules_by_kind(users, client_as, school, lecturer):
    client = client_as(users["staff"])
    base = {"title": "Bản tin", "field": "other", "published_on": "25/03/2024"}
    response = client.post(url("publication_create", school), {**base, "kind": "bulletin"})
    assert "Nhập số phát hành của bản tin." in response.content.decode()
    response = client.post(url("publication_create", school), {**base, "kind": "journal_article"})
    assert "Nhập tên tạp chí." in response.content.decode()
    response = client.post(url("publication_create", school), {**base, "kind": "monograph", "prize": "first"})
    assert "Chỉ bài dự thi chính luận mới có giải thưởng." in response.content.decode()
    response = client.post(url("publication_create", school), {
        **base, "kind": "essay", "prize": "first", "contest_year": "2024", "authors": [lecturer.pk],
        "ideological_column": "on"})
    assert response.status_code == 302
    entry = Publication.objects.get(kind="essay")
    assert entry.prize == "first" and entry.ideological_column and list(entry.authors.all()) == [lecturer]


def test_bulletin_issue_with_articles(users, client_as, school, lecturer, records):
    issue = records["issue"]
    client = client_as(users["staff"])
    response = client.post(url("article_create", school, issue_pk=issue.pk), {"title": "Không tác giả"})
    assert "Nhập ít nhất một tác giả" in response.content.decode()
    response = client.post(url("article_create", school, issue_pk=issue.pk), {
        "title": "Đấu tranh phản bác quan điểm sai trái", "authors": [lecturer.pk], "pages": "5-9",
        "ideological_column": "on"})
    assert response.status_code == 302 and response["Location"] == issue.get_absolute_url()
    assert issue.articles.count() == 2
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "Đấu tranh phản bác quan điểm sai trái" in page and lecturer.full_name in page
    # a monograph has no articles
    monograph = Publication.objects.create(school=school, kind="monograph", title="Sách",
                                           published_on=datetime.date(2024, 1, 1))
    assert client.get(url("article_create", school, issue_pk=monograph.pk)).status_code == 404
    article = records["article"]
    assert client.post(url("article_delete", school, issue_pk=issue.pk, pk=article.pk)).status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()


def test_field_trip_days_and_overlap_rule(users, client_as, school, lecturers, records):
    client = client_as(users["staff"])
    lecturer = lecturers[0]  # already on the 01–03/04/2024 trip
    response = client.post(url("fieldtrip_create", school), {
        "title": "Nghiên cứu thực tế", "place": "Xã A", "start_on": "03/04/2024", "end_on": "05/04/2024",
        "participants": [lecturer.pk, lecturers[1].pk]})
    assert "Đã tham gia đợt đi thực tế khác trong thời gian này: Nguyễn Văn Giảng." in response.content.decode()
    response = client.post(url("fieldtrip_create", school), {
        "title": "Nghiên cứu thực tế", "place": "Xã A", "start_on": "04/04/2024", "end_on": "08/04/2024",
        "participants": [lecturer.pk, lecturers[1].pk]})
    assert response.status_code == 302
    trip = FieldTrip.objects.get(place="Xã A")
    assert trip.days == 5 and set(trip.participants.all()) == {lecturer, lecturers[1]}
    # editing the same trip does not clash with itself
    response = client.post(url("fieldtrip_update", school, pk=trip.pk), {
        "title": "Nghiên cứu thực tế", "place": "Xã A", "start_on": "04/04/2024", "end_on": "09/04/2024",
        "participants": [lecturer.pk]})
    assert response.status_code == 302
    trip.refresh_from_db()
    assert trip.days == 6 and list(trip.participants.all()) == [lecturer]


def test_field_trip_participants_must_be_own_lecturers(users, client_as, school, other_lecturer, unit):
    clerk = Staff.objects.create(school=school, full_name="Phạm Văn Văn Thư", unit=unit, is_lecturer=False)
    for person in (other_lecturer, clerk):
        response = client_as(users["staff"]).post(url("fieldtrip_create", school), {
            "title": "T", "place": "P", "start_on": "01/05/2024", "end_on": "02/05/2024", "participants": [person.pk]})
        assert "participants" in response.context["form"].errors
    assert not FieldTrip.objects.exists()


def test_lecturer_page_shows_field_trip_days_per_year(users, client_as, school, lecturer, records):
    trip = FieldTrip.objects.create(school=school, title="Chuyến 2025", place="Hà Tĩnh",
                                    start_on=datetime.date(2025, 6, 2), end_on=datetime.date(2025, 6, 6))
    FieldTripParticipant.objects.create(trip=trip, staff=lecturer)
    response = client_as(users["viewer"]).get(
        reverse("schools:staff_detail", kwargs={"school_code": school.code, "pk": lecturer.pk}))
    assert response.context["field_trip_years"] == [
        {"year": 2025, "trips": 1, "days": 5}, {"year": 2024, "trips": 1, "days": 3}]
    page = response.content.decode()
    assert "Đi thực tế" in page and "Chuyến 2025" in page and "Huyện Nam Đàn" in page


def test_research_pages_have_no_inline_styles_or_scripts(users, client_as, school, records):
    """A strict Content-Security-Policy is coming: no style attributes, no inline scripts."""
    client = client_as(users["admin"])
    topic, issue = records["topic"], records["issue"]
    pages = [url(n, school) for n in ("topic_list", "event_list", "publication_list", "fieldtrip_list", "summary",
                                       "topic_create", "event_create", "publication_create", "fieldtrip_create")]
    pages += [topic.get_absolute_url(), issue.get_absolute_url(), records["event"].get_absolute_url(),
              records["trip"].get_absolute_url(), url("article_create", school, issue_pk=issue.pk),
              reverse("research:topic_transition", kwargs={"school_code": school.code, "pk": topic.pk,
                                                           "action": "approve"})]
    for page in pages:
        html = client.get(page).content.decode()
        assert "style=" not in html, page
        assert "<script>" not in html and "<script type" not in html, page


def test_edit_cannot_contradict_the_recorded_lifecycle(users, client_as, school, lecturer, make_topic):
    topic = make_topic(school, lecturer, status=Topic.Status.ACCEPTED, start_on=datetime.date(2024, 2, 1),
                       end_on=datetime.date(2024, 10, 31), accepted_on=datetime.date(2024, 11, 20))
    data = {"code": topic.code, "title": topic.title, "level": "school", "field": "other", "leader": lecturer.pk,
            "start_on": "01/12/2024", "end_on": "31/12/2024"}
    response = client_as(users["staff"]).post(url("topic_update", school, pk=topic.pk), data)
    assert "Ngày bắt đầu không được sau ngày họp Hội đồng nghiệm thu (20/11/2024)." in response.content.decode()
    assert Topic.objects.get(pk=topic.pk).start_on == datetime.date(2024, 2, 1)
