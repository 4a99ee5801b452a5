from django import forms
from django.db.models import Count, Q
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DeleteView, DetailView, ListView, TemplateView, UpdateView

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
from research.selectors import staff_field_trip_days, staff_field_trips
from schools.forms import OrgUnitForm, SchoolFilterForm, SchoolForm, StaffFilterForm, StaffForm
from schools.models import OrgUnit, School, Staff
from schools.selectors import member_on, school_history, school_list_queryset, schools_in_year


# --- Academy: the national picture and the list of schools ------------------------------------
class DashboardView(AcademyRequiredMixin, TemplateView):
    """The Academy's home page: the country's figures of the chosen year and the user's inbox."""

    template_name = "schools/dashboard.html"

    def get_context_data(self, **kwargs):
        from dashboard import selectors as home
        from dashboard.inbox import inbox

        context = super().get_context_data(**kwargs)
        year = home.chosen_year(self.request.GET.get("year"))
        context["kinds"] = home.schools_by_kind()
        context["home"] = home.national_home(year)
        context["years"] = home.year_choices()
        context["inbox"] = inbox(self.request.user)
        return context


class SchoolDirectoryView(AcademyRequiredMixin, ListPageMixin, ListView):
    model = School
    template_name = "schools/school_list.html"
    search_fields = ("name", "short_name", "code")
    filter_form_class = SchoolFilterForm
    sort_options = {"name": ("name",), "code": ("code",), "province": ("province__name",), "staff": ("staff_count",)}
    default_sort = "name"
    export_title = gettext_lazy("Schools")
    export_columns = [
        (gettext_lazy("code"), "code"),
        (gettext_lazy("official name"), "name"),
        (gettext_lazy("short name"), "short_name"),
        (gettext_lazy("kind"), "get_kind_display"),
        (gettext_lazy("province / city"), "province.name"),
        (gettext_lazy("region"), "get_region_display"),
        (gettext_lazy("merged into"), "merged_into.name"),
        (gettext_lazy("merged on"), "merged_on"),
        (gettext_lazy("dissolved on"), "dissolved_on"),
        (gettext_lazy("work taken over by"), "successor.name"),
        (gettext_lazy("guided by (provincial school)"), "guided_by.name"),
        (gettext_lazy("active"), "active"),
    ]

    def get_base_queryset(self):
        return school_list_queryset()

    def filter_year(self, queryset, year):
        return schools_in_year(year, queryset=queryset)


class SchoolAdminMixin(AcademyRequiredMixin):
    academy_admin_required = True
    model = School
    form_class = SchoolForm
    template_name = "includes/form_page.html"


class SchoolCreate(SchoolAdminMixin, CreateView):
    extra_context = {"page_title": gettext_lazy("Add school")}


class SchoolUpdate(SchoolAdminMixin, UpdateView):
    slug_field = "code"
    slug_url_kwarg = "school_code"
    extra_context = {"page_title": gettext_lazy("Edit school")}


class SchoolDelete(SchoolAdminMixin, ProtectedDeleteMixin, DeleteView):
    slug_field = "code"
    slug_url_kwarg = "school_code"
    template_name = "includes/confirm_delete.html"
    success_url = reverse_lazy("schools:school_list")
    form_class = forms.Form  # the plain confirmation form (SchoolAdminMixin's is the edit form)
    protected_message = gettext_lazy(
        "This school has records (staff, classes, accounts …) and cannot be deleted; mark it inactive instead."
    )


# --- One school ---------------------------------------------------------------------------------
class OverviewView(SchoolMixin, DetailView):
    """A school's home page: its figures of the chosen year, the user's inbox, units and merges."""

    template_name = "schools/overview.html"
    context_object_name = "school_obj"

    def get_object(self, queryset=None):
        return self.school

    def get_context_data(self, **kwargs):
        from dashboard import selectors as home
        from dashboard.inbox import inbox

        context = super().get_context_data(**kwargs)
        year = home.chosen_year(self.request.GET.get("year"))
        context["home"] = home.school_home(self.school, year)
        context["years"] = home.year_choices()
        context["inbox"] = inbox(self.request.user) if self.request.user.school_id == self.school.pk else []
        context["units"] = OrgUnit.objects.for_school(self.school).select_related("head").annotate(
            member_count=Count("members", filter=Q(members__active=True))
        )
        context["predecessors"] = self.school.predecessors.all()
        context.update(school_history(self.school))
        return context


class UnitListView(SchoolListView):
    model = OrgUnit
    template_name = "schools/unit_list.html"
    search_fields = ("name",)
    sort_options = {"name": ("name",), "kind": ("kind", "name"), "members": ("member_count",)}
    default_sort = "kind"
    export_title = gettext_lazy("Faculties and offices")
    export_columns = [
        (gettext_lazy("name"), "name"),
        (gettext_lazy("kind"), "get_kind_display"),
        (gettext_lazy("function"), "get_function_display"),
        (gettext_lazy("head"), "head.full_name"),
        (gettext_lazy("members"), "member_count"),
    ]

    def get_base_queryset(self):
        return (
            super().get_base_queryset()
            .select_related("head")
            .annotate(member_count=Count("members", filter=Q(members__active=True)))
        )


class UnitDetailView(SchoolDetailView):
    model = OrgUnit
    template_name = "schools/unit_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("head").prefetch_related("deputies")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["members"] = self.object.members.filter(active=True).order_by("name_sort_key")
        return context


class UnitCreateView(SchoolCreateView):
    model = OrgUnit
    form_class = OrgUnitForm
    template_name = "includes/form_page.html"
    extra_context = {"page_title": gettext_lazy("Add faculty / office")}


class UnitUpdateView(SchoolUpdateView):
    model = OrgUnit
    form_class = OrgUnitForm
    template_name = "includes/form_page.html"
    extra_context = {"page_title": gettext_lazy("Edit faculty / office")}


class UnitDeleteView(SchoolDeleteView):
    model = OrgUnit

    def get_success_url(self):
        return reverse("schools:unit_list", kwargs={"school_code": self.school.code})


class StaffListView(SchoolListView):
    model = Staff
    template_name = "schools/staff_list.html"
    person_search = True
    filter_form_class = StaffFilterForm
    sort_options = {
        "name": ("name_sort_key",),
        "dob": ("date_of_birth",),
        "unit": ("unit__name", "name_sort_key"),
        "rank": ("lecturer_rank", "name_sort_key"),
    }
    default_sort = "name"
    export_title = gettext_lazy("Staff and lecturers")
    export_columns = [
        (gettext_lazy("full name"), "full_name"),
        (gettext_lazy("date of birth"), "date_of_birth"),
        (gettext_lazy("sex"), "get_sex_display"),
        (gettext_lazy("faculty / office"), "unit.name"),
        (gettext_lazy("position"), "position"),
        (gettext_lazy("lecturer"), "is_lecturer"),
        (gettext_lazy("category"), "get_category_display"),
        (gettext_lazy("degree"), "get_degree_display"),
        (gettext_lazy("academic title"), "get_academic_title_display"),
        (gettext_lazy("lecturer rank"), "get_lecturer_rank_display"),
        (gettext_lazy("political-theory level"), "get_theory_level_display"),
        (gettext_lazy("classics certificate"), "classics_certificate"),
        (gettext_lazy("joined the school on"), "joined_on"),
        (gettext_lazy("left the school on"), "left_on"),
        (gettext_lazy("active"), "active"),
    ]

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("unit")

    def filter_on_date(self, queryset, day):
        return queryset.filter(member_on(day))


class StaffDetailView(SchoolDetailView):
    model = Staff
    template_name = "schools/staff_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The research app's panel: field-trip days per year (staff_detail.html, block staff_extra).
        context["field_trip_years"] = staff_field_trip_days(self.object)
        context["field_trips"] = staff_field_trips(self.object)
        return context


class StaffCreateView(SchoolCreateView):
    model = Staff
    form_class = StaffForm
    template_name = "includes/form_page.html"
    extra_context = {"page_title": gettext_lazy("Add staff member")}


class StaffUpdateView(SchoolUpdateView):
    model = Staff
    form_class = StaffForm
    template_name = "includes/form_page.html"
    extra_context = {"page_title": gettext_lazy("Edit staff member")}


class StaffDeleteView(SchoolDeleteView):
    model = Staff

    def get_success_url(self):
        return reverse("schools:staff_list", kwargs={"school_code": self.school.code})
