"""The grade-entry grid of a class: learners × modules (+ thesis / exam), validated cell by cell.

Each cell is an input named ``m-<enrollment>-<module>``, ``t-<enrollment>`` (thesis) or
``e-<enrollment>`` (exam). A cell may be empty (no mark yet) or a number from 0 to 10 in steps of
0.1 or 0.25 (7.3, 7.25 and 7.5 are valid; 7.35 is not); a decimal comma is accepted. When any cell
is wrong nothing is saved and the grid comes back with what was typed and each error next to its
cell.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Prefetch
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from courses.models import Enrollment, Mark
from courses.services import save_grade_grid

MAX_MARK = Decimal("10")


def parse_mark(raw: str) -> tuple[Decimal | None, str]:
    """(value, error message) for one typed cell."""
    text = (raw or "").strip().replace(",", ".")
    if not text:
        return None, ""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, _("Enter a number.")
    if not value.is_finite():
        return None, _("Enter a number.")
    if value < 0 or value > MAX_MARK:
        return None, _("A mark is between 0 and 10.")
    if (value * 10) % 1 and (value * 4) % 1:
        return None, _("A mark goes in steps of 0.1 or 0.25.")
    return value.quantize(Decimal("0.01")), ""


def format_mark(value: Decimal | None) -> str:
    """A stored mark as the user types it: 8.50 → "8,5" in Vietnamese (the locale's decimal separator)."""
    if value is None:
        return ""
    return format(value.normalize(), "f").replace(".", get_format("DECIMAL_SEPARATOR"))


@dataclass
class Cell:
    name: str
    value: str
    error: str = ""


@dataclass
class Row:
    enrollment: Enrollment
    marks: list[Cell] = field(default_factory=list)
    thesis: Cell | None = None
    exam: Cell | None = None

    @property
    def cells(self):
        return [*self.marks, *(c for c in (self.thesis, self.exam) if c is not None)]


class GradeGrid:
    def __init__(self, training_class, data=None):
        self.training_class = training_class
        self.programme = training_class.programme
        self.modules = list(self.programme.modules.all())
        self.enrollments = list(
            training_class.enrollments.select_related("learner")
            .prefetch_related(Prefetch("marks", queryset=Mark.objects.only("enrollment_id", "module_id", "value")))
            .order_by("learner__name_sort_key", "pk")
        )
        self.data = data
        self.rows = [self._row(enrollment) for enrollment in self.enrollments]

    def _cell(self, name: str, stored: Decimal | None) -> Cell:
        # A cell missing from the submission (e.g. a learner added meanwhile) keeps its stored mark.
        if self.data is None or name not in self.data:
            return Cell(name, format_mark(stored))
        raw = self.data.get(name, "")
        _value, error = parse_mark(raw)
        return Cell(name, raw, error)

    def _row(self, enrollment) -> Row:
        stored = {mark.module_id: mark.value for mark in enrollment.marks.all()}
        row = Row(enrollment)
        row.marks = [self._cell(f"m-{enrollment.pk}-{module.pk}", stored.get(module.pk)) for module in self.modules]
        if self.programme.has_thesis:
            row.thesis = self._cell(f"t-{enrollment.pk}", enrollment.thesis_mark)
        if self.programme.has_exam:
            row.exam = self._cell(f"e-{enrollment.pk}", enrollment.exam_mark)
        return row

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows for cell in row.cells if cell.error)

    def is_valid(self) -> bool:
        return self.data is not None and self.error_count == 0

    def _value(self, cell: Cell | None) -> Decimal | None:
        return parse_mark(cell.value)[0] if cell is not None else None

    def save(self) -> int:
        """Save every cell in one transaction (call only when ``is_valid()``)."""
        rows = {}
        for row in self.rows:
            rows[row.enrollment.pk] = {
                "marks": {m.pk: self._value(cell) for m, cell in zip(self.modules, row.marks, strict=True)},
                "thesis_mark": self._value(row.thesis),
                "exam_mark": self._value(row.exam),
            }
        return save_grade_grid(training_class=self.training_class, rows=rows)
