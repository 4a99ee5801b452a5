"""Values a school declares: an indicator counted in people (classes, learner-turns…) takes whole numbers."""

import pytest

from compliance.forms import AnswerForm
from compliance.models import Indicator

pytestmark = pytest.mark.django_db


def declared_answer(assessment, unit):
    answer = assessment.answers.select_related("indicator").order_by("pk").first()
    Indicator.objects.filter(pk=answer.indicator_id).update(
        unit=unit, measurement=Indicator.Measurement.DECLARED, comparison=Indicator.Comparison.GTE)
    answer.indicator.refresh_from_db()
    return answer


@pytest.mark.parametrize("unit", ["người", "lượt", "lớp"])
def test_counted_indicators_refuse_fractions(assessment, unit):
    answer = declared_answer(assessment, unit)
    form = AnswerForm({"value": "2,5", "explanation": "x"}, answer=answer)
    assert not form.is_valid()
    assert form.errors["value"] == [f"Chỉ tiêu này tính theo đơn vị {unit}: hãy nhập số nguyên."]
    assert AnswerForm({"value": "3", "explanation": "x"}, answer=answer).is_valid()


def test_percentages_keep_their_decimals(assessment):
    answer = declared_answer(assessment, "%")
    form = AnswerForm({"value": "74,6", "explanation": "x"}, answer=answer)
    assert form.is_valid(), form.errors
    assert str(form.cleaned_data["value"]) == "74.6"
