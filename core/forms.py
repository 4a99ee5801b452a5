"""Form bases: crispy layout, and choice lists scoped to the school the form is for."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

DATE_WIDGET_ATTRS = {"placeholder": "dd/mm/yyyy", "autocomplete": "off"}


class DateInput(forms.DateInput):
    """A text box for dd/mm/yyyy (the browser's date picker shows yyyy-mm-dd in many locales)."""

    def __init__(self, attrs=None):
        super().__init__(attrs={**DATE_WIDGET_ATTRS, **(attrs or {})}, format="%d/%m/%Y")


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of records that refuses ids beyond the database's integer range as invalid
    choices. Django's own field looks them up with ``pk__in``, which SQLite answers with an
    OverflowError (a 500; found by tests/trust/test_hostile_input.py)."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        meta = self.queryset.model._meta
        field = meta.pk if key == "pk" else meta.get_field(key)
        if isinstance(field, models.IntegerField) and isinstance(value, list | tuple):
            for pk in value:
                try:
                    number = int(str(pk))
                except ValueError:
                    continue  # Django's own check refuses it with its message
                if not -(2**63) <= number < 2**63:
                    raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                          params={"pk": pk})
        return super()._check_values(value)


class CrispyMixin:
    submit_label = _("Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # every form of the project: multiple choices stay bounded
            if type(field) is forms.ModelMultipleChoiceField:
                field.__class__ = BoundedModelMultipleChoiceField

    def build_helper(self):
        helper = FormHelper()
        helper.form_tag = False
        helper.add_input(Submit("submit", self.submit_label))
        return helper


class SchoolScopedModelForm(CrispyMixin, forms.ModelForm):
    """ModelForm for a school-owned record.

    ``scoped_fields`` lists the foreign-key/many-to-many fields whose choices must come from the
    same school; their querysets become ``<related model>.objects.for_school(school)``.
    """

    scoped_fields: tuple[str, ...] = ()

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        for name in self.scoped_fields:
            field = self.fields.get(name)
            if field is not None:
                field.queryset = field.queryset.model.objects.for_school(school)
        for field in self.fields.values():
            if isinstance(field, forms.DateField) and not isinstance(field.widget, forms.HiddenInput):
                field.widget = DateInput()
        self.helper = self.build_helper()

    def save(self, commit=True):
        if hasattr(self.instance, "school_id") and not self.instance.school_id:
            self.instance.school = self.school
        return super().save(commit=commit)


class FilterForm(forms.Form):
    """GET filter forms of list pages; ``school`` scopes any model choices."""

    scoped_fields: tuple[str, ...] = ()

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        for name in self.scoped_fields:
            field = self.fields[name]
            field.queryset = field.queryset.model.objects.for_school(school) if school else field.queryset.none()
        for field in self.fields.values():
            field.required = False
            css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            field.widget.attrs.setdefault("class", css)
