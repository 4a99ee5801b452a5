"""The openpyxl reader the learner import used before python-calamine, kept only as a test oracle:
the calamine reader must give the same analysis (errors, row numbers, values) on the same files."""

import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.uploads import safe_load_workbook
from core.vietnamese import normalize
from courses.import_reader import (
    EXPECTED_KEYS,
    HEADER_SEARCH_ROWS,
    HEADERS,
    MAX_ROWS,
    REQUIRED_COLUMNS,
    ImportRefused,
)
from courses.import_reader import header_key as _header_key  # noqa: F401


def open_workbook(uploaded):
    """Open an uploaded file (or a path) as a read-only openpyxl workbook, or raise ``ImportRefused``.

    The project's upload gate (``core.uploads``) checks the name, the size
    (``settings.MAX_UPLOAD_MB``), that the content really is an .xlsx package (an old .xls or a
    renamed CSV is refused), zip bombs and XML entity attacks before openpyxl reads anything.
    """
    if isinstance(uploaded, str | Path):
        path = Path(uploaded)
        uploaded = io.BytesIO(path.read_bytes())
        uploaded.name = path.name
    try:
        return safe_load_workbook(uploaded, read_only=True, data_only=True)
    except ValidationError as exc:
        raise ImportRefused(exc.messages[0], code=exc.code) from exc


def _find_header(rows) -> tuple[int, tuple] | None:
    """The (row number, values) of the header row among the first rows, or None."""
    first = None
    for number, values in enumerate(rows, start=1):
        values = tuple(values)
        if first is None and any(v not in (None, "") for v in values):
            first = (number, values)
        if values and _header_key(values[0]) == EXPECTED_KEYS[0]:
            return number, values
        if number >= HEADER_SEARCH_ROWS:
            break
    return first


def _check_header(found: tuple[int, tuple] | None) -> int:
    expected = ", ".join(HEADERS[:REQUIRED_COLUMNS])
    if found is None:
        raise ImportRefused(_("The sheet is empty. The first row must be the header: %(expected)s.")
                            % {"expected": expected}, code="header")
    number, values = found
    got = tuple(_header_key(v) for v in values[:REQUIRED_COLUMNS])
    got += ("",) * (REQUIRED_COLUMNS - len(got))
    if got != EXPECTED_KEYS[:REQUIRED_COLUMNS]:
        shown = ", ".join(normalize(str(v)) for v in values[:REQUIRED_COLUMNS] if v not in (None, ""))
        raise ImportRefused(
            _("The header row (row %(row)s) is not the template's. Expected, in this order: %(expected)s. "
              "Found: %(found)s. Download the template and copy the data into it.")
            % {"row": number, "expected": expected, "found": shown or "—"},
            code="header",
        )
    return number


def read_rows(workbook):
    """Yield ``(header_row_number, header_values)`` once, then ``(excel_row, values)`` for each non-empty data row."""
    sheet = workbook.worksheets[0]
    rows = _parsed(sheet.iter_rows(values_only=True))
    found = _find_header(_take(rows))
    header_row = _check_header(found)
    width = len(HEADERS)
    header = tuple(found[1][:width]) if found else ()
    yield header_row, header + (None,) * (width - len(header))  # the optional columns count under their headers
    rows = 0
    for number, values in enumerate(_parsed(sheet.iter_rows(min_row=header_row + 1, values_only=True)),
                                    start=header_row + 1):
        values = tuple(values[:width]) + (None,) * (width - len(values))
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values[1:]):
            continue  # blank line (possibly with only its STT filled in)
        rows += 1
        if rows > MAX_ROWS:
            raise ImportRefused(_("The file has more than %(max)s rows; split it into several files.")
                                % {"max": MAX_ROWS}, code="too_many_rows")
        yield number, values


def _parsed(rows):
    """The read-only workbook parses the sheet only while its rows are read: a damaged sheet (e.g. a
    control character in a cell, which no valid .xlsx holds) is refused here, not raised as a crash."""
    try:
        yield from rows
    except Exception as exc:  # expat/defusedxml/openpyxl errors of many kinds
        raise ImportRefused(
            _("The Excel file could not be read: it is damaged or not a valid .xlsx workbook."), code="unreadable"
        ) from exc


def _take(rows):
    for index, values in enumerate(rows):
        yield values
        if index + 1 >= HEADER_SEARCH_ROWS:
            return

