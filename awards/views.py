"""Pages of the awards register: the school's awards by year (with those of the schools it
absorbed), and entering the awards that do not come from the emulation cluster."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView

from awards import selectors, services
from awards.forms import AwardFilterForm, AwardForm
from awards.models import Award
from core.lists import ListPageMixin
from core.tenancy import SchoolMixin
from core.views import SchoolCreateView, SchoolDeleteView, SchoolUpdateView


class AwardRegisterView(SchoolMixin, ListPageMixin, ListView):
    template_name = "awards/register.html"
    filter_form_class = AwardFilterForm
    search_fields = ("kind__name", "staff__full_name", "decision_number", "authority", "school__name")
    sort_options = {"year": ("year", "decision_date"), "decision": ("decision_date",), "award": ("kind__order",)}
    default_sort = "-year"
    paginate_by = 100
    export_title = gettext_lazy("Awards register")
    export_columns = [
        (gettext_lazy("year"), "year"),
        (gettext_lazy("school"), "school.name"),
        (gettext_lazy("individual"), "staff.full_name"),
        (gettext_lazy("award"), "kind.name"),
        (gettext_lazy("category"), "kind.get_category_display"),
        (gettext_lazy("conferring authority"), "authority_label"),
        (gettext_lazy("decision number"), "decision_number"),
        (gettext_lazy("decision date"), "decision_date"),
        (gettext_lazy("occasion"), "get_occasion_display"),
    ]

    def get_base_queryset(self):
        return selectors.school_awards(self.school)

    def filter_year(self, queryset, value):
        return queryset.filter(year=value)

    def filter_occasion(self, queryset, value):
        return queryset.filter(occasion=value)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        groups: list[dict] = []
        for award in context["object_list"]:
            award.absorbed = award.school_id != self.school.pk
            if not groups or groups[-1]["year"] != award.year:
                groups.append({"year": award.year, "awards": []})
            groups[-1]["awards"].append(award)
        context["groups"] = groups
        return context


class AwardFormMixin:
    model = Award
    form_class = AwardForm
    template_name = "awards/form.html"

    def get_queryset(self):  # entries of the cluster pipeline are changed there, not here
        return Award.objects.for_school(self.school).filter(proposal__isnull=True)

    def form_valid(self, form):
        form.instance.school = self.school
        try:
            services.award_save(award=form.instance, user=self.request.user)
        except ValidationError as exc:
            for field, errors in getattr(exc, "message_dict", {None: exc.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return reverse("awards:register", kwargs={"school_code": self.school.code})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["list_url"] = self.get_success_url()
        return context


class AwardCreateView(AwardFormMixin, SchoolCreateView):
    extra_context = {"page_title": gettext_lazy("Record an award")}


class AwardUpdateView(AwardFormMixin, SchoolUpdateView):
    extra_context = {"page_title": gettext_lazy("Edit an award")}


class AwardDeleteView(SchoolDeleteView):
    model = Award

    def get_queryset(self):
        return Award.objects.for_school(self.school).filter(proposal__isnull=True)

    def get_success_url(self):
        return reverse("awards:register", kwargs={"school_code": self.school.code})
