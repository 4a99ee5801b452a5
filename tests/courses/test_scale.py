"""Changes made after `make bench` (national-size data): the list pages stay bounded in work."""

import datetime
import re

from django.urls import reverse

from courses.forms import LearnerFilterForm
from courses.models import Enrollment
from tests.courses.helpers import enroll, make_class, make_learner, make_programme


def url(name, school, **kwargs):
    return reverse(f"courses:{name}", kwargs={"school_code": school.code, **kwargs})


def test_class_list_counts_learners_and_graduates_per_class(users, client_as, school):
    programme = make_programme()
    full = make_class(school, programme, "K1", opening=datetime.date(2025, 1, 1))
    empty = make_class(school, programme, "K2", opening=datetime.date(2025, 2, 1))
    for index in range(3):
        enroll(full, make_learner(f"Người Học {index}"),
               status=Enrollment.Status.GRADUATED if index == 0 else Enrollment.Status.STUDYING)
    response = client_as(users["viewer"]).get(url("class_list", school), {"sort": "-learners"})
    counts = {c.code: (c.learner_count, c.graduated_count) for c in response.context["object_list"]}
    assert counts == {"K1": (3, 1), "K2": (0, 0)}
    assert [c.code for c in response.context["object_list"]] == ["K1", "K2"]
    assert empty.pk  # listed with zero, not left out


def test_learner_filter_offers_recent_classes_and_still_accepts_an_older_one(users, client_as, school,
                                                                            monkeypatch):
    monkeypatch.setattr(LearnerFilterForm, "CLASS_CHOICES_SHOWN", 2)
    programme = make_programme()
    classes = [make_class(school, programme, f"K{year}", opening=datetime.date(year, 3, 1))
               for year in (2021, 2022, 2023, 2024)]
    for index, klass in enumerate(classes):
        enroll(klass, make_learner(f"Học Viên {index}"))
    client = client_as(users["viewer"])
    page = client.get(url("learner_list", school)).content.decode()
    select = re.search(r'<select name="training_class".*?</select>', page, re.S).group(0)
    assert "K2024" in select and "K2023" in select
    assert "K2021" not in select and "K2022" not in select
    response = client.get(url("learner_list", school), {"training_class": classes[0].pk})
    assert [p.full_name for p in response.context["object_list"]] == ["Học Viên 0"]
    select = re.search(r'<select name="training_class".*?</select>', response.content.decode(), re.S).group(0)
    assert f'value="{classes[0].pk}" selected' in select and "K2021" in select


def test_learner_list_count_is_each_learner_once_with_and_without_filters(users, client_as, school, other_school):
    programme = make_programme()
    first = make_class(school, programme, "K1")
    second = make_class(school, programme, "K2")
    elsewhere = make_class(other_school, programme, "K9")
    both = make_learner("Nguyễn Văn Hai Lớp")
    enroll(first, both)
    enroll(second, both)
    enroll(first, make_learner("Trần Thị Một", sex="F"))
    enroll(elsewhere, make_learner("Lê Văn Trường Khác"))
    enroll(elsewhere, both)
    client = client_as(users["viewer"])
    assert client.get(url("learner_list", school)).context["paginator"].count == 2
    assert client.get(url("learner_list", school), {"training_class": second.pk}).context["paginator"].count == 1
    assert client.get(url("learner_list", school), {"q": "tran"}).context["paginator"].count == 1
    assert client.get(url("learner_list", school), {"sex": "F"}).context["paginator"].count == 1
