"""Views of the emulation app: thin — permissions come from ``emulation.access`` through one
mixin, rules from ``emulation.services``."""

from django.contrib import messages
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DetailView, FormView, ListView, TemplateView, UpdateView

from core.lists import ListPageMixin
from core.tenancy import SAFE_METHODS, AcademyRequiredMixin
from emulation import history, services
from emulation.access import (
    can_edit_scorecard,
    can_manage_clusters,
    can_run_year,
    can_view_scorecard,
    can_view_year,
)
from emulation.forms import (
    AppealForm,
    AppealResolveForm,
    AppraisalForm,
    ClusterFilterForm,
    ClusterForm,
    ClusterYearForm,
    CriterionForm,
    ScheduleForm,
    SelfScoreForm,
    StepDateForm,
    TieBreakForm,
)
from emulation.models import (
    Appeal,
    Cluster,
    ClusterYear,
    Criterion,
    Score,
)
from emulation.selectors import scheme_rows, scorecard_breakdown
from schools.models import School
from schools.selectors import with_names_in_year


def step_date(request):
    """The date a step took place, from the confirmation form of a season entered as recorded."""
    form = StepDateForm(request.POST)
    return form.cleaned_data["happened_on"] if form.is_valid() else None


def apply_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form (field errors where the field exists)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- Academy: clusters -----------------------------------------------------------------------
class ClusterListView(AcademyRequiredMixin, ListPageMixin, ListView):
    model = Cluster
    template_name = "emulation/cluster_list.html"
    search_fields = ("name", "code")
    filter_form_class = ClusterFilterForm
    sort_options = {"name": ("name",), "code": ("code",), "region": ("region",), "years": ("year_count",)}
    default_sort = "name"
    export_title = gettext_lazy("Emulation clusters")
    export_columns = [
        (gettext_lazy("code"), "code"),
        (gettext_lazy("name"), "name"),
        (gettext_lazy("region"), "get_region_display"),
        (gettext_lazy("years"), "year_count"),
    ]

    def get_base_queryset(self):
        return Cluster.objects.annotate(year_count=Count("years"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = can_manage_clusters(self.request.user)
        return context


class ClusterFormMixin(AcademyRequiredMixin):
    academy_admin_required = True
    model = Cluster
    form_class = ClusterForm
    template_name = "emulation/form.html"
    slug_field = "code"
    slug_url_kwarg = "cluster_code"

    def form_valid(self, form):
        messages.success(self.request, _("Saved."))
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_title"] = _("Emulation cluster")
        context["back_url"] = reverse("emulation:cluster_list")
        return context


class ClusterCreateView(ClusterFormMixin, CreateView):
    pass


class ClusterUpdateView(ClusterFormMixin, UpdateView):
    pass


class ClusterDetailView(AcademyRequiredMixin, DetailView):
    model = Cluster
    slug_field = "code"
    slug_url_kwarg = "cluster_code"
    template_name = "emulation/cluster_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["years"] = (
            self.object.years.select_related("head").annotate(member_count=Count("memberships", distinct=True))
            .order_by("-year")
        )
        context["can_manage"] = can_manage_clusters(self.request.user)
        return context


class ClusterYearCreateView(AcademyRequiredMixin, FormView):
    academy_admin_required = True
    form_class = ClusterYearForm
    template_name = "emulation/form.html"

    def dispatch(self, request, *args, **kwargs):
        self.cluster = get_object_or_404(Cluster, code=kwargs["cluster_code"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = ClusterYear(cluster=self.cluster)
        return kwargs

    def form_valid(self, form):
        try:
            cluster_year = services.cluster_year_save(
                cluster_year=form.save(commit=False), members=form.cleaned_data["member_schools"],
                deputies=form.cleaned_data["deputies"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(cluster_year.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_title"] = _("New cluster year of %(cluster)s") % {"cluster": self.cluster}
        context["back_url"] = self.cluster.get_absolute_url()
        return context


# --- cluster-year pages ----------------------------------------------------------------------
class ClusterYearMixin(AccessMixin):
    """Resolve ``self.cluster_year`` from ``<cluster_code>/<year>`` and check access.

    ``access``: ``"view"`` (members, the head and the Academy read; nobody writes), ``"run"`` (the
    head school's administrators or an Academy administrator), ``"manage"`` (Academy administrators).
    Subclasses may override ``has_year_permission``. Non-members get 404, members without the
    right get 403.
    """

    access = "view"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.cluster_year = get_object_or_404(
            ClusterYear.objects.select_related("cluster", "head"), cluster__code=kwargs["cluster_code"], year=kwargs["year"]
        )
        if not can_view_year(request.user, self.cluster_year):
            raise Http404
        if not self.has_year_permission(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def has_year_permission(self, request) -> bool:
        user = request.user
        if self.access == "manage":
            return can_manage_clusters(user)
        if self.access == "run":
            return can_run_year(user, self.cluster_year)
        return request.method in SAFE_METHODS

    def year_url(self, name="year_detail", **kwargs):
        cy = self.cluster_year
        return reverse(f"emulation:{name}", kwargs={"cluster_code": cy.cluster.code, "year": cy.year, **kwargs})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            cluster_year=self.cluster_year, cluster=self.cluster_year.cluster,
            can_run=can_run_year(user, self.cluster_year), can_manage=can_manage_clusters(user),
        )
        return context


class YearDetailView(ClusterYearMixin, TemplateView):
    template_name = "emulation/year_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cy = self.cluster_year
        user = self.request.user
        cards = {c.school_id: c for c in cy.scorecards.all()}
        members = []
        # Members under their names and provinces of that year (issue 14: a 2022 page shows 2022's names).
        named = {s.pk: s for s in with_names_in_year(School.objects.filter(cluster_memberships__cluster_year=cy), cy.year)}
        for m in cy.memberships.select_related("school"):
            card = cards.get(m.school_id)
            members.append({
                "school": m.school, "card": card, "name": named[m.school_id].name_in_year,
                "province": named[m.school_id].province_in_year,
                "visible": card is not None and can_view_scorecard(user, card),
                "own": user.school_id == m.school_id,
            })
        transitions = TRANSITIONS.get(cy.status, [])
        if cy.status == ClusterYear.Status.FINAL and not can_manage_clusters(user):
            transitions = []  # reopening a final season is for Academy administrators
        context.update(members=members, deputies=cy.deputies.all(), transitions=transitions,
                       can_start_recorded=history.can_start(user, cy))
        if cy.recorded_entry:
            labels = {action: label for steps in TRANSITIONS.values() for action, label in steps}
            context["recorded_steps"] = history.step_rows(cy, labels)
        return context


class YearUpdateView(ClusterYearMixin, FormView):
    access = "manage"
    form_class = ClusterYearForm
    template_name = "emulation/form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.cluster_year}

    def form_valid(self, form):
        try:
            services.cluster_year_save(
                cluster_year=form.save(commit=False), members=form.cleaned_data["member_schools"],
                deputies=form.cleaned_data["deputies"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.year_url())

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "page_title": _("Edit cluster year"), "back_url": self.year_url()}


class ScheduleUpdateView(ClusterYearMixin, UpdateView):
    access = "run"
    form_class = ScheduleForm
    template_name = "emulation/form.html"

    def get_object(self, queryset=None):
        return self.cluster_year

    def form_valid(self, form):
        messages.success(self.request, _("Saved."))
        return super().form_valid(form)

    def get_success_url(self):
        return self.year_url()

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "page_title": _("Movement and calendar"),
                "back_url": self.year_url()}


TRANSITIONS = {
    ClusterYear.Status.DRAFT: [("open_scoring", gettext_lazy("Open self-scoring (freezes the scheme)"))],
    ClusterYear.Status.SCORING_OPEN: [("open_appraisal", gettext_lazy("Close self-scoring and open the appraisal"))],
    ClusterYear.Status.APPRAISAL: [("open_appeals", gettext_lazy("Publish the appraisal and open the appeal window"))],
    ClusterYear.Status.APPEALS: [("finalize", gettext_lazy("Make the scores final and rank the members"))],
    ClusterYear.Status.FINAL: [("reopen", gettext_lazy("Reopen the final season (recorded in the change log)"))],
}


class TransitionView(ClusterYearMixin, TemplateView):
    """Confirm, then move the cluster year to its next stage."""

    access = "run"
    template_name = "emulation/confirm.html"

    def has_year_permission(self, request) -> bool:
        if self.kwargs.get("action") == "reopen":  # a final season: only an Academy administrator
            return can_manage_clusters(request.user)
        return super().has_year_permission(request)

    def get_action(self):
        actions = dict(TRANSITIONS.get(self.cluster_year.status, []))
        if self.kwargs["action"] not in actions:
            raise Http404
        return actions[self.kwargs["action"]]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "question": self.get_action(), "back_url": self.year_url(),
                "date_form": StepDateForm() if self.cluster_year.recorded_entry else None}

    def post(self, request, *args, **kwargs):
        self.get_action()
        try:
            if self.cluster_year.recorded_entry:  # a past season: the step keeps the date it took place
                history.run_step(cluster_year=self.cluster_year, action=self.kwargs["action"],
                                 happened_on=step_date(request))
            else:
                getattr(services, self.kwargs["action"])(cluster_year=self.cluster_year)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Done."))
        return HttpResponseRedirect(self.year_url())


# --- scheme ----------------------------------------------------------------------------------
class SchemeView(ClusterYearMixin, TemplateView):
    template_name = "emulation/scheme.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = scheme_rows(self.cluster_year)
        context["can_edit_scheme"] = context["can_run"] and not self.cluster_year.scheme_frozen
        context["tie_breakers"] = services.tie_break_labels(self.cluster_year)
        return context


class TieBreakView(ClusterYearMixin, FormView):
    """The cluster adopts its tie-break rule, part of the scoring scheme of the year."""

    access = "run"
    form_class = TieBreakForm
    template_name = "emulation/form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "choices": services.tie_break_choices(self.cluster_year),
                "initial": {f"step_{i}": step for i, step in enumerate(self.cluster_year.tie_break or [], start=1)}}

    def form_valid(self, form):
        try:
            services.tie_break_save(cluster_year=self.cluster_year, steps=form.steps())
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.year_url("scheme"))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "page_title": _("Tie-break rule"),
                "back_url": self.year_url("scheme")}


class CriterionFormMixin(ClusterYearMixin):
    access = "run"
    form_class = CriterionForm
    template_name = "emulation/form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "cluster_year": self.cluster_year}

    def get_queryset(self):
        return Criterion.objects.filter(cluster_year=self.cluster_year)

    def form_valid(self, form):
        try:
            services.criterion_save(criterion=form.instance)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.year_url("scheme"))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "page_title": _("Scoring scheme item"),
                "back_url": self.year_url("scheme")}


class CriterionCreateView(CriterionFormMixin, CreateView):
    pass


class CriterionUpdateView(CriterionFormMixin, UpdateView):
    pass


class CriterionDeleteView(ClusterYearMixin, TemplateView):
    access = "run"
    template_name = "emulation/confirm.html"

    def get_object(self):
        return get_object_or_404(Criterion, cluster_year=self.cluster_year, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        question = _("Are you sure you want to delete “%(obj)s”?") % {"obj": self.get_object()}
        return {**super().get_context_data(**kwargs), "question": question, "danger": True,
                "back_url": self.year_url("scheme")}

    def post(self, request, *args, **kwargs):
        try:
            services.criterion_delete(criterion=self.get_object())
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Deleted."))
        return HttpResponseRedirect(self.year_url("scheme"))


class SchemeCopyView(ClusterYearMixin, TemplateView):
    access = "run"
    template_name = "emulation/confirm.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "question": _("Copy the scoring scheme of the previous year?"),
                "back_url": self.year_url("scheme")}

    def post(self, request, *args, **kwargs):
        try:
            count = services.scheme_copy_from_last_year(cluster_year=self.cluster_year)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(count)s items copied.") % {"count": count})
        return HttpResponseRedirect(self.year_url("scheme"))


# --- scorecards ------------------------------------------------------------------------------
class ScorecardMixin(ClusterYearMixin):
    """A member's scorecard, looked up within the cluster year; its own rule of who may see it."""

    def has_year_permission(self, request) -> bool:
        self.scorecard = get_object_or_404(
            self.cluster_year.scorecards.select_related("school"), school__code=self.kwargs["school_code"]
        )
        self.scorecard.cluster_year = self.cluster_year
        if not can_view_scorecard(request.user, self.scorecard):
            return False
        return self.has_scorecard_permission(request)

    def has_scorecard_permission(self, request) -> bool:
        return request.method in SAFE_METHODS

    def card_url(self, name="scorecard"):
        return self.year_url(name, school_code=self.scorecard.school.code)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["scorecard"] = self.scorecard
        context["can_edit_card"] = can_edit_scorecard(self.request.user, self.scorecard)
        return context


class ScorecardView(ScorecardMixin, TemplateView):
    """The breakdown page: every item with self, appraised and final points."""

    template_name = "emulation/scorecard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = scorecard_breakdown(self.scorecard)
        context["rows"] = rows
        context["totals"] = {
            field: services.scorecard_totals(self.cluster_year, field).get(self.scorecard.pk)
            for field in ("self_points", "appraised_points", "final_points")
        }
        cy = self.cluster_year
        context["show_appraisal"] = cy.self_scores_public and (
            cy.status != ClusterYear.Status.APPRAISAL or context["can_run"] or self.request.user.is_academy
        )
        context["can_appeal"] = context["can_edit_card"] and cy.appeal_window_open
        return context


class SelfScoreView(ScorecardMixin, FormView):
    template_name = "emulation/self_score.html"
    form_class = SelfScoreForm

    def has_scorecard_permission(self, request) -> bool:
        return can_edit_scorecard(request.user, self.scorecard)

    def get_scores(self):
        return list(self.scorecard.scores.select_related("criterion").order_by("criterion__order", "criterion__pk"))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "scores": self.get_scores()}

    def form_valid(self, form):
        try:
            services.self_scores_save(scorecard=self.scorecard, rows=form.row_data())
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.card_url("self_score"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["editable"] = self.cluster_year.self_scoring_open and not self.scorecard.locked
        return context


class ScorecardSubmitView(ScorecardMixin, TemplateView):
    template_name = "emulation/confirm.html"

    def has_scorecard_permission(self, request) -> bool:
        return can_edit_scorecard(request.user, self.scorecard)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "back_url": self.card_url("self_score"),
                "question": _("Submit the self-score? It cannot be changed afterwards."),
                "date_form": StepDateForm() if self.cluster_year.recorded_entry else None}

    def post(self, request, *args, **kwargs):
        try:
            services.scorecard_submit(scorecard=self.scorecard, user=request.user, submitted_on=step_date(request))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(self.card_url("self_score"))
        messages.success(request, _("The self-score has been submitted."))
        return HttpResponseRedirect(self.card_url())


class AppraiseView(ScorecardMixin, FormView):
    template_name = "emulation/appraise.html"
    form_class = AppraisalForm

    def has_scorecard_permission(self, request) -> bool:
        return can_run_year(request.user, self.cluster_year)

    def get_form_kwargs(self):
        scores = list(self.scorecard.scores.select_related("criterion").order_by("criterion__order", "criterion__pk"))
        return {**super().get_form_kwargs(), "scores": scores, "note": self.scorecard.appraisal_note}

    def form_valid(self, form):
        try:
            services.appraisal_save(scorecard=self.scorecard, rows=form.row_data(), note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.card_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["editable"] = self.cluster_year.status == ClusterYear.Status.APPRAISAL
        return context


class EvidenceView(ScorecardMixin, TemplateView):
    """Serve an evidence file only to those who may see the scorecard."""

    def get(self, request, *args, **kwargs):
        score = get_object_or_404(Score, scorecard=self.scorecard, pk=kwargs["pk"])
        if not score.evidence_file:
            raise Http404
        return FileResponse(score.evidence_file.open("rb"), as_attachment=True,
                            filename=score.evidence_file.name.rsplit("/", 1)[-1])


class AppealCreateView(ScorecardMixin, FormView):
    form_class = AppealForm
    template_name = "emulation/form.html"

    def has_scorecard_permission(self, request) -> bool:
        return can_edit_scorecard(request.user, self.scorecard)

    def get_score(self):
        return get_object_or_404(Score.objects.select_related("criterion"), scorecard=self.scorecard, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Appeal(score=self.get_score())}

    def form_valid(self, form):
        score = self.get_score()
        score.scorecard = self.scorecard
        try:
            services.appeal_file(score=score, reason=form.cleaned_data["reason"],
                                 requested_points=form.cleaned_data["requested_points"])
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The appeal has been sent."))
        return HttpResponseRedirect(self.card_url())

    def get_context_data(self, **kwargs):
        score = self.get_score()
        title = _("Appeal against the appraised score of %(item)s") % {"item": score.criterion}
        return {**super().get_context_data(**kwargs), "page_title": title, "back_url": self.card_url()}


class AppealListView(ClusterYearMixin, TemplateView):
    access = "run"
    template_name = "emulation/appeals.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["appeals"] = Appeal.objects.filter(score__scorecard__cluster_year=self.cluster_year).select_related(
            "score__criterion", "score__scorecard__school"
        )
        return context


class AppealResolveView(ClusterYearMixin, UpdateView):
    access = "run"
    form_class = AppealResolveForm
    template_name = "emulation/form.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Appeal.objects.select_related("score__criterion", "score__scorecard__cluster_year"),
            score__scorecard__cluster_year=self.cluster_year, pk=self.kwargs["pk"],
        )

    def form_valid(self, form):
        data = form.cleaned_data
        appeal = self.get_object()
        try:
            services.appeal_resolve(appeal=appeal, status=data["status"], resolution=data["resolution"],
                                    resolved_points=data["resolved_points"], user=self.request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.year_url("appeals"))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "page_title": _("Resolve the appeal: %(item)s") % {
            "item": self.object}, "back_url": self.year_url("appeals")}


class RecordedEntryView(ClusterYearMixin, TemplateView):
    """Confirm, then enter a past season as recorded (nhập bổ sung): see emulation.history."""

    access = "run"
    template_name = "emulation/confirm.html"

    def get_context_data(self, **kwargs):
        question = _("Enter the season %(year)s as recorded? Deadlines will not apply; each step is entered with "
                     "the date it took place, and the change log keeps who entered it and when.") % {
            "year": self.cluster_year.year}
        return {**super().get_context_data(**kwargs), "question": question, "back_url": self.year_url()}

    def post(self, request, *args, **kwargs):
        try:
            history.start_recorded_entry(cluster_year=self.cluster_year, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Done."))
        return HttpResponseRedirect(self.year_url())
