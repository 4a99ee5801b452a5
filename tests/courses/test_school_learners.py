"""The school–learner index (courses.SchoolLearner) behind the learner list stays in step with the
enrollments on every path that makes, deletes or renames them, and the list reads it."""

import datetime

import pytest
from django.urls import reverse

from courses import school_learners
from courses.models import Enrollment, Learner, SchoolLearner
from tests.courses.helpers import enroll, make_class, make_learner, make_programme
from tests.courses.test_import import confirm, people, upload_batch
from tests.courses.test_views import learner_data


def url(name, school, **kwargs):
    return reverse(f"courses:{name}", kwargs={"school_code": school.code, **kwargs})


def pairs():
    return set(SchoolLearner.objects.values_list("school__code", "learner__full_name"))


@pytest.fixture
def programme(db):
    return make_programme()


def test_enrolling_through_the_page_and_deleting_keep_the_index(users, client_as, school, other_school, programme):
    first, second = make_class(school, programme, "K1"), make_class(school, programme, "K2")
    elsewhere = make_class(other_school, programme, "B1")
    client = client_as(users["staff"])
    assert client.post(url("enroll", school, pk=first.pk), learner_data()).status_code == 302
    assert pairs() == {(school.code, "Trần Thị Hoa")}
    learner = Learner.objects.get(full_name="Trần Thị Hoa")
    enroll(second, learner)  # a second class of the same school: still one row
    enroll(elsewhere, learner)
    assert pairs() == {(school.code, "Trần Thị Hoa"), (other_school.code, "Trần Thị Hoa")}
    # Deleting one of two enrollments at the school keeps the learner in its list; the last one removes it.
    one = Enrollment.objects.get(training_class=first)
    assert client.post(url("enrollment_delete", school, pk=one.pk)).status_code == 302
    assert (school.code, "Trần Thị Hoa") in pairs()
    last = Enrollment.objects.get(training_class=second)
    assert client.post(url("enrollment_delete", school, pk=last.pk)).status_code == 302
    assert pairs() == {(other_school.code, "Trần Thị Hoa")}
    assert school_learners.is_in_step()


def test_renaming_a_learner_updates_the_search_and_the_order(users, client_as, school, programme):
    klass = make_class(school, programme, "K1")
    learner = enroll(klass, make_learner("Nguyễn Văn An")).learner
    enroll(klass, make_learner("Lê Thị Bích", sex="F"))
    client = client_as(users["staff"])
    data = {"full_name": "Nguyễn Văn Yên", "cccd": learner.cccd, "date_of_birth": "01/05/1985", "sex": "M"}
    assert client.post(url("learner_update", school, pk=learner.pk), data).status_code == 302
    assert school_learners.is_in_step()
    listed = client.get(url("learner_list", school)).context["object_list"]
    assert [p.full_name for p in listed] == ["Lê Thị Bích", "Nguyễn Văn Yên"]  # given name order: Bích, Yên
    assert [p.full_name for p in client.get(url("learner_list", school), {"q": "yen"}).context["object_list"]] == [
        "Nguyễn Văn Yên"]
    assert not client.get(url("learner_list", school), {"q": "van an"}).context["object_list"]


def test_an_excel_import_fills_the_index(users, client_as, school, programme):
    klass = make_class(school, programme, "K1")
    client = client_as(users["staff"])
    confirm(client, upload_batch(client, klass, people(3)))
    assert Enrollment.objects.filter(training_class=klass).count() == 3
    assert SchoolLearner.objects.filter(school=school).count() == 3
    assert school_learners.is_in_step()


def test_the_list_shows_only_the_schools_learners_once_each(users, client_as, school, other_school, programme):
    here, there = make_class(school, programme, "K1"), make_class(other_school, programme, "B1")
    shared = make_learner("Phạm Văn Chung")
    enroll(here, shared)
    enroll(make_class(school, programme, "K2"), shared)
    enroll(there, shared)
    enroll(there, make_learner("Đỗ Văn Chung"))
    client = client_as(users["viewer"])
    response = client.get(url("learner_list", school), {"q": "chung"})
    assert [p.full_name for p in response.context["object_list"]] == ["Phạm Văn Chung"]
    assert response.context["paginator"].count == 1
    assert client.get(url("learner_list", school), {"q": shared.cccd[-6:]}).context["paginator"].count == 1


def test_a_stale_index_is_found_by_the_check_and_rebuilt(school, programme):
    klass = make_class(school, programme, "K1")
    Enrollment.objects.bulk_create([Enrollment(training_class=klass, learner=make_learner(f"Học Viên {n}",
                                                                                          dob=datetime.date(1990, 1, n)))
                                    for n in range(1, 4)])  # bulk: bypasses the signals
    assert not school_learners.is_in_step()
    assert school_learners.rebuild() == 3
    assert school_learners.is_in_step()
