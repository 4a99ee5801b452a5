"""Workbooks sent back to the user: the blank template and the annotated error workbook.

The error workbook is built once, when the upload is validated (``courses.importer.start_import``),
and stored with the batch; the download serves that file. It is built in bounded memory: the rows
are read again by the bounded calamine reader (only the sheet's first columns, at most
``MAX_LINES`` lines), and written by XlsxWriter in constant-memory mode (one row in memory at a time).
"""

from __future__ import annotations

import datetime
import io
import math
from collections import defaultdict

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.xlsx import HEADER_FILL, HEADER_FONT
from courses.import_reader import (
    COL_CCCD,
    COL_DOB,
    COL_DOCUMENT,
    COL_ETHNIC,
    COL_JOINED,
    COL_OFFICIAL,
    COL_SEX,
    COL_THEORY,
    ERROR_HEADER,
    HEADERS,
    MAX_ROWS,
    header_key,
    open_workbook,
)
from schools.models import EthnicGroup


def template_workbook() -> bytes:
    """The blank template: the header row, text-formatted CCCD column, date columns, drop-downs, notes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách học viên"
    sheet.append(list(HEADERS))
    widths = (6, 28, 13, 10, 12, 12, 16, 24, 22, 30, 14, 14, 22, 16, 14, 14)
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        if index - 1 == COL_CCCD:
            sheet.column_dimensions[letter].number_format = "@"
            cell.comment = Comment(_("Type the 12 digits as text (this column is formatted as text). "
                                     "A number cell loses the leading 0: the import puts it back."), "")
        elif index - 1 in (COL_DOB, COL_JOINED, COL_OFFICIAL):
            sheet.column_dimensions[letter].number_format = "DD/MM/YYYY"
    for row in range(2, 1002):  # pre-format the first thousand lines: Excel keeps a cell's own format
        sheet.cell(row=row, column=COL_CCCD + 1).number_format = "@"
        for column in (COL_DOB, COL_JOINED, COL_OFFICIAL):
            sheet.cell(row=row, column=column + 1).number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"
    lists = workbook.create_sheet("Danh mục")
    for index, name in enumerate(EthnicGroup.objects.values_list("name", flat=True), start=1):
        lists.cell(row=index, column=1, value=name)
    for index, label in enumerate(("Nam", "Nữ"), start=1):
        lists.cell(row=index, column=2, value=label)
    for index, label in enumerate(("Sơ cấp", "Trung cấp", "Cao cấp", "Cử nhân"), start=1):
        lists.cell(row=index, column=3, value=label)
    for index, label in enumerate(("CCCD", "CMND", "Hộ chiếu"), start=1):
        lists.cell(row=index, column=4, value=label)
    lists.sheet_state = "hidden"
    ethnic_count = max(1, lists.max_row if lists["A1"].value else 1)
    for column, source in ((COL_SEX, "$B$1:$B$2"), (COL_ETHNIC, f"$A$1:$A${ethnic_count}"),
                           (COL_THEORY, "$C$1:$C$4"), (COL_DOCUMENT, "$D$1:$D$3")):
        validation = DataValidation(type="list", formula1=f"='Danh mục'!{source}", allow_blank=True)
        validation.showErrorMessage = False  # a hint, not a lock: the import checks every value anyway
        sheet.add_data_validation(validation)
        letter = get_column_letter(column + 1)
        validation.add(f"{letter}2:{letter}5000")
    notes = workbook.create_sheet("Hướng dẫn")
    notes.column_dimensions["A"].width = 110
    for line in template_notes():
        notes.append([line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_notes() -> list[str]:
    return [
        _("How to fill in the learner list"),
        _("Keep the header row as it is (same columns, same order); one learner per row from row 2."),
        _("Số CCCD: the 12-digit citizen ID number. The column is formatted as text; if a number is typed "
          "into a number cell, Excel drops the leading 0 — the import restores it to 12 digits."),
        _("Dates (Ngày sinh, Ngày vào Đảng, Ngày chính thức): Excel dates or text written dd/mm/yyyy."),
        _("Giới tính: “Nam” or “Nữ”. Dân tộc: one of the 54 ethnic groups (e.g. Kinh, Thái, Mường)."),
        _("Trình độ LLCT: Sơ cấp, Trung cấp, Cao cấp or Cử nhân; leave it empty when there is none."),
        _("A person already recorded (same CCCD) is linked to the class, not created twice; their name and "
          "date of birth must match the record."),
        _("Loại giấy tờ: CCCD (when empty), CMND (the 9-digit identity card of records before 2021) or Hộ chiếu "
          "(a passport or foreign identity document, with its Quốc tịch); Số CCCD then holds that document's "
          "number. Files without these two columns import as CCCD."),
        _("Every row is checked before anything is saved; the preview lists each problem with its row and column."),
        _("Maximum file size: %(limit)s MB, at most %(rows)s learners per file.")
        % {"limit": settings.MAX_UPLOAD_MB, "rows": f"{MAX_ROWS:,}".replace(",", ".")},
    ]



def error_workbook(source, errors: list[list]) -> bytes:
    """The user's rows (the sheet's first columns, up to the template's width and a "Lỗi" column) with
    each bad cell marked (red fill and a comment) and every row's problems in the "Lỗi" column.

    ``source``: the uploaded file (already through the upload gate); ``errors`` are
    ``[excel_row, column_header, message]`` triples as stored on the import batch.
    """
    import xlsxwriter

    by_row: dict[int, list[str]] = defaultdict(list)
    by_cell: dict[tuple[int, int], list[str]] = defaultdict(list)
    for row, column, message in errors:
        by_row[row].append(f"{column}: {message}" if column else message)
        if column in HEADERS:
            by_cell[(row, HEADERS.index(column))].append(message)
    reader = open_workbook(source)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet("Danh sách học viên")
    header_format = book.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E78", "text_wrap": True})
    error_header_format = book.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#C00000"})
    bad = book.add_format({"bg_color": "#F8CBAD", "font_color": "#9C0006"})
    bad_date = book.add_format({"bg_color": "#F8CBAD", "font_color": "#9C0006", "num_format": "dd/mm/yyyy"})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    message_format = book.add_format({"font_color": "#9C0006", "text_wrap": True, "valign": "top"})
    width = len(HEADERS)
    error_column = width  # 0-based: right after the template's columns (an earlier round's "Lỗi" is replaced)
    sheet.set_column(error_column, error_column, 60)
    header_row = None
    try:
        for number, values in reader.lines():
            values = values[:width]
            if header_row is None and values and header_key(values[0]) == header_key(HEADERS[0]):
                header_row = number
                for column, value in enumerate(values):
                    sheet.write(number - 1, column, _plain(value), header_format)
                sheet.write(number - 1, error_column, ERROR_HEADER, error_header_format)
                continue
            for column, value in enumerate(values):
                messages = by_cell.get((number, column))
                value = _plain(value)
                is_date = isinstance(value, datetime.date)
                style = (bad_date if is_date else bad) if messages else (date_format if is_date else None)
                if value is None:
                    if messages:
                        sheet.write_blank(number - 1, column, None, style)
                elif is_date:
                    sheet.write_datetime(number - 1, column, value, style)
                else:
                    sheet.write(number - 1, column, value, style)
                if messages:
                    sheet.write_comment(number - 1, column, "\n".join(messages))
            if number in by_row:
                sheet.write_string(number - 1, error_column, "\n".join(by_row[number]), message_format)
    finally:
        reader.close()
    book.close()
    return buffer.getvalue()


def _plain(value):
    """A cell value XlsxWriter writes as the user typed it (dates as dates, the rest as it is)."""
    if isinstance(value, datetime.timedelta | datetime.time):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):  # a number past Excel's range reads as inf
        return str(value)
    return value
