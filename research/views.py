"""Pages of the research app. Every page lives under /s/<school_code>/research/… and reads rows only
through ``for_school``; writes of the topic lifecycle go through ``research.services``."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import FormView, TemplateView

from core.tenancy import SchoolMixin
from core.vietnamese import fold
from core.views import SchoolCreateView, SchoolDeleteView, SchoolDetailView, SchoolListView, SchoolUpdateView
from research import selectors, services
from research.forms import (
    ArticleForm,
    EventFilterForm,
    EventForm,
    FieldTripFilterForm,
    FieldTripForm,
    PublicationFilterForm,
    PublicationForm,
    TopicFilterForm,
    TopicForm,
    TransitionForm,
)
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
from schools.models import Staff


def capitalised(columns):
    """Export headers and choice labels start with a capital letter, as Vietnamese readers expect."""
    return [(capfirst(header), column) for header, column in columns]


def display(field: str):
    return lambda obj: capfirst(getattr(obj, f"get_{field}_display")())


def names(people) -> str:
    return ", ".join(person.full_name for person in people)


def year_range(year: int):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


class ListUrlMixin:
    list_url_name = ""

    def get_success_url(self):
        return reverse(self.list_url_name, kwargs={"school_code": self.school.code})


class FormPageMixin:
    """Form pages share includes/form_page.html with a title and breadcrumbs back to the list."""

    template_name = "research/form_page.html"
    page_title = ""
    list_url_name = ""
    list_title = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(page_title=self.page_title, list_title=self.list_title,
                       list_url=reverse(self.list_url_name, kwargs={"school_code": self.school.code}))
        return context


# --- topics ---------------------------------------------------------------------------------------
class TopicListView(SchoolListView):
    model = Topic
    template_name = "research/topic_list.html"
    filter_form_class = TopicFilterForm
    sort_options = {
        "code": ("code",), "title": ("title",), "level": ("level", "code"), "status": ("status", "code"),
        "start": ("start_on",), "end": ("end_on",), "leader": ("leader__name_sort_key",),
    }
    default_sort = "-start"
    export_title = gettext_lazy("Research topics")
    export_columns = capitalised([
        (gettext_lazy("topic code"), "code"),
        (gettext_lazy("title"), "title"),
        (gettext_lazy("level"), display("level")),
        (gettext_lazy("field"), display("field")),
        (gettext_lazy("topic leader"), "leader.full_name"),
        (gettext_lazy("members"), lambda t: names(t.members.all())),
        (gettext_lazy("outside co-authors"), lambda t: "; ".join(t.outside_member_list)),
        (gettext_lazy("start date"), "start_on"),
        (gettext_lazy("planned end date"), "end_on"),
        (gettext_lazy("extended until"), "extended_until"),
        (gettext_lazy("budget (million VND)"), "budget"),
        (gettext_lazy("status"), display("status")),
        (gettext_lazy("approval decision"), "approval_decision"),
        (gettext_lazy("acceptance council date"), "accepted_on"),
        (gettext_lazy("acceptance score"), "score"),
        (gettext_lazy("grade"), display("grade")),
        (gettext_lazy("reason for cancellation"), "cancel_reason"),
    ])

    def get_base_queryset(self):
        return (
            super().get_base_queryset()
            .select_related("leader")
            .prefetch_related(Prefetch("members", queryset=Staff.objects.order_by("name_sort_key")))
        )

    def apply_search(self, queryset):
        # Leader names match without diacritics too (search_name is folded).
        query = self.search_query
        if not query:
            return queryset
        return queryset.filter(
            Q(code__icontains=query) | Q(title__icontains=query) | Q(outside_members__icontains=query)
            | Q(leader__full_name__icontains=query) | Q(leader__search_name__contains=fold(query))
        )

    def filter_year(self, queryset, year):
        return queryset.filter(selectors.topics_active_in(year))


class TopicDetailView(SchoolDetailView):
    model = Topic
    template_name = "research/topic_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("leader", "school").prefetch_related("members")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["transitions"] = self.object.transitions.select_related("created_by")
        context["actions"] = [TopicTransition.Action(a) for a in services.allowed_actions(self.object)]
        context["events"] = self.object.events.all()
        return context


class TopicCreateView(FormPageMixin, SchoolCreateView):
    model = Topic
    form_class = TopicForm
    page_title = gettext_lazy("Register a research topic")
    list_url_name = "research:topic_list"
    list_title = gettext_lazy("Research topics")

    def form_valid(self, form):
        topic = form.save(commit=False)
        try:
            self.object = services.topic_register(topic=topic, members=form.cleaned_data["members"],
                                                  user=self.request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.object.get_absolute_url())


class TopicUpdateView(FormPageMixin, SchoolUpdateView):
    model = Topic
    form_class = TopicForm
    page_title = gettext_lazy("Edit research topic")
    list_url_name = "research:topic_list"
    list_title = gettext_lazy("Research topics")


class TopicDeleteView(ListUrlMixin, SchoolDeleteView):
    model = Topic
    list_url_name = "research:topic_list"


class TopicTransitionView(SchoolMixin, FormView):
    """One lifecycle step (approve, start, extend, accept, cancel) of a topic."""

    permission = "edit"
    form_class = TransitionForm
    template_name = "research/topic_transition.html"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["action"] not in services.TRANSITIONS:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def setup_topic(self):
        if not hasattr(self, "topic"):
            self.topic = get_object_or_404(Topic.objects.for_school(self.school).select_related("school"),
                                           pk=self.kwargs["pk"])
        return self.topic

    @property
    def action(self) -> str:
        return self.kwargs["action"]

    def refuse_if_not_allowed(self):
        topic = self.setup_topic()
        if self.action not in services.allowed_actions(topic):
            messages.error(self.request, services.refusal_message(self.action, topic))
            return HttpResponseRedirect(topic.get_absolute_url())
        return None

    def get(self, request, *args, **kwargs):
        return self.refuse_if_not_allowed() or super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "action": self.action}

    def form_valid(self, form):
        topic = self.setup_topic()
        try:
            services.apply_transition(topic=topic, action=self.action, user=self.request.user,
                                      data=form.cleaned_data)
        except ValidationError as exc:
            if exc.code == "forbidden_transition":
                messages.error(self.request, exc.messages[0])
                return HttpResponseRedirect(topic.get_absolute_url())
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(topic.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["topic"] = self.setup_topic()
        context["action_label"] = TopicTransition.Action(self.action).label
        return context


# --- workshops and roundtables ------------------------------------------------------------------
class EventListView(SchoolListView):
    model = Event
    template_name = "research/event_list.html"
    filter_form_class = EventFilterForm
    sort_options = {"date": ("held_on",), "title": ("title",), "level": ("level", "held_on"),
                    "papers": ("papers",)}
    default_sort = "-date"
    export_title = gettext_lazy("Workshops and roundtables")
    export_columns = capitalised([
        (gettext_lazy("title"), "title"),
        (gettext_lazy("kind"), display("kind")),
        (gettext_lazy("level"), display("level")),
        (gettext_lazy("field"), display("field")),
        (gettext_lazy("date held"), "held_on"),
        (pgettext_lazy("research", "venue"), "venue"),
        (gettext_lazy("co-organising schools"), lambda e: "; ".join(
            f"{c.school.name} ({c.get_role_display()})" for c in e.co_organisers.all())),
        (gettext_lazy("other co-organisers"), lambda e: "; ".join(e.other_organiser_list)),
        (gettext_lazy("number of papers"), "papers"),
        (gettext_lazy("proceedings published"), "proceedings_published"),
        (gettext_lazy("linked topics"), lambda e: "; ".join(t.code for t in e.topics.all())),
        (pgettext_lazy("event role", "role"), lambda e: capfirst(str(EventCoOrganiser.Role(e.role).label))),
        (gettext_lazy("host school"), "school.name"),
    ])

    def get_base_queryset(self):
        # Hosted and co-organised events, each with the school's role in it (only the host edits).
        return (Event.objects.involving(self.school).with_role(self.school).select_related("school")
                .prefetch_related("co_organisers__school", "topics"))

    def apply_search(self, queryset):
        query = self.search_query
        if not query:
            return queryset
        partners = EventCoOrganiser.objects.filter(
            Q(school__name__icontains=query) | Q(school__short_name__icontains=query)
        ).values("event_id")
        return queryset.filter(
            Q(title__icontains=query) | Q(venue__icontains=query) | Q(other_organisers__icontains=query)
            | Q(pk__in=partners)
        )

    def filter_year(self, queryset, year):
        return queryset.filter(held_on__range=year_range(year))


class EventDetailView(SchoolDetailView):
    """Read by the host and by each co-organiser (under its own address); only the host edits."""

    model = Event
    template_name = "research/event_detail.html"

    def get_queryset(self):
        return (Event.objects.involving(self.school).with_role(self.school).select_related("school")
                .prefetch_related("co_organisers__school", "topics__leader"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_host"] = self.object.school_id == self.school.pk
        return context


class EventCreateView(FormPageMixin, SchoolCreateView):
    model = Event
    form_class = EventForm
    page_title = gettext_lazy("Add workshop / roundtable")
    list_url_name = "research:event_list"
    list_title = gettext_lazy("Workshops and roundtables")


class EventUpdateView(FormPageMixin, SchoolUpdateView):
    model = Event
    form_class = EventForm
    page_title = gettext_lazy("Edit workshop / roundtable")
    list_url_name = "research:event_list"
    list_title = gettext_lazy("Workshops and roundtables")


class EventDeleteView(ListUrlMixin, SchoolDeleteView):
    model = Event
    list_url_name = "research:event_list"


# --- publications -------------------------------------------------------------------------------
class PublicationListView(SchoolListView):
    model = Publication
    template_name = "research/publication_list.html"
    filter_form_class = PublicationFilterForm
    sort_options = {"date": ("published_on",), "title": ("title",), "kind": ("kind", "published_on"),
                    "articles": ("article_count",)}
    default_sort = "-date"
    export_title = gettext_lazy("Publications")
    export_columns = capitalised([
        (gettext_lazy("kind"), display("kind")),
        (gettext_lazy("title"), "title"),
        (gettext_lazy("field"), display("field")),
        (gettext_lazy("publication date"), "published_on"),
        (gettext_lazy("bulletin / journal name"), "series"),
        (gettext_lazy("issue number"), "issue_number"),
        (gettext_lazy("publisher"), "publisher"),
        (gettext_lazy("staff authors"), lambda p: names(p.authors.all())),
        (gettext_lazy("outside authors"), lambda p: "; ".join(p.outside_author_list)),
        (gettext_lazy("articles"), "article_count"),
        (gettext_lazy("protecting the Party's ideological foundation"), "ideological_column"),
        (gettext_lazy("contest year"), "contest_year"),
        (gettext_lazy("prize"), display("prize")),
    ])

    def get_base_queryset(self):
        return (
            super().get_base_queryset()
            .annotate(article_count=Count("articles", distinct=True))
            .prefetch_related(Prefetch("authors", queryset=Staff.objects.order_by("name_sort_key")))
        )

    def apply_search(self, queryset):
        query = self.search_query
        if not query:
            return queryset
        by_author = Publication.authors.through.objects.filter(staff__search_name__contains=fold(query))
        return queryset.filter(
            Q(title__icontains=query) | Q(series__icontains=query) | Q(issue_number__icontains=query)
            | Q(publisher__icontains=query) | Q(outside_authors__icontains=query)
            | Q(pk__in=by_author.values("publication_id"))
        )

    def filter_year(self, queryset, year):
        return queryset.filter(published_on__range=year_range(year))


class PublicationDetailView(SchoolDetailView):
    model = Publication
    template_name = "research/publication_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("school").prefetch_related("authors")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["articles"] = self.object.articles.prefetch_related(
            Prefetch("authors", queryset=Staff.objects.order_by("name_sort_key"))
        )
        return context


class PublicationCreateView(FormPageMixin, SchoolCreateView):
    model = Publication
    form_class = PublicationForm
    page_title = gettext_lazy("Add publication")
    list_url_name = "research:publication_list"
    list_title = gettext_lazy("Publications")

    def get_initial(self):
        kind = self.request.GET.get("kind")
        return {"kind": kind} if kind in Publication.Kind.values else {}


class PublicationUpdateView(FormPageMixin, SchoolUpdateView):
    model = Publication
    form_class = PublicationForm
    page_title = gettext_lazy("Edit publication")
    list_url_name = "research:publication_list"
    list_title = gettext_lazy("Publications")


class PublicationDeleteView(ListUrlMixin, SchoolDeleteView):
    model = Publication
    list_url_name = "research:publication_list"


class IssueMixin:
    """Article pages hang under a bulletin issue of the URL's school."""

    def get_issue(self):
        if not hasattr(self, "issue"):
            self.issue = get_object_or_404(
                Publication.objects.for_school(self.school).select_related("school"),
                pk=self.kwargs["issue_pk"], kind=Publication.Kind.BULLETIN_ISSUE,
            )
        return self.issue

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "issue": self.get_issue()}

    def get_success_url(self):
        return self.get_issue().get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        issue = self.get_issue()
        context.update(page_title=self.page_title, list_title=str(issue), list_url=issue.get_absolute_url())
        return context


class ArticleCreateView(IssueMixin, SchoolCreateView):
    model = Article
    form_class = ArticleForm
    template_name = "research/form_page.html"
    page_title = gettext_lazy("Add article")


class ArticleUpdateView(IssueMixin, SchoolUpdateView):
    model = Article
    form_class = ArticleForm
    template_name = "research/form_page.html"
    page_title = gettext_lazy("Edit article")

    def get_queryset(self):
        return super().get_queryset().filter(issue=self.get_issue())


class ArticleDeleteView(SchoolDeleteView):
    model = Article

    def get_queryset(self):
        return super().get_queryset().filter(issue_id=self.kwargs["issue_pk"]).select_related("issue__school")

    def get_success_url(self):
        return reverse("research:publication_detail",
                       kwargs={"school_code": self.school.code, "pk": self.kwargs["issue_pk"]})


# --- field trips --------------------------------------------------------------------------------
class FieldTripListView(SchoolListView):
    model = FieldTrip
    template_name = "research/fieldtrip_list.html"
    search_fields = ("title", "place", "decision_number")
    filter_form_class = FieldTripFilterForm
    sort_options = {"start": ("start_on",), "place": ("place",), "days": ("days",),
                    "participants": ("participant_count",)}
    default_sort = "-start"
    export_title = gettext_lazy("Field trips")
    export_columns = capitalised([
        (gettext_lazy("purpose"), "title"),
        (pgettext_lazy("research", "place"), "place"),
        (gettext_lazy("start date"), "start_on"),
        (gettext_lazy("end date"), "end_on"),
        (gettext_lazy("days"), "days"),
        (gettext_lazy("participants"), lambda t: names(t.participants.all())),
        (gettext_lazy("number of participants"), "participant_count"),
        (gettext_lazy("lecturer-days"), "lecturer_days"),
        (gettext_lazy("decision number"), "decision_number"),
    ])

    def get_base_queryset(self):
        return (
            super().get_base_queryset()
            .annotate(participant_count=Count("participations", distinct=True))
            .annotate(lecturer_days=F("days") * F("participant_count"))
            .prefetch_related(Prefetch("participants", queryset=Staff.objects.order_by("name_sort_key")))
        )

    def filter_year(self, queryset, year):
        return queryset.filter(start_on__range=year_range(year))

    def filter_participant(self, queryset, staff):
        return queryset.filter(pk__in=FieldTripParticipant.objects.filter(staff=staff).values("trip_id"))


class FieldTripDetailView(SchoolDetailView):
    model = FieldTrip
    template_name = "research/fieldtrip_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("school").prefetch_related(
            Prefetch("participants", queryset=Staff.objects.select_related("unit").order_by("name_sort_key"))
        )


class FieldTripCreateView(FormPageMixin, SchoolCreateView):
    model = FieldTrip
    form_class = FieldTripForm
    page_title = gettext_lazy("Add field trip")
    list_url_name = "research:fieldtrip_list"
    list_title = gettext_lazy("Field trips")


class FieldTripUpdateView(FormPageMixin, SchoolUpdateView):
    model = FieldTrip
    form_class = FieldTripForm
    page_title = gettext_lazy("Edit field trip")
    list_url_name = "research:fieldtrip_list"
    list_title = gettext_lazy("Field trips")


class FieldTripDeleteView(ListUrlMixin, SchoolDeleteView):
    model = FieldTrip
    list_url_name = "research:fieldtrip_list"


# --- yearly summary -----------------------------------------------------------------------------
class SummaryView(SchoolMixin, TemplateView):
    template_name = "research/summary.html"

    def get_year(self) -> int:
        try:
            year = int(self.request.GET.get("year", ""))
        except ValueError:
            return timezone.localdate().year
        return year if 2000 <= year <= 2100 else timezone.localdate().year

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.get_year()
        summary = selectors.research_summary(self.school, year)
        context.update(
            year=year,
            years=sorted({*selectors.summary_years(self.school), year}, reverse=True),
            summary=summary,
            level_rows=selectors.bar_rows(summary["topics_by_level"], dict(Topic.Level.choices)),
            accepted_rows=selectors.bar_rows(summary["accepted_by_level"], dict(Topic.Level.choices)),
            status_rows=selectors.bar_rows(summary["topics_by_status"], dict(Topic.Status.choices)),
            event_rows=selectors.bar_rows(summary["events_by_level"], dict(Event.Level.choices)),
            publication_rows=selectors.bar_rows(summary["publications"], dict(Publication.Kind.choices)),
            grade_rows=[(label, summary["accepted_by_grade"][value]) for value, label in Topic.Grade.choices],
            lecturers=selectors.lecturer_days(self.school, year),
            field_labels=dict(ResearchField.choices),
        )
        return context
