import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from audit.models import AuditLog
from audit.registry import registered_models
from core.forms import DateInput, FilterForm
from schools.models import School

DATE_RANGE = [MinValueValidator(datetime.date(2000, 1, 1)), MaxValueValidator(datetime.date(2100, 12, 31))]


def model_choices():
    return [("", "---------")] + [
        (model._meta.label_lower, str(model._meta.verbose_name).capitalize()) for model in registered_models()
    ]


class LogFilterForm(FilterForm):
    school = forms.ModelChoiceField(label=_("school"), queryset=School.objects.order_by("name"))
    model = forms.ChoiceField(label=_("kind of record"), choices=model_choices)
    user = forms.CharField(label=_("user"), max_length=150)
    action = forms.ChoiceField(label=_("action"), choices=[("", "---------"), *AuditLog.Action.choices])
    date_from = forms.DateField(label=_("from"), widget=DateInput(), validators=DATE_RANGE)
    date_to = forms.DateField(label=_("to"), widget=DateInput(), validators=DATE_RANGE)
    flagged = forms.BooleanField(label=_("flagged only"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = "form-check-input" if name == "flagged" else "form-select form-select-sm"
            if isinstance(field, forms.CharField | forms.DateField):
                css = "form-control form-control-sm"
            field.widget.attrs["class"] = css
