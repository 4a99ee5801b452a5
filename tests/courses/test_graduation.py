"""The graduation rule (courses/graduation.py): who graduates, who does not and why, and the
decision that closes the class — each refusal and each reason path."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditLog
from courses.graduation import graduation_verdicts, record_graduation
from courses.models import Enrollment, Mark, TrainingClass
from courses.services import recompute_enrollment
from tests.courses.helpers import enroll, make_class, make_learner, make_programme

D = Decimal
DECISION = {"decision_number": "45/QĐ-TCT", "decision_date": datetime.date(2025, 12, 20)}


@pytest.fixture
def klass(school):
    return make_class(school, make_programme(modules=3), opening=datetime.date(2025, 3, 1))


def with_marks(klass, name, *values):
    enrollment = enroll(klass, make_learner(name))
    modules = list(klass.programme.modules.order_by("order"))
    Mark.objects.bulk_create([Mark(enrollment=enrollment, module=m, value=D(v))
                              for m, v in zip(modules, values, strict=False) if v is not None])
    return recompute_enrollment(enrollment)


def verdicts_by_name(klass):
    return {v.enrollment.learner.full_name: v for v in graduation_verdicts(klass)}


def test_a_module_below_the_pass_mark_needs_a_resit_even_with_a_good_average(klass):
    """A module mark of 4,5 with an average of 7,5 graduated "Khá" when only the average counted."""
    learner = with_marks(klass, "Lê Văn Thi Lại", "4.5", "9", "9")
    assert learner.classification  # the average alone would graduate
    verdict = verdicts_by_name(klass)["Lê Văn Thi Lại"]
    assert not verdict.graduates
    assert verdict.reasons == ["Học phần 1: 4,5 dưới điểm đạt 5,0; cần có điểm thi lại."]
    # the re-sit mark, entered in place of the first, lets the learner graduate
    Mark.objects.filter(enrollment=learner, module__order=1).update(value=D("6"))
    recompute_enrollment(learner)
    assert verdicts_by_name(klass)["Lê Văn Thi Lại"].graduates


def test_the_pass_mark_is_the_programmes_data(klass):
    with_marks(klass, "Trần Thị Sáu", "5.5", "8", "8")
    assert verdicts_by_name(klass)["Trần Thị Sáu"].graduates
    klass.programme.module_pass_mark = D("6")
    klass.programme.save()
    klass.refresh_from_db()
    assert verdicts_by_name(klass)["Trần Thị Sáu"].reasons == [
        "Học phần 1: 5,5 dưới điểm đạt 6,0; cần có điểm thi lại."]


def test_missing_marks_and_a_low_average_are_reasons(klass):
    with_marks(klass, "Phạm Văn Thiếu", "7", None, None)
    low = with_marks(klass, "Đỗ Văn Thấp", "5", "5", "5")
    low.classification = ""  # an average under the lowest band (the bands may start above 5)
    low.save()
    verdicts = verdicts_by_name(klass)
    assert verdicts["Phạm Văn Thiếu"].reasons == ["Chưa có điểm: Học phần 2, Học phần 3."]
    assert verdicts["Đỗ Văn Thấp"].reasons == ["Điểm trung bình 5,0 chưa đạt mức xếp loại thấp nhất."]


def test_recording_needs_a_decision_number_and_a_plausible_date(klass):
    with_marks(klass, "Ngô Văn Đạt", "8", "8", "8")
    cases = [
        ({"decision_number": " ", "decision_date": DECISION["decision_date"]}, "decision_number"),
        ({"decision_number": "1/QĐ", "decision_date": None}, "decision_date"),
        ({"decision_number": "1/QĐ", "decision_date": timezone.localdate() + datetime.timedelta(days=1)},
         "decision_date"),
        ({"decision_number": "1/QĐ", "decision_date": datetime.date(2025, 2, 1)}, "decision_date"),  # before opening
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as refused:
            record_graduation(training_class=klass, **data)
        assert field in refused.value.message_dict
    assert not Enrollment.objects.exclude(status=Enrollment.Status.STUDYING).exists()
    klass.refresh_from_db()
    assert klass.status == TrainingClass.Status.IN_PROGRESS and not klass.closing_decision_number


def test_the_decision_closes_the_class_and_is_audited(klass):
    good = with_marks(klass, "Ngô Văn Đạt", "8", "8", "8")
    resit = with_marks(klass, "Lê Văn Thi Lại", "4", "9", "9")
    counts = record_graduation(training_class=klass, **DECISION)
    assert counts == {"graduated": 1, "not_graduated": 1}
    good.refresh_from_db()
    resit.refresh_from_db()
    assert good.status == Enrollment.Status.GRADUATED and resit.status == Enrollment.Status.NOT_GRADUATED
    klass.refresh_from_db()
    assert klass.status == TrainingClass.Status.CLOSED
    assert klass.closing_decision_number == "45/QĐ-TCT" and klass.closing_date == datetime.date(2025, 12, 20)
    assert AuditLog.objects.filter(object_id=str(klass.pk), content_type__model="trainingclass", action="update").exists()


def test_confirmation_page_lists_who_graduates_and_who_does_not(users, client_as, school, klass):
    with_marks(klass, "Ngô Văn Đạt", "8", "8", "8")
    with_marks(klass, "Lê Văn Thi Lại", "4", "9", "9")
    client = client_as(users["admin"])
    page_url = reverse("courses:record_graduation", kwargs={"school_code": school.code, "pk": klass.pk})
    page = client.get(page_url).content.decode()
    assert "1 học viên được công nhận tốt nghiệp" in page and "Ngô Văn Đạt" in page
    assert "1 học viên không đủ điều kiện tốt nghiệp" in page and "cần có điểm thi lại" in page
    response = client.post(page_url, {"decision_number": "", "decision_date": "20/12/2025"})
    assert response.status_code == 200 and not Enrollment.objects.filter(status="graduated").exists()
    response = client.post(page_url, {"decision_number": "45/QĐ-TCT", "decision_date": "20/12/2025"})
    assert response.status_code == 302
    klass.refresh_from_db()
    assert klass.status == TrainingClass.Status.CLOSED and klass.closing_decision_date == datetime.date(2025, 12, 20)
