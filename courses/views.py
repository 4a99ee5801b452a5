"""Training pages: the programme catalogue, annual plans, classes, rosters and graduation lists.

Learners, enrollments and the grade grid are in ``views_people.py``.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DeleteView, DetailView, ListView, TemplateView

from core.lists import ListPageMixin
from core.tenancy import AcademyRequiredMixin, SchoolMixin
from core.views import (
    ProtectedDeleteMixin,
    SchoolCreateView,
    SchoolDeleteView,
    SchoolDetailView,
    SchoolListView,
    SchoolUpdateView,
)
from core.xlsx import xlsx_response
from courses.forms import (
    AnnualPlanForm,
    BandFormSet,
    GraduationDecisionForm,
    ModuleFormSet,
    PlanLineFormSet,
    ProgrammeFilterForm,
    ProgrammeForm,
    TrainingClassFilterForm,
    TrainingClassForm,
)
from courses.graduation import graduation_verdicts, record_graduation
from courses.models import AnnualPlan, Enrollment, Learner, PlanLine, Programme, TrainingClass
from courses.selectors import fulfilment_pct, training_summary
from courses.services import create_default_bands
from schools.selectors import school_name_in_year


# --- programme catalogue: the Academy edits, everyone signed in reads ---------------------------
class ProgrammeListView(LoginRequiredMixin, ListPageMixin, ListView):
    model = Programme
    template_name = "courses/programme_list.html"
    search_fields = ("code", "name")
    filter_form_class = ProgrammeFilterForm
    sort_options = {"name": ("name",), "code": ("code",), "kind": ("kind", "name"), "classes": ("class_count",)}
    default_sort = "kind"
    export_title = gettext_lazy("Programmes")
    export_columns = [
        (gettext_lazy("code"), "code"),
        (gettext_lazy("name"), "name"),
        (gettext_lazy("kind"), "get_kind_display"),
        (gettext_lazy("modules"), "module_count"),
        (gettext_lazy("thesis"), "has_thesis"),
        (gettext_lazy("graduation exam"), "has_exam"),
        (gettext_lazy("active"), "active"),
    ]

    def get_base_queryset(self):
        modules = Programme.objects.filter(pk=OuterRef("pk")).annotate(n=Count("modules")).values("n")
        return Programme.objects.annotate(
            module_count=Subquery(modules, output_field=IntegerField()), class_count=Count("classes")
        )


class ProgrammeDetailView(LoginRequiredMixin, DetailView):
    model = Programme
    template_name = "courses/programme_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["modules"] = self.object.modules.all()
        context["bands"] = self.object.bands.all()
        context["total_weight"] = sum(m.weight for m in context["modules"])
        return context


class ProgrammeEditMixin(AcademyRequiredMixin):
    """Create or edit a programme with its modules and classification bands on one page, atomically."""

    academy_admin_required = True
    model = Programme
    template_name = "courses/programme_form.html"

    def get_object(self):
        pk = self.kwargs.get("pk")
        return get_object_or_404(Programme, pk=pk) if pk else Programme()

    def forms(self, data=None):
        programme = self.object
        return (
            ProgrammeForm(data, instance=programme),
            ModuleFormSet(data, instance=programme, prefix="modules"),
            BandFormSet(data, instance=programme, prefix="bands"),
        )

    def render(self, form, modules, bands):
        title = _("Edit programme") if self.object.pk else _("Add programme")
        return render(self.request, self.template_name, {
            "form": form, "modules": modules, "bands": bands, "page_title": title, "object": self.object,
        })

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render(*self.forms())

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        is_new = self.object.pk is None
        form, modules, bands = self.forms(request.POST)
        if not (form.is_valid() and modules.is_valid() and bands.is_valid()):
            return self.render(form, modules, bands)
        with transaction.atomic():
            programme = form.save()
            modules.instance = bands.instance = programme
            modules.save()
            bands.save()
            if is_new and not programme.bands.exists():
                create_default_bands(programme=programme)
        messages.success(request, _("Saved."))
        return redirect(programme.get_absolute_url())


class ProgrammeCreateView(ProgrammeEditMixin, TemplateView):
    pass


class ProgrammeUpdateView(ProgrammeEditMixin, TemplateView):
    pass


class ProgrammeDeleteView(AcademyRequiredMixin, ProtectedDeleteMixin, DeleteView):
    academy_admin_required = True
    model = Programme
    success_url = reverse_lazy("courses:programme_list")
    protected_message = gettext_lazy(
        "This programme has classes or plans and cannot be deleted; mark it inactive instead."
    )


# --- annual plans ----------------------------------------------------------------------------------
class PlanListView(SchoolListView):
    """Plans with their fulfilment: classes opened and learner-turns in the year against the plan."""

    model = AnnualPlan
    template_name = "courses/plan_list.html"
    search_fields = ("decision_number", "note")
    sort_options = {"year": ("year",)}
    default_sort = "-year"
    export_title = gettext_lazy("Annual training plans")
    export_columns = [
        (gettext_lazy("year"), "year"),
        (gettext_lazy("decision number"), "decision_number"),
        (gettext_lazy("planned classes"), "planned_classes"),
        (gettext_lazy("classes opened"), "classes_opened"),
        (gettext_lazy("planned learner-turns"), "planned_learners"),
        (gettext_lazy("learner-turns"), "learner_turns"),
        (gettext_lazy("plan fulfilment (classes, %)"), "fulfilment_classes_pct"),
        (gettext_lazy("plan fulfilment (learner-turns, %)"), "fulfilment_learners_pct"),
    ]

    def get_base_queryset(self):
        def total(field):
            lines = (
                PlanLine.objects.filter(plan=OuterRef("pk")).values("plan")
                .annotate(total=Sum(field)).values("total")
            )
            return Coalesce(Subquery(lines, output_field=IntegerField()), 0)

        opened = (
            TrainingClass.objects.filter(school=OuterRef("school"), opening_date__year=OuterRef("year"))
            .values("school").annotate(n=Count("pk")).values("n")
        )
        turns = (
            Enrollment.objects.filter(
                training_class__school=OuterRef("school"), training_class__opening_date__year=OuterRef("year")
            ).values("training_class__school").annotate(n=Count("pk")).values("n")
        )
        return super().get_base_queryset().annotate(
            planned_classes=total("planned_classes"), planned_learners=total("planned_learners"),
            classes_opened=Coalesce(Subquery(opened, output_field=IntegerField()), 0),
            learner_turns=Coalesce(Subquery(turns, output_field=IntegerField()), 0),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for plan in context["object_list"]:
            plan.fulfilment_classes_pct = pct(plan.classes_opened, plan.planned_classes)
            plan.fulfilment_learners_pct = pct(plan.learner_turns, plan.planned_learners)
        return context

    def export_rows(self, queryset):
        from core.lists import resolve

        for plan in queryset:
            plan.fulfilment_classes_pct = pct(plan.classes_opened, plan.planned_classes)
            plan.fulfilment_learners_pct = pct(plan.learner_turns, plan.planned_learners)
            yield [resolve(plan, path) for _header, path in self.export_columns]


def pct(done, planned):
    return fulfilment_pct(done, planned, True)


class PlanDetailView(SchoolDetailView):
    model = AnnualPlan
    template_name = "courses/plan_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = training_summary(self.school, self.object.year)
        context["named"] = school_name_in_year(self.school, self.object.year)  # the school as it was called then
        return context


class PlanEditMixin(SchoolMixin):
    """Create or edit a plan with its lines (one per programme) on one page, atomically."""

    permission = "edit"
    template_name = "courses/plan_form.html"

    def get_object(self):
        pk = self.kwargs.get("pk")
        if pk:
            return get_object_or_404(AnnualPlan.objects.for_school(self.school), pk=pk)
        return AnnualPlan(school=self.school, year=timezone.localdate().year)

    def forms(self, data=None):
        return (
            AnnualPlanForm(data, instance=self.object, school=self.school),
            PlanLineFormSet(data, instance=self.object, prefix="lines"),
        )

    def render(self, form, lines):
        title = _("Edit annual training plan") if self.object.pk else _("Add annual training plan")
        return self.render_to_response(self.get_context_data(form=form, lines=lines, page_title=title,
                                                             object=self.object))

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render(*self.forms())

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form, lines = self.forms(request.POST)
        if not (form.is_valid() and lines.is_valid()):
            return self.render(form, lines)
        with transaction.atomic():
            plan = form.save()
            lines.instance = plan
            lines.save()
        messages.success(request, _("Saved."))
        return redirect(plan.get_absolute_url())


class PlanCreateView(PlanEditMixin, TemplateView):
    pass


class PlanUpdateView(PlanEditMixin, TemplateView):
    pass


class PlanDeleteView(SchoolDeleteView):
    model = AnnualPlan

    def get_success_url(self):
        return reverse("courses:plan_list", kwargs={"school_code": self.school.code})


# --- classes -----------------------------------------------------------------------------------
class ClassListView(SchoolListView):
    model = TrainingClass
    template_name = "courses/class_list.html"
    search_fields = ("code", "name", "venue")
    filter_form_class = TrainingClassFilterForm
    sort_options = {
        "code": ("code",), "opening": ("opening_date", "code"), "closing": ("closing_date", "code"),
        "programme": ("programme__name", "code"), "learners": ("learner_count",),
    }
    default_sort = "-opening"
    export_title = gettext_lazy("Classes")
    export_columns = [
        (gettext_lazy("class code"), "code"),
        (gettext_lazy("name"), "name"),
        (gettext_lazy("programme"), "programme.name"),
        (gettext_lazy("mode"), "get_mode_display"),
        (gettext_lazy("venue"), "venue"),
        (gettext_lazy("opening date"), "opening_date"),
        (gettext_lazy("closing date"), "closing_date"),
        (gettext_lazy("status"), "get_status_display"),
        (gettext_lazy("class adviser"), "adviser.full_name"),
        (gettext_lazy("planned size"), "planned_size"),
        (gettext_lazy("learners"), "learner_count"),
        (gettext_lazy("graduated"), "graduated_count"),
        (gettext_lazy("run jointly with"), "partner.name"),
        (gettext_lazy("taught by"), "get_taught_by_display"),
        (gettext_lazy("diploma issued by"), "get_diploma_by_display"),
    ]

    def get_base_queryset(self):
        # Counted per class in subqueries, not with a join and GROUP BY over every enrollment of the
        # school: PostgreSQL then counts only the classes of the page (0.4 s → a few ms for a
        # school with 2,000 classes and 100,000 enrollments; `make bench`).
        def count(**extra):
            enrollments = Enrollment.objects.filter(training_class=OuterRef("pk"), **extra)
            return Coalesce(Subquery(
                enrollments.order_by().values("training_class").annotate(n=Count("pk")).values("n")
            ), 0)

        return super().get_base_queryset().select_related("programme", "adviser", "partner").annotate(
            learner_count=count(), graduated_count=count(status=Enrollment.Status.GRADUATED),
        )

    def filter_year(self, queryset, value):
        return queryset.filter(opening_date__year=value)

    def filter_joint(self, queryset, value):
        return queryset.filter(partner__isnull=value != "yes")


class ClassDetailView(SchoolDetailView):
    model = TrainingClass
    template_name = "courses/class_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("programme", "adviser", "school", "partner")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enrollments = self.object.enrollments.select_related("learner", "learner__ethnic_group").prefetch_related(
            Learner.details_prefetch(self.school, prefix="learner__")).order_by("learner__name_sort_key", "pk")
        context["enrollments"] = enrollments
        context["status_counts"] = {
            row["status"]: row["n"] for row in self.object.enrollments.values("status").annotate(n=Count("pk"))
        }
        context["statuses"] = [
            (value, label, context["status_counts"].get(value, 0)) for value, label in Enrollment.Status.choices
        ]
        return context


class ClassFormMixin:
    model = TrainingClass
    form_class = TrainingClassForm
    template_name = "includes/form_page.html"


class ClassCreate(ClassFormMixin, SchoolCreateView):
    extra_context = {"page_title": gettext_lazy("Add class")}


class ClassUpdate(ClassFormMixin, SchoolUpdateView):
    extra_context = {"page_title": gettext_lazy("Edit class")}


class ClassDeleteView(SchoolDeleteView):
    model = TrainingClass

    def get_success_url(self):
        return reverse("courses:class_list", kwargs={"school_code": self.school.code})


class RecordGraduationView(SchoolMixin, DetailView):
    """Who graduates and who does not, and why; then the decision (number, date) closes the class."""

    permission = "edit"
    model = TrainingClass
    template_name = "courses/graduation_confirm.html"

    def get_queryset(self):
        return TrainingClass.objects.for_school(self.school).select_related("programme")

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        verdicts = graduation_verdicts(self.object)
        context["graduating"] = [v for v in verdicts if v.graduates]
        context["not_graduating"] = [v for v in verdicts if not v.graduates]
        context["form"] = form or GraduationDecisionForm(initial={
            "decision_number": self.object.closing_decision_number,
            "decision_date": self.object.closing_decision_date or self.object.closing_date})
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = GraduationDecisionForm(request.POST)
        if form.is_valid():
            try:
                counts = record_graduation(training_class=self.object, **form.cleaned_data)
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(name if name in form.fields else None, error)
            else:
                messages.success(
                    request, _("Recorded: %(graduated)s graduated, %(not_graduated)s not graduated.") % counts)
                return redirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


# --- roster and graduation list: printable pages and Excel ------------------------------------
class ClassPrintView(SchoolMixin, DetailView):
    """A printable list of one class; ``?export=xlsx`` downloads the same rows."""

    model = TrainingClass
    statuses: tuple = ()
    title = ""

    def get_queryset(self):
        return TrainingClass.objects.for_school(self.school).select_related("programme", "adviser", "school")

    def seen(self, enrollment):
        """The learner's details as this school recorded them (see Learner.details_at)."""
        return enrollment.learner.details_at(self.school.pk)

    def enrollments(self):
        queryset = self.object.enrollments.select_related("learner", "learner__ethnic_group").prefetch_related(
            Learner.details_prefetch(self.school, prefix="learner__")).order_by("learner__name_sort_key", "pk")
        return queryset.filter(status__in=self.statuses) if self.statuses else queryset

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if request.GET.get("export") == "xlsx":
            headers = [capfirst(str(header)) for header, _getter in self.columns()]
            rows = (
                [index, *(getter(e) for _header, getter in self.columns()[1:])]
                for index, e in enumerate(self.enrollments(), start=1)
            )
            stamp = timezone.localtime().strftime("%Y%m%d")
            filename = f"{slugify(str(self.title))}-{slugify(self.object.code)}-{stamp}.xlsx"
            return xlsx_response(filename, [(f"{self.object.code}", headers, rows)])
        context = self.get_context_data(object=self.object, enrollments=self.enrollments(), title=self.title)
        return self.render_to_response(context)


class RosterView(ClassPrintView):
    template_name = "courses/roster.html"
    title = gettext_lazy("Class roster")

    def columns(self):
        return [
            (_("No."), None),
            (_("full name"), lambda e: e.learner.full_name),
            (_("date of birth"), lambda e: e.learner.date_of_birth),
            (_("sex"), lambda e: e.learner.get_sex_display()),
            (_("ethnicity"), lambda e: getattr(self.seen(e).ethnic_group, "name", "")),
            (_("citizen ID number"), lambda e: e.learner.cccd),
            (_("position"), lambda e: self.seen(e).position),
            (_("workplace"), lambda e: self.seen(e).workplace),
            (_("status"), lambda e: e.get_status_display()),
        ]


class GraduationListView(ClassPrintView):
    template_name = "courses/graduation_list.html"
    title = gettext_lazy("Graduation list")
    statuses = (Enrollment.Status.GRADUATED,)

    def columns(self):
        return [
            (_("No."), None),
            (_("full name"), lambda e: e.learner.full_name),
            (_("date of birth"), lambda e: e.learner.date_of_birth),
            (_("citizen ID number"), lambda e: e.learner.cccd),
            (_("workplace"), lambda e: self.seen(e).workplace),
            (_("average mark"), lambda e: e.average),
            (_("classification"), lambda e: e.get_classification_display()),
            (_("diploma / certificate number"), lambda e: e.diploma_number),
            (_("diploma / certificate date"), lambda e: e.diploma_date),
        ]
