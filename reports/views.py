"""The Reports page, the status JSON polled by static/reports/progress.js, download and rerun.

Every view looks the job up by id and then checks the user against the job's scope
(``reports.access.can_view_job``): someone who may not see the scope gets 404, whatever id or task
id they hold.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from core.vietnamese import slug
from core.xlsx import XLSX_CONTENT_TYPE
from reports import services
from reports.access import can_view_job
from reports.forms import ReportRequestForm
from reports.models import ReportJob


def _job_for(request, pk) -> ReportJob:
    job = get_object_or_404(ReportJob.objects.select_related("school"), pk=pk)
    if not can_view_job(request.user, job):
        raise Http404
    return job


class JobListView(LoginRequiredMixin, ListView):
    template_name = "reports/job_list.html"
    context_object_name = "jobs"
    paginate_by = 25

    def get_queryset(self):
        return ReportJob.objects.visible_to(self.request.user).select_related("school", "requested_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = getattr(self, "form", None)
        if form is None:
            form = ReportRequestForm(user=self.request.user)
            form.initial_from(self.request.session)
        context["form"] = form
        context["ttl_hours"] = settings.REPORT_FILE_TTL_HOURS
        return context

    def post(self, request, *args, **kwargs):
        self.form = ReportRequestForm(request.POST, user=request.user)
        if not self.form.is_valid():
            self.object_list = self.get_queryset()
            return self.render_to_response(self.get_context_data(), status=400)
        data = self.form.cleaned_data
        self.form.remember(request.session)
        try:
            job = services.request_report(
                user=request.user,
                kind=data["kind"],
                year=data["year"],
                scope=data["scope"],
                school=data["school"],
                cluster_code=data["cluster_code"],
                first_year=data.get("first_year"),
            )
        except services.ReportRefused as exc:
            messages.error(request, str(exc))
            return redirect("reports:job_list")
        _notify_sent(request, job, services.send_job(job))
        return redirect("reports:job_list")


def _notify_sent(request, job, sent: bool) -> None:
    if sent:
        messages.success(request, _("The report “%(job)s” has been requested.") % {"job": job})
    else:
        messages.error(
            request,
            _(
                "The job queue is not reachable, so “%(job)s” was not started. It is kept in the list "
                "as waiting: use “Send again” when the queue is back."
            )
            % {"job": job},
        )


class JobStatusView(LoginRequiredMixin, View):
    def get(self, request, pk):
        job = _job_for(request, pk)
        return JsonResponse(
            {
                "id": str(job.pk),
                "state": job.state,
                "state_label": job.get_state_display(),
                "progress": job.progress,
                "message": job.message,
                "finished": job.is_finished,
                "rows": job.rows,
                "download_url": job.get_download_url() if job.has_file else None,
            }
        )


class JobDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        job = _job_for(request, pk)
        if not job.has_file:
            raise Http404
        name = f"{slug(f'{job.kind_label} {job.years_slug} {job.scope_label}') or 'bao-cao'}.xlsx"
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)


class JobResendView(LoginRequiredMixin, View):
    """Run a failed report again, or send a waiting one that the broker did not take."""

    def post(self, request, pk):
        job = _job_for(request, pk)
        try:
            job = services.reset_job(job=job)
        except ValueError as exc:
            messages.error(request, str(exc))
            return redirect("reports:job_list")
        _notify_sent(request, job, services.send_job(job))
        return redirect("reports:job_list")
