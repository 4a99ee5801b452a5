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


def register_year() -> int:
    """The year whose national learner register is the biggest (the one the bench reports on)."""
    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    from courses.models import Enrollment

    row = (
        Enrollment.objects.annotate(y=ExtractYear("training_class__opening_date")).values("y")
        .annotate(n=Count("id")).order_by("-n", "-y").first()
    )
    return row["y"], row["n"]


def report_scope() -> tuple[list[str], int]:
    """build_report arguments for the national register of the biggest year, and its row count."""
    year, rows = register_year()
    return ["--year", str(year)], rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    import xlsxwriter

    from reports.selectors import learner_register
    from schools.models import School

    year, _count = register_year()
    school_ids = list(School.objects.values_list("pk", flat=True))
    rows = list(learner_register(school_ids, year).iterator(chunk_size=10_000))
    started = time.perf_counter()
    workbook = xlsxwriter.Workbook(args.out, {"constant_memory": True})
    sheet = workbook.add_worksheet("Learners")
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    number_format = workbook.add_format({"num_format": "0.00"})
    header = workbook.add_format({"bold": True})
    for col in range(len(rows[0]) if rows else 0):
        sheet.write_string(0, col, f"column {col + 1}", header)
    for index, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, datetime.date):
                sheet.write_datetime(index, col, value, date_format)
            elif isinstance(value, decimal.Decimal | int | float):
                sheet.write_number(index, col, float(value), number_format)
            else:
                sheet.write_string(index, col, str(value))
    workbook.close()
    print(f"rows: {len(rows)}")
    print(f"raw_writer_seconds: {time.perf_counter() - started:.2f}")


if __name__ == "__main__":
    main()
