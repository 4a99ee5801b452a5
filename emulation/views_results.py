"""Emulation pages after the scoring: ranking, award proposals, the year-end meeting and minutes,
and the school's own emulation pages (split from emulation/views.py by feature)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, FormView, ListView, TemplateView, UpdateView

from core.lists import ListPageMixin
from core.tenancy import SchoolMixin
from core.xlsx import xlsx_response
from emulation import services
from emulation.forms import (
    AwardFilterForm,
    DecisionForm,
    MeetingForm,
    ProposalForm,
    VoteForm,
)
from emulation.models import (
    AwardProposal,
    ClusterMembership,
    Meeting,
    Scorecard,
)
from emulation.selectors import award_history, ranking_rows
from emulation.views import ClusterYearMixin, apply_errors
from schools.models import Staff


# --- ranking, awards, meeting, minutes -------------------------------------------------------
class RankingView(ClusterYearMixin, TemplateView):
    template_name = "emulation/ranking.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self):
        headers = [_("rank"), _("school"), _("final score"), _("penalty points")]
        rows = [[c.rank, c.school.name, c.final_total, c.final_penalty] for c in ranking_rows(self.cluster_year)]
        filename = f"xep-hang-{self.cluster_year.cluster.code}-{self.cluster_year.year}.xlsx"
        return xlsx_response(filename, [(_("Ranking"), headers, rows)])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = ranking_rows(self.cluster_year)
        context["tie_breakers"] = services.tie_break_labels(self.cluster_year)
        return context


class ProposalListView(ClusterYearMixin, TemplateView):
    template_name = "emulation/proposals.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["proposals"] = self.cluster_year.proposals.select_related("school", "staff").order_by("pk")
        return context


class ProposalCreateView(ClusterYearMixin, CreateView):
    access = "run"
    form_class = ProposalForm
    template_name = "emulation/form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "cluster_year": self.cluster_year}

    def form_valid(self, form):
        try:
            services.award_propose(proposal=form.instance)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.year_url("proposals"))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "page_title": _("Award proposal"),
                "back_url": self.year_url("proposals")}


class ProposalMixin(ClusterYearMixin):
    template_name = "emulation/form.html"

    def get_object(self, queryset=None):
        return get_object_or_404(AwardProposal.objects.select_related("school", "staff"),
                                 cluster_year=self.cluster_year, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "page_title": str(self.get_object()),
                "back_url": self.year_url("proposals")}


class VoteView(ProposalMixin, UpdateView):
    access = "run"
    form_class = VoteForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.award_record_vote(proposal=self.get_object(), method=data["vote_method"], votes_for=data["votes_for"],
                                       votes_against=data["votes_against"], votes_total=data["votes_total"])
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.year_url("proposals"))


class DecisionView(ProposalMixin, FormView):
    access = "manage"
    form_class = DecisionForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.award_decide(proposal=self.get_object(), approve=data["approve"], number=data["decision_number"],
                                  date=data["decision_date"], user=self.request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.year_url("proposals"))


class MeetingView(ClusterYearMixin, UpdateView):
    access = "run"
    form_class = MeetingForm
    template_name = "emulation/form.html"

    def get_object(self, queryset=None):
        return Meeting.objects.filter(cluster_year=self.cluster_year).first()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "cluster_year": self.cluster_year}

    def form_valid(self, form):
        try:
            upcoming = services.meeting_save(meeting=form.instance, next_deputies=form.cleaned_data["next_deputies"])
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        if upcoming:
            messages.success(self.request, _("Saved. Next year's cluster year %(year)s has been updated.") % {
                "year": upcoming.year})
        else:
            messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.year_url("minutes"))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "page_title": _("Year-end review conference"),
                "back_url": self.year_url()}


class MinutesView(ClusterYearMixin, TemplateView):
    """Printable minutes (biên bản) of the year-end conference."""

    template_name = "emulation/minutes.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cy = self.cluster_year
        meeting = Meeting.objects.filter(cluster_year=cy).select_related("next_head").first()
        context.update(
            meeting=meeting,
            next_deputies=meeting.next_deputies.all() if meeting else [],
            rows=ranking_rows(cy),
            proposals=cy.proposals.select_related("school", "staff").order_by("pk"),
            tie_breakers=services.tie_break_labels(cy),
        )
        return context


# --- school pages ----------------------------------------------------------------------------
class SchoolClustersView(SchoolMixin, TemplateView):
    template_name = "emulation/school_clusters.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = (
            ClusterMembership.objects.for_school(self.school)
            .select_related("cluster_year__cluster", "cluster_year__head")
            .order_by("-cluster_year__year")
        )
        return context


class SchoolScoresView(SchoolMixin, TemplateView):
    template_name = "emulation/school_scores.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["scorecards"] = (
            Scorecard.objects.for_school(self.school).select_related("cluster_year__cluster")
            .annotate(member_count=Count("cluster_year__memberships", distinct=True))
            .order_by("-cluster_year__year")
        )
        return context


class SchoolAwardsView(SchoolMixin, ListPageMixin, ListView):
    template_name = "emulation/school_awards.html"
    search_fields = ("staff__full_name", "decision_number")
    filter_form_class = AwardFilterForm
    sort_options = {"year": ("cluster_year__year",), "status": ("status",)}
    default_sort = "-year"
    export_title = gettext_lazy("Awards")
    export_columns = [
        (gettext_lazy("year"), "cluster_year.year"),
        (gettext_lazy("emulation cluster"), "cluster_year.cluster.name"),
        (gettext_lazy("individual"), "staff.full_name"),
        (gettext_lazy("emulation title"), "get_title_display"),
        (gettext_lazy("form of commendation"), "get_commendation_form_display"),
        (gettext_lazy("status"), "get_status_display"),
        (gettext_lazy("decision number"), "decision_number"),
        (gettext_lazy("decision date"), "decision_date"),
    ]

    def filter_year(self, queryset, value):
        return queryset.filter(cluster_year__year=value)

    def get_base_queryset(self):
        return award_history(school=self.school)


class StaffAwardsView(SchoolMixin, TemplateView):
    template_name = "emulation/staff_awards.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = get_object_or_404(Staff.objects.for_school(self.school), pk=self.kwargs["pk"])
        context.update(person=person, awards=award_history(school=self.school, staff=person).order_by("-cluster_year__year"))
        return context
