"""Pages of the year-end lock: a school's years and their lock, one year's lock (confirmation
before locking, reopening by the Academy with a reason), and the Academy's list of locks."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, TemplateView

from core.lists import ListPageMixin
from core.tenancy import AcademyRequiredMixin, SchoolMixin
from reports import figures
from yearend import services
from yearend.forms import LockFilterForm, LockForm, ReopenForm
from yearend.models import YearLock

FIRST_YEAR = 2000


class SchoolLockMixin(SchoolMixin):
    """Any member of the school reads; writing (locking) needs the school's or the Academy's
    administrator; reopening is checked in the service (Academy administrators only)."""

    def has_school_permission(self, request) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return services.may_lock(request.user, self.school)


class SchoolLocksView(SchoolLockMixin, TemplateView):
    template_name = "yearend/school_locks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        this_year = timezone.localdate().year
        locks = {lock.year: lock for lock in
                 YearLock.objects.for_school(self.school).filter(active=True).select_related("locked_by")
                 .defer("snapshot")}
        first = min([this_year - 5, *locks])
        context["years"] = [(year, locks.get(year)) for year in range(this_year, max(first, FIRST_YEAR) - 1, -1)]
        context["history"] = (YearLock.objects.for_school(self.school).filter(active=False).defer("snapshot")
                              .select_related("locked_by", "reopened_by"))
        context["may_lock"] = services.may_lock(self.request.user, self.school)
        return context


class YearLockView(SchoolLockMixin, TemplateView):
    template_name = "yearend/year_lock.html"

    def dispatch(self, request, *args, **kwargs):
        self.year = kwargs["year"]
        if not FIRST_YEAR <= self.year <= timezone.localdate().year:  # a year not begun has nothing to lock
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lock = services.active_lock(self.school, self.year)
        values = lock.snapshot if lock else services.compute_figures(self.school, self.year)
        context.update(
            year=self.year, lock=lock,
            checksum_ok=lock is None or services.checksum(lock.snapshot) == lock.checksum,
            sections=[(section, [(figure, values.get(section.key, {}).get(figure.key)) for figure in section.figures])
                      for section in figures.sections()],
            may_lock=services.may_lock(self.request.user, self.school),
            may_reopen=services.may_reopen(self.request.user),
            lock_form=kwargs.get("lock_form") or LockForm(),
            reopen_form=kwargs.get("reopen_form") or ReopenForm(),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "reopen":
            if not services.may_reopen(request.user):
                raise PermissionDenied
            form = ReopenForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(reopen_form=form))
            run = lambda: services.reopen_year(  # noqa: E731
                school=self.school, year=self.year, user=request.user, reason=form.cleaned_data["reason"])
            done = _("Year %(year)s has been reopened; the reason is kept in the change log.")
        else:
            form = LockForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(lock_form=form))
            run = lambda: services.lock_year(school=self.school, year=self.year, user=request.user)  # noqa: E731
            done = _("The figures of %(year)s have been locked.")
        try:
            run()
        except services.LockError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, done % {"year": self.year})
        return redirect("yearend:year_lock", school_code=self.school.code, year=self.year)


class LockConsoleView(AcademyRequiredMixin, ListPageMixin, ListView):
    """The Academy's console: which schools have locked which year."""

    template_name = "yearend/console.html"
    filter_form_class = LockFilterForm
    search_fields = ("school__name", "school__code")
    sort_options = {"year": ("year", "school__code"), "school": ("school__code", "year"),
                    "locked_at": ("locked_at",)}
    default_sort = "-year"
    export_title = gettext_lazy("Year-end locks")
    export_columns = [
        (gettext_lazy("school"), "school.name"),
        (gettext_lazy("year"), "year"),
        (gettext_lazy("locked at"), lambda lock: timezone.localtime(lock.locked_at).strftime("%d/%m/%Y %H:%M")),
        (gettext_lazy("locked by"), "locked_by.username"),
        (gettext_lazy("checksum (SHA-256)"), "checksum"),
        (gettext_lazy("reopened at"),
         lambda lock: timezone.localtime(lock.reopened_at).strftime("%d/%m/%Y %H:%M") if lock.reopened_at else ""),
        (gettext_lazy("reason for reopening"), "reopen_reason"),
    ]

    def get_base_queryset(self):
        return YearLock.objects.select_related("school", "locked_by", "reopened_by").defer("snapshot")  # rows kept

    def filter_active(self, queryset, value):
        return queryset if value == "all" else queryset.filter(active=True)

    def apply_filters(self, queryset):
        queryset = super().apply_filters(queryset)
        form = self.get_filter_form()
        if form is None or not form.is_valid() or not form.cleaned_data.get("active"):
            queryset = queryset.filter(active=True)
        return queryset
