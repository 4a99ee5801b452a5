"""Research fixtures: a few lecturers and a helper that builds topics in any lifecycle state."""

import datetime
from decimal import Decimal

import pytest

from research import services
from research.models import Topic
from schools.models import Staff


@pytest.fixture
def lecturers(school, unit, lecturer):
    others = [Staff.objects.create(school=school, full_name=name, unit=unit, is_lecturer=True)
              for name in ("Trần Thị Bình", "Lê Văn Cường")]
    return [lecturer, *others]


@pytest.fixture
def make_topic(users):
    """make_topic(school, leader, status=..., **fields) → a topic taken through the real services."""

    def make(school, leader, *, status=Topic.Status.REGISTERED, code=None, user=None, **fields):
        user = user or users["staff"]
        start = fields.pop("start_on", datetime.date(2024, 2, 1))
        accepted_on = fields.pop("accepted_on", None)
        grade = fields.pop("grade", Topic.Grade.GOOD)
        values = {"title": "Đề tài thử nghiệm", "level": Topic.Level.SCHOOL, "end_on": datetime.date(2024, 11, 30),
                  **fields}
        code = code or f"ĐT-{Topic.objects.count() + 1}"
        topic = services.topic_register(
            topic=Topic(school=school, leader=leader, code=code, start_on=start, **values), user=user
        )
        if status == Topic.Status.REGISTERED:
            return topic
        if status == Topic.Status.CANCELLED:
            return services.topic_cancel(topic=topic, user=user, reason="Không còn phù hợp",
                                         cancelled_on=start + datetime.timedelta(days=30))
        topic = services.topic_approve(topic=topic, user=user, decision_number="12-QĐ/TCT", decision_date=start)
        if status == Topic.Status.APPROVED:
            return topic
        topic = services.topic_start(topic=topic, user=user)
        if status == Topic.Status.IN_PROGRESS:
            return topic
        return services.topic_accept(topic=topic, user=user, council_date=accepted_on or values["end_on"],
                                     score=Decimal("85"), grade=grade)

    return make
