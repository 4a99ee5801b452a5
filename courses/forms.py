from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from core.forms import CrispyMixin, DateInput, FilterForm, SchoolScopedModelForm
from core.vietnamese import fold, normalize
from courses.models import (
    DETAIL_FIELDS,
    IDENTITY_FIELDS,
    AnnualPlan,
    Classification,
    ClassificationBand,
    Enrollment,
    Learner,
    LearnerDetails,
    Module,
    PlanLine,
    Programme,
    TrainingClass,
)
from courses.validators import validate_document
from schools.models import School

ALL = [("", _("All"))]


# --- catalogue (Academy) ----------------------------------------------------------------------
class ProgrammeForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "code", "name", "kind", "description", "duration_months", "has_thesis", "thesis_weight",
            "has_exam", "exam_weight", "module_pass_mark", "issues_diploma", "active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module_pass_mark"].required = False  # empty: the usual 5,0
        self.fields["module_pass_mark"].localize = True
        self.fields["module_pass_mark"].widget.is_localized = True
        self.helper = self.build_helper()
        self.helper.inputs = []  # the page has one Save button for the form and its formsets

    def clean_module_pass_mark(self):
        value = self.cleaned_data.get("module_pass_mark")
        return Programme._meta.get_field("module_pass_mark").default if value is None else value

    def clean_code(self):
        return self.cleaned_data["code"].upper()

    def clean_name(self):
        return normalize(self.cleaned_data["name"])


class RowFormMixin:
    """Bootstrap classes for the small forms of a formset table (rendered without crispy)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name == "DELETE":
                field.widget.attrs["class"] = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select form-select-sm"
            else:
                field.widget.attrs["class"] = "form-control form-control-sm"


class ModuleForm(RowFormMixin, forms.ModelForm):
    class Meta:
        model = Module
        fields = ["order", "name", "weight"]


class BandForm(RowFormMixin, forms.ModelForm):
    class Meta:
        model = ClassificationBand
        fields = ["label", "min_average"]


class BaseBandFormSet(forms.BaseInlineFormSet):
    def clean(self):
        # Our clear messages first; the formset's generic duplicate check then skips these forms.
        seen = set()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        for form in kept:
            label = form.cleaned_data.get("label")
            if label in seen:
                form.add_error("label", _("Each classification appears once."))
            seen.add(label)
        # A better classification needs a higher minimum (bands are ordered best first).
        order = {value: index for index, value in enumerate(Classification.values)}
        ranked = sorted(
            (f for f in kept if f.cleaned_data.get("label") and f.cleaned_data.get("min_average") is not None),
            key=lambda f: order[f.cleaned_data["label"]],
        )
        for better, worse in zip(ranked, ranked[1:], strict=False):
            if better.cleaned_data["min_average"] <= worse.cleaned_data["min_average"]:
                better.add_error("min_average", _("A better classification needs a higher minimum average."))
        super().clean()


class BaseModuleFormSet(forms.BaseInlineFormSet):
    def clean(self):
        orders = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            order = form.cleaned_data.get("order")
            if order in orders:
                form.add_error("order", _("Two modules cannot have the same order."))
            orders.add(order)
        super().clean()


ModuleFormSet = inlineformset_factory(
    Programme, Module, form=ModuleForm, formset=BaseModuleFormSet, extra=3, can_delete=True
)
BandFormSet = inlineformset_factory(
    Programme, ClassificationBand, form=BandForm, formset=BaseBandFormSet, extra=1, can_delete=True,
    max_num=len(Classification.values), validate_max=True,
)


class ProgrammeFilterForm(FilterForm):
    kind = forms.ChoiceField(label=_("kind"), choices=ALL + Programme.Kind.choices)
    active = forms.NullBooleanField(
        label=_("active"), widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))])
    )


# --- annual plans -------------------------------------------------------------------------------
class AnnualPlanForm(SchoolScopedModelForm):
    class Meta:
        model = AnnualPlan
        fields = ["year", "decision_number", "decision_date", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.inputs = []

    def clean_year(self):
        year = self.cleaned_data["year"]
        clash = AnnualPlan.objects.for_school(self.school).filter(year=year).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("This school already has a plan for %(year)s.") % {"year": year})
        return year


class PlanLineForm(RowFormMixin, forms.ModelForm):
    class Meta:
        model = PlanLine
        fields = ["programme", "planned_classes", "planned_learners"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # an inactive programme stays selectable on the lines that already use it
        current = self.instance.programme_id if self.instance.pk else None
        self.fields["programme"].queryset = Programme.objects.filter(Q(active=True) | Q(pk=current))


class BasePlanLineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        # Our clear messages first; the formset's generic duplicate check then skips these forms.
        seen = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            programme = form.cleaned_data.get("programme")
            if programme in seen:
                form.add_error("programme", _("This programme is already in the plan."))
            seen.add(programme)
        super().clean()


PlanLineFormSet = inlineformset_factory(
    AnnualPlan, PlanLine, form=PlanLineForm, formset=BasePlanLineFormSet, extra=3, can_delete=True
)


# --- classes ----------------------------------------------------------------------------------
class TrainingClassForm(SchoolScopedModelForm):
    scoped_fields = ("adviser",)

    class Meta:
        model = TrainingClass
        fields = [
            "code", "name", "programme", "mode", "venue", "opening_date", "closing_date", "status", "adviser",
            "planned_size", "opening_decision_number", "opening_decision_date", "closing_decision_number",
            "closing_decision_date", "partner", "taught_by", "diploma_by", "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.instance.school = self.school
        current = self.instance.programme_id if self.instance.pk else None
        self.fields["programme"].queryset = Programme.objects.filter(Q(active=True) | Q(pk=current))
        self.fields["adviser"].queryset = self.fields["adviser"].queryset.filter(is_lecturer=True)
        self.fields["partner"].queryset = School.objects.filter(
            kind__in=[School.Kind.ACADEMY, School.Kind.MEMBER_ACADEMY]).exclude(pk=self.school.pk)

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).upper()
        clash = TrainingClass.objects.for_school(self.school).filter(code__iexact=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("This school already has a class with this code."))
        return code

    def clean_name(self):
        return normalize(self.cleaned_data["name"])


class TrainingClassFilterForm(FilterForm):
    programme = forms.ModelChoiceField(label=_("programme"), queryset=Programme.objects.all())
    status = forms.ChoiceField(label=_("status"), choices=ALL + TrainingClass.Status.choices)
    mode = forms.ChoiceField(label=_("mode"), choices=ALL + TrainingClass.Mode.choices)
    year = forms.IntegerField(label=_("year of opening"), min_value=2000, max_value=2100)
    joint = forms.ChoiceField(label=_("joint class"), choices=ALL + [("yes", _("run jointly")), ("no", _("own class"))])


# --- learners and enrollments -------------------------------------------------------------------
LEARNER_FIELDS = [*IDENTITY_FIELDS, *DETAIL_FIELDS]


class LearnerForm(CrispyMixin, forms.ModelForm):
    """A learner's record as one school sees it (see ``Learner``): the identity is shared and may be
    corrected here only while the person is a learner of this school alone; the details are the
    school's own — the learner's fields for the school that recorded the person, this school's
    ``LearnerDetails`` for any other. Nothing another school entered is shown or changed."""

    class Meta:
        model = Learner
        fields = LEARNER_FIELDS
        widgets = {"date_of_birth": DateInput(), "party_joined_on": DateInput(), "party_official_on": DateInput()}

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        learner = self.instance
        self.owner = school is None or learner.pk is None or learner.recorded_by_id == school.pk
        self.shared = bool(learner.pk and school is not None and (
            not self.owner
            or Enrollment.objects.filter(learner=learner).exclude(training_class__school=school).exists()))
        if not self.owner:
            details = learner.details_at(school.pk)
            for name in DETAIL_FIELDS:
                self.initial[name] = getattr(details, Learner._meta.get_field(name).attname)
        if self.shared:
            for name in IDENTITY_FIELDS:
                self.fields[name].disabled = True
            self.fields["full_name"].help_text = _(
                "This person is also a learner of another school: the name, identity document, date of birth and "
                "sex are corrected by the Academy. The other details below are this school's own.")
        self.fields["document_type"].required = False  # a CCCD when not said (the form as it was)
        self.helper = self.build_helper()

    def clean_document_type(self):
        return self.cleaned_data.get("document_type") or Learner.DocumentType.CCCD

    def clean_full_name(self):
        name = normalize(self.cleaned_data["full_name"])
        if not name:
            raise ValidationError(_("Enter the full name."))
        return name

    def save(self, commit=True):
        if self.owner:
            return super().save(commit=commit)
        # Another school's learner: only this school's own details are written.
        values = {name: self.cleaned_data.get(name) for name in DETAIL_FIELDS}
        save_school_details(self.instance, self.school, values)
        self.instance = Learner.objects.get(pk=self.instance.pk)  # the shared record, unchanged
        return self.instance


def save_school_details(learner: Learner, school, values: dict) -> None:
    """Write a school's own details of a learner it did not record (audited like every change)."""
    details = LearnerDetails.objects.filter(learner=learner, school=school).first() or LearnerDetails(
        learner=learner, school=school)
    for name, value in values.items():
        setattr(details, name, value if value is not None or name in NULLABLE_DETAILS else "")
    details.full_clean(exclude=["learner", "school"])
    details.save()


NULLABLE_DETAILS = {"ethnic_group", "party_joined_on", "party_official_on"}


class LearnerIdentityForm(CrispyMixin, forms.ModelForm):
    """The shared identity of a learner, as the Academy corrects it."""

    class Meta:
        model = Learner
        fields = list(IDENTITY_FIELDS)
        widgets = {"date_of_birth": DateInput()}

    def __init__(self, *args, **kwargs):
        kwargs.pop("school", None)
        super().__init__(*args, **kwargs)
        self.helper = self.build_helper()

    def clean_full_name(self):
        name = normalize(self.cleaned_data["full_name"])
        if not name:
            raise ValidationError(_("Enter the full name."))
        return name


class EnrollLearnerForm(LearnerForm):
    """Add a learner to a class by identity document: a known person is linked, an unknown one is created."""

    submit_label = _("Add to class")

    def __init__(self, *args, training_class, **kwargs):
        super().__init__(*args, school=training_class.school, **kwargs)
        self.training_class = training_class
        self.existing = None
        self.fields["full_name"].help_text = _("A person already known by this identity document is linked.")

    def validate_unique(self):
        if self.existing is None:  # a known person is linked, not created again
            super().validate_unique()

    def _post_clean(self):
        if self.existing is None:
            super()._post_clean()

    def clean(self):
        cleaned = super().clean()
        kind, number = cleaned.get("document_type"), cleaned.get("cccd")
        if not kind or not number:
            return cleaned
        try:
            number, nationality = validate_document(
                kind, number, nationality=cleaned.get("nationality", ""), date_of_birth=cleaned.get("date_of_birth"),
                sex=cleaned.get("sex"))
        except ValidationError as exc:
            self.add_error("cccd", exc)
            return cleaned
        cleaned["cccd"], cleaned["nationality"] = number, nationality
        known = self.existing = Learner.objects.filter(
            document_type=kind, cccd=number, nationality=nationality).first()
        if known is None:
            return cleaned
        name, dob = cleaned.get("full_name"), cleaned.get("date_of_birth")
        name_differs = bool(name) and fold(name) != fold(known.full_name)
        dob_differs = bool(dob and known.date_of_birth) and dob != known.date_of_birth
        if name_differs or dob_differs:
            # Do not reveal who the number belongs to: the person may be another school's learner.
            raise ValidationError(
                _("This citizen ID number is already recorded for a person with another name or date of birth; "
                  "check the citizen ID number, the name and the date of birth.")
            )
        if Enrollment.objects.filter(training_class=self.training_class, learner=known).exists():
            raise ValidationError(_("%(name)s is already in this class.") % {"name": known.full_name})
        return cleaned

    def save(self, commit=True):
        """The learner to enroll: a new record (recorded by this school), or the known person with the
        details typed here kept as this school's own (their shared record is left as it is)."""
        known = self.existing
        if known is None:
            learner = forms.ModelForm.save(self, commit=False)
            learner.recorded_by = self.school
            learner.save()
            return learner
        if known.recorded_by_id not in (None, self.school.pk):
            save_school_details(known, self.school, {name: self.cleaned_data.get(name) for name in DETAIL_FIELDS})
        return known


class EnrollmentForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Enrollment
        fields = ["status", "diploma_number", "diploma_date", "note"]
        widgets = {"diploma_date": DateInput()}

    def __init__(self, *args, **kwargs):
        kwargs.pop("school", None)
        super().__init__(*args, **kwargs)
        self.helper = self.build_helper()


class DiplomaForm(RowFormMixin, forms.ModelForm):
    class Meta:
        model = Enrollment
        fields = ["diploma_number", "diploma_date"]
        widgets = {"diploma_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["diploma_date"].widget.attrs["class"] = "form-control form-control-sm"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("diploma_date") and not cleaned.get("diploma_number"):
            self.add_error("diploma_number", _("Give the diploma / certificate number."))
        return cleaned


class BaseDiplomaFormSet(forms.BaseModelFormSet):
    def clean(self):
        numbers = set()
        for form in self.forms:
            number = (form.cleaned_data or {}).get("diploma_number")
            if number and number in numbers:
                form.add_error("diploma_number", _("This number is already given to another learner of the class."))
            numbers.add(number)
        super().clean()


DiplomaFormSet = forms.modelformset_factory(
    Enrollment, form=DiplomaForm, formset=BaseDiplomaFormSet, extra=0, edit_only=True  # never creates rows
)


class LearnerFilterForm(FilterForm):
    training_class = forms.ModelChoiceField(label=_("class"), queryset=TrainingClass.objects.all())
    sex = forms.ChoiceField(label=_("sex"), choices=ALL + Learner.Sex.choices)

    # A school runs thousands of classes over the years: a <select> of all of them took over a
    # second to render at national size (`make bench`). The list offers the most recent ones; any
    # class of the school is still accepted (e.g. from a link), and a chosen one is always shown.
    CLASS_CHOICES_SHOWN = 100

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["training_class"]
        field.queryset = (
            TrainingClass.objects.for_school(self.school).order_by("-opening_date", "code")
            if self.school else field.queryset.none()
        )
        shown = list(field.queryset.only("pk", "code", "name")[: self.CLASS_CHOICES_SHOWN])
        chosen = self.data.get(self.add_prefix("training_class")) if self.is_bound else None
        if chosen and str(chosen).isdigit() and all(str(c.pk) != str(chosen) for c in shown):
            shown += list(field.queryset.filter(pk=chosen).only("pk", "code", "name"))
        field.widget.choices = [("", field.empty_label), *((c.pk, field.label_from_instance(c)) for c in shown)]


class GraduationDecisionForm(CrispyMixin, forms.Form):
    """The decision that closes a class: its number and date (validated again by the service)."""

    submit_label = _("Record graduation")
    decision_number = forms.CharField(label=_("closing decision number"), max_length=100)
    decision_date = forms.DateField(label=_("closing decision date"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.build_helper()
