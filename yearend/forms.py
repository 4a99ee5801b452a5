from django import forms
from django.utils.translation import gettext_lazy as _

from yearend.models import YearLock


class LockForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm that the figures of this year are final and may be frozen."),
        error_messages={"required": _("Tick the box to confirm the lock.")},
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        error_messages={"required": _("Give the reason for reopening the year.")},
    )


class LockFilterForm(forms.Form):
    year = forms.IntegerField(label=_("year"), required=False, min_value=2000, max_value=2100)
    active = forms.ChoiceField(
        label=_("status"), required=False,
        choices=[("", _("locked now")), ("all", _("all, reopened included"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select form-select-sm"
                                          if isinstance(field.widget, forms.Select) else "form-control form-control-sm")


YEAR_LOCK_FIELDS = [field.name for field in YearLock._meta.fields]
