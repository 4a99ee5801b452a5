"""Reading an uploaded learner workbook: the file format (header row), the upload gate, then the sheet.

``open_workbook(uploaded)`` runs the project's upload gate (``core.uploads``: size, a genuine .xlsx
package, zip-bomb and XML-declaration checks) and only then reads the first sheet with
python-calamine (a Rust reader, ~10× faster than openpyxl). Before calamine sees it, the sheet's
XML is streamed once, in bounded memory:

- it stops at ``MAX_LINES`` lines (the row limit twice over, blank lines and lines holding only the
  STT number included) and refuses the file, so a sheet of a million numbered lines is never parsed;
- it keeps only the cells of columns A–Z in rows 1–99,999 (the template has 14 columns): calamine
  holds a sheet as a dense rectangle, so one stray cell at XFD1048576 would otherwise cost gigabytes.
  When a cell was dropped, calamine reads a copy of the package with the trimmed sheet.

``read_rows(workbook)`` then yields the header row number and the non-blank data rows, and stops at
``MAX_ROWS`` + 1 data rows with "more than 20,000 rows".

Cell values come out as openpyxl's read-only mode gave them (the validation rules were written for
those, and ``tests/courses/openpyxl_oracle.py`` keeps that reader to compare): empty → None, a whole
number → int, dates (cells formatted as dates) → date/datetime, text → str.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import re
import zipfile
from pathlib import Path, PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.uploads import validate_spreadsheet
from core.vietnamese import normalize

# The header row of the template, in this order (the Vietnamese headers are the file format,
# not UI text: they are the same whatever the user's language).
# The last two (the identity document's kind and nationality, issue 14 item 7) may be absent: a file
# of the earlier 14-column template imports as before (every number a CCCD).
HEADERS = (
    "STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Tôn giáo", "Số CCCD", "Quê quán", "Chức vụ",
    "Đơn vị công tác", "Ngày vào Đảng", "Ngày chính thức", "Trình độ chuyên môn", "Trình độ LLCT",
    "Loại giấy tờ", "Quốc tịch",
)
(COL_STT, COL_NAME, COL_DOB, COL_SEX, COL_ETHNIC, COL_RELIGION, COL_CCCD, COL_HOMETOWN, COL_POSITION,
 COL_WORKPLACE, COL_JOINED, COL_OFFICIAL, COL_EDUCATION, COL_THEORY, COL_DOCUMENT, COL_NATIONALITY) = range(len(HEADERS))
REQUIRED_COLUMNS = COL_DOCUMENT  # the columns every file has
ERROR_HEADER = "Lỗi"
HEADER_SEARCH_ROWS = 10  # the header may follow a title line or two
MAX_ROWS = 20000
# Lines of the sheet read at most (blank lines and lines with only STT included): past them the
# file is refused without reading further.
MAX_LINES = 2 * MAX_ROWS + HEADER_SEARCH_ROWS
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_CHUNK = 1 << 20
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\b")
# A cell outside A1:Z99999 (or without its own reference): dropped before calamine reads the sheet.
_STRAY_CELL = re.compile(
    rb'<(?:[A-Za-z_][\w.-]*:)?c\b(?![^>]*\sr="[A-Z][0-9]{1,5}")[^>]*?(?:/>|>.*?</(?:[A-Za-z_][\w.-]*:)?c>)',
    re.DOTALL,
)
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


class ImportRefused(ValidationError):
    """The whole file is refused (format, size, header, class): nothing in it is looked at further."""


def _unreadable() -> ImportRefused:
    return ImportRefused(_("The Excel file could not be read: it is damaged or not a valid .xlsx workbook."),
                         code="unreadable")


def _too_many_rows() -> ImportRefused:
    return ImportRefused(_("The file has more than %(max)s rows; split it into several files.")
                         % {"max": MAX_ROWS}, code="too_many_rows")


# --- opening the file ---------------------------------------------------------------------------
class SheetReader:
    """The first sheet of a checked workbook, read by calamine; ``lines_read`` counts the lines taken."""

    def __init__(self, book):
        self._book = book
        self.lines_read = 0

    def lines(self):
        """Yield ``(excel_row, values)`` for every line of the sheet's used area, values as openpyxl gave them."""
        try:
            sheet = self._book.get_sheet_by_index(0)
            start = sheet.start
            if start is None:
                return
            first_row, first_column = start
            pad = (None,) * first_column
            for offset, values in enumerate(sheet.iter_rows()):
                self.lines_read += 1
                yield first_row + offset + 1, pad + tuple(_cell(v) for v in values)
        except ImportRefused:
            raise
        except Exception as exc:  # calamine errors (damaged XML, bad shared string index …)
            raise _unreadable() from exc

    def close(self) -> None:
        with contextlib.suppress(Exception):  # already closed
            self._book.close()


# Characters no valid .xlsx holds (XML 1.0 forbids them; openpyxl's parser refused such a sheet).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _cell(value):
    if value == "" or value is None:
        return None
    if isinstance(value, str) and _ILLEGAL.search(value):
        raise _unreadable()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return int(value)
    return value


def open_workbook(uploaded) -> SheetReader:
    """Gate, bound and open an uploaded file (or a path); raise ``ImportRefused`` when it is refused."""
    from python_calamine import CalamineWorkbook

    if isinstance(uploaded, str | Path):
        path = Path(uploaded)
        uploaded = io.BytesIO(path.read_bytes())
        uploaded.name = path.name
    try:
        validate_spreadsheet(uploaded)
    except ValidationError as exc:
        raise ImportRefused(exc.messages[0], code=exc.code) from exc
    source = bounded_package(uploaded)
    try:
        return SheetReader(CalamineWorkbook.from_filelike(source))
    except Exception as exc:
        raise _unreadable() from exc
    finally:
        uploaded.seek(0)


def _first_sheet_part(archive: zipfile.ZipFile) -> str:
    """The zip path of the workbook's first sheet (the one calamine reads as index 0)."""
    from defusedxml import ElementTree

    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    sheet = next(el for el in workbook.iter() if el.tag.rsplit("}", 1)[-1] == "sheet")
    rel_id = sheet.get(f"{_REL_NS}id")
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next(el.get("Target") for el in rels.iter() if el.get("Id") == rel_id)
    if target.startswith("/"):
        return target.lstrip("/")
    return str(PurePosixPath("xl") / target)


def bounded_package(uploaded):
    """The package calamine may read: ``uploaded`` itself, or a copy whose first sheet lost its stray
    cells. Refuses a sheet of more than ``MAX_LINES`` lines, having read only that far."""
    uploaded.seek(0)
    try:
        archive = zipfile.ZipFile(uploaded)
        part = _first_sheet_part(archive)
        kept, trimmed = [], False
        lines = 0
        with archive.open(part) as stream:
            pending, pending_is_line = b"", False
            while True:
                chunk = stream.read(_CHUNK)
                data = pending + chunk
                # lines are counted once: a line kept pending was counted when it was first seen
                starts = [m.start() for m in _ROW_TAG.finditer(data, 1 if pending_is_line else 0)]
                lines += len(starts)
                if lines > MAX_LINES:
                    raise _too_many_rows()
                # complete lines only; the last (perhaps partial) line waits for more bytes
                cut = (starts[-1] if starts else 0) if chunk else len(data)
                if cut:
                    piece = data[:cut]
                    clean = _STRAY_CELL.sub(b"", piece)
                    trimmed = trimmed or len(clean) != len(piece)
                    kept.append(clean)
                pending, pending_is_line = data[cut:], pending_is_line or bool(starts)
                if not chunk:
                    break
    except ImportRefused:
        raise
    except Exception as exc:  # zip, XML or relationship errors
        raise _unreadable() from exc
    uploaded.seek(0)
    if not trimmed:
        return uploaded
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
        for member in archive.infolist():
            if member.filename == part:
                copy.writestr(member.filename, b"".join(kept))
            elif member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                copy.writestr(member.filename, _EMPTY_SHEET)  # other sheets are never read
            else:
                copy.writestr(member.filename, archive.read(member))
    out.seek(0)
    return out


_EMPTY_SHEET = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>')


def file_digest(uploaded) -> str:
    uploaded.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: uploaded.read(1024 * 1024), b""):
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


# --- reading the sheet ----------------------------------------------------------------------------
def header_key(value) -> str:
    return normalize(str(value)).casefold() if value is not None else ""


EXPECTED_KEYS = tuple(header_key(h) for h in HEADERS)


def _check_header(found: tuple[int, tuple] | None) -> int:
    expected = ", ".join(HEADERS[:REQUIRED_COLUMNS])
    if found is None:
        raise ImportRefused(_("The sheet is empty. The first row must be the header: %(expected)s.")
                            % {"expected": expected}, code="header")
    number, values = found
    values = tuple(values[:REQUIRED_COLUMNS]) + (None,) * (REQUIRED_COLUMNS - len(values))
    got = tuple(header_key(v) for v in values)
    if got != EXPECTED_KEYS[:REQUIRED_COLUMNS]:
        shown = ", ".join(normalize(str(v)) for v in values if v not in (None, ""))
        raise ImportRefused(
            _("The header row (row %(row)s) is not the template's. Expected, in this order: %(expected)s. "
              "Found: %(found)s. Download the template and copy the data into it.")
            % {"row": number, "expected": expected, "found": shown or "—"},
            code="header",
        )
    return number


def is_blank(values: tuple) -> bool:
    """A line with nothing but (perhaps) its STT number."""
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values[1:])


def read_rows(workbook: SheetReader, *, width: int = len(HEADERS)):
    """Yield ``(header_row_number, header_values)`` once, then ``(excel_row, values)`` for each non-blank data row
    (``width`` values each); stops with "more than MAX_ROWS rows" at the first row past the limit."""
    lines = workbook.lines()
    first = header = None
    for number, values in lines:
        if number > HEADER_SEARCH_ROWS:
            pending = (number, values)
            break
        if first is None and any(v not in (None, "") for v in values):
            first = (number, values)
        if values and header_key(values[0]) == EXPECTED_KEYS[0]:
            header = (number, values)
            pending = None
            break
    else:
        pending = None
    header_row = _check_header(header or first)
    header_values = tuple((header or first)[1][:width])
    yield header_row, header_values + (None,) * (width - len(header_values))
    rows = 0

    def data_lines():
        if pending is not None and pending[0] > header_row:
            yield pending
        yield from lines

    for number, values in data_lines():
        if number <= header_row:
            continue
        values = tuple(values[:width]) + (None,) * (width - len(values))
        if is_blank(values):
            continue
        rows += 1
        if rows > MAX_ROWS:
            raise _too_many_rows()
        yield number, values


def excel_date(value) -> datetime.datetime:
    """Excel's serial day number (1900 date system) as a datetime, as openpyxl's ``from_excel``."""
    from openpyxl.utils.datetime import from_excel

    return from_excel(value)
