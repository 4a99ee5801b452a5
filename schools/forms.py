from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import CrispyMixin, DateInput, FilterForm, SchoolScopedModelForm
from schools.models import OrgUnit, Province, Region, School, Staff
from schools.structure import deputies_allowed, unit_people


class SchoolForm(CrispyMixin, forms.ModelForm):
    renamed_on = forms.DateField(
        label=_("new name in force from"), required=False, widget=DateInput(),
        help_text=_("When the official name, short name or province changes, give the date of the change: "
                    "the old name stays in the name history for the years before. Leave empty to correct a typo."),
    )

    class Meta:
        model = School
        fields = [
            "kind", "code", "name", "short_name", "province", "renamed_on", "region", "address",
            "founding_decision", "founding_date", "established_on", "guided_by",
            "merged_into", "merged_on", "dissolved_on", "successor", "active",
            "superior_body", "issuing_body", "place_name", "document_symbol", "signer_capacity", "signer_title",
            "signer_name", "cluster_signer_title",
        ]
        widgets = {"founding_date": DateInput(), "merged_on": DateInput(), "established_on": DateInput(),
                   "dissolved_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        others = School.objects.exclude(pk=self.instance.pk) if self.instance.pk else School.objects.all()
        self.fields["guided_by"].queryset = others.filter(kind=School.Kind.PROVINCIAL)
        self.fields["merged_into"].queryset = others
        self.fields["successor"].queryset = others
        self.initial_names = (self.instance.name, self.instance.short_name, self.instance.province_id)
        for name in ("signer_title", "cluster_signer_title"):  # empty: the usual title (HIỆU TRƯỞNG, CỤM TRƯỞNG)
            self.fields[name].required = False
        self.helper = self.build_helper()

    def clean_signer_title(self):
        return self.cleaned_data.get("signer_title") or School._meta.get_field("signer_title").default

    def clean_cluster_signer_title(self):
        return self.cleaned_data.get("cluster_signer_title") or School._meta.get_field("cluster_signer_title").default

    def names_changed(self) -> bool:
        if not self.instance.pk:
            return False
        cleaned = self.cleaned_data
        province = cleaned.get("province")
        return self.initial_names != (cleaned.get("name"), cleaned.get("short_name"), province.pk if province else None)

    def save(self, commit=True):
        from schools import services

        renamed_on = self.cleaned_data.get("renamed_on")
        changed = self.names_changed()
        if commit and changed:
            services.ensure_name_history(School.objects.select_related("province").get(pk=self.instance.pk))
        school = super().save(commit=commit)
        if commit and changed:
            services.record_name(
                school, valid_from=renamed_on if renamed_on else services.current_period_start(school),
                name=school.name, short_name=school.short_name,
                province_name=school.province.name if school.province_id else "",
            )
        return school

    def clean_code(self):
        return self.cleaned_data["code"].upper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("merged_into") and not cleaned.get("merged_on"):
            self.add_error("merged_on", _("Give the date of the merger."))
        if self.instance.pk and cleaned.get("merged_into") == self.instance:
            self.add_error("merged_into", _("A school cannot be merged into itself."))
        if cleaned.get("renamed_on") and cleaned["renamed_on"] > timezone.localdate():
            self.add_error("renamed_on", _("Record a rename once it is in force (the date cannot be in the future)."))
        elif cleaned.get("renamed_on") and not self.names_changed():
            self.add_error("renamed_on", _("Change the name, short name or province, or leave this date empty."))
        return cleaned


class SchoolFilterForm(FilterForm):
    kind = forms.ChoiceField(label=_("kind"), choices=[("", _("All"))] + School.Kind.choices)
    province = forms.ModelChoiceField(label=_("province / city"), queryset=Province.objects.all())
    region = forms.ChoiceField(label=_("region"), choices=[("", _("All"))] + Region.choices)
    active = forms.NullBooleanField(
        label=_("active"),
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )
    year = forms.IntegerField(label=_("existing in year"), min_value=1945, max_value=2100)


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
        people = unit_people(self.instance)
        if len(deputies) > deputies_allowed(people):
            self.add_error("deputies", _(
                "A unit of fewer than 10 people has one deputy head; from 10 people, at most two (Regulation "
                "09-QĐi/TW). This unit has %(people)s people on the payroll."
            ) % {"people": people})
        return cleaned


class StaffForm(SchoolScopedModelForm):
    scoped_fields = ("unit",)

    class Meta:
        model = Staff
        fields = [
            "full_name", "date_of_birth", "sex", "unit", "position", "is_lecturer", "category", "degree",
            "academic_title", "lecturer_rank", "theory_level", "classics_certificate", "joined_on", "left_on",
        ]
        widgets = {"joined_on": DateInput(), "left_on": DateInput()}

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

    def save(self, commit=True):
        if self.cleaned_data.get("left_on") is None:
            self.instance.active = True  # no leaving date: still at the school
        return super().save(commit=commit)


class StaffFilterForm(FilterForm):
    scoped_fields = ("unit",)

    unit = forms.ModelChoiceField(label=_("faculty / office"), queryset=OrgUnit.objects.all())
    is_lecturer = forms.NullBooleanField(
        label=_("lecturer"), widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))])
    )
    category = forms.ChoiceField(label=_("category"), choices=[("", _("All"))] + Staff.Category.choices)
    on_date = forms.DateField(label=_("at the school on"), widget=DateInput())
    degree = forms.ChoiceField(label=_("degree"), choices=[("", _("All"))] + Staff.Degree.choices[1:])
    lecturer_rank = forms.ChoiceField(
        label=_("lecturer rank"), choices=[("", _("All"))] + Staff.LecturerRank.choices[1:]
    )
    active = forms.NullBooleanField(
        label=_("active"), widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))])
    )
