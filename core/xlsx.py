"""Safe, streaming .xlsx writing shared by list exports and reports."""

import datetime
import tempfile
from collections.abc import Iterable, Sequence

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="9C1C1C")
DATE_FORMAT = "DD/MM/YYYY"


def clean_text(value: str) -> str:
    """Remove the control characters Excel refuses (instead of crashing the export)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def local_naive(value: datetime.datetime) -> datetime.datetime:
    """An aware datetime as Vietnam's wall-clock time without tzinfo (Excel has no time zones)."""
    if timezone.is_aware(value):
        value = timezone.make_naive(value, timezone.get_default_timezone())
    return value


def safe_cell(sheet, value):
    """A write-only cell holding ``value``; text that looks like a formula stays text."""
    if isinstance(value, str):
        value = clean_text(value)
    elif isinstance(value, datetime.datetime):
        value = local_naive(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"  # stored as a string: Excel never evaluates it
    elif isinstance(value, datetime.datetime):
        cell.number_format = "DD/MM/YYYY HH:MM"
    elif isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    return cell


def header_cells(sheet, headers: Sequence[str]):
    cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        cells.append(cell)
    return cells


def add_table_sheet(workbook, title: str, headers: Sequence[str], rows: Iterable[Sequence], widths=None):
    """Append a sheet with a styled header, frozen panes and an auto-filter, streaming ``rows``."""
    sheet = workbook.create_sheet(title=clean_text(title)[:31])
    for index, header in enumerate(headers, start=1):
        width = widths[index - 1] if widths else max(12, min(40, len(str(header)) + 4))
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    count = 0
    sheet.append(header_cells(sheet, headers))
    for row in rows:
        sheet.append([safe_cell(sheet, value) for value in row])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(1, len(headers)))}{count + 1}"
    return count


def xlsx_response(filename: str, sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]]):
    """Stream a workbook of one or more (title, headers, rows) sheets as a download."""
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        add_table_sheet(workbook, title, headers, rows)
    # FileResponse closes the file once it has been sent.
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
