"""The topic lifecycle: allowed steps, refused steps (with a Vietnamese message), and the history."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from research import services
from research.models import Topic, TopicTransition
from tests.access import assert_post_refused, assert_write_matrix

pytestmark = pytest.mark.django_db
Status, Action = Topic.Status, TopicTransition.Action


def step_url(topic, action):
    return reverse("research:topic_transition",
                   kwargs={"school_code": topic.school.code, "pk": topic.pk, "action": action})


def test_full_lifecycle_through_the_views_records_every_step(users, client_as, school, lecturers):
    client = client_as(users["staff"])
    response = client.post(reverse("research:topic_create", kwargs={"school_code": school.code}), {
        "code": " ĐT.CS.2024.01 ", "title": "Nâng cao chất lượng   giảng dạy", "level": "school",
        "field": "party_building", "leader": lecturers[0].pk, "members": [lecturers[1].pk, lecturers[2].pk],
        "outside_members": "TS. Nguyễn Văn Ngoài (Ban Tuyên giáo)\nThS. Hồ Thị Khách",
        "start_on": "01/02/2024", "end_on": "30/10/2024", "budget": "15",
    })
    topic = Topic.objects.get(school=school, code="ĐT.CS.2024.01")
    assert response.status_code == 302 and response["Location"] == topic.get_absolute_url()
    assert topic.status == Status.REGISTERED and topic.title == "Nâng cao chất lượng giảng dạy"
    assert set(topic.members.all()) == {lecturers[1], lecturers[2]}
    assert topic.outside_member_list == ["TS. Nguyễn Văn Ngoài (Ban Tuyên giáo)", "ThS. Hồ Thị Khách"]

    assert client.post(step_url(topic, "approve"), {
        "decision_number": "39a-QĐ/TCT", "decision_date": "05/02/2024", "note": "Giao nhiệm vụ"}).status_code == 302
    assert client.post(step_url(topic, "start"), {"decision_number": "HĐ 05/2024"}).status_code == 302
    assert client.post(step_url(topic, "extend"), {
        "new_end_on": "31/12/2024", "decision_number": "88-QĐ/TCT", "decision_date": "20/10/2024"}).status_code == 302
    assert client.post(step_url(topic, "accept"), {
        "council_date": "20/12/2024", "score": "88,5", "grade": "excellent",
        "decision_number": "166-QĐ/TCT", "decision_date": "15/12/2024"}).status_code == 302

    topic.refresh_from_db()
    assert topic.status == Status.ACCEPTED and topic.grade == Topic.Grade.EXCELLENT
    assert topic.score == Decimal("88.5") and topic.accepted_on == datetime.date(2024, 12, 20)
    assert topic.approval_decision == "39a-QĐ/TCT" and topic.approved_on == datetime.date(2024, 2, 5)
    assert topic.extended and topic.extended_until == datetime.date(2024, 12, 31)
    steps = list(topic.transitions.values_list("action", "from_status", "to_status", "decision_number",
                                               "created_by__username"))
    assert steps == [
        ("register", "", "registered", "", "staff_a"),
        ("approve", "registered", "approved", "39a-QĐ/TCT", "staff_a"),
        ("start", "approved", "in_progress", "HĐ 05/2024", "staff_a"),
        ("extend", "in_progress", "in_progress", "88-QĐ/TCT", "staff_a"),
        ("accept", "in_progress", "accepted", "166-QĐ/TCT", "staff_a"),
    ]
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "39a-QĐ/TCT" in page and "Xuất sắc" in page and "Đã nghiệm thu" in page
    assert "31/12/2024" in page  # the extension's new end date


def test_accepting_a_topic_never_approved_is_refused_with_a_vietnamese_message(users, client_as, school, lecturer,
                                                                               make_topic):
    topic = make_topic(school, lecturer)
    response = client_as(users["staff"]).post(step_url(topic, "accept"), {
        "council_date": "20/12/2024", "score": "90", "grade": "excellent"}, follow=True)
    page = response.content.decode()
    assert "Chỉ nghiệm thu được đề tài đã được phê duyệt và đang thực hiện" in page
    topic.refresh_from_db()
    assert topic.status == Status.REGISTERED and topic.grade == "" and topic.accepted_on is None
    assert list(topic.transitions.values_list("action", flat=True)) == ["register"]


def test_forbidden_step_page_redirects_with_the_reason(users, client_as, school, lecturer, make_topic):
    topic = make_topic(school, lecturer, status=Status.ACCEPTED)
    response = client_as(users["admin"]).get(step_url(topic, "cancel"), follow=True)
    assert response.redirect_chain[-1][0] == topic.get_absolute_url()
    assert "Không thể hủy đề tài đã nghiệm thu hoặc đã hủy" in response.content.decode()


@pytest.mark.parametrize("status", [s for s, _ in Status.choices])
@pytest.mark.parametrize("action", list(services.TRANSITIONS))
def test_state_machine_allows_exactly_the_listed_steps(school, lecturer, make_topic, users, status, action):
    topic = make_topic(school, lecturer, status=status)
    data = {"decision_number": "1-QĐ", "decision_date": datetime.date(2024, 3, 1),
            "new_end_on": datetime.date(2025, 6, 30), "council_date": datetime.date(2024, 12, 1),
            "score": Decimal("80"), "grade": "good", "reason": "Lý do"}
    allowed = status in services.TRANSITIONS[action][0]
    before = topic.transitions.count()
    if allowed:
        services.apply_transition(topic=topic, action=action, user=users["staff"], data=data)
        assert topic.transitions.count() == before + 1
    else:
        with pytest.raises(ValidationError) as info:
            services.apply_transition(topic=topic, action=action, user=users["staff"], data=data)
        assert info.value.code == "forbidden_transition"
        assert Topic.objects.get(pk=topic.pk).status == status
        assert topic.transitions.count() == before


def test_accept_needs_council_date_score_and_grade(users, client_as, school, lecturer, make_topic):
    topic = make_topic(school, lecturer, status=Status.IN_PROGRESS)
    client = client_as(users["staff"])
    response = client.post(step_url(topic, "accept"), {"council_date": "", "score": "", "grade": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"council_date", "score", "grade"}
    response = client.post(step_url(topic, "accept"), {"council_date": "01/12/2024", "score": "120", "grade": "good"})
    assert "score" in response.context["form"].errors
    with pytest.raises(ValidationError, match="ngày họp hội đồng, điểm và xếp loại"):
        services.topic_accept(topic=topic, user=users["staff"], council_date=None, score=None, grade="")
    assert Topic.objects.get(pk=topic.pk).status == Status.IN_PROGRESS


def test_accept_refuses_council_before_start_or_in_the_future(users, client_as, school, lecturer, make_topic):
    topic = make_topic(school, lecturer, status=Status.IN_PROGRESS)
    client = client_as(users["staff"])
    response = client.post(step_url(topic, "accept"), {"council_date": "01/01/2020", "score": "80", "grade": "good"})
    assert "trước khi đề tài bắt đầu" in response.content.decode()
    future = (timezone.localdate() + datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    response = client.post(step_url(topic, "accept"), {"council_date": future, "score": "80", "grade": "good"})
    assert "không thể ở tương lai" in response.content.decode()
    assert Topic.objects.get(pk=topic.pk).status == Status.IN_PROGRESS


def test_approve_needs_decision_number_and_date(users, client_as, school, lecturer, make_topic):
    topic = make_topic(school, lecturer)
    response = client_as(users["staff"]).post(step_url(topic, "approve"), {"decision_number": "", "note": "x"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"decision_number", "decision_date"}
    with pytest.raises(ValidationError, match="số và ngày quyết định phê duyệt"):
        services.topic_approve(topic=topic, user=None, decision_number=" ", decision_date=None)
    assert Topic.objects.get(pk=topic.pk).status == Status.REGISTERED


def test_cancel_needs_a_reason_and_keeps_it(users, client_as, school, lecturer, make_topic):
    topic = make_topic(school, lecturer, status=Status.APPROVED)
    client = client_as(users["admin"])
    response = client.post(step_url(topic, "cancel"), {"reason": "   "})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = client.post(step_url(topic, "cancel"), {"reason": "Chủ nhiệm chuyển công tác",
                                                       "decision_number": "77-QĐ/TCT", "decision_date": "01/06/2024"})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.status == Status.CANCELLED and topic.cancel_reason == "Chủ nhiệm chuyển công tác"
    assert topic.cancelled_on == datetime.date(2024, 6, 1)
    last = topic.transitions.last()
    assert (last.action, last.note, last.decision_number) == ("cancel", "Chủ nhiệm chuyển công tác", "77-QĐ/TCT")


def test_extension_must_move_the_end_date_later(users, client_as, school, lecturer, make_topic):
    topic = make_topic(school, lecturer, status=Status.IN_PROGRESS, end_on=datetime.date(2024, 11, 30))
    client = client_as(users["staff"])
    response = client.post(step_url(topic, "extend"), {"new_end_on": "30/11/2024"})
    assert "Ngày kết thúc mới phải sau ngày kết thúc hiện tại (30/11/2024)" in response.content.decode()
    assert client.post(step_url(topic, "extend"), {"new_end_on": "28/02/2025"}).status_code == 302
    topic.refresh_from_db()
    assert topic.extended_until == datetime.date(2025, 2, 28) and topic.current_end_on == topic.extended_until
    assert topic.transitions.last().new_end_on == datetime.date(2025, 2, 28)


def test_transition_pages_follow_the_write_matrix(users, school, lecturer, make_topic):
    topic = make_topic(school, lecturer)
    assert_write_matrix(users, step_url(topic, "approve"))
    assert_post_refused(users, step_url(topic, "approve"), {"decision_number": "1", "decision_date": "01/03/2024"})
    assert Topic.objects.get(pk=topic.pk).status == Status.REGISTERED


def test_unknown_action_and_other_schools_topic_are_404(users, client_as, school, other_school, other_lecturer,
                                                        make_topic, lecturer):
    topic = make_topic(school, lecturer)
    client = client_as(users["admin"])
    assert client.get(step_url(topic, "delete-everything")).status_code == 404
    foreign = make_topic(other_school, other_lecturer)
    url = reverse("research:topic_transition", kwargs={"school_code": school.code, "pk": foreign.pk,
                                                       "action": "approve"})
    assert client.post(url, {"decision_number": "1", "decision_date": "01/03/2024"}).status_code == 404
    assert Topic.objects.get(pk=foreign.pk).status == Status.REGISTERED


def test_detail_page_offers_only_the_allowed_steps(users, client_as, school, lecturer, make_topic):
    topic = make_topic(school, lecturer, status=Status.IN_PROGRESS)
    page = client_as(users["staff"]).get(topic.get_absolute_url()).content.decode()
    assert step_url(topic, "accept") in page and step_url(topic, "extend") in page
    assert step_url(topic, "approve") not in page and step_url(topic, "start") not in page
    viewer_page = client_as(users["viewer"]).get(topic.get_absolute_url()).content.decode()
    assert step_url(topic, "accept") not in viewer_page
