"""The training app's rules: citizen IDs, the grading rule and the yearly summary."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from courses.models import Classification, ClassificationBand, Enrollment, Mark, PlanLine
from courses.selectors import training_summaries, training_summary
from courses.services import recompute_enrollment
from courses.validators import validate_cccd
from tests.courses.helpers import enroll, make_class, make_learner, make_programme

pytestmark = pytest.mark.django_db


# --- CCCD ------------------------------------------------------------------------------------------
def test_valid_cccd_is_accepted_and_normalised():
    assert validate_cccd("040 085 012345", date_of_birth=datetime.date(1985, 2, 3), sex="M") == "040085012345"
    assert validate_cccd("042305000001", date_of_birth=datetime.date(2005, 1, 1), sex="F") == "042305000001"
    # an Excel number cell loses the leading zero: an int gets it back
    assert validate_cccd(40085012345) == "040085012345"


@pytest.mark.parametrize(
    ("value", "kwargs", "message"),
    [
        ("04008501234", {}, "12 chữ số"),
        ("04008501234X", {}, "12 chữ số"),
        ("999085012345", {}, "không phải mã tỉnh"),
        ("040585012345", {}, "Chữ số thứ 4"),
        ("040185012345", {"sex": "M"}, "giới tính"),
        ("040085012345", {"sex": "F"}, "giới tính"),
        ("040285012345", {"date_of_birth": datetime.date(1985, 1, 1)}, "năm sinh 2085"),
        ("040086012345", {"date_of_birth": datetime.date(1985, 1, 1)}, "năm sinh 1986"),
    ],
)
def test_invalid_cccd_is_refused_with_a_vietnamese_message(value, kwargs, message):
    with pytest.raises(ValidationError) as exc:
        validate_cccd(value, **kwargs)
    assert message in exc.value.messages[0]


def test_learner_full_clean_checks_cccd_against_birth_and_sex():
    learner = make_learner()
    learner.sex = "F"
    with pytest.raises(ValidationError) as exc:
        learner.full_clean()
    assert "cccd" in exc.value.message_dict


# --- grading rule ------------------------------------------------------------------------------
def _marks(enrollment, values):
    for module, value in zip(enrollment.training_class.programme.modules.all(), values, strict=True):
        Mark.objects.create(enrollment=enrollment, module=module, value=Decimal(value))


@pytest.mark.parametrize(
    ("values", "thesis", "average", "label"),
    [
        (["9", "9.5", "9"], "9", "9.13", Classification.EXCELLENT),
        (["8", "8", "8"], "8", "8.00", Classification.VERY_GOOD),
        (["7", "7.5", "6.5"], "7.25", "7.06", Classification.GOOD),
        (["6", "6", "6"], "6", "6.00", Classification.FAIRLY_GOOD),
        (["5", "5.5", "4.5"], "5", "5.00", Classification.AVERAGE),
        (["4", "5", "4.5"], "4", "4.38", ""),
    ],
)
def test_classification_from_marks_and_bands(school, values, thesis, average, label):
    klass = make_class(school, make_programme(has_thesis=True))
    enrollment = enroll(klass, thesis_mark=Decimal(thesis))
    _marks(enrollment, values)
    recompute_enrollment(enrollment)
    enrollment.refresh_from_db()
    assert enrollment.average == Decimal(average)
    assert enrollment.classification == label


def test_module_weights_and_missing_marks(school):
    programme = make_programme(modules=2)
    first, second = programme.modules.all()
    second.weight = Decimal("3")
    second.save()
    enrollment = enroll(make_class(school, programme))
    Mark.objects.create(enrollment=enrollment, module=first, value=Decimal("10"))
    recompute_enrollment(enrollment)
    assert enrollment.average is None and enrollment.classification == ""  # a mark is missing
    Mark.objects.create(enrollment=enrollment, module=second, value=Decimal("6"))
    recompute_enrollment(enrollment)
    assert enrollment.average == Decimal("7.00")  # (10×1 + 6×3) / 4
    assert enrollment.classification == Classification.GOOD


def test_bands_are_data_per_programme(school):
    programme = make_programme(modules=1)
    ClassificationBand.objects.filter(programme=programme, label=Classification.VERY_GOOD).update(
        min_average=Decimal("8.50")
    )
    enrollment = enroll(make_class(school, programme))
    _marks(enrollment, ["8.25"])
    recompute_enrollment(enrollment)
    assert enrollment.classification == Classification.GOOD


# --- training summary -------------------------------------------------------------------------
def _year_fixture(school):
    tc = make_programme("TC")
    refresher = make_programme("BD", kind="refresher", modules=1)
    k1 = make_class(school, tc, "K1", opening=datetime.date(2024, 9, 1), closing=datetime.date(2025, 4, 1))
    k2 = make_class(school, tc, "K2", opening=datetime.date(2025, 2, 1))
    b1 = make_class(school, refresher, "B1", opening=datetime.date(2025, 5, 1), closing=datetime.date(2025, 5, 10))
    make_class(school, tc, "OLD", opening=datetime.date(2023, 1, 1), closing=datetime.date(2023, 9, 1))
    for index in range(3):
        enroll(k1, make_learner(f"Học Viên {index}"), status=Enrollment.Status.GRADUATED,
               classification=Classification.GOOD if index else Classification.VERY_GOOD)
    for index in range(4):
        enroll(k2, make_learner(f"Người Học {index}"))
    for index in range(2):
        enroll(b1, make_learner(f"Bồi Dưỡng {index}"), status=Enrollment.Status.GRADUATED,
               classification=Classification.AVERAGE)
    from courses.models import AnnualPlan

    plan = AnnualPlan.objects.create(school=school, year=2025)
    PlanLine.objects.create(plan=plan, programme=tc, planned_classes=2, planned_learners=5)
    PlanLine.objects.create(plan=plan, programme=refresher, planned_classes=2, planned_learners=3)
    return tc, refresher


def test_training_summary_counts_and_fulfilment(school):
    tc, refresher = _year_fixture(school)
    summary = training_summary(school, 2025)
    assert summary["classes_opened"] == 2  # K2, B1
    assert summary["classes_closed"] == 2  # K1, B1
    assert summary["learner_turns"] == 6  # 4 in K2 + 2 in B1
    assert (summary["planned_classes"], summary["planned_learners"]) == (4, 8)
    assert summary["fulfilment_classes_pct"] == Decimal("50.0")
    assert summary["fulfilment_learners_pct"] == Decimal("75.0")
    assert summary["graduated"] == 5
    assert summary["classifications"][Classification.GOOD] == 2
    assert summary["classifications"][Classification.VERY_GOOD] == 1
    assert summary["classifications"][Classification.AVERAGE] == 2
    assert summary["classifications"][Classification.EXCELLENT] == 0
    lines = {line["programme"].code: line for line in summary["by_programme"]}
    plain = {key: value for key, value in lines["TC"].items() if key != "graduated" and not key.startswith("classified_")}
    assert plain == {"programme": tc, "classes_opened": 1, "classes_closed": 1, "learner_turns": 4,
                     "planned_classes": 2, "planned_learners": 5}
    # graduates and classification per programme line add up to the school's
    assert sum(line["graduated"] for line in lines.values()) == summary["graduated"] == 5
    assert sum(line["classified_good"] for line in lines.values()) == summary["classifications"][Classification.GOOD]
    assert lines["BD"]["learner_turns"] == 2


def test_training_summary_without_plan_has_no_fulfilment(school):
    make_class(school, make_programme(), "K1", opening=datetime.date(2025, 1, 1))
    summary = training_summary(school, 2025)
    assert summary["classes_opened"] == 1
    assert summary["fulfilment_classes_pct"] is None and summary["fulfilment_learners_pct"] is None


def test_training_summaries_bounded_queries(school, other_school, django_assert_num_queries):
    _year_fixture(school)
    with django_assert_num_queries(6):
        few = training_summaries([school, other_school], 2025)
    programme = make_programme("MORE")
    for index in range(10):
        klass = make_class(other_school, programme, f"X{index}", opening=datetime.date(2025, 1, 1))
        enroll(klass, make_learner(f"Thêm Người {index}"))
    with django_assert_num_queries(6):
        many = training_summaries([school, other_school], 2025)
    assert few[school.pk]["learner_turns"] == many[school.pk]["learner_turns"] == 6
    assert many[other_school.pk]["classes_opened"] == 10 and many[other_school.pk]["learner_turns"] == 10
