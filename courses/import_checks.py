"""Validating the rows of a learner workbook: cell parsers, the per-row checks and the analysis.

``analyse(workbook, training_class=…)`` reads the rows (``courses.import_reader``), validates every
row in memory (``RowChecker.check``: one row, no query) and looks up the learners already known by
CCCD with one chunked query: no query per row. Nothing is written here.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext as _

from core.vietnamese import fold, normalize
from courses.import_reader import (
    COL_CCCD,
    COL_DOB,
    COL_DOCUMENT,
    COL_EDUCATION,
    COL_ETHNIC,
    COL_HOMETOWN,
    COL_JOINED,
    COL_NAME,
    COL_NATIONALITY,
    COL_OFFICIAL,
    COL_POSITION,
    COL_RELIGION,
    COL_SEX,
    COL_THEORY,
    COL_WORKPLACE,
    HEADERS,
    ImportRefused,
    excel_date,
    header_key,
    read_rows,
)
from courses.models import DETAIL_FIELDS, DocumentType, Enrollment, Learner, TrainingClass
from courses.validators import cccd_province_codes, normalize_cccd, validate_document
from schools.models import EthnicGroup

LOOKUP_CHUNK = 900  # stays under SQLite's 999 parameters per statement


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
# "Loại giấy tờ" as schools write it (folded); empty → CCCD.
DOCUMENT_VALUES = {
    "": DocumentType.CCCD, "cccd": DocumentType.CCCD, "can cuoc": DocumentType.CCCD,
    "can cuoc cong dan": DocumentType.CCCD, "the can cuoc": DocumentType.CCCD,
    "cmnd": DocumentType.CMND, "chung minh nhan dan": DocumentType.CMND, "cmtnd": DocumentType.CMND,
    "ho chieu": DocumentType.PASSPORT, "passport": DocumentType.PASSPORT,
    "giay to nuoc ngoai": DocumentType.PASSPORT, "giay to tuy than nuoc ngoai": DocumentType.PASSPORT,
}



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
    # The details a file gives of known people the school did not record: kept as the school's own
    # (``LearnerDetails``), never written to the shared record: (learner id, {field: value}).
    details: list[tuple[int, dict]] = field(default_factory=list)
    already: list[int] = field(default_factory=list)  # excel rows of people already in the class
    errors: list[RowError] = field(default_factory=list)
    header_row: int = 1

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def to_add(self) -> int:
        return len(self.new) + len(self.linked)


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
            return excel_date(value).date()
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


def parse_document_type(value) -> str:
    key = " ".join(fold(_text(value)).replace(".", " ").split())
    if key not in DOCUMENT_VALUES:
        raise ValueError(_("Write “CCCD”, “CMND” or “Hộ chiếu”, or leave it empty for a CCCD."))
    return DOCUMENT_VALUES[key]


@functools.cache
def _max_length(field_name: str) -> int:
    return Learner._meta.get_field(field_name).max_length


# --- validating the rows --------------------------------------------------------------------------
class RowChecker:
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
        cccd = nationality = ""
        document = attempt(COL_DOCUMENT, parse_document_type) or DocumentType.CCCD
        if values[COL_CCCD] in (None, "") or not normalize_cccd(values[COL_CCCD]):
            problems.append((COL_CCCD, _("Give the citizen ID number (12 digits).")))
        else:
            try:
                cccd, nationality = validate_document(
                    document, values[COL_CCCD], nationality=_text(values[COL_NATIONALITY]), date_of_birth=dob,
                    sex=sex, province_codes=self.province_codes)
            except ValidationError as exc:
                column = COL_NATIONALITY if exc.code == "nationality" else COL_CCCD
                problems.append((column, " ".join(exc.messages)))
        for column, message in problems:
            errors.append(RowError(number, HEADERS[column], message))
        if problems:
            return None
        learner = new_learner(
            full_name=name, document_type=document, cccd=cccd, nationality=nationality[:100],
            date_of_birth=dob, sex=sex, ethnic_group_id=ethnic_id,
            party_joined_on=joined, party_official_on=official, theory_level=theory, **texts,
        )
        learner.set_name_keys()
        return learner


@functools.cache
def _learner_defaults() -> tuple[tuple[str, object], ...]:
    return tuple((f.attname, f.get_default()) for f in Learner._meta.concrete_fields)


def new_learner(**values) -> Learner:
    """An unsaved ``Learner`` with these attribute values and every other field at its default: what
    ``Learner(**values)`` makes, without Model.__init__'s per-field work (10,000 rows: ~0.3 s less).
    Only for attnames of concrete fields (no related objects, no properties)."""
    learner = Learner.__new__(Learner)
    learner._state = ModelState()
    learner.__dict__.update(_learner_defaults())
    learner.__dict__.update(values)
    return learner


def _same_name(a: str, b: str) -> bool:
    return normalize(a).casefold() == normalize(b).casefold()


def analyse(workbook, *, training_class: TrainingClass) -> Analysis:
    """Validate every row of ``workbook`` (an ``import_reader.SheetReader``) without writing anything."""
    return analyse_rows(read_rows(workbook), training_class=training_class)


def analyse_rows(rows, *, training_class: TrainingClass) -> Analysis:
    """Validate ``rows`` (``read_rows``' output: the header row number, then the data rows) for
    ``training_class`` without writing anything.

    Queries: reference data (2), known learners by CCCD (one per 900 distinct CCCDs, with whether
    each is already in the class) — the same number for 5 rows or 5,000.
    """
    if training_class.status == TrainingClass.Status.CLOSED:
        raise ImportRefused(_("The class is closed; learners can no longer be added to it."), code="closed")
    analysis = Analysis()
    checker = RowChecker()
    analysis.header_row, header = next(rows)
    # The optional columns count only under their own headers (an old file may have "Lỗi" there).
    optional = [column for column in (COL_DOCUMENT, COL_NATIONALITY)
                if header is None or header_key(header[column]) != header_key(HEADERS[column])]
    candidates: list[tuple[int, Learner]] = []
    rows_by_cccd: dict[str, list[int]] = defaultdict(list)
    for number, values in rows:
        analysis.rows += 1
        if optional:
            values = tuple(None if column in optional else value for column, value in enumerate(values))
        learner = checker.check(number, values, analysis.errors)
        if learner is not None:
            learner.recorded_by_id = training_class.school_id
            rows_by_cccd[learner.cccd].append(number)
        elif values[COL_CCCD] not in (None, ""):
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
        person = known.get((learner.document_type, learner.cccd, learner.nationality))
        if person is None:
            analysis.new.append((number, learner))
            continue
        conflict = _conflict(number, learner, person)
        if conflict:
            analysis.errors.extend(conflict)
            continue
        if person["in_class"]:
            analysis.already.append(number)
        else:
            analysis.linked.append((number, person["pk"]))
        if person["recorded_by_id"] != training_class.school_id:
            analysis.details.append((person["pk"], {name: getattr(learner, Learner._meta.get_field(name).attname)
                                                    for name in DETAIL_FIELDS}))
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
                    .values("pk", "document_type", "cccd", "nationality", "full_name", "date_of_birth", "in_class",
                            "recorded_by_id")):
            known[(row["document_type"], row["cccd"], row["nationality"])] = row
    return known


def _conflict(number: int, learner: Learner, person: dict) -> list[RowError]:
    """A known person whose name or date of birth differs is reported, never silently merged — and
    never named: the number may be another school's learner, so the message says only that it is
    recorded with other details (not which detail differs, nor what is recorded)."""
    name_differs = not _same_name(learner.full_name, person["full_name"])
    dob_differs = bool(person["date_of_birth"]) and person["date_of_birth"] != learner.date_of_birth
    if not (name_differs or dob_differs):
        return []
    return [RowError(number, HEADERS[COL_CCCD], _(
        "This identity document number is already recorded with other details; check the number, the name "
        "and the date of birth."))]
