"""Learners, enrollments and the grade grid; the Academy's view of a person's training history."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView, TemplateView

from core.lists import ListPageMixin
from core.tenancy import AcademyRequiredMixin, SchoolMixin
from core.vietnamese import fold
from core.views import SchoolDeleteView, SchoolDetailView, SchoolListView, SchoolUpdateView
from courses.forms import DiplomaFormSet, EnrollLearnerForm, EnrollmentForm, LearnerFilterForm, LearnerForm
from courses.grades import GradeGrid
from courses.merging import link_proposals
from courses.models import Enrollment, Learner, SchoolLearner, TrainingClass
from courses.services import enroll_learner

LEARNER_EXPORT = [
    (gettext_lazy("full name"), "full_name"),
    (gettext_lazy("identity document"), "get_document_type_display"),
    (gettext_lazy("citizen ID number"), "cccd"),
    (gettext_lazy("nationality"), "nationality"),
    (gettext_lazy("date of birth"), "date_of_birth"),
    (gettext_lazy("sex"), "get_sex_display"),
    (gettext_lazy("ethnicity"), "ethnic_group.name"),
    (gettext_lazy("religion"), "religion"),
    (gettext_lazy("hometown"), "hometown"),
    (gettext_lazy("date joined the Party"), "party_joined_on"),
    (gettext_lazy("date made official"), "party_official_on"),
    (gettext_lazy("position"), "position"),
    (gettext_lazy("workplace"), "workplace"),
    (gettext_lazy("education degree"), "education"),
    (gettext_lazy("political-theory level"), "get_theory_level_display"),
]


class LearnerSearchMixin:
    """Diacritic-free name search (see ListPageMixin); a query of digits searches the citizen ID."""

    person_search = True

    def apply_search(self, queryset):
        query = self.search_query.replace(" ", "")
        if query.isdigit():
            return queryset.filter(cccd__contains=query)
        return super().apply_search(queryset)


# --- a school's learners ------------------------------------------------------------------------
class LearnerListView(SchoolListView):
    """Learners of the school's own classes, each once, in Vietnamese name order.

    Read through SchoolLearner (see its docstring): the school, the name search and the name
    order are one index range, so the count and the page cost the same for a 90,000-learner
    school whatever is typed."""

    model = Learner
    template_name = "courses/learner_list.html"
    filter_form_class = LearnerFilterForm
    sort_options = {"name": ("school_links__name_sort_key",), "dob": ("date_of_birth", "name_sort_key")}
    default_sort = "name"
    export_title = gettext_lazy("Learners")

    def get_base_queryset(self):
        own = Enrollment.objects.for_school(self.school).select_related("training_class__school").order_by(
            "-training_class__opening_date"
        )
        return (
            Learner.objects.listed_at(self.school, **self._link_search())
            .select_related("ethnic_group")
            .prefetch_related(Prefetch("enrollments", queryset=own, to_attr="school_enrollments"),
                              Learner.details_prefetch(self.school))
        )

    @property
    def export_columns(self):
        """The school's own details of each learner, never another school's (see Learner.details_at)."""
        identity = {"full_name", "get_document_type_display", "cccd", "nationality", "date_of_birth", "get_sex_display"}
        return [(label, path if path in identity else self._seen(path)) for label, path in LEARNER_EXPORT]

    def _seen(self, path):
        school_id = self.school.pk

        def value(learner):
            item = learner.details_at(school_id)
            for part in path.split("."):
                item = getattr(item, part, None) if item is not None else None
            return item() if callable(item) else item
        return value

    def _link_search(self) -> dict:
        """The search as SchoolLearner lookups: digits search the citizen ID, anything else the name
        (as LearnerSearchMixin does on the learners themselves for the Academy's national list)."""
        query = self.search_query
        if not query:
            return {}
        digits = query.replace(" ", "")
        return {"cccd": digits} if digits.isdigit() else {"name": fold(query)}

    def apply_search(self, queryset):
        # The search is part of the base queryset's join; only the exact-spelling rank is added here.
        if "name" in self._link_search():
            return self.rank_exact_spelling(queryset, self.search_query)
        return queryset

    def filter_training_class(self, queryset, value):
        return queryset.filter(enrollments__training_class=value)

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        if not self._filtered():
            # The same number without joining the learners: an index-only count of the school's
            # rows of SchoolLearner (the join read 90,000 learner rows at national size).
            paginator.count = SchoolLearner.objects.filter(**SchoolLearner.condition(self.school, **self._link_search())).count()
        return paginator

    def _filtered(self) -> bool:
        form = self.get_filter_form()
        values = getattr(form, "cleaned_data", {}) if form is not None and form.is_bound else {}
        return any(value not in (None, "", [], ()) for value in values.values())


class LearnerDetailView(SchoolDetailView):
    model = Learner
    template_name = "courses/learner_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["details"] = self.object.details_at(self.school.pk)
        context["enrollments"] = (
            Enrollment.objects.for_school(self.school).filter(learner=self.object)
            .select_related("training_class__programme", "training_class__school")
            .order_by("-training_class__opening_date")
        )
        return context


class LearnerUpdateView(SchoolUpdateView):
    model = Learner
    form_class = LearnerForm
    template_name = "includes/form_page.html"
    extra_context = {"page_title": gettext_lazy("Edit learner")}

    def get_success_url(self):
        return reverse("courses:learner_detail", kwargs={"school_code": self.school.code, "pk": self.object.pk})


# --- enrollments ---------------------------------------------------------------------------------
class ClassChildMixin(SchoolMixin):
    """Pages of one class: the class is looked up within the URL's school only."""

    def get_class(self):
        return get_object_or_404(
            TrainingClass.objects.for_school(self.school).select_related("programme", "school"),
            pk=self.kwargs["pk"],
        )


class EnrollView(ClassChildMixin, TemplateView):
    """Add a learner to the class: a known citizen ID links the person, a new one creates them."""

    permission = "edit"
    template_name = "courses/enroll_form.html"

    def get(self, request, *args, **kwargs):
        klass = self.get_class()
        return self.render_to_response(self.get_context_data(klass=klass, form=EnrollLearnerForm(training_class=klass)))

    def post(self, request, *args, **kwargs):
        klass = self.get_class()
        form = EnrollLearnerForm(request.POST, training_class=klass)
        if form.is_valid():
            try:
                with transaction.atomic():
                    learner = form.save()
                    enroll_learner(training_class=klass, learner=learner)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if form.existing:
                    messages.success(request, _("Linked %(name)s, already known by citizen ID, to the class.")
                                     % {"name": learner.full_name})
                else:
                    messages.success(request, _("Added %(name)s to the class.") % {"name": learner.full_name})
                if "add_another" in request.POST:
                    return redirect("courses:enroll", school_code=self.school.code, pk=klass.pk)
                return redirect(klass.get_absolute_url())
        return self.render_to_response(self.get_context_data(klass=klass, form=form))


class EnrollmentUpdateView(SchoolUpdateView):
    model = Enrollment
    form_class = EnrollmentForm
    template_name = "courses/enrollment_form.html"

    def get_queryset(self):
        return super().get_queryset().select_related("learner", "training_class__programme", "training_class__school")

    def get_success_url(self):
        return self.object.training_class.get_absolute_url()


class EnrollmentDeleteView(SchoolDeleteView):
    """Remove a learner from a class (their marks in the class go with the enrollment)."""

    model = Enrollment

    def get_queryset(self):
        return super().get_queryset().select_related("learner", "training_class__school")

    def get_success_url(self):
        return self.object.training_class.get_absolute_url()


# --- grade grid ----------------------------------------------------------------------------------
class GradeGridView(ClassChildMixin, TemplateView):
    """Marks of the whole class at once; all saved or, on any bad cell, none."""

    template_name = "courses/grade_grid.html"

    def get(self, request, *args, **kwargs):
        klass = self.get_class()
        return self.render_to_response(self.get_context_data(klass=klass, grid=GradeGrid(klass)))

    def post(self, request, *args, **kwargs):
        klass = self.get_class()
        grid = GradeGrid(klass, data=request.POST)
        if grid.is_valid():
            count = grid.save()
            messages.success(request, _("Saved the marks of %(count)s learners.") % {"count": count})
            return redirect("courses:grade_grid", school_code=self.school.code, pk=klass.pk)
        messages.error(
            request, _("Nothing was saved: %(count)s cells need correcting.") % {"count": grid.error_count}
        )
        return self.render_to_response(self.get_context_data(klass=klass, grid=grid), status=200)


class DiplomaView(ClassChildMixin, TemplateView):
    """Diploma / certificate numbers and dates of the class's graduates, entered on one page."""

    permission = "edit"
    template_name = "courses/diplomas.html"

    def formset(self, klass, data=None):
        graduates = klass.enrollments.filter(status=Enrollment.Status.GRADUATED).select_related("learner")
        return DiplomaFormSet(data, queryset=graduates.order_by("learner__name_sort_key", "pk"), prefix="d")

    def get(self, request, *args, **kwargs):
        klass = self.get_class()
        return self.render_to_response(self.get_context_data(klass=klass, formset=self.formset(klass)))

    def post(self, request, *args, **kwargs):
        klass = self.get_class()
        formset = self.formset(klass, request.POST)
        if formset.is_valid():
            with transaction.atomic():
                formset.save()
            messages.success(request, _("Saved."))
            return redirect(klass.get_absolute_url())
        return self.render_to_response(self.get_context_data(klass=klass, formset=formset))


# --- the Academy: one person across schools ---------------------------------------------------
class AcademyLearnerListView(AcademyRequiredMixin, LearnerSearchMixin, ListPageMixin, ListView):
    model = Learner
    template_name = "courses/academy_learner_list.html"
    sort_options = {"name": ("name_sort_key",), "dob": ("date_of_birth", "name_sort_key")}
    default_sort = "name"
    export_title = gettext_lazy("Learners")
    export_columns = LEARNER_EXPORT

    def get_base_queryset(self):
        return Learner.objects.select_related("ethnic_group")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The schools each learner of the page studied at (one query for the page, by the link index).
        prefetch_related_objects(list(context["object_list"]), Prefetch(
            "school_links", queryset=SchoolLearner.objects.select_related("school").order_by("school__name")))
        return context


class LearnerHistoryView(AcademyRequiredMixin, DetailView):
    model = Learner
    template_name = "courses/learner_history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["enrollments"] = self.object.enrollments.select_related(
            "training_class__programme", "training_class__school"
        ).order_by("-training_class__opening_date")
        context["proposals"] = link_proposals(learner=self.object)
        return context
