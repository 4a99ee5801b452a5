import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from audit.forms import LogFilterForm
from audit.registry import model_for_label
from audit.selectors import history_queryset, log_queryset, readable_changes
from core.lists import ListPageMixin
from core.tenancy import AcademyRequiredMixin, SchoolMixin


class HistoryView(SchoolMixin, ListView):
    """The change history of one record, for everyone who may see the record."""

    template_name = "audit/history.html"
    paginate_by = 25

    def dispatch(self, request, *args, **kwargs):
        self.audited_model = model_for_label(kwargs["model_label"])
        if self.audited_model is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        # Visible to this school? (for_school may join through to-many relations: ask, don't fetch)
        if not self.audited_model.objects.for_school(self.school).filter(pk=self.kwargs["pk"]).exists():
            raise Http404
        self.record = get_object_or_404(self.audited_model._base_manager, pk=self.kwargs["pk"])
        if getattr(self.audited_model, "history_per_school", False):
            # A record several schools share (a learner): each reads only the changes made at it.
            return history_queryset(self.record).filter(
                Q(school=self.school) | Q(school__isnull=True, user__school=self.school))
        return history_queryset(self.record)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        readable_changes(self.audited_model, context["object_list"])
        context.update(record=self.record, verbose_name=self.audited_model._meta.verbose_name)
        return context


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class LogListView(AcademyRequiredMixin, ListPageMixin, ListView):
    """The Academy's search over the whole change log."""

    template_name = "audit/log_list.html"
    filter_form_class = LogFilterForm
    search_fields = ("object_repr",)
    sort_options = {"time": ("timestamp",)}
    default_sort = "-time"
    export_title = _("Change log")
    export_columns = [
        (_("time"), lambda e: timezone.localtime(e.timestamp).strftime("%d/%m/%Y %H:%M")),
        (_("user"), "user_repr"),
        (_("school"), "school.name"),
        (_("kind of record"), lambda e: str(e.content_type.model_class()._meta.verbose_name) if e.content_type.model_class() else e.content_type.model),
        (_("record"), "object_repr"),
        (_("action"), "get_action_display"),
        (_("changed fields"), lambda e: ", ".join(e.changes)),
        (_("flagged"), lambda e: e.flag_reason or ("x" if e.flag else "")),
    ]

    def get_base_queryset(self):
        return log_queryset()

    def filter_model(self, queryset, value):
        app_label, _sep, model = value.partition(".")
        content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
        return queryset.filter(content_type=content_type) if content_type else queryset.none()

    def filter_user(self, queryset, value):
        return queryset.filter(user_repr__icontains=value.strip())

    def filter_date_from(self, queryset, value):
        return queryset.filter(timestamp__gte=_start_of(value))

    def filter_date_to(self, queryset, value):
        return queryset.filter(timestamp__lt=_start_of(value + datetime.timedelta(days=1)))

    def filter_flagged(self, queryset, value):
        return queryset.filter(flag=True) if value else queryset
