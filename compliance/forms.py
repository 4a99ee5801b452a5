
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compliance.metrics import metric_choices
from compliance.models import Answer, Indicator, Level
from core.forms import CrispyMixin, DateInput, FilterForm
from core.uploads import validate_evidence
from emulation.models import Cluster
from schools.models import Region


class AssessmentOpenForm(CrispyMixin, forms.Form):
    submit_label = _("Open the self-assessment")

    year = forms.IntegerField(label=_("assessment year"), min_value=2021, max_value=2100)
    target_level = forms.TypedChoiceField(label=_("target level"), choices=Level.choices, coerce=int)

    def __init__(self, *args, school=None, **kwargs):
        kwargs.setdefault("initial", {"year": timezone.localdate().year, "target_level": Level.LEVEL_1})
        super().__init__(*args, **kwargs)
        self.school = school
        self.helper = self.build_helper()


# Indicators counted in these units (people, learner-turns, classes, …) take whole numbers only.
WHOLE_NUMBER_UNITS = {"người", "lượt", "lớp", "cuộc", "đề tài", "ấn phẩm", "bài", "trường"}


class AnswerForm(CrispyMixin, forms.Form):
    value = forms.DecimalField(label=_("value"), required=False, max_digits=12, decimal_places=2, localize=True,
                               min_value=0)
    explanation = forms.CharField(label=_("explanation"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    ask_opinion = forms.BooleanField(label=_("ask the Academy for an opinion"), required=False)
    evidence = forms.FileField(
        label=_("add an evidence file"), required=False,
        help_text=_("PDF, Word (.docx), Excel (.xlsx), PNG or JPEG."),
    )

    def __init__(self, *args, answer: Answer, **kwargs):
        super().__init__(*args, **kwargs)
        self.answer = answer
        indicator = answer.indicator
        if indicator.measurement == Indicator.Measurement.COMPUTED:
            del self.fields["value"]
        elif indicator.comparison == Indicator.Comparison.YES_NO:
            self.fields["value"] = forms.TypedChoiceField(
                label=_("value"), required=False, coerce=int, empty_value=None,
                choices=[("", "—"), (1, _("Yes")), (0, _("No"))],
            )
        elif indicator.unit:
            self.fields["value"].label = f"{_('value')} ({indicator.unit})"
        if indicator.measurement == Indicator.Measurement.PREFILLED:
            self.fields["value"].help_text = _("Pre-filled from the records (living evidence). A different value "
                                               "overrides it: give the reason in the explanation.")
        self.helper = self.build_helper()

    def clean_evidence(self):
        uploaded = self.cleaned_data.get("evidence")
        if uploaded:
            validate_evidence(uploaded)
        return uploaded

    def clean_value(self):
        value = self.cleaned_data.get("value")
        unit = self.answer.indicator.unit
        if value is not None and unit in WHOLE_NUMBER_UNITS and value % 1:
            raise ValidationError(_("This indicator counts %(unit)s: enter a whole number.") % {"unit": unit})
        return value


class ReviewForm(CrispyMixin, forms.Form):
    """The reviewers' forms (compliance/review_form.html renders them with ``{% crispy form %}``): without a
    helper crispy rendered no submit button, so the form could not be sent from a browser
    (found by tests/e2e/test_academy_reviewer.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.build_helper()


class RequestEvidenceForm(ReviewForm):
    submit_label = _("Request more evidence")

    deadline = forms.DateField(label=_("deadline"), widget=DateInput())
    note = forms.CharField(label=_("what is needed"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise ValidationError(_("The deadline cannot be in the past."))
        return deadline


class SurveyForm(ReviewForm):
    submit_label = _("Record the survey mission")

    date = forms.DateField(label=_("survey date"), widget=DateInput())
    leader = forms.CharField(label=_("head of the survey mission"), max_length=150)
    report = forms.CharField(label=_("survey report"), widget=forms.Textarea(attrs={"rows": 3}))


class CouncilForm(ReviewForm):
    submit_label = _("Record the council's vote")

    date = forms.DateField(label=_("council meeting date"), widget=DateInput())
    votes_for = forms.IntegerField(label=_("votes for"), min_value=0, max_value=100)
    votes_against = forms.IntegerField(label=_("votes against"), min_value=0, max_value=100)
    votes_abstain = forms.IntegerField(label=_("abstentions"), min_value=0, max_value=100, initial=0)

    def clean(self):
        cleaned = super().clean()
        votes = [cleaned.get(n) for n in ("votes_for", "votes_against", "votes_abstain")]
        if all(v is not None for v in votes) and sum(votes) == 0:
            raise ValidationError(_("Enter the council's votes."))
        return cleaned


class RecogniseForm(ReviewForm):
    submit_label = _("Record the recognition")

    level = forms.TypedChoiceField(label=_("level recognised"), choices=Level.choices, coerce=int)
    decision_number = forms.CharField(label=_("recognition decision number"), max_length=50)
    decision_date = forms.DateField(label=_("recognition decision date"), widget=DateInput())
    reason = forms.CharField(
        label=_("reason for another level"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed only when the level recognised differs from the level the assessment reached."),
    )

    def __init__(self, *args, level_reached=None, **kwargs):
        super().__init__(*args, **kwargs)
        if level_reached is not None:  # the reached level first, and chosen
            self.fields["level"].choices = sorted(Level.choices, key=lambda c: c[0] != level_reached)


class CommentForm(ReviewForm):
    submit_label = _("Send")

    text = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    opinion = forms.ChoiceField(
        label=_("reviewer's opinion"), required=False,
        choices=[("", _("(follow the values)"))] + Answer.Status.choices[:3],
    )


class IndicatorForm(CrispyMixin, forms.ModelForm):
    metric = forms.ChoiceField(label=_("metric"), required=False)

    class Meta:
        model = Indicator
        fields = ["text", "unit", "comparison", "level1_value", "level2_value", "measurement", "metric",
                  "provisional", "reference", "note"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "note": forms.Textarea(attrs={"rows": 3})}
        localized_fields = ["level1_value", "level2_value"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", "—")] + metric_choices()
        self.helper = self.build_helper()


class CriteriaImportForm(CrispyMixin, forms.Form):
    submit_label = _("Import")

    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("The sheet of the standard and the sheet of its indicators, as exported from this page. "
                    "An indicator marked issued needs its document reference."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.build_helper()


class ConsoleFilterForm(FilterForm):
    cluster = forms.ModelChoiceField(label=_("emulation cluster"), queryset=Cluster.objects.all())
    region = forms.ChoiceField(label=_("region"), choices=[("", _("All"))] + Region.choices)
    level = forms.ChoiceField(
        label=_("level recognised"),
        choices=[("", _("All")), ("1", _("level 1")), ("2", _("level 2")), ("none", _("not recognised"))],
    )
    indicator = forms.ChoiceField(label=_("compare indicator"))

    def __init__(self, *args, indicator_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "—")] + list(indicator_choices)
