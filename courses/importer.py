"""Excel import of learners into a class: open → read → validate → preview → commit.

One pipeline serves the web pages (upload, preview, confirm), the ``import_learners`` command and
the tests. It is split by feature:

- ``courses.import_reader``: the file format (``HEADERS``), the upload gate and the bounded
  python-calamine reader (``open_workbook``, ``read_rows``: stops at ``MAX_ROWS`` + 1 rows);
- ``courses.import_checks``: cell parsers, the per-row checks (``RowChecker.check``) and
  ``analyse`` (every row validated in memory, known learners looked up by CCCD in chunks);
- ``courses.import_writer``: ``commit`` — learners, enrollments, school link and change log, one
  statement per table, in one transaction, or nothing when a single row has a problem;
- ``courses.import_workbooks``: the template and the annotated error workbook;
- this module: the upload → preview → confirm round trip of import batches, and ``import_file``
  (the command's path). The names used elsewhere are re-exported here.

A person already known by CCCD is linked to the class (their record is left as it is, whichever
school entered it); a person already in the class is skipped, so importing the same file twice
adds nobody the second time. A CCCD repeated in the file, or a name / date of birth that differs
from the known person's, is reported as an error rather than merged.
"""

from __future__ import annotations

import datetime
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.vietnamese import normalize
from courses.import_checks import (  # noqa: F401 — re-exported
    Analysis,
    RowError,
    analyse,
    analyse_rows,
    ethnic_lookup,
    parse_date,
    parse_ethnic,
    parse_sex,
    parse_theory_level,
)
from courses.import_reader import (  # noqa: F401 — re-exported
    ERROR_HEADER,
    HEADER_SEARCH_ROWS,
    HEADERS,
    MAX_LINES,
    MAX_ROWS,
    XLSX_CONTENT_TYPE,
    ImportRefused,
    file_digest,
    open_workbook,
    read_rows,
)
from courses.import_workbooks import error_workbook, template_notes, template_workbook  # noqa: F401
from courses.import_writer import ImportResult, commit  # noqa: F401
from courses.models import TrainingClass


def import_file(uploaded, *, training_class: TrainingClass, source: str = "") -> tuple[Analysis, ImportResult | None]:
    """Open, validate and (when every row is clean) save in one go — the command's path."""
    workbook = open_workbook(uploaded)
    try:
        with transaction.atomic():
            analysis = analyse(workbook, training_class=training_class)
            result = (commit(analysis, training_class=training_class,
                             source=source or _client_file_name(uploaded)) if analysis.ok else None)
    finally:
        workbook.close()
    return analysis, result


# --- import batches: the upload → preview → confirm round trip of the web pages -------------------------
def _store_analysis(batch, analysis: Analysis) -> None:
    batch.row_count = analysis.rows
    batch.new_count = len(analysis.new)
    batch.linked_count = len(analysis.linked)
    batch.already_count = len(analysis.already)
    batch.errors = [error.as_list() for error in analysis.errors]
    batch.status = batch.Status.PREVIEW if analysis.ok else batch.Status.INVALID


def _client_file_name(uploaded) -> str:
    """The name the user gave the file, for display only (never used as a path)."""
    name = PurePosixPath((getattr(uploaded, "name", "") or "").replace("\\", "/")).name
    return normalize(name)[:255] or "import.xlsx"


def start_import(*, uploaded, training_class: TrainingClass, user):
    """Check and validate an uploaded workbook and keep it for the preview; raises ``ImportRefused``.

    Nothing is written to the class here. The file is stored as ``imports/<batch uuid>.xlsx``.
    """
    from django.core.files import File

    from courses.models import ImportBatch

    workbook = open_workbook(uploaded)
    try:
        analysis = analyse(workbook, training_class=training_class)
    finally:
        workbook.close()
    batch = ImportBatch(
        training_class=training_class, created_by=user, original_name=_client_file_name(uploaded),
        sha256=file_digest(uploaded),
    )
    _store_analysis(batch, analysis)
    uploaded.seek(0)
    batch.file.save(f"{batch.pk}.xlsx", File(uploaded), save=False)
    _store_error_workbook(batch, uploaded)
    batch.save()
    return batch


def _store_error_workbook(batch, source) -> None:
    """Build the annotated error workbook now, once, and keep it with the batch (the download serves it)."""
    old = batch.error_file.name
    if batch.errors:
        source.seek(0)
        batch.error_file.save(f"{batch.pk}-loi.xlsx", ContentFile(error_workbook(source, batch.errors)), save=False)
    else:
        batch.error_file = ""
    if old and old != batch.error_file.name:
        storage = batch.error_file.storage
        transaction.on_commit(lambda: storage.delete(old))


def import_label(batch) -> str:
    """How the change log names an import: the file and the batch's short number."""
    return f"{batch.original_name} · {str(batch.pk)[:8]}"


def previous_import(batch):
    """An earlier, completed import of the very same file into the same class, if any."""
    from courses.models import ImportBatch

    return (ImportBatch.objects.filter(training_class_id=batch.training_class_id, sha256=batch.sha256,
                                       status=ImportBatch.Status.DONE)
            .exclude(pk=batch.pk).order_by("-imported_at").first())


def _forget_file(batch) -> None:
    """Delete the stored workbook and its error workbook once the transaction is committed (they hold
    personal data)."""
    for field_name in ("file", "error_file"):
        stored = getattr(batch, field_name)
        name, storage = stored.name, stored.storage
        setattr(batch, field_name, "")
        if name:
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))


def confirm_import(*, batch) -> tuple[Analysis, ImportResult | None]:
    """Re-validate the stored file (the database may have changed since the preview) and save it.

    All in one transaction: the rows and the batch's new state, or — when a row has a problem now —
    only the batch's updated list of problems. A batch is confirmed once (locked against double posts).
    """
    try:
        return _confirm(batch)
    except IntegrityError as exc:  # another import recorded one of these people a moment ago
        raise ImportRefused(_("Some of these learners were recorded by someone else at the same moment; nothing "
                              "was saved. Confirm again to link them."), code="race") from exc


def _confirm(batch) -> tuple[Analysis, ImportResult | None]:
    from courses.models import ImportBatch

    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().select_related("training_class").get(pk=batch.pk)
        if batch.status == ImportBatch.Status.EXPIRED:
            raise ImportRefused(_("The uploaded file is no longer available; please upload it again."),
                                code="missing")
        if batch.status != ImportBatch.Status.PREVIEW:
            raise ImportRefused(_("This import has already been confirmed or cancelled."), code="state")
        if not batch.file or not batch.file.storage.exists(batch.file.name):
            raise ImportRefused(_("The uploaded file is no longer available; please upload it again."),
                                code="missing")
        with batch.file.open("rb") as handle:
            workbook = open_workbook(handle)
            try:
                analysis = analyse(workbook, training_class=batch.training_class)
            finally:
                workbook.close()
            _store_analysis(batch, analysis)
            if not analysis.ok:
                _store_error_workbook(batch, handle)
        result = None
        if analysis.ok:
            result = commit(analysis, training_class=batch.training_class, source=import_label(batch),
                            user=batch.created_by)
            batch.status = ImportBatch.Status.DONE
            batch.imported_at = timezone.now()
            _forget_file(batch)
        batch.save()
    return analysis, result


def expire_uploads(*, older_than: datetime.timedelta) -> int:
    """Delete the workbooks of uploads nobody confirmed or cancelled within ``older_than`` (they hold
    personal data); the batches stay listed as expired. Returns how many expired."""
    from courses.models import ImportBatch

    waiting = (ImportBatch.objects.filter(status__in=[ImportBatch.Status.PREVIEW, ImportBatch.Status.INVALID],
                                          created_at__lt=timezone.now() - older_than))
    count = 0
    for pk in waiting.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            batch = waiting.select_for_update(skip_locked=True).filter(pk=pk).first()
            if batch is None:  # confirmed, cancelled or being confirmed right now
                continue
            batch.status = ImportBatch.Status.EXPIRED
            _forget_file(batch)
            batch.save(update_fields=["status", "file", "error_file", "updated_at"])
            count += 1
    return count


def cancel_import(*, batch) -> None:
    from courses.models import ImportBatch

    with transaction.atomic():
        if batch.status in (ImportBatch.Status.PREVIEW, ImportBatch.Status.INVALID):
            batch.status = ImportBatch.Status.CANCELLED
            _forget_file(batch)
            batch.save(update_fields=["status", "file", "error_file", "updated_at"])
