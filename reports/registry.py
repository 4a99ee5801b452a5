"""The report kinds: each declares its scopes and its sheets; each sheet has one row generator.

The Celery task, the ``build_report`` command and the tests all go through ``build_workbook``, so
what the tests check is exactly what users download. Every sheet carries the form of an official
document (``reports.document``): title block, "Biểu số", signature block, print set-up.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports import frozen, periods
from reports.document import document_head
from reports.models import Scope
from reports.selectors import ReportScope
from reports.sheets import (
    Sheet,
    headline_sheet,
    info_sheet,
    learner_profile_sheet,
    learner_register_sheet,
    research_sheet,
    staff_list_sheet,
    staff_qualifications_sheet,
    standing_sheet,
    training_sheet,
)
from reports.summaries import (
    by_kind_sheet,
    cluster_ranking_sheet,
    compliance_picture_sheet,
    compliance_schools_sheet,
    structure_sheet,
    summary_sheets,
)
from reports.writer import ReportWriter, SheetForm

__all__ = ["KINDS", "ReportKind", "Sheet", "build_workbook", "kind_choices"]


@dataclass
class ReportKind:
    key: str
    label: str
    scopes: tuple[str, ...]
    sheets: Callable[[ReportScope], list[Sheet]]
    slug: str
    document_title: str = ""  # the title of the document ("Báo cáo kết quả công tác")
    code: str = ""  # the suffix of its "Biểu số" codes


# --- the kinds -------------------------------------------------------------------------------
def _school_sheets(scope):
    return [
        info_sheet(KINDS["school"].label),
        headline_sheet(),
        training_sheet(),
        learner_profile_sheet(),
        learner_register_sheet(with_school=False),
        staff_qualifications_sheet(),
        staff_list_sheet(),
        research_sheet(),
        standing_sheet(),
    ]


def _cluster_sheets(scope):
    return [info_sheet(KINDS["cluster"].label), cluster_ranking_sheet(), *summary_sheets(national=False)]


def _national_sheets(scope):
    return [
        info_sheet(KINDS["national"].label),
        *summary_sheets(national=True),
        by_kind_sheet(),
        compliance_picture_sheet(),
        compliance_schools_sheet(),
        structure_sheet(),
    ]


def _learner_sheets(scope):
    return [info_sheet(KINDS["learners"].label), learner_register_sheet(with_school=scope.scope != Scope.SCHOOL)]


KINDS: dict[str, ReportKind] = {
    kind.key: kind
    for kind in (
        ReportKind("school", gettext_lazy("School annual report"), (Scope.SCHOOL,), _school_sheets, "bao-cao-nam",
                   gettext_lazy("Report on the results of the year's work"), "BCN"),
        ReportKind("cluster", gettext_lazy("Cluster summary"), (Scope.CLUSTER,), _cluster_sheets, "tong-hop-cum",
                   gettext_lazy("Summary report of the emulation cluster"), "THC"),
        ReportKind(
            "national", gettext_lazy("National summary"), (Scope.NATIONAL,), _national_sheets, "tong-hop-toan-quoc",
            gettext_lazy("National summary report of the political schools"), "THTQ",
        ),
        ReportKind(
            "learners",
            gettext_lazy("Learner register"),
            (Scope.SCHOOL, Scope.CLUSTER, Scope.NATIONAL),
            _learner_sheets,
            "so-hoc-vien",
            gettext_lazy("Learner register"),
            "SHV",
        ),
    )
}


def kind_choices():
    return [(kind.key, kind.label) for kind in KINDS.values()]


def build_workbook(kind_key: str, scope: ReportScope, path, *, progress=None) -> int:
    """Write the workbook of ``kind_key`` for ``scope`` to ``path``; return the number of data rows.

    ``progress(percent)`` is called whenever the whole percentage advances (at most ~100 times).
    A year before the first record of the scope's schools says so on every sheet ("Không có số
    liệu năm …") instead of rows of zeros. A single school's locked year gives, for each sheet
    stored at the lock (``reports.frozen``), the stored columns and rows instead of the live ones.
    """
    kind = KINDS[kind_key]
    notice = periods.no_data_notice(scope)
    scope.cache["notice"] = notice
    sheets = kind.sheets(scope)
    stored = frozen.stored_sheets(scope)

    def estimate(sheet):
        return stored[sheet.key].count if sheet.key in stored else sheet.estimate(scope)

    total = max(1, sum(estimate(sheet) for sheet in sheets if sheet.always or not notice))
    head = document_head(scope, str(kind.document_title or kind.label))
    writer = ReportWriter(path, title=f"{kind.label} {scope.years_label} · {scope.label}", head=head)
    done = 0
    reported = 0
    next_mark = max(1, total // 100)
    try:
        for number, sheet in enumerate(sheets, start=1):
            form = SheetForm(
                code=_("Form No. %(number)02d/%(code)s") % {"number": number, "code": kind.code},
                subtitle=str(sheet.title).upper(),
                notice=notice,
            )
            kept = stored.get(sheet.key)
            columns = kept.columns if kept else sheet.columns(scope)
            writer.add_sheet(str(sheet.tab or sheet.title), columns, form=form, fit_rows=sheet.fit_rows)
            if notice and not sheet.always:
                continue
            for row in kept.rows() if kept else sheet.rows(scope):
                writer.write_row(row)
                done += 1
                if done >= next_mark:
                    percent = min(99, done * 100 // total)
                    if progress and percent > reported:
                        progress(percent)
                        reported = percent
                    next_mark = done + max(1, total // 100)
    finally:
        writer.close()
    return done
