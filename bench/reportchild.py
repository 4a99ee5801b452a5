#!/usr/bin/env python
"""The learner-register report as bench/run.py measures it: ``build_report`` (the same code as the
Celery task) run in this process, timed from after Django's start-up. Prints
``report_seconds: S`` last, so the bench can state the in-process time next to the child's whole
wall-clock time (start-up included). Arguments: those of ``manage.py build_report``."""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("build_report", *sys.argv[1:])
    print(f"report_seconds: {time.perf_counter() - started:.2f}")
