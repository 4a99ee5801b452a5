#!/usr/bin/env python
"""The reference for the learner-register report: the same rows, fetched into memory first (not
timed), then written by the fastest plain streaming writer (XlsxWriter constant_memory) with the
same column types. Run as a child process by bench/run.py, like the report, so both are measured
in the same process layout. Prints ``raw_writer_seconds: S`` last.
"""

from __future__ import annotations

import argparse
import datetime
import decimal
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


REGISTER_ROWS = 1_000_000  # the register: 1,000,000 enrollment rows


def register_period() -> tuple[int, int, int]:
    """(first year, last year, rows) of the national learner register the bench reports on: the
    most recent years whose register reaches REGISTER_ROWS rows (the data has a fixed number of
    enrollments a year, so the register is a period, as the report offers with “from year”)."""
    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    from courses.models import Enrollment

    per_year = (
        Enrollment.objects.annotate(y=ExtractYear("training_class__opening_date")).values("y")
        .annotate(n=Count("id")).order_by("-y")
    )
    rows, last, first = 0, None, None
    for entry in per_year:
        last = last or entry["y"]
        first, rows = entry["y"], rows + entry["n"]
        if rows >= REGISTER_ROWS:
            break
    return first, last, rows


def report_scope() -> tuple[list[str], int]:
    """build_report arguments for that national register, and its row count: the enrollments the
    register lists (``reports.selectors.register_condition``: those of the classes opened in the
    period and those of the classes graduating in it, so also classes opened the year before)."""
    from reports.models import Scope
    from reports.selectors import learner_register, resolve_scope

    first, last, _opened = register_period()
    school_ids = resolve_scope(scope=Scope.NATIONAL, year=last, first_year=first).school_ids
    return ["--year", str(last), "--from-year", str(first)], learner_register(school_ids, last, first).count()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    import xlsxwriter

    from reports.models import Scope
    from reports.selectors import learner_register, resolve_scope
    from reports.writer import MAX_ROWS

    first, last, _count = register_period()
    # The report's schools in the report's order (the register goes school by school in that order).
    school_ids = resolve_scope(scope=Scope.NATIONAL, year=last, first_year=first).school_ids
    rows = list(learner_register(school_ids, last, first).iterator(chunk_size=10_000))
    started = time.perf_counter()
    workbook = xlsxwriter.Workbook(args.out, {"constant_memory": True})
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    number_format = workbook.add_format({"num_format": "0.00"})
    header = workbook.add_format({"bold": True})
    width = len(rows[0]) if rows else 0
    sheet, index = None, MAX_ROWS
    for row in rows:
        if index == MAX_ROWS:  # a new sheet (Excel's row limit), as the report does
            sheet, index = workbook.add_worksheet(f"Learners ({len(workbook.worksheets()) + 1})"), 1
            for col in range(width):
                sheet.write_string(0, col, f"column {col + 1}", header)
        for col, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, datetime.date):
                sheet.write_datetime(index, col, value, date_format)
            elif isinstance(value, decimal.Decimal | int | float):
                sheet.write_number(index, col, float(value), number_format)
            else:
                sheet.write_string(index, col, str(value))
        index += 1
    workbook.close()
    print(f"rows: {len(rows)}")
    print(f"raw_writer_seconds: {time.perf_counter() - started:.2f}")


if __name__ == "__main__":
    main()
