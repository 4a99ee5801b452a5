"""The Academy: learner records that are one person (a CMND record and a CCCD record) — the proposed
links and the merge, with its confirmation page (issue 14, item 7). Schools never reach these pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, UpdateView

from core.tenancy import AcademyRequiredMixin
from courses.forms import LearnerIdentityForm
from courses.merging import link_proposals, merge_conflicts, merge_learners
from courses.models import Learner


class LearnerLinkListView(AcademyRequiredMixin, TemplateView):
    """CMND records that a CCCD record probably continues: the Academy checks and merges them."""

    template_name = "courses/learner_links.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(proposals=link_proposals(), **kwargs)


class LearnerMergeView(AcademyRequiredMixin, TemplateView):
    """Merge the URL's record into another (``?into=<id>``, or found by ``?number=``): both records
    and their classes are shown first; the POST merges them."""

    academy_admin_required = True
    template_name = "courses/learner_merge.html"

    def _records(self, data):
        duplicate = get_object_or_404(Learner.objects.select_related("recorded_by"), pk=self.kwargs["pk"])
        keep = None
        into, number = str(data.get("into", "")).strip(), "".join(str(data.get("number", "")).split()).upper()
        if not number.isalnum():  # a document number is letters and digits (a NUL byte breaks Postgres)
            number = ""
        if into.isdigit():
            keep = get_object_or_404(Learner.objects.select_related("recorded_by"), pk=into)
        elif number:
            keep = Learner.objects.select_related("recorded_by").filter(cccd=number).exclude(pk=duplicate.pk).first()
        return duplicate, keep

    def _context(self, duplicate, keep, **extra):
        context = {"duplicate": duplicate, "keep": keep, "number": self.request.GET.get("number", ""),
                   "proposals": link_proposals(learner=duplicate), **extra}
        for key, learner in (("duplicate_enrollments", duplicate), ("keep_enrollments", keep)):
            context[key] = (learner.enrollments.select_related("training_class__school", "training_class__programme")
                            .order_by("-training_class__opening_date") if learner else [])
        context["conflicts"] = merge_conflicts(duplicate, keep) if keep else []
        return self.get_context_data(**context)

    def get(self, request, *args, **kwargs):
        duplicate, keep = self._records(request.GET)
        not_found = bool(request.GET.get("number")) and keep is None
        return self.render_to_response(self._context(duplicate, keep, not_found=not_found))

    def post(self, request, *args, **kwargs):
        duplicate, keep = self._records(request.POST)
        if keep is None:
            return redirect("courses:learner_merge", pk=duplicate.pk)
        try:
            moved = merge_learners(duplicate=duplicate, keep=keep, user=request.user)
        except ValidationError as exc:
            return self.render_to_response(self._context(duplicate, keep, errors=exc.messages), status=200)
        messages.success(request, _("Merged the two records: %(count)s enrollments now belong to %(name)s.")
                         % {"count": moved, "name": keep.full_name})
        return redirect("courses:learner_history", pk=keep.pk)


class LearnerIdentityUpdateView(AcademyRequiredMixin, UpdateView):
    """The Academy corrects a learner's shared identity (name, document, date of birth, sex): the
    schools cannot once the person studies at more than one of them (see ``LearnerForm``). Audited."""

    academy_admin_required = True
    model = Learner
    form_class = LearnerIdentityForm
    template_name = "includes/form_page.html"
    extra_context = {"page_title": gettext_lazy("Correct the learner's identity")}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Saved."))
        return response

    def get_success_url(self):
        return reverse("courses:learner_history", kwargs={"pk": self.object.pk})
