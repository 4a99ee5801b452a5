"""Pages of the Excel import of learners into a class (the pipeline itself is courses/importer.py).

Upload → preview (every problem with its row and column) → confirm (all rows or nothing). Every
page needs edit rights in the school (read-only members 403, other schools 404); an import batch
is visible to the user who uploaded it only.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from core.tenancy import SchoolMixin
from core.views import SchoolListView
from courses import importer
from courses.models import ImportBatch, TrainingClass

ERRORS_SHOWN = 500


def _url_or_none(name: str, **kwargs) -> str | None:
    """Links to the class pages of the courses app, while they may not exist yet."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=importer.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class ImportPageMixin(SchoolMixin):
    permission = "edit"

    def class_links(self, training_class) -> dict:
        code = self.school.code
        return {
            "class_list_url": _url_or_none("courses:class_list", school_code=code),
            "class_detail_url": _url_or_none("courses:class_detail", school_code=code, pk=training_class.pk),
            "import_url": reverse("courses:class_import", kwargs={"school_code": code, "pk": training_class.pk}),
        }


class ImportStartView(SchoolListView):
    """“Nhập từ Excel” in the menu: the school's open classes to import into, and the user's own
    recent uploads at the school. Read-only members see the page without the import buttons."""

    model = TrainingClass
    template_name = "courses/import_start.html"
    search_fields = ("code", "name")
    sort_options = {"opening": ("opening_date", "code"), "code": ("code",)}
    default_sort = "-opening"

    def get_base_queryset(self):
        return (TrainingClass.objects.for_school(self.school).exclude(status=TrainingClass.Status.CLOSED)
                .select_related("programme", "school"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["batches"] = (ImportBatch.objects.for_school(self.school).filter(created_by=self.request.user)
                              .select_related("training_class__school").order_by("-created_at")[:10])
        return context


class ClassImportView(ImportPageMixin, FormView):
    """Upload page of one class: instructions, template download, the user's earlier imports."""

    template_name = "courses/import_upload.html"
    form_class = ImportUploadForm

    def get_training_class(self):
        if not hasattr(self, "_training_class"):
            self._training_class = get_object_or_404(
                TrainingClass.objects.for_school(self.school).select_related("programme"), pk=self.kwargs["pk"]
            )
        return self._training_class

    def get(self, request, *args, **kwargs):
        self.get_training_class()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.get_training_class()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            batch = importer.start_import(
                uploaded=form.cleaned_data["file"], training_class=self.get_training_class(), user=self.request.user
            )
        except ValidationError as exc:  # ImportRefused, or the project's upload gate once swapped in
            form.add_error("file", exc.messages)
            return self.form_invalid(form)
        return HttpResponseRedirect(batch.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        training_class = self.get_training_class()
        context.update(self.class_links(training_class))
        context["training_class"] = training_class
        context["max_upload_mb"] = settings.MAX_UPLOAD_MB
        context["max_rows"] = importer.MAX_ROWS
        context["headers"] = importer.HEADERS
        context["batches"] = ImportBatch.objects.for_school(self.school).filter(
            training_class=training_class, created_by=self.request.user
        )[:10]
        return context


class ImportTemplateView(ImportPageMixin, View):
    def get(self, request, *args, **kwargs):
        return _download(importer.template_workbook(), "mau-nhap-hoc-vien.xlsx")


class BatchMixin(ImportPageMixin):
    """One import batch: of this school, and uploaded by this user (404 otherwise)."""

    def get_batch(self) -> ImportBatch:
        if not hasattr(self, "_batch"):
            self._batch = get_object_or_404(
                ImportBatch.objects.for_school(self.school)
                .filter(created_by=self.request.user)
                .select_related("training_class__school", "training_class__programme"),
                pk=self.kwargs["pk"],
            )
        return self._batch

    def back_to_class(self, batch) -> str:
        links = self.class_links(batch.training_class)
        return links["class_detail_url"] or links["import_url"]


class ImportPreviewView(BatchMixin, TemplateView):
    template_name = "courses/import_preview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = self.get_batch()
        context.update(self.class_links(batch.training_class))
        context["batch"] = batch
        context["training_class"] = batch.training_class
        # "Dòng 5, cột Số CCCD: …" — the same wording as the command's output
        context["errors"] = [str(importer.RowError(*error)) for error in batch.errors[:ERRORS_SHOWN]]
        context["errors_hidden"] = max(0, batch.error_count - ERRORS_SHOWN)
        context["previous"] = importer.previous_import(batch)
        context["can_confirm"] = batch.status == ImportBatch.Status.PREVIEW and batch.to_add_count > 0
        return context


class ImportConfirmView(BatchMixin, View):
    def post(self, request, *args, **kwargs):
        batch = self.get_batch()
        try:
            analysis, result = importer.confirm_import(batch=batch)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(batch.get_absolute_url())
        if result is None:
            messages.error(request, _("The file now has %(n)s problems (the records changed since the preview); "
                                      "nothing was saved.") % {"n": len(analysis.errors)})
            return HttpResponseRedirect(batch.get_absolute_url())
        if result.added + result.linked == 0:
            messages.warning(request, _("Nobody was added: all %(n)s learners of the file are already in the class.")
                             % {"n": result.already})
        else:
            messages.success(request, _(
                "Import done: %(added)s new learners added, %(linked)s learners already on record linked to the "
                "class, %(already)s already in the class.") % {
                "added": result.added, "linked": result.linked, "already": result.already})
        return HttpResponseRedirect(self.back_to_class(batch))


class ImportCancelView(BatchMixin, View):
    def post(self, request, *args, **kwargs):
        batch = self.get_batch()
        importer.cancel_import(batch=batch)
        messages.info(request, _("The import was cancelled; nothing was saved."))
        return HttpResponseRedirect(self.class_links(batch.training_class)["import_url"])


class ImportErrorsView(BatchMixin, View):
    """The user's rows back, with the problems marked next to the offending cells (the workbook made at
    validation time and stored with the batch: nothing is parsed here)."""

    def get(self, request, *args, **kwargs):
        batch = self.get_batch()
        if not batch.errors or not batch.error_file:
            raise Http404
        with batch.error_file.open("rb") as handle:  # built once, when the upload was validated
            content = handle.read()
        stem = batch.original_name.rsplit(".", 1)[0] or "import"
        safe_stem = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "_" for ch in stem)[:80]
        return _download(content, f"{safe_stem}-loi.xlsx")
