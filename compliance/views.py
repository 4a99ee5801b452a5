from itertools import groupby

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView, UpdateView

from compliance import criteria_sheet, selectors, services
from compliance.forms import (
    AnswerForm,
    AssessmentOpenForm,
    CommentForm,
    ConsoleFilterForm,
    CouncilForm,
    CriteriaImportForm,
    IndicatorForm,
    RecogniseForm,
    RequestEvidenceForm,
    SurveyForm,
)
from compliance.metrics import REGISTRY, evaluate
from compliance.models import Answer, Assessment, Criterion, EvidenceFile, Indicator, Standard
from core.charts import bar_chart
from core.forms import FilterForm
from core.lists import ListPageMixin, resolve
from core.tenancy import AcademyRequiredMixin, SchoolMixin, SchoolObjectMixin
from core.views import SchoolDeleteView, SchoolDetailView, SchoolListView
from core.xlsx import xlsx_response
from schools.models import School


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    # an absurd year (?year=99999) was a 500 in the date arithmetic (tests/trust/test_hostile_input.py)
    return year if 1900 <= year <= 2100 else timezone.localdate().year


# --- the school's self-assessments --------------------------------------------------------------
class AssessmentFilterForm(FilterForm):
    stage = forms.ChoiceField(
        label=gettext_lazy("review progress"), choices=[("", gettext_lazy("All"))] + Assessment.Stage.choices
    )
    year = forms.IntegerField(label=gettext_lazy("assessment year"))


class AssessmentListView(SchoolListView):
    model = Assessment
    template_name = "compliance/assessment_list.html"
    filter_form_class = AssessmentFilterForm
    sort_options = {"year": ("year",), "stage": ("stage",), "met": ("met_count",)}
    default_sort = "-year"
    export_title = gettext_lazy("Self-assessments")
    export_columns = [
        (gettext_lazy("assessment year"), "year"),
        (gettext_lazy("standard"), lambda a: str(a.standard)),
        (gettext_lazy("target level"), "get_target_level_display"),
        (gettext_lazy("indicators"), "indicators_total"),
        (gettext_lazy("met"), "met_count"),
        (gettext_lazy("exceeded"), "exceeded_count"),
        (gettext_lazy("not met"), "not_met_count"),
        (gettext_lazy("awaiting opinion"), "pending_count"),
        (gettext_lazy("level reached"), "get_level_reached_display"),
        (gettext_lazy("review progress"), "get_stage_display"),
        (gettext_lazy("level recognised"), "get_level_recognised_display"),
        (gettext_lazy("recognition decision number"), "decision_number"),
        (gettext_lazy("recognition decision date"), "decision_date"),
    ]

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("standard")


class AssessmentCreateView(SchoolMixin, FormView):
    permission = "edit"
    form_class = AssessmentOpenForm
    template_name = "includes/form_page.html"
    extra_context = {"page_title": gettext_lazy("Open a self-assessment")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "school": self.school}

    def form_valid(self, form):
        try:
            assessment = services.open_assessment(
                school=self.school, year=form.cleaned_data["year"], target_level=form.cleaned_data["target_level"],
                user=self.request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The self-assessment is open; computed indicators are filled in."))
        return HttpResponseRedirect(assessment.get_absolute_url())


def answers_by_criterion(assessment):
    answers = (
        assessment.answers.select_related("indicator__criterion")
        .prefetch_related("files", Prefetch("comments", to_attr="comment_list"))
        .order_by("indicator__criterion__number", "indicator__order", "indicator__code")
    )
    return [(criterion, list(rows)) for criterion, rows in groupby(answers, key=lambda a: a.indicator.criterion)]


class AssessmentDetailView(SchoolDetailView):
    model = Assessment
    template_name = "compliance/assessment_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("standard", "school")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment, user = self.object, self.request.user
        actions = services.allowed_actions(assessment)
        context.update(
            groups=answers_by_criterion(assessment),
            events=assessment.events.select_related("actor"),
            can_answer=self.can_edit and assessment.is_open,
            can_submit=self.can_edit and "submit" in actions,
            missing=services.missing_evidence(assessment) if self.can_edit and assessment.is_open else [],
            review_actions=[a for a in REVIEW_VIEWS if a in actions and REVIEW_VIEWS[a].allowed(user)]
            if user.is_academy else [],
            can_comment=user.is_academy and assessment.stage in services.REVIEW_STAGES,
        )
        return context


class AssessmentExportView(SchoolObjectMixin, View):
    model = Assessment

    def get(self, request, *args, **kwargs):
        assessment = get_object_or_404(self.get_queryset().select_related("standard"), pk=kwargs["pk"])
        answers = assessment.answers.select_related("indicator__criterion").annotate(file_count=Count("files"))
        headers = [_("criterion"), _("code"), _("indicator"), _("unit"), _("comparison"), _("level-1 value"),
                   _("level-2 value"), _("measurement"), pgettext("indicator", "value"), pgettext("indicator", "status"), _("evidence files"),
                   _("explanation"), _("to be completed by the Academy")]
        rows = (
            [a.indicator.criterion.number, a.indicator.code, a.indicator.text, a.indicator.unit,
             a.indicator.get_comparison_display(), a.indicator.level1_value, a.indicator.level2_value,
             a.indicator.get_measurement_display(), a.value, a.get_status_display(), a.file_count, a.explanation,
             a.indicator.provisional]
            for a in answers
        )
        summary = [
            [_("school"), assessment.school.name], [_("standard"), str(assessment.standard)],
            [_("assessment year"), assessment.year], [_("target level"), assessment.get_target_level_display()],
            [_("met"), f"{assessment.met_count}/{assessment.indicators_total}"],
            [_("exceeded"), assessment.exceeded_count], [_("not met"), assessment.not_met_count],
            [_("awaiting opinion"), assessment.pending_count],
            [_("level reached"), assessment.get_level_reached_display() or "—"],
            [_("review progress"), assessment.get_stage_display()],
        ]
        filename = f"tu-danh-gia-{slugify(self.school.code)}-{assessment.year}.xlsx"
        return xlsx_response(filename, [(_("Self-assessment"), [pgettext("export", "field"), pgettext("export", "value")], summary),
                                        (_("Indicators"), headers, rows)])


class AssessmentActionView(SchoolObjectMixin, View):
    """POST-only school actions on an assessment (refresh computed values, submit)."""

    model = Assessment
    permission = "edit"

    def post(self, request, *args, **kwargs):
        assessment = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        try:
            self.act(assessment)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return HttpResponseRedirect(assessment.get_absolute_url())


class AssessmentRefreshView(AssessmentActionView):
    def act(self, assessment):
        services.refresh_computed(assessment=assessment)
        messages.success(self.request, _("Computed indicators were updated from the records."))


class AssessmentSubmitView(AssessmentActionView):
    def act(self, assessment):
        services.submit(assessment=assessment, user=self.request.user)
        messages.success(self.request, _("The self-assessment was submitted to the Academy."))


class AnswerUpdateView(SchoolMixin, FormView):
    permission = "edit"
    form_class = AnswerForm
    template_name = "compliance/answer_form.html"

    def get_answer(self):
        if not hasattr(self, "answer"):
            queryset = Answer.objects.for_school(self.school).select_related("indicator__criterion", "assessment__school")
            self.answer = get_object_or_404(queryset, pk=self.kwargs["pk"])
        return self.answer

    def get(self, request, *args, **kwargs):
        return self._refuse_provisional() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._refuse_provisional() or super().post(request, *args, **kwargs)

    def _refuse_provisional(self):
        """A provisional indicator ("chưa ban hành") is not answerable: back to the assessment."""
        answer = self.get_answer()
        if not answer.indicator.provisional:
            return None
        messages.error(self.request, _("This indicator has not been issued yet: schools cannot answer it."))
        return HttpResponseRedirect(f"{answer.assessment.get_absolute_url()}#answer-{answer.pk}")

    def get_form_kwargs(self):
        answer = self.get_answer()
        kwargs = super().get_form_kwargs()
        kwargs["answer"] = answer
        kwargs.setdefault("initial", {}).update(
            value=int(answer.value) if answer.value is not None and answer.indicator.comparison == "yes_no"
            else answer.value,
            explanation=answer.explanation, ask_opinion=answer.ask_opinion,
        )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        answer = self.get_answer()
        context.update(answer=answer, assessment=answer.assessment, files=answer.files.all(),
                       comments=answer.comments.select_related("author"))
        return context

    def form_valid(self, form):
        answer = self.get_answer()
        data = form.cleaned_data
        try:
            services.save_answer(answer=answer, value=data.get("value"), explanation=data["explanation"],
                                 ask_opinion=data["ask_opinion"])
            if data.get("evidence"):
                services.add_evidence(answer=answer, uploaded=data["evidence"], user=self.request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(f"{answer.assessment.get_absolute_url()}#answer-{answer.pk}")


class EvidenceDownloadView(SchoolMixin, View):
    """Evidence files are never public: each download is checked against the school's members."""

    def get(self, request, *args, **kwargs):
        evidence = get_object_or_404(EvidenceFile.objects.for_school(self.school), pk=kwargs["pk"])
        try:
            handle = evidence.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return FileResponse(handle, as_attachment=True, filename=evidence.name)


class EvidenceDeleteView(SchoolDeleteView):
    model = EvidenceFile

    def get_queryset(self):
        return super().get_queryset().select_related("answer__assessment__school")

    def form_valid(self, form):
        evidence = self.get_object()
        back = reverse("compliance:answer_update", kwargs={"school_code": self.school.code, "pk": evidence.answer_id})
        try:
            services.delete_evidence(evidence=evidence)
        except ValidationError as exc:
            messages.error(self.request, exc.messages[0])
            return HttpResponseRedirect(back)
        messages.success(self.request, _("Deleted “%(obj)s”.") % {"obj": evidence})
        return HttpResponseRedirect(back)


# --- the Academy's review -----------------------------------------------------------------------
class ReviewMixin(SchoolMixin):
    """Academy workflow pages on a school's assessment: Academy users only (school members 403)."""

    admin_only = False

    @classmethod
    def allowed(cls, user) -> bool:
        return user.is_academy_admin if cls.admin_only else user.is_academy

    def has_school_permission(self, request) -> bool:
        return self.allowed(request.user)


class ReviewStepView(ReviewMixin, FormView):
    template_name = "compliance/review_form.html"
    title = ""

    def get_assessment(self):
        if not hasattr(self, "assessment"):
            queryset = Assessment.objects.for_school(self.school).select_related("school", "standard")
            self.assessment = get_object_or_404(queryset, pk=self.kwargs["pk"])
        return self.assessment

    def get_context_data(self, **kwargs):
        return super().get_context_data(assessment=self.get_assessment(), page_title=self.title, **kwargs)

    def form_valid(self, form):
        assessment = self.get_assessment()
        try:
            self.act(assessment, form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(assessment.get_absolute_url())


class RequestEvidenceView(ReviewStepView):
    form_class = RequestEvidenceForm
    title = gettext_lazy("Request more evidence")

    def act(self, assessment, data):
        services.request_evidence(assessment=assessment, user=self.request.user, deadline=data["deadline"],
                                  note=data["note"])


class SurveyView(ReviewStepView):
    form_class = SurveyForm
    title = gettext_lazy("Survey mission")

    def act(self, assessment, data):
        services.record_survey(assessment=assessment, user=self.request.user, date=data["date"],
                               leader=data["leader"], report=data["report"])


class CouncilView(ReviewStepView):
    form_class = CouncilForm
    title = gettext_lazy("Appraisal council")

    def act(self, assessment, data):
        services.record_council(assessment=assessment, user=self.request.user, date=data["date"],
                                votes_for=data["votes_for"], votes_against=data["votes_against"],
                                votes_abstain=data["votes_abstain"])


class RecogniseView(ReviewStepView):
    form_class = RecogniseForm
    title = gettext_lazy("Recognition decision")
    admin_only = True

    def get_initial(self):
        return {"level": self.get_assessment().level_reached}  # never pre-select a level not reached

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "level_reached": self.get_assessment().level_reached}

    def get_context_data(self, **kwargs):
        return super().get_context_data(show_result=True, **kwargs)

    def act(self, assessment, data):
        services.recognise(assessment=assessment, user=self.request.user, level=data["level"],
                           decision_number=data["decision_number"], decision_date=data["decision_date"],
                           reason=data["reason"])


REVIEW_VIEWS = {
    "request_evidence": RequestEvidenceView, "survey": SurveyView, "council": CouncilView, "recognise": RecogniseView,
}


class CommentView(ReviewMixin, FormView):
    form_class = CommentForm
    template_name = "compliance/review_form.html"

    def get_answer(self):
        queryset = Answer.objects.for_school(self.school).select_related("indicator", "assessment__school")
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        answer = self.get_answer()
        return super().get_context_data(assessment=answer.assessment, answer=answer,
                                        page_title=_("Comment on indicator %(code)s") % {"code": answer.indicator.code},
                                        **kwargs)

    def form_valid(self, form):
        answer = self.get_answer()
        try:
            services.comment(answer=answer, user=self.request.user, text=form.cleaned_data["text"],
                             opinion=form.cleaned_data["opinion"])
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(f"{answer.assessment.get_absolute_url()}#answer-{answer.pk}")


# --- living evidence and the gap ----------------------------------------------------------------
class MetricEvidenceView(SchoolMixin, ListView):
    """The records a computed metric counted, so a reviewer can check its value."""

    template_name = "compliance/metric_evidence.html"
    paginate_by = 50

    def get_metric(self):
        metric = REGISTRY.get(self.kwargs["metric"])
        if metric is None:
            raise Http404
        return metric

    def get_queryset(self):
        return self.get_metric().records(self.school, _year(self.request))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        metric, year = self.get_metric(), _year(self.request)
        result = evaluate(self.school, year, [metric.name])[metric.name]
        context.update(
            metric=metric, year=year, value=result.value,
            headers=[header for header, _path in metric.columns],
            rows=[[resolve(obj, path) for _header, path in metric.columns] for obj in context["object_list"]],
        )
        return context


class GapView(SchoolMixin, TemplateView):
    template_name = "compliance/gap.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = _year(self.request)
        gap = selectors.school_gap(self.school, year)
        rows = gap["rows"]
        context.update(gap=gap, year=year,
                       groups=[(c, list(r)) for c, r in groupby(rows, key=lambda row: row["indicator"].criterion)])
        return context


# --- the Academy console ------------------------------------------------------------------------
class ConsoleView(AcademyRequiredMixin, TemplateView):
    template_name = "compliance/console.html"

    def get_schools(self, form):
        schools = School.objects.filter(kind=School.Kind.PROVINCIAL, active=True).order_by("name")
        data = form.cleaned_data if form.is_bound else {}
        if data.get("region"):
            schools = schools.filter(region=data["region"])
        if data.get("cluster"):
            schools = schools.filter(pk__in=selectors.cluster_members(data["cluster"]))
        return list(schools)

    def build(self):
        standard = services.current_standard()
        criteria = list(Criterion.objects.filter(standard=standard)) if standard else []
        indicators = list(
            Indicator.objects.filter(criterion__standard=standard).values_list("code", "text", "provisional")
        ) if standard else []
        indicator_choices = [(code, f"{code} {text[:50]}") for code, text, provisional in indicators if not provisional]
        form = ConsoleFilterForm(self.request.GET or None, indicator_choices=indicator_choices)
        form.is_valid()
        data = form.cleaned_data if form.is_bound else {}
        schools = self.get_schools(form)
        statuses = selectors.compliance_statuses(schools)
        level = data.get("level")
        if level:
            wanted = None if level == "none" else int(level)
            schools = [s for s in schools if statuses[s.pk]["level_recognised"] == wanted]
        matrix = selectors.criterion_matrix(statuses)
        code = data.get("indicator")
        comparison = selectors.indicator_comparison(statuses, code) if code else {}
        max_value = max((row["value"] or 0 for row in comparison.values()), default=0)
        rows = []
        for school in schools:
            status = statuses[school.pk]
            cells = matrix.get(status["assessment_id"], {})
            compared = comparison.get(status["assessment_id"])
            rows.append({
                "school": school, "status": status,
                "cells": [(c.number, cells.get(c.number), selectors.cell_status(cells.get(c.number))) for c in criteria],
                "compared": compared,
                "bar": selectors.scale(compared["value"], max_value) if compared else 0,
            })
        recognised = {lvl: sum(1 for s in schools if statuses[s.pk]["level_recognised"] == lvl) for lvl in (1, 2)}
        stages = selectors.stage_counts({s.pk: statuses[s.pk] for s in schools})
        stage_rows = [(label, stages.get(value, 0)) for value, label in Assessment.Stage.choices]
        stage_rows.append((_("no assessment yet"), stages.get("none", 0)))
        return {
            "form": form, "standard": standard, "criteria": criteria, "rows": rows, "recognised": recognised,
            "indicator_count": len(indicators), "confirmed_count": len(indicator_choices),
            "not_recognised": len(schools) - sum(recognised.values()), "compare_code": code,
            "stage_chart": bar_chart([{"label": capfirst(str(label)), "value": n} for label, n in stage_rows],
                                     title=_("Review progress"), value_label=_("schools")),
        }

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export(self.build())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.build(), **kwargs)

    def export(self, data):
        labels = dict(STATUS_LABELS())
        headers = [_("code"), _("school"), _("region"), _("review progress"), _("met"), _("exceeded"), _("not met"),
                   _("awaiting opinion"), _("level recognised"), _("recognition decision date")]
        headers += [_("criterion %(n)s") % {"n": c.number} for c in data["criteria"]]
        headers += [_("issued indicators assessed"), _("indicators in the standard")]
        rows = (
            [row["school"].code, row["school"].name, row["school"].get_region_display(),
             row["status"]["stage"] or _("no assessment yet"), row["status"]["met"], row["status"]["exceeded"],
             row["status"]["not_met"], row["status"]["pending"], row["status"]["level_recognised"],
             row["status"]["recognised_on"]]
            + [labels[state] for _n, _c, state in row["cells"]]
            + [row["status"]["indicators_total"], row["status"]["indicators_in_standard"]]
            for row in data["rows"]
        )
        return xlsx_response("truong-chuan-toan-quoc.xlsx", [(_("Standard-school matrix"), headers, rows)])


def STATUS_LABELS():  # noqa: N802 — a table, evaluated in the active language
    return [("met", _("met")), ("not_met", _("not met")), ("pending", _("awaiting opinion")),
            ("none", _("no data yet"))]


# --- the standard catalogue ---------------------------------------------------------------------
class StandardListView(AcademyRequiredMixin, ListPageMixin, ListView):
    model = Standard
    template_name = "compliance/standard_list.html"
    search_fields = ("code", "title", "version")

    def get_base_queryset(self):
        return Standard.objects.annotate(
            criterion_count=Count("criteria", distinct=True),
            indicator_count=Count("criteria__indicators", distinct=True),
            assessment_count=Count("assessments", distinct=True),
        ).order_by("-issued_on", "-version")


class StandardDetailView(AcademyRequiredMixin, DetailView):
    model = Standard
    template_name = "compliance/standard_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        indicators = Indicator.objects.filter(criterion__standard=self.object).select_related("criterion")
        context["groups"] = [(c, list(rows)) for c, rows in groupby(indicators, key=lambda i: i.criterion)]
        context["provisional_count"] = sum(1 for i in indicators if i.provisional)
        context["indicator_count"] = len(indicators)
        context["confirmed_count"] = context["indicator_count"] - context["provisional_count"]
        context["metric_labels"] = {name: metric.label for name, metric in REGISTRY.items()}
        return context


class IndicatorUpdateView(AcademyRequiredMixin, UpdateView):
    academy_admin_required = True
    model = Indicator
    form_class = IndicatorForm
    template_name = "includes/form_page.html"

    def get_queryset(self):
        return Indicator.objects.select_related("criterion__standard")

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=_("Edit indicator %(code)s") % {"code": self.object.code}, **kwargs)

    def form_valid(self, form):
        try:
            self.object = services.save_indicator(indicator=form.instance, user=self.request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return self.object.criterion.standard.get_absolute_url()


class StandardExportView(AcademyRequiredMixin, View):
    """The criteria set as the Excel sheet in which the guidance is circulated."""

    def get(self, request, *args, **kwargs):
        return criteria_sheet.export_response(get_object_or_404(Standard, pk=kwargs["pk"]))


class StandardImportView(AcademyRequiredMixin, FormView):
    academy_admin_required = True
    form_class = CriteriaImportForm
    template_name = "includes/form_page.html"
    extra_context = {"page_title": gettext_lazy("Import a criteria set from Excel")}

    def form_valid(self, form):
        try:
            standard, counts = criteria_sheet.import_workbook(form.cleaned_data["file"], user=self.request.user)
        except ValidationError as exc:
            form.add_error("file", exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Imported: %(created)s indicators added, %(updated)s updated.") % counts)
        return HttpResponseRedirect(standard.get_absolute_url())
