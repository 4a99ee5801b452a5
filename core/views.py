"""Generic views every app builds on, plus the home redirect and the health check."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import ProtectedError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DeleteView, DetailView, ListView, UpdateView

from core.lists import ListPageMixin
from core.tenancy import SchoolMixin, SchoolObjectMixin

logger = logging.getLogger(__name__)


@login_required
def home(request):
    user = request.user
    if user.is_academy:
        return redirect("schools:dashboard")
    if user.school_id:
        return redirect("schools:overview", school_code=user.school.code)
    return redirect("password_change")


def healthz(request):
    """Database and broker state as JSON: 200 when both answer, 503 otherwise."""
    checks = {"database": _check_database(), "broker": _check_broker()}
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception:  # any driver error means "down" here
        # The exception is logged, never shown: the endpoint answers anonymous callers.
        logger.warning("healthz: database check failed", exc_info=True)
        return "error"


def _check_broker() -> str:
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception:
        logger.warning("healthz: broker check failed", exc_info=True)
        return "error"


class SchoolListView(SchoolMixin, ListPageMixin, ListView):
    """A list of one school's records; subclasses set model and the list options."""

    def get_base_queryset(self):
        queryset = self.model.objects.for_school(self.school)
        if self.model.school_path == "school":  # rows link to their pages via school.code
            queryset = queryset.select_related("school")
        return queryset


class SchoolFormMixin:
    success_message = _("Saved.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["school"] = self.school
        return kwargs

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, self.success_message)
        return response


class SchoolCreateView(SchoolMixin, SchoolFormMixin, CreateView):
    permission = "edit"


class SchoolUpdateView(SchoolObjectMixin, SchoolFormMixin, UpdateView):
    permission = "edit"


class SchoolDetailView(SchoolObjectMixin, DetailView):
    pass


class ProtectedDeleteMixin:
    """Confirm, then delete; refuse with a clear message when other records depend on the object.

    ``protected_message``: what to say when deletion is refused (default: name the kinds of
    records that depend on it). Nothing is ever cascaded away silently: foreign keys are PROTECT.
    """

    template_name = "includes/confirm_delete.html"
    protected_message = None

    def form_valid(self, form):
        obj = self.get_object()
        try:
            obj.delete()
        except ProtectedError as exc:
            messages.error(self.request, self.refused_message(obj, exc))
            back = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else self.get_success_url()
            return HttpResponseRedirect(back)
        messages.success(self.request, _("Deleted “%(obj)s”.") % {"obj": obj})
        return HttpResponseRedirect(self.get_success_url())

    def refused_message(self, obj, exc) -> str:
        if self.protected_message:
            return str(self.protected_message)
        dependants = sorted({str(o._meta.verbose_name_plural) for o in exc.protected_objects})
        return _("“%(obj)s” cannot be deleted because other records depend on it: %(deps)s.") % {
            "obj": obj, "deps": ", ".join(dependants)}


class SchoolDeleteView(SchoolObjectMixin, ProtectedDeleteMixin, DeleteView):
    permission = "edit"
