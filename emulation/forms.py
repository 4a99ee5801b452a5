from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from awards.selectors import academy_conferred_codes
from core.forms import CrispyMixin, DateInput, FilterForm
from emulation.models import (
    FINAL_READ_ONLY,
    Appeal,
    AwardProposal,
    Cluster,
    ClusterYear,
    Criterion,
    Meeting,
)
from schools.models import Region, School
from schools.selectors import schools_in_year, staff_in_year


class ModelFormBase(CrispyMixin, forms.ModelForm):
    """A crispy ModelForm with dd/mm/yyyy date boxes."""

    # With a context: django.contrib.admin's catalog would otherwise say "Lưu lại" instead of "Lưu".
    submit_label = pgettext_lazy("action", "Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
        self.helper = self.build_helper()


class ClusterForm(ModelFormBase):
    class Meta:
        model = Cluster
        fields = ["code", "name", "region", "description"]


def member_choices(year=None):
    """Schools that can belong to an Academy emulation cluster (not the Academy, not the centres,
    which had clusters of their own); with ``year``: only the schools of that year (issue 14)."""
    schools = School.objects.exclude(kind__in=[School.Kind.ACADEMY, *School.CENTRE_KINDS])
    if year is not None:
        schools = schools_in_year(year, queryset=schools)
    return schools.order_by("name")


class ClusterYearForm(ModelFormBase):
    member_schools = forms.ModelMultipleChoiceField(
        label=_("member schools"), queryset=School.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ClusterYear
        fields = [
            "year", "member_schools", "head", "deputies", "movement", "slogan", "pledge_date", "pledge_place",
            "self_score_deadline", "appraisal_start", "appraisal_end", "appeal_deadline", "flag_quota",
        ]
        widgets = {"deputies": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year = self.instance.year if self.instance.pk else None
        for name in ("member_schools", "head", "deputies"):
            self.fields[name].queryset = member_choices(year)
        if self.instance.pk:
            self.fields["member_schools"].initial = list(self.instance.memberships.values_list("school_id", flat=True))
            self.fields["year"].disabled = True

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year") or self.instance.year
        if year:
            chosen = {*(cleaned.get("member_schools") or []), *(cleaned.get("deputies") or [])}
            if cleaned.get("head"):
                chosen.add(cleaned["head"])
            existing = set(member_choices(year).filter(pk__in=[s.pk for s in chosen]).values_list("pk", flat=True))
            missing = sorted(str(s) for s in chosen if s.pk not in existing)
            if missing:
                self.add_error("member_schools", _("These schools did not exist in %(year)s: %(schools)s.") % {
                    "year": year, "schools": ", ".join(missing)})
        return cleaned

    def _save_m2m(self):  # members and deputies are saved by the service
        pass


class ScheduleForm(ModelFormBase):
    """The movement and calendar; shown read-only once the season is final (and refused if posted)."""

    class Meta:
        model = ClusterYear
        fields = ["movement", "slogan", "pledge_date", "pledge_place", "self_score_deadline",
                  "appraisal_start", "appraisal_end", "appeal_deadline"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.final = self.instance.pk is not None and self.instance.status == ClusterYear.Status.FINAL
        for field in self.fields.values():
            field.disabled = field.disabled or self.final

    def clean(self):
        if self.final:
            raise forms.ValidationError(FINAL_READ_ONLY)
        return super().clean()


class TieBreakForm(CrispyMixin, forms.Form):
    """The cluster's tie-break rule: up to three ordered steps (never the school's name)."""

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        options = [("", "—")] + list(choices)
        for number in (1, 2, 3):
            self.fields[f"step_{number}"] = forms.ChoiceField(
                label=_("step %(n)s") % {"n": number}, choices=options, required=False
            )
        self.helper = self.build_helper()

    def steps(self) -> list[str]:
        return [self.cleaned_data[f"step_{number}"] for number in (1, 2, 3) if self.cleaned_data.get(f"step_{number}")]


class CriterionForm(ModelFormBase):
    class Meta:
        model = Criterion
        fields = ["parent", "kind", "order", "code", "name", "max_points", "guidance"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 2}), "name": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, cluster_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cluster_year = cluster_year
        parents = cluster_year.criteria.all()
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents


class SelfScoreForm(forms.Form):
    """One row per leaf item: points, a file or a link as evidence, or an explanation."""

    def __init__(self, *args, scores, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for score in scores:
            c = score.criterion
            key = c.pk
            self.fields[f"points_{key}"] = forms.DecimalField(
                label=_("self-score"), required=False, min_value=0, max_digits=6, decimal_places=2,
                initial=score.self_points,
            )
            self.fields[f"file_{key}"] = forms.FileField(label=_("evidence file"), required=False)
            self.fields[f"clear_{key}"] = forms.BooleanField(label=_("remove the file"), required=False)
            self.fields[f"link_{key}"] = forms.CharField(
                label=_("link to a record in the app"), required=False, max_length=300, initial=score.evidence_link
            )
            self.fields[f"explanation_{key}"] = forms.CharField(
                label=_("explanation"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                initial=score.explanation,
            )
            self.rows.append({
                "score": score, "criterion": c,
                "fields": [self[f"points_{key}"], self[f"file_{key}"], self[f"clear_{key}"],
                           self[f"link_{key}"], self[f"explanation_{key}"]],
            })

    def row_data(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            row["criterion"].pk: {
                "points": data.get(f"points_{row['criterion'].pk}"),
                "file": data.get(f"file_{row['criterion'].pk}"),
                "clear_file": data.get(f"clear_{row['criterion'].pk}"),
                "link": data.get(f"link_{row['criterion'].pk}", ""),
                "explanation": data.get(f"explanation_{row['criterion'].pk}", ""),
            }
            for row in self.rows
        }


class AppraisalForm(forms.Form):
    note = forms.CharField(label=_("appraisal conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, scores, note="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].initial = note
        self.rows = []
        for score in scores:
            key = score.criterion_id
            self.fields[f"points_{key}"] = forms.DecimalField(
                label=_("appraised score"), required=True, min_value=0, max_digits=6, decimal_places=2,
                initial=score.appraised_points if score.appraised_points is not None else score.self_points,
            )
            self.fields[f"reason_{key}"] = forms.CharField(
                label=_("reason for the change"), required=False, initial=score.appraisal_reason,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.rows.append({"score": score, "criterion": score.criterion,
                              "fields": [self[f"points_{key}"], self[f"reason_{key}"]]})

    def row_data(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            row["criterion"].pk: {"points": data.get(f"points_{row['criterion'].pk}"),
                                  "reason": data.get(f"reason_{row['criterion'].pk}", "")}
            for row in self.rows
        }


class AppealForm(ModelFormBase):
    submit_label = _("Send the appeal")

    class Meta:
        model = Appeal
        fields = ["requested_points", "reason"]


class AppealResolveForm(ModelFormBase):
    status = forms.ChoiceField(
        label=_("decision"), choices=[(Appeal.Status.ACCEPTED, _("accepted")), (Appeal.Status.REJECTED, _("rejected"))]
    )

    class Meta:
        model = Appeal
        fields = ["status", "resolved_points", "resolution"]


class ProposalForm(ModelFormBase):
    class Meta:
        model = AwardProposal
        fields = ["school", "staff", "title", "commendation_form", "achievements"]

    def __init__(self, *args, cluster_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cluster_year = cluster_year
        members = School.objects.filter(cluster_memberships__cluster_year=cluster_year).order_by("name")
        self.fields["school"].queryset = members
        # The people of the member schools during the cluster's year (someone who left since still counts).
        self.fields["staff"].queryset = staff_in_year(members, cluster_year.year).select_related("school")
        self.fields["staff"].label_from_instance = lambda s: f"{s.full_name} — {s.school}"
        conferred = academy_conferred_codes()  # only what the Academy confers is proposed to it
        for name in ("title", "commendation_form"):
            field = self.fields[name]
            field.choices = [(v, label) for v, label in field.choices if not v or v in conferred]


class VoteForm(ModelFormBase):
    class Meta:
        model = AwardProposal
        fields = ["vote_method", "votes_for", "votes_against", "votes_total"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.fields:
            self.fields[name].required = True


class DecisionForm(forms.Form, CrispyMixin):
    submit_label = pgettext_lazy("action", "Save")
    approve = forms.TypedChoiceField(
        label=_("decision"), coerce=lambda v: v == "yes",
        choices=[("yes", _("approve")), ("no", _("do not approve"))],
    )
    decision_number = forms.CharField(label=_("decision number"), max_length=100, required=False)
    decision_date = forms.DateField(label=_("decision date"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.build_helper()


class MeetingForm(ModelFormBase):
    class Meta:
        model = Meeting
        fields = ["held_on", "place", "chair", "attendees", "voters", "conclusions", "next_head", "next_deputies"]
        widgets = {"next_deputies": forms.CheckboxSelectMultiple, "attendees": forms.Textarea(attrs={"rows": 2}),
                   "conclusions": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, cluster_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cluster_year = cluster_year
        # The head and deputies elected here serve next year: offer the schools of that year (a school
        # merged away later is still offered for a year it existed in; issue 14).
        schools = member_choices(cluster_year.year + 1)
        members = schools.filter(cluster_memberships__cluster_year=cluster_year) | schools.filter(
            predecessors__cluster_memberships__cluster_year=cluster_year
        )
        members = members.distinct().order_by("name")
        self.fields["next_head"].queryset = members
        self.fields["next_deputies"].queryset = members

    def _save_m2m(self):  # deputies are saved by the service
        pass


class ClusterFilterForm(FilterForm):
    region = forms.ChoiceField(label=_("region"), choices=[("", "—"), *Region.choices])


class AwardFilterForm(FilterForm):
    status = forms.ChoiceField(label=_("status"), choices=[("", "—"), *AwardProposal.Status.choices])
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs["class"] = "form-control form-control-sm"
        self.fields["status"].widget.attrs["class"] = "form-select form-select-sm"


class StepDateForm(forms.Form):
    """The date a step of a past season took place (a season entered as recorded)."""

    happened_on = forms.DateField(label=_("date it took place"), widget=DateInput(), input_formats=["%d/%m/%Y", "%Y-%m-%d"])
