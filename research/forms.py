import datetime

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.forms import CrispyMixin, DateInput, FilterForm, SchoolScopedModelForm
from core.vietnamese import normalize
from research.models import (
    Article,
    Event,
    EventCoOrganiser,
    FieldTrip,
    FieldTripParticipant,
    Publication,
    ResearchField,
    Topic,
    TopicTransition,
)
from schools.models import School, Staff

ALL = [("", _("All"))]


def year_choices():
    this_year = timezone.localdate().year
    return ALL + [(str(y), str(y)) for y in range(this_year + 1, this_year - 10, -1)]


class YearFilterMixin(forms.Form):
    year = forms.TypedChoiceField(label=_("year"), coerce=int, empty_value=None, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        for field in self.fields.values():  # the toolbar shows labels as they are
            field.label = capfirst(field.label)


class CleanTextMixin:
    text_fields: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        for name in self.text_fields:
            if isinstance(cleaned.get(name), str):
                cleaned[name] = normalize(cleaned[name])
        return cleaned


# --- topics ---------------------------------------------------------------------------------------
class TopicForm(CleanTextMixin, SchoolScopedModelForm):
    scoped_fields = ("leader", "members")
    text_fields = ("code", "title")

    class Meta:
        model = Topic
        fields = ["code", "title", "level", "field", "leader", "members", "outside_members",
                  "start_on", "end_on", "budget", "summary"]
        widgets = {"members": forms.CheckboxSelectMultiple(),
                   "outside_members": forms.Textarea(attrs={"rows": 3}), "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = self.fields["leader"].queryset.filter(active=True)
        self.fields["budget"].localize = True  # Vietnamese users type 15,5
        self.fields["budget"].widget.is_localized = True
        self.fields["members"].required = False

    def clean_code(self):
        code = normalize(self.cleaned_data["code"])
        # Compared in Python: SQLite's case-insensitive match ignores Vietnamese letters such as Đ/đ.
        codes = Topic.objects.for_school(self.school).exclude(pk=self.instance.pk).values_list("code", flat=True)
        if code.casefold() in {other.casefold() for other in codes}:
            raise forms.ValidationError(_("This school already has a topic with this code."))
        return code

    def clean(self):
        cleaned = super().clean()
        leader, members = cleaned.get("leader"), cleaned.get("members") or []
        if leader and leader in members:
            self.add_error("members", _("The topic leader is already listed; do not add them again as a member."))
        start, end = cleaned.get("start_on"), cleaned.get("end_on")
        if start and end and end < start:
            self.add_error("end_on", _("The end date cannot be before the start date."))
        return cleaned


class TopicFilterForm(YearFilterMixin, FilterForm):
    level = forms.ChoiceField(label=_("level"), choices=ALL + Topic.Level.choices)
    status = forms.ChoiceField(label=_("status"), choices=ALL + Topic.Status.choices)
    field = forms.ChoiceField(label=_("field"), choices=ALL + ResearchField.choices)
    grade = forms.ChoiceField(label=_("grade"), choices=ALL + Topic.Grade.choices)


class TransitionForm(CrispyMixin, forms.Form):
    """The fields each lifecycle step asks for; the service re-checks every rule."""

    decision_number = forms.CharField(label=_("decision number"), max_length=60, required=False)
    decision_date = forms.DateField(label=_("decision date"), required=False, widget=DateInput())
    new_end_on = forms.DateField(label=_("new end date"), widget=DateInput())
    council_date = forms.DateField(label=_("acceptance council date"), widget=DateInput())
    score = forms.DecimalField(label=_("acceptance score (out of 100)"), min_value=0, max_value=100,
                               max_digits=5, decimal_places=2, localize=True)
    grade = forms.ChoiceField(label=_("grade"), choices=[("", "—")] + Topic.Grade.choices)
    reason = forms.CharField(label=_("reason for cancellation"), widget=forms.Textarea(attrs={"rows": 3}))
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    FIELDS = {
        TopicTransition.Action.APPROVE: ("decision_number", "decision_date", "note"),
        TopicTransition.Action.START: ("decision_number", "decision_date", "note"),
        TopicTransition.Action.EXTEND: ("new_end_on", "decision_number", "decision_date", "note"),
        TopicTransition.Action.ACCEPT: ("council_date", "score", "grade", "decision_number", "decision_date", "note"),
        TopicTransition.Action.CANCEL: ("reason", "decision_number", "decision_date"),
    }

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.submit_label = TopicTransition.Action(action).label
        keep = self.FIELDS[action]
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if action == TopicTransition.Action.APPROVE:
            self.fields["decision_number"].required = True
            self.fields["decision_date"].required = True
        if action == TopicTransition.Action.ACCEPT:
            self.fields["decision_number"].label = _("decision establishing the council")
        self.helper = self.build_helper()


# --- workshops and roundtables ------------------------------------------------------------------
class EventForm(CleanTextMixin, SchoolScopedModelForm):
    scoped_fields = ("topics",)
    text_fields = ("title", "venue")

    class Meta:
        model = Event
        fields = ["kind", "level", "title", "field", "held_on", "venue", "co_schools", "other_organisers",
                  "papers", "proceedings_published", "topics", "note"]
        widgets = {"co_schools": forms.SelectMultiple(attrs={"size": 6}),
                   "topics": forms.SelectMultiple(attrs={"size": 6}),
                   "other_organisers": forms.Textarea(attrs={"rows": 3}), "note": forms.Textarea(attrs={"rows": 3})}

    co_hosts = forms.ModelMultipleChoiceField(
        label=_("co-hosting schools (chủ trì)"), queryset=School.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("Among the co-organising schools, those that host the event with this school; the others "
                    "take part as partners (phối hợp)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Co-organisers: any other active school or academy of the system (not scoped: they are partners).
        self.fields["co_schools"].queryset = School.objects.filter(active=True).exclude(pk=self.school.pk)
        self.fields["co_schools"].required = False
        self.fields["co_hosts"].queryset = self.fields["co_schools"].queryset
        if self.instance.pk:
            self.fields["co_hosts"].initial = [
                c.school_id for c in self.instance.co_organisers.filter(role=EventCoOrganiser.Role.HOST)]
        order = [f for f in self.fields if f != "co_hosts"]
        order.insert(order.index("co_schools") + 1, "co_hosts")
        self.order_fields(order)
        self.fields["topics"].required = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("proceedings_published") and not cleaned.get("papers"):
            self.add_error("papers", _("Proceedings were published: give the number of papers."))
        co_hosts, co_schools = set(cleaned.get("co_hosts") or []), set(cleaned.get("co_schools") or [])
        if co_hosts - co_schools:
            self.add_error("co_hosts", _("A co-hosting school must also be among the co-organising schools."))
        return cleaned

    def _save_m2m(self):
        super()._save_m2m()  # the co-organisers, as partners by default
        hosts = [s.pk for s in self.cleaned_data.get("co_hosts") or []]
        organisers = EventCoOrganiser.objects.filter(event=self.instance)
        organisers.exclude(school_id__in=hosts).update(role=EventCoOrganiser.Role.PARTNER)
        organisers.filter(school_id__in=hosts).update(role=EventCoOrganiser.Role.HOST)


class EventFilterForm(YearFilterMixin, FilterForm):
    kind = forms.ChoiceField(label=_("kind"), choices=ALL + Event.Kind.choices)
    level = forms.ChoiceField(label=_("level"), choices=ALL + Event.Level.choices)
    field = forms.ChoiceField(label=_("field"), choices=ALL + ResearchField.choices)


# --- publications -------------------------------------------------------------------------------
class PublicationForm(CleanTextMixin, SchoolScopedModelForm):
    scoped_fields = ("authors",)
    text_fields = ("title", "series", "issue_number", "publisher")

    class Meta:
        model = Publication
        fields = ["kind", "title", "field", "published_on", "series", "issue_number", "publisher", "authors",
                  "outside_authors", "ideological_column", "contest_year", "prize", "note"]
        widgets = {"authors": forms.SelectMultiple(attrs={"size": 6}),
                   "outside_authors": forms.Textarea(attrs={"rows": 2}), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authors"].required = False


class PublicationFilterForm(YearFilterMixin, FilterForm):
    kind = forms.ChoiceField(label=_("kind"), choices=ALL + Publication.Kind.choices)
    field = forms.ChoiceField(label=_("field"), choices=ALL + ResearchField.choices)
    ideological_column = forms.NullBooleanField(
        label=_("ideological-foundation column"),
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )


class ArticleForm(CleanTextMixin, SchoolScopedModelForm):
    scoped_fields = ("authors",)
    text_fields = ("title", "pages")

    class Meta:
        model = Article
        fields = ["title", "authors", "outside_authors", "pages", "ideological_column"]
        widgets = {"authors": forms.SelectMultiple(attrs={"size": 6}),
                   "outside_authors": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, issue, **kwargs):
        super().__init__(*args, **kwargs)
        self.issue = issue
        self.instance.issue = issue
        self.fields["authors"].required = False

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("authors") and not (cleaned.get("outside_authors") or "").strip():
            self.add_error("authors", _("Give at least one author (staff or outside)."))
        return cleaned


# --- field trips --------------------------------------------------------------------------------
class FieldTripForm(CleanTextMixin, SchoolScopedModelForm):
    scoped_fields = ("participants",)
    text_fields = ("title", "place", "decision_number")

    class Meta:
        model = FieldTrip
        fields = ["title", "place", "start_on", "end_on", "participants", "decision_number", "report"]
        widgets = {"participants": forms.SelectMultiple(attrs={"size": 10}),
                   "report": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = self.fields["participants"].queryset.filter(
            is_lecturer=True, active=True
        )
        self.fields["participants"].help_text = _("Lecturers of the school who took part.")

    def clean(self):
        cleaned = super().clean()
        start, end, people = cleaned.get("start_on"), cleaned.get("end_on"), cleaned.get("participants")
        if start and end and end < start:
            self.add_error("end_on", _("The end date cannot be before the start date."))
        elif start and end and (end - start) > datetime.timedelta(days=365):
            self.add_error("end_on", _("A field trip cannot last more than a year; check the dates."))
        elif start and end and people:
            clashes = (
                FieldTripParticipant.objects.filter(staff__in=people, trip__start_on__lte=end, trip__end_on__gte=start)
                .exclude(trip_id=self.instance.pk).select_related("staff").order_by("staff__name_sort_key")
            )
            names = sorted({c.staff.full_name for c in clashes})
            if names:
                self.add_error("participants", _("Already on another field trip at these dates: %(names)s.")
                               % {"names": ", ".join(names)})
        return cleaned


class FieldTripFilterForm(YearFilterMixin, FilterForm):
    scoped_fields = ("participant",)

    participant = forms.ModelChoiceField(label=_("participant"), queryset=Staff.objects.filter(is_lecturer=True))
