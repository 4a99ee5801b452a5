from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CrispyMixin, DateInput, FilterForm, SchoolScopedModelForm
from schools.models import OrgUnit, Province, Region, School, Staff


class SchoolForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = School
        fields = [
            "kind", "code", "name", "short_name", "province", "region", "address",
            "founding_decision", "founding_date", "merged_into", "merged_on", "active",
            "superior_body", "issuing_body", "place_name", "document_symbol", "signer_capacity", "signer_title",
            "signer_name", "cluster_signer_title",
        ]
        widgets = {"founding_date": DateInput(), "merged_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.build_helper()

    def clean_code(self):
        return self.cleaned_data["code"].upper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("merged_into") and not cleaned.get("merged_on"):
            self.add_error("merged_on", _("Give the date of the merger."))
        if self.instance.pk and cleaned.get("merged_into") == self.instance:
            self.add_error("merged_into", _("A school cannot be merged into itself."))
        return cleaned


class SchoolFilterForm(FilterForm):
    kind = forms.ChoiceField(label=_("kind"), choices=[("", _("All"))] + School.Kind.choices)
    province = forms.ModelChoiceField(label=_("province / city"), queryset=Province.objects.all())
    region = forms.ChoiceField(label=_("region"), choices=[("", _("All"))] + Region.choices)
    active = forms.NullBooleanField(
        label=_("active"),
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )


class OrgUnitForm(SchoolScopedModelForm):
    scoped_fields = ("head", "deputies")

    class Meta:
        model = OrgUnit
        fields = ["kind", "function", "name", "head", "deputies"]
        widgets = {"deputies": forms.CheckboxSelectMultiple}

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        clash = OrgUnit.objects.for_school(self.school).filter(name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("This school already has a unit with this name."))
        return name

    def clean(self):
        cleaned = super().clean()
        head, deputies = cleaned.get("head"), cleaned.get("deputies") or []
        if head and head in deputies:
            self.add_error("deputies", _("The head cannot also be a deputy."))
        if len(deputies) > 2:
            self.add_error("deputies", _("A unit has at most two deputies (Regulation 09-QĐi/TW)."))
        return cleaned


class StaffForm(SchoolScopedModelForm):
    scoped_fields = ("unit",)

    class Meta:
        model = Staff
        fields = [
            "full_name", "date_of_birth", "sex", "unit", "position", "is_lecturer", "category", "degree",
            "academic_title", "lecturer_rank", "theory_level", "classics_certificate", "active",
        ]

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the full name."))
        return name

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("lecturer_rank") and not cleaned.get("is_lecturer"):
            self.add_error("is_lecturer", _("A person with a lecturer rank must be marked as a lecturer."))
        return cleaned


class StaffFilterForm(FilterForm):
    scoped_fields = ("unit",)

    unit = forms.ModelChoiceField(label=_("faculty / office"), queryset=OrgUnit.objects.all())
    is_lecturer = forms.NullBooleanField(
        label=_("lecturer"), widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))])
    )
    category = forms.ChoiceField(label=_("category"), choices=[("", _("All"))] + Staff.Category.choices)
    degree = forms.ChoiceField(label=_("degree"), choices=[("", _("All"))] + Staff.Degree.choices[1:])
    lecturer_rank = forms.ChoiceField(
        label=_("lecturer rank"), choices=[("", _("All"))] + Staff.LecturerRank.choices[1:]
    )
    active = forms.NullBooleanField(
        label=_("active"), widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))])
    )
