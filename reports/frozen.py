"""The reports of a locked year (issue 15 item 5): the rows of their sheets as stored at the lock.

When a school's year is locked, the year-end lock stores, next to the headline figures, the rows of
every data sheet of the school's annual report (built by the sheets' own ``rows(scope)``) and their
columns. This module holds what the reports need for that, without knowing the lock itself:

- the typed JSON encoding of rows and columns, so a stored row restores to the same Python values
  (dates, datetimes, ``Decimal``, ``Percent``, ``TotalRow``/``SubtotalRow`` rows …) and the workbook
  writes the same cells;
- the hook through which the yearend app (registered at app ready: ``reports`` never imports
  ``yearend``) answers which schools of a scope have a locked year and their snapshots.

A snapshot is ``{section key: {figure key: value}, SHEETS: {sheet key: {"columns": …, "rows": …}},
EXTRA: {section key: {key: encoded value}}, STRUCTURE: [encoded rows]}``; snapshots made before the
sheets were stored have only the figures, and their sheets read the live rows.
"""

import datetime
import decimal
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils.functional import Promise

from reports.writer import Column, Percent, SubtotalRow, TotalRow

SHEETS = "sheets"  # the stored sheets of the school report
EXTRA = "extra"  # per-section values the summaries read beyond the figure keys
STRUCTURE = "structure"  # the school's rows of the structure check (national summary)

# Values the summary sheets read beyond the figure keys of ``reports.figures`` (stored per locked
# school and overlaid on the live values like the figures).
EXTRA_KEYS = {
    "compliance": ("standard", "year", "indicators_total", "indicators_in_standard", "not_met", "pending",
                   "recognised_on", "stage", "stage_code"),
    "emulation": ("awards",),
}


# --- values ------------------------------------------------------------------------------------
def encode_value(value):
    """A cell value as JSON: str, int, bool and None as they are, the others tagged."""
    if value is None or type(value) in (bool, str, int):
        return value
    if isinstance(value, Percent):
        return {"$": "pct", "v": repr(float(value))}
    if isinstance(value, float):
        return {"$": "float", "v": repr(value)}
    if isinstance(value, int):  # an int subclass (e.g. an IntegerChoices member) is written as its number
        return int(value)
    if isinstance(value, str):  # a str subclass (e.g. a TextChoices member) is written as its text
        return str(value)
    if isinstance(value, decimal.Decimal):
        return {"$": "dec", "v": str(value)}
    if isinstance(value, datetime.datetime):
        return {"$": "dt", "v": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$": "date", "v": value.isoformat()}
    if isinstance(value, list | tuple):
        return {"$": "list", "v": [encode_value(item) for item in value]}
    if isinstance(value, Promise):
        return str(value)
    return str(value)  # the writer writes any other object as its text


_DECODE = {
    "pct": lambda v: Percent(float(v)),
    "float": float,
    "dec": decimal.Decimal,
    "dt": datetime.datetime.fromisoformat,
    "date": datetime.date.fromisoformat,
    "list": lambda v: [decode_value(item) for item in v],
}


def decode_value(data):
    if isinstance(data, dict):
        return _DECODE[data["$"]](data["v"])
    return data


# --- rows and columns ---------------------------------------------------------------------------
_ROW_KINDS = (("s", SubtotalRow), ("t", TotalRow))


def encode_row(row) -> list:
    """``[kind, value, …]``: kind "s" a subtotal, "t" a total, "r" a plain row."""
    kind = next((tag for tag, cls in _ROW_KINDS if isinstance(row, cls)), "r")
    return [kind, *(encode_value(value) for value in row)]


def decode_row(data: list):
    kind, values = data[0], tuple(decode_value(value) for value in data[1:])
    if kind == "s":
        return SubtotalRow(values)
    if kind == "t":
        return TotalRow(values)
    return values


def encode_columns(columns) -> list:
    return [[str(c.header), c.type, c.width, list(c.sum_of) if c.sum_of else None] for c in columns]


def decode_columns(data) -> list[Column]:
    return [Column(header, kind, width, tuple(sum_of) if sum_of else None) for header, kind, width, sum_of in data]


def encode_sheet(columns, rows) -> dict:
    return {"columns": encode_columns(columns), "rows": [encode_row(row) for row in rows]}


@dataclass
class StoredSheet:
    columns: list[Column]
    encoded_rows: list

    @property
    def count(self) -> int:
        return len(self.encoded_rows)

    def rows(self) -> Iterator:
        return (decode_row(row) for row in self.encoded_rows)


def stored_sheet(snapshot: dict | None, key: str) -> StoredSheet | None:
    data = (snapshot or {}).get(SHEETS, {}).get(key)
    if data is None:
        return None
    return StoredSheet(decode_columns(data["columns"]), data["rows"])


# --- the hook -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Source:
    """``locked(school_ids, year, sheet=None)``: the ids among ``school_ids`` whose ``year`` is
    locked (and whose snapshot stores the sheet ``sheet``, when given), in one query;
    ``load(school_ids, year, *path)``: ``{school id: the part of its snapshot at path}`` of those
    locked that have it (e.g. ``load(ids, 2025, SHEETS, "learners")``), in one query."""

    locked: Callable[..., list[int]]
    load: Callable[..., dict]


SOURCES: list[Source] = []


def applies(scope) -> bool:
    """A report of one year (a register over several years reads the live rows)."""
    return not scope.first_year and bool(SOURCES)


def locked_schools(scope, sheet: str | None = None) -> set[int]:
    if not applies(scope):
        return set()
    key = f"frozen-locked-{sheet}"
    if key not in scope.cache:
        scope.cache[key] = {pk for source in SOURCES for pk in source.locked(scope.school_ids, scope.year, sheet)}
    return scope.cache[key]


def load(school_ids, year: int, *path: str) -> dict:
    """``{school id: the part of its snapshot at path}`` of the locked ones among ``school_ids``."""
    result = {}
    for source in SOURCES:
        result.update(source.load(list(school_ids), year, *path))
    return result


def stored_sheets(scope) -> dict[str, StoredSheet]:
    """The stored sheets of a single-school scope whose year is locked, by sheet key (read once)."""
    if scope.school is None or len(scope.schools) != 1 or not applies(scope):
        return {}
    if "frozen-sheets" not in scope.cache:
        sheets = load([scope.school.pk], scope.year, SHEETS).get(scope.school.pk) or {}
        scope.cache["frozen-sheets"] = {key: stored_sheet({SHEETS: sheets}, key) for key in sheets}
    return scope.cache["frozen-sheets"]
