"""Excel import of learners into a class: open → read → validate → preview → commit.

One pipeline serves the web pages (upload, preview, confirm), the ``import_learners`` command and
the tests:

- ``open_workbook(uploaded)`` refuses what is not a reasonably sized .xlsx workbook (the single
  place to swap in the project's hardened upload gate);
- ``analyse(workbook, training_class=…)`` reads the sheet once (openpyxl read-only,
  ``values_only``), checks the header, validates every row in memory and looks up the learners
  already known by CCCD with one chunked query: no query per row;
- ``commit(analysis, training_class=…)`` writes the new learners and the enrollments with
  ``bulk_create`` in one transaction, or nothing when a single row has a problem.

A person already known by CCCD is linked to the class (their record is left as it is, whichever
school entered it); a person already in the class is skipped, so importing the same file twice
adds nobody the second time. A CCCD repeated in the file, or a name / date of birth that differs
from the known person's, is reported as an error rather than merged.
"""

from __future__ import annotations

import datetime
import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from core.uploads import safe_load_workbook
from core.vietnamese import fold, normalize
from core.xlsx import HEADER_FILL, HEADER_FONT
from courses import school_learners
from courses.models import Enrollment, Learner, TrainingClass
from courses.validators import cccd_province_codes, normalize_cccd, validate_cccd
from schools.models import EthnicGroup
from yearend.rules import guard_class as yearend_guard_class

# The header row of the template, in this order (the Vietnamese headers are the file format,
# not UI text: they are the same whatever the user's language).
HEADERS = (
    "STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Tôn giáo", "Số CCCD", "Quê quán", "Chức vụ",
    "Đơn vị công tác", "Ngày vào Đảng", "Ngày chính thức", "Trình độ chuyên môn", "Trình độ LLCT",
)
(COL_STT, COL_NAME, COL_DOB, COL_SEX, COL_ETHNIC, COL_RELIGION, COL_CCCD, COL_HOMETOWN, COL_POSITION,
 COL_WORKPLACE, COL_JOINED, COL_OFFICIAL, COL_EDUCATION, COL_THEORY) = range(len(HEADERS))
ERROR_HEADER = "Lỗi"
HEADER_SEARCH_ROWS = 10  # the header may follow a title line or two
MAX_ROWS = 20000
LOOKUP_CHUNK = 900  # stays under SQLite's 999 parameters per statement
BULK_BATCH = 1000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERROR_FILL = PatternFill("solid", fgColor="F8CBAD")
ERROR_FONT = Font(color="9C0006")

# Text columns: header index → (model field, max length from the model)
TEXT_COLUMNS = {
    COL_RELIGION: "religion", COL_HOMETOWN: "hometown", COL_POSITION: "position",
    COL_WORKPLACE: "workplace", COL_EDUCATION: "education",
}
SEX_VALUES = {"nam": Learner.Sex.MALE, "nu": Learner.Sex.FEMALE}
# Political-theory level as schools write it ("Trung cấp", "TC LLCT", "Cao cấp lý luận chính trị" …).
THEORY_PREFIXES = (
    ("so cap", Learner.TheoryLevel.ELEMENTARY), ("sc", Learner.TheoryLevel.ELEMENTARY),
    ("trung cap", Learner.TheoryLevel.INTERMEDIATE), ("tc", Learner.TheoryLevel.INTERMEDIATE),
    ("cao cap", Learner.TheoryLevel.ADVANCED), ("cc", Learner.TheoryLevel.ADVANCED),
    ("cu nhan", Learner.TheoryLevel.BACHELOR),
)
THEORY_NONE = {"", "-", "chua", "chua co", "khong", "khong co"}


class ImportRefused(ValidationError):
    """The whole file is refused (format, size, header, class): nothing in it is looked at further."""


@dataclass
class RowError:
    row: int
    column: str  # header text, "" for the whole row
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Row %(row)s, column %(column)s: %(message)s") % {
                "row": self.row, "column": self.column, "message": self.message}
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}

    def as_list(self) -> list:
        return [self.row, self.column, self.message]


@dataclass
class Analysis:
    """What a file would do to the class: the learners to create, to link, to skip, and the problems."""

    rows: int = 0
    new: list[tuple[int, Learner]] = field(default_factory=list)  # (excel row, unsaved learner)
    linked: list[tuple[int, int]] = field(default_factory=list)  # (excel row, known learner id)
    already: list[int] = field(default_factory=list)  # excel rows of people already in the class
    errors: list[RowError] = field(default_factory=list)
    header_row: int = 1

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def to_add(self) -> int:
        return len(self.new) + len(self.linked)


# --- opening the file ---------------------------------------------------------------------------
def _file_size(handle) -> int:
    size = getattr(handle, "size", None)
    if size is None:
        position = handle.tell()
        handle.seek(0, io.SEEK_END)
        size = handle.tell()
        handle.seek(position)
    return size


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


def file_digest(uploaded) -> str:
    uploaded.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: uploaded.read(1024 * 1024), b""):
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


# --- reading the sheet ----------------------------------------------------------------------------
def _header_key(value) -> str:
    return normalize(str(value)).casefold() if value is not None else ""


EXPECTED_KEYS = tuple(_header_key(h) for h in HEADERS)


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
    expected = ", ".join(HEADERS)
    if found is None:
        raise ImportRefused(_("The sheet is empty. The first row must be the header: %(expected)s.")
                            % {"expected": expected}, code="header")
    number, values = found
    got = tuple(_header_key(v) for v in values[: len(HEADERS)])
    if got != EXPECTED_KEYS:
        shown = ", ".join(normalize(str(v)) for v in values[: len(HEADERS)] if v not in (None, ""))
        raise ImportRefused(
            _("The header row (row %(row)s) is not the template's. Expected, in this order: %(expected)s. "
              "Found: %(found)s. Download the template and copy the data into it.")
            % {"row": number, "expected": expected, "found": shown or "—"},
            code="header",
        )
    return number


def read_rows(workbook):
    """Yield ``(header_row_number, None)`` once, then ``(excel_row, values)`` for each non-empty data row."""
    sheet = workbook.worksheets[0]
    rows = _parsed(sheet.iter_rows(values_only=True))
    header_row = _check_header(_find_header(_take(rows)))
    yield header_row, None
    width = len(HEADERS)
    for number, values in enumerate(_parsed(sheet.iter_rows(min_row=header_row + 1, values_only=True)),
                                    start=header_row + 1):
        values = tuple(values[:width]) + (None,) * (width - len(values))
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values[1:]):
            continue  # blank line (possibly with only its STT filled in)
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


# --- cell parsers: each returns the clean value or raises ValueError with the message --------------
def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return normalize(str(value))


def parse_date(value) -> datetime.date | None:
    """An Excel date cell or dd/mm/yyyy text (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd); None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    bad = ValueError(_("“%(value)s” is not a date; write it as dd/mm/yyyy.") % {"value": _text(value)})
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A date typed into a number cell arrives as Excel's serial day number; a bare year does not.
        if value < 3000:
            raise bad
        try:
            return from_excel(value).date()
        except (ValueError, OverflowError, TypeError) as exc:
            raise bad from exc
    text = normalize(str(value))
    for separator in ("/", "-", "."):
        parts = text.split(separator)
        if len(parts) == 3 and all(p.strip().isdigit() for p in parts):
            day, month, year = (int(p) for p in parts)
            if len(parts[0].strip()) == 4:  # yyyy-mm-dd, as some software exports dates
                year, day = day, year
            if year < 1000:
                raise bad
            try:
                return datetime.date(year, month, day)
            except ValueError as exc:
                raise bad from exc
    raise bad


def parse_sex(value) -> str:
    key = fold(_text(value))
    if key not in SEX_VALUES:
        raise ValueError(_("Write “Nam” or “Nữ”.") if key else _("Give the sex (“Nam” or “Nữ”)."))
    return SEX_VALUES[key]


def _ethnic_key(text: str) -> str:
    """'Ê Đê', 'Ê-đê', 'e de' → 'ede'; 'Bru - Vân Kiều' → 'bruvankieu'."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


def ethnic_lookup() -> dict[str, int | None]:
    """Folded name → group id, for the 54 groups; a key shared by two groups maps to None (ambiguous).

    Exact (case-insensitive, NFC) names are also keys, so "Mạ" and "Mã"-like pairs stay apart.
    """
    lookup: dict[str, int | None] = {}
    exact: dict[str, int] = {}
    for pk, name in EthnicGroup.objects.values_list("pk", "name"):
        exact[normalize(name).casefold()] = pk
        key = _ethnic_key(name)
        lookup[key] = None if key in lookup and lookup[key] != pk else pk
    return {**lookup, **{f"={name}": pk for name, pk in exact.items()}}


def parse_ethnic(value, lookup) -> int | None:
    text = _text(value)
    if not text:
        return None
    pk = lookup.get(f"={text.casefold()}")
    if pk is None:
        pk = lookup.get(_ethnic_key(text))
    if pk is None:
        raise ValueError(_("“%(value)s” is not one of the 54 ethnic groups of Viet Nam.") % {"value": text})
    return pk


def parse_theory_level(value) -> str:
    key = fold(_text(value)).replace(".", " ").strip()
    key = " ".join(key.split())
    if key in THEORY_NONE:
        return ""
    for prefix, level in THEORY_PREFIXES:
        if key == prefix or key.startswith(prefix + " "):
            return level
    raise ValueError(_("Write “Sơ cấp”, “Trung cấp”, “Cao cấp” or “Cử nhân”, or leave it empty."))


def _max_length(field_name: str) -> int:
    return Learner._meta.get_field(field_name).max_length


# --- validating the rows --------------------------------------------------------------------------
class _RowChecker:
    """Validates one row at a time against reference data loaded once (no queries per row)."""

    def __init__(self):
        self.province_codes = cccd_province_codes()
        self.ethnic = ethnic_lookup()
        self.today = timezone.localdate()

    def check(self, number: int, values: tuple, errors: list[RowError]) -> Learner | None:
        problems: list[tuple[int, str]] = []

        def attempt(column, parse, *args):
            try:
                return parse(values[column], *args)
            except ValueError as exc:
                problems.append((column, str(exc)))
                return None

        name = _text(values[COL_NAME])
        if not name:
            problems.append((COL_NAME, _("Give the full name.")))
        elif len(name) > _max_length("full_name"):
            problems.append((COL_NAME, _("At most %(n)s characters.") % {"n": _max_length("full_name")}))
        dob = attempt(COL_DOB, parse_date)
        if dob is None and not any(c == COL_DOB for c, _m in problems):
            problems.append((COL_DOB, _("Give the date of birth (dd/mm/yyyy).")))
        elif dob and not (datetime.date(1900, 1, 1) <= dob <= self.today):
            problems.append((COL_DOB, _("The date of birth %(date)s is not plausible.")
                             % {"date": dob.strftime("%d/%m/%Y")}))
            dob = None
        sex = attempt(COL_SEX, parse_sex)
        ethnic_id = attempt(COL_ETHNIC, parse_ethnic, self.ethnic)
        theory = attempt(COL_THEORY, parse_theory_level)
        joined = attempt(COL_JOINED, parse_date)
        official = attempt(COL_OFFICIAL, parse_date)
        if official and joined is None and not any(c == COL_JOINED for c, _m in problems):
            problems.append((COL_JOINED, _("Give the date joined the Party.")))
        elif official and joined and official < joined:
            problems.append((COL_OFFICIAL, _("The date made official cannot be before the date joined the Party.")))
        for column, date in ((COL_JOINED, joined), (COL_OFFICIAL, official)):
            if date and ((dob and date <= dob) or date > self.today):
                problems.append((column, _("The date %(date)s is not plausible.") % {"date": date.strftime("%d/%m/%Y")}))
        texts = {}
        for column, field_name in TEXT_COLUMNS.items():
            texts[field_name] = _text(values[column])
            if len(texts[field_name]) > _max_length(field_name):
                problems.append((column, _("At most %(n)s characters.") % {"n": _max_length(field_name)}))
        cccd = ""
        if values[COL_CCCD] in (None, "") or not normalize_cccd(values[COL_CCCD]):
            problems.append((COL_CCCD, _("Give the citizen ID number (12 digits).")))
        else:
            try:
                cccd = validate_cccd(values[COL_CCCD], date_of_birth=dob, sex=sex, province_codes=self.province_codes)
            except ValidationError as exc:
                problems.append((COL_CCCD, " ".join(exc.messages)))
        for column, message in problems:
            errors.append(RowError(number, HEADERS[column], message))
        if problems:
            return None
        learner = Learner(
            full_name=name, cccd=cccd, date_of_birth=dob, sex=sex, ethnic_group_id=ethnic_id,
            party_joined_on=joined, party_official_on=official, theory_level=theory, **texts,
        )
        learner.set_name_keys()
        return learner


def _same_name(a: str, b: str) -> bool:
    return normalize(a).casefold() == normalize(b).casefold()


def analyse(workbook, *, training_class: TrainingClass) -> Analysis:
    """Validate every row of ``workbook`` for ``training_class`` without writing anything.

    Queries: reference data (2), known learners by CCCD (one per 900 distinct CCCDs, with whether
    each is already in the class) — the same number for 5 rows or 5,000.
    """
    if training_class.status == TrainingClass.Status.CLOSED:
        raise ImportRefused(_("The class is closed; learners can no longer be added to it."), code="closed")
    analysis = Analysis()
    checker = _RowChecker()
    rows = read_rows(workbook)
    analysis.header_row, _none = next(rows)
    candidates: list[tuple[int, Learner]] = []
    rows_by_cccd: dict[str, list[int]] = defaultdict(list)
    for number, values in rows:
        analysis.rows += 1
        if analysis.rows > MAX_ROWS:
            raise ImportRefused(_("The file has more than %(max)s rows; split it into several files.")
                                % {"max": MAX_ROWS}, code="too_many_rows")
        learner = checker.check(number, values, analysis.errors)
        if values[COL_CCCD] not in (None, ""):
            rows_by_cccd[normalize_cccd(values[COL_CCCD])].append(number)
        if learner is not None:
            candidates.append((number, learner))
    if analysis.rows == 0:
        raise ImportRefused(_("The file has no learner rows under the header."), code="no_rows")
    repeated = {cccd: numbers for cccd, numbers in rows_by_cccd.items() if cccd and len(numbers) > 1}
    for numbers in repeated.values():
        listed = ", ".join(str(n) for n in numbers)
        for number in numbers:
            analysis.errors.append(RowError(number, HEADERS[COL_CCCD], _(
                "This citizen ID number appears more than once in the file (rows %(rows)s).") % {"rows": listed}))
    candidates = [(n, learner) for n, learner in candidates if learner.cccd not in repeated]
    known = _known_learners([learner.cccd for _n, learner in candidates], training_class)
    for number, learner in candidates:
        person = known.get(learner.cccd)
        if person is None:
            analysis.new.append((number, learner))
            continue
        conflict = _conflict(number, learner, person)
        if conflict:
            analysis.errors.extend(conflict)
        elif person["in_class"]:
            analysis.already.append(number)
        else:
            analysis.linked.append((number, person["pk"]))
    analysis.errors.sort(key=lambda e: (e.row, HEADERS.index(e.column) if e.column in HEADERS else 99))
    return analysis


def _known_learners(cccds: list[str], training_class: TrainingClass) -> dict[str, dict]:
    """Learners already recorded with one of ``cccds``: one query per chunk, whatever the school."""
    from django.db.models import Exists, OuterRef

    in_class = Enrollment.objects.filter(learner=OuterRef("pk"), training_class=training_class)
    known: dict[str, dict] = {}
    for start in range(0, len(cccds), LOOKUP_CHUNK):
        chunk = cccds[start:start + LOOKUP_CHUNK]
        for row in (Learner.objects.filter(cccd__in=chunk).annotate(in_class=Exists(in_class))
                    .values("pk", "cccd", "full_name", "date_of_birth", "in_class")):
            known[row["cccd"]] = row
    return known


def _conflict(number: int, learner: Learner, person: dict) -> list[RowError]:
    """A known person whose name or date of birth differs is reported, never silently merged."""
    errors = []
    if not _same_name(learner.full_name, person["full_name"]):
        errors.append(RowError(number, HEADERS[COL_NAME], _(
            "The citizen ID number %(cccd)s is already recorded for “%(name)s”; check the name or the number.")
            % {"cccd": learner.cccd, "name": person["full_name"]}))
    if person["date_of_birth"] and person["date_of_birth"] != learner.date_of_birth:
        errors.append(RowError(number, HEADERS[COL_DOB], _(
            "The citizen ID number %(cccd)s is already recorded with the date of birth %(date)s; "
            "check the date or the number.")
            % {"cccd": learner.cccd, "date": person["date_of_birth"].strftime("%d/%m/%Y")}))
    return errors


# --- writing ------------------------------------------------------------------------------------------
@dataclass
class ImportResult:
    added: int  # new learner records created (and enrolled)
    linked: int  # known learners enrolled in the class
    already: int  # rows whose learner was already in the class (nothing done)


@transaction.atomic
def commit(analysis: Analysis, *, training_class: TrainingClass) -> ImportResult:
    """Save a clean analysis: new learners and every enrollment, with bulk inserts, all or nothing.

    Refuses (``ImportRefused``) an analysis with errors: a file with one bad row saves nothing.
    """
    if not analysis.ok:
        raise ImportRefused(_("The file has %(n)s problems; nothing was saved.") % {"n": len(analysis.errors)},
                            code="row_errors")
    yearend_guard_class(training_class)  # no learners added to a locked year's class (yearend.rules)
    learners = [learner for _n, learner in analysis.new]
    Learner.objects.bulk_create(learners, batch_size=BULK_BATCH)
    # Whole learner objects (not bare ids), so the change log can name each enrollment without a query.
    known = Learner.objects.in_bulk([pk for _n, pk in analysis.linked]) if analysis.linked else {}
    people = learners + [known[pk] for _n, pk in analysis.linked]
    enrollments = Enrollment.objects.bulk_create(
        [Enrollment(training_class=training_class, learner=person) for person in people], batch_size=BULK_BATCH
    )
    school_learners.link(training_class.school_id, [person.pk for person in people])  # bulk: no signals
    _audit_created(learners, training_class.school)
    _audit_created(enrollments, training_class.school)
    return ImportResult(added=len(learners), linked=len(analysis.linked), already=len(analysis.already))


def _audit_created(objects: list, school) -> None:
    """Bulk inserts fire no model signals: record them in the change log (the ``audit`` app, once it is
    installed and the model registered with it), in a bounded number of queries."""
    if not objects or not apps.is_installed("audit"):
        return
    import audit
    from audit.registry import get_registration

    if get_registration(type(objects[0])) is not None:
        audit.log_bulk(objects, action="create", school=school)


def import_file(uploaded, *, training_class: TrainingClass) -> tuple[Analysis, ImportResult | None]:
    """Open, validate and (when every row is clean) save in one go — the command's path."""
    workbook = open_workbook(uploaded)
    try:
        with transaction.atomic():
            analysis = analyse(workbook, training_class=training_class)
            result = commit(analysis, training_class=training_class) if analysis.ok else None
    finally:
        workbook.close()
    return analysis, result


# --- workbooks sent back to the user -------------------------------------------------------------------
def template_workbook() -> bytes:
    """The blank template: the header row, text-formatted CCCD column, date columns, drop-downs, notes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách học viên"
    sheet.append(list(HEADERS))
    widths = (6, 28, 13, 10, 12, 12, 16, 24, 22, 30, 14, 14, 22, 16)
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
    lists.sheet_state = "hidden"
    ethnic_count = max(1, lists.max_row if lists["A1"].value else 1)
    for column, source in ((COL_SEX, "$B$1:$B$2"), (COL_ETHNIC, f"$A$1:$A${ethnic_count}"),
                           (COL_THEORY, "$C$1:$C$4")):
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
        _("Every row is checked before anything is saved; the preview lists each problem with its row and column."),
        _("Maximum file size: %(limit)s MB, at most %(rows)s learners per file.")
        % {"limit": settings.MAX_UPLOAD_MB, "rows": f"{MAX_ROWS:,}".replace(",", ".")},
    ]


def error_workbook(source, errors: list[list]) -> bytes:
    """The user's own workbook with each bad cell marked (red fill and a comment) and a "Lỗi" column.

    ``errors`` are ``[excel_row, column_header, message]`` triples as stored on the import batch.
    """
    if hasattr(source, "seek"):
        source.seek(0)
    workbook = load_workbook(source)
    sheet = workbook.worksheets[0]
    header_row = next(
        (r for r in range(1, HEADER_SEARCH_ROWS + 1)
         if _header_key(sheet.cell(row=r, column=1).value) == EXPECTED_KEYS[0]), 1)
    error_column = len(HEADERS) + 1
    for column in range(len(HEADERS) + 1, sheet.max_column + 1):  # reuse a "Lỗi" column from an earlier round
        if _header_key(sheet.cell(row=header_row, column=column).value) == _header_key(ERROR_HEADER):
            error_column = column
            for row in range(header_row + 1, sheet.max_row + 1):
                sheet.cell(row=row, column=column).value = None
            break
    else:
        error_column = max(sheet.max_column, len(HEADERS)) + 1
    header = sheet.cell(row=header_row, column=error_column, value=ERROR_HEADER)
    header.font, header.fill = HEADER_FONT, PatternFill("solid", fgColor="C00000")
    sheet.column_dimensions[get_column_letter(error_column)].width = 60
    by_row: dict[int, list[str]] = defaultdict(list)
    for row, column, message in errors:
        by_row[row].append(f"{column}: {message}" if column else message)
        if column in HEADERS:
            cell = sheet.cell(row=row, column=HEADERS.index(column) + 1)
            cell.fill, cell.font = ERROR_FILL, ERROR_FONT
            text = message if cell.comment is None else f"{cell.comment.text}\n{message}"
            cell.comment = Comment(text, "")
    for row, messages in by_row.items():
        cell = sheet.cell(row=row, column=error_column, value="\n".join(messages))
        cell.font = ERROR_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
    batch.save()
    return batch


def previous_import(batch):
    """An earlier, completed import of the very same file into the same class, if any."""
    from courses.models import ImportBatch

    return (ImportBatch.objects.filter(training_class_id=batch.training_class_id, sha256=batch.sha256,
                                       status=ImportBatch.Status.DONE)
            .exclude(pk=batch.pk).order_by("-imported_at").first())


def _forget_file(batch) -> None:
    """Delete the stored workbook once the transaction is committed (it holds personal data)."""
    name, storage = batch.file.name, batch.file.storage
    batch.file = ""
    if name:
        transaction.on_commit(lambda: storage.delete(name))


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
        result = None
        if analysis.ok:
            result = commit(analysis, training_class=batch.training_class)
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
            batch.save(update_fields=["status", "file", "updated_at"])
            count += 1
    return count


def cancel_import(*, batch) -> None:
    from courses.models import ImportBatch

    with transaction.atomic():
        if batch.status in (ImportBatch.Status.PREVIEW, ImportBatch.Status.INVALID):
            batch.status = ImportBatch.Status.CANCELLED
            _forget_file(batch)
            batch.save(update_fields=["status", "file", "updated_at"])
