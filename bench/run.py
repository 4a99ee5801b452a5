#!/usr/bin/env python
"""`make bench`: national-size figures on Postgres, each a median of several runs and, where it is a
comparison, a ratio against a reference measured in the same run.

Uses (creates when missing) the database of ``BENCH_DATABASE_URL`` (default: ``tct_bench`` on the
Postgres at 127.0.0.1:5432), migrates it, generates the synthetic data when it is missing, then
measures. It starts only child processes it stops itself (report builders, a gunicorn on
127.0.0.1 for the load test). The figures are printed last, one ``name: value`` line each, and
written to bench/results.md with the machine and the versions.

Sizes can be lowered for a quick try (the figures then are not the national ones):
``BENCH_YEARS``, ``BENCH_ENROLLMENTS_PER_YEAR``, ``BENCH_RUNS``, ``BENCH_IMPORT_RUNS``, ``BENCH_REPORT_RUNS``,
``BENCH_HTTP_SECONDS``, ``BENCH_HTTP_USERS``.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/tct_bench"
YEARS = int(os.environ.get("BENCH_YEARS", "5"))
PER_YEAR = int(os.environ.get("BENCH_ENROLLMENTS_PER_YEAR", "300000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
IMPORT_RUNS = int(os.environ.get("BENCH_IMPORT_RUNS", "3"))
REPORT_RUNS = int(os.environ.get("BENCH_REPORT_RUNS", "5"))
PAGE_REQUESTS = int(os.environ.get("BENCH_PAGE_REQUESTS", "40"))
HTTP_SECONDS = int(os.environ.get("BENCH_HTTP_SECONDS", "60"))
HTTP_USERS = int(os.environ.get("BENCH_HTTP_USERS", "50"))
SEED = 1
END_YEAR = 2026  # fixed so that the data set is the same whenever the bench runs

BENCH_ENV = {
    "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB),
    "DJANGO_SETTINGS_MODULE": "config.settings.base",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-key-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "CELERY_TASK_ALWAYS_EAGER": "1",
    "SECURE_SSL_REDIRECT": "0",  # plain HTTP on 127.0.0.1
    "STATIC_ROOT": str(ROOT / "var" / "bench-static"),  # DEBUG off serves collected, hashed files
    "PYTHONWARNINGS": "ignore:No directory at",
}
os.environ.update(BENCH_ENV)
warnings.filterwarnings("ignore", message="No directory at")

LOAD_AT_START = os.getloadavg()[0]
FIGURES: dict[str, object] = {}
NOTES: dict[str, str] = {}
LOG: list[str] = []


def say(message: str) -> None:
    line = f"[{datetime.datetime.now(datetime.UTC):%H:%M:%S}] {message}"
    LOG.append(line)
    print(line, flush=True)


def figure(name: str, value, note: str = "") -> None:
    FIGURES[name] = value
    if note:
        NOTES[name] = note


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


# --- database ----------------------------------------------------------------------------------
def ensure_database() -> None:
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(BENCH_ENV["DATABASE_URL"])
    if "postgresql" not in config["ENGINE"]:
        raise SystemExit("make bench runs on Postgres: set BENCH_DATABASE_URL to a postgres:// URL.")
    params = {"host": config["HOST"] or "127.0.0.1", "port": config["PORT"] or 5432,
              "user": config["USER"] or "postgres", "dbname": "postgres", "autocommit": True}
    if config.get("PASSWORD"):
        params["password"] = config["PASSWORD"]
    with psycopg.connect(**params) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
        if not exists:
            say(f"creating database {config['NAME']}")
            conn.execute(f'CREATE DATABASE "{config["NAME"]}"')


def setup_django():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    # Every run (new apps bring new files; unchanged files are skipped).
    call_command("collectstatic", verbosity=0, interactive=False)


def ensure_data() -> dict:
    from django.core.management import call_command

    from courses.models import Enrollment, Learner, TrainingClass

    expected = YEARS * PER_YEAR
    have = Enrollment.objects.count()
    generated_seconds = None
    if have != expected:
        say(f"generating synthetic data: {YEARS} years × {PER_YEAR:,} enrollments (have {have:,})")
        started = time.monotonic()
        call_command("generate_synthetic", years=YEARS, enrollments_per_year=PER_YEAR, seed=SEED,
                     end_year=END_YEAR, replace=True)
        generated_seconds = time.monotonic() - started
    counts = {"classes": TrainingClass.objects.count(), "learners": Learner.objects.count(),
              "enrollments": Enrollment.objects.count()}
    from bench import parts

    # The emulation, research and compliance parts (generate_synthetic made them with the training
    # data; a database made before a part existed gets it here).
    parts.add_missing(seed=SEED, first_year=END_YEAR - YEARS + 1, end_year=END_YEAR, log=say)
    if counts["enrollments"] != expected:
        raise SystemExit(f"expected {expected} enrollments, found {counts['enrollments']}")
    say(f"data: {counts}")
    record = ROOT / "var" / "bench-data.json"
    if generated_seconds is not None:
        record.parent.mkdir(exist_ok=True)
        record.write_text(json.dumps({"seconds": round(generated_seconds, 1), "database": config_name(),
                                      "at": f"{datetime.datetime.now(datetime.UTC):%d/%m/%Y %H:%M} UTC"}))
        figure("generate_synthetic_seconds", round(generated_seconds, 1))
    elif record.exists() and json.loads(record.read_text()).get("database") == config_name():
        made = json.loads(record.read_text())
        figure("generate_synthetic_seconds", made["seconds"], f"when the data was generated ({made['at']})")
    return counts


def config_name() -> str:
    return BENCH_ENV["DATABASE_URL"].rsplit("/", 1)[-1]


def ensure_users() -> dict:
    """A superuser (admin changelist), an Academy admin and one school admin per school."""
    from accounts.models import Role, User
    from schools.models import School

    users = {}
    superuser, _created = User.objects.get_or_create(
        username="bench_superuser", defaults={"is_staff": True, "is_superuser": True, "role": Role.ACADEMY_ADMIN,
                                              "school": School.objects.get(code="HVCTQG")})
    users["superuser"] = superuser
    users["academy"], _created = User.objects.get_or_create(
        username="bench_academy", defaults={"role": Role.ACADEMY_ADMIN, "school": School.objects.get(code="HVCTQG")})
    users["schools"] = []
    for school in School.objects.filter(active=True).exclude(kind=School.Kind.ACADEMY).order_by("code"):
        user, _created = User.objects.get_or_create(
            username=f"bench_{school.code.lower()}", defaults={"role": Role.SCHOOL_ADMIN, "school": school})
        users["schools"].append(user)
    return users


# --- child processes ---------------------------------------------------------------------------
def run_child(args: list[str]) -> tuple[float, float, str]:
    """Run a Python script as a child process; return (wall seconds, peak RSS MB of the child, stdout).

    The child runs under bench/peak.py, which reports the high-water mark of its own address space:
    ``ru_maxrss`` from ``wait4`` would also count this (big) process's memory, which the kernel
    keeps as the child's high-water mark when the child execs."""
    started = time.monotonic()
    proc = subprocess.Popen(  # noqa: S603 — our own interpreter and scripts
        [args[0], "bench/peak.py", *args[1:]], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )
    out = proc.stdout.read()
    proc.wait()
    elapsed = time.monotonic() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}):\n{out[-3000:]}")
    peak_kb = next(int(line.split()[-1]) for line in reversed(out.splitlines()) if line.startswith("peak_rss_kb:"))
    return elapsed, peak_kb / 1024, out


# --- report ------------------------------------------------------------------------------------
def learner_report_available() -> bool:
    try:
        from reports.registry import KINDS
    except ImportError:
        return False
    return "learners" in KINDS


def measure_report() -> None:
    """The learner register (1M+ rows) against the plain writer writing the same rows from memory,
    REPORT_RUNS rounds, each a child process: the whole-process ratio (wall clock of each child,
    start-up and, for the plain writer, fetching the rows included) and the in-process ratio (the
    report's ``build_report`` call against the plain writer's write)."""
    from bench.rawwriter import report_scope

    if not learner_report_available():
        figure("report_learners_1m_seconds", "n/a", "the reports app (learner register) has not landed on main")
        figure("report_vs_raw_writer_ratio", "n/a", "needs the learner register")
        figure("report_peak_rss_mb", "n/a", "needs the learner register")
        return
    scope_args, rows_expected = report_scope()
    walls, inner, raw_walls, raw_inner, rss = [], [], [], [], []
    with tempfile.TemporaryDirectory(prefix="tct-bench-") as tmp:
        out = Path(tmp) / "register.xlsx"
        raw_out = Path(tmp) / "raw.xlsx"
        for run in range(REPORT_RUNS):
            elapsed, _peak, text = run_child([sys.executable, "bench/rawwriter.py", "--out", str(raw_out)])
            raw_walls.append(elapsed)
            raw_inner.append(_printed(text, "raw_writer_seconds:"))
            elapsed, peak, text = run_child([sys.executable, "bench/reportchild.py", "--kind", "learners",
                                             *scope_args, "--out", str(out)])
            walls.append(elapsed)
            inner.append(_printed(text, "report_seconds:"))
            rss.append(peak)
            say(f"report run {run + 1}: {elapsed:.1f} s whole process, {inner[-1]:.1f} s in process, {peak:.0f} MB; "
                f"raw writer {raw_walls[-1]:.1f} s whole process, {raw_inner[-1]:.1f} s writing")
            if run == 0:
                check_report(out, rows_expected)
    report, raw = statistics.median(inner), statistics.median(raw_inner)
    period = f"{scope_args[3]}–{scope_args[1]}"
    rounds = f"median of {REPORT_RUNS} rounds"
    figure("report_learners_rows", rows_expected, f"the national register of {period} (from year … to year)")
    figure("report_learners_seconds", round(statistics.median(walls), 1), f"whole process, {rounds}")
    figure("report_learners_in_process_seconds", round(report, 1), f"the build_report call, {rounds}")
    figure("report_learners_1m_seconds", round(statistics.median(walls) * 1_000_000 / rows_expected, 1),
           f"time per row of the {rows_expected:,}-row register × 1,000,000 (the data has {PER_YEAR:,} "
           f"enrollments a year, so the register of the fewest recent years with 1,000,000 rows is measured)")
    figure("report_raw_writer_seconds", round(raw, 1), f"writing only (rows fetched before), {rounds}")
    figure("report_raw_writer_whole_process_seconds", round(statistics.median(raw_walls), 1),
           f"whole process (start-up and fetching the rows included), {rounds}")
    figure("report_vs_raw_writer_ratio", round(report / raw, 2),
           "in process: the report's query + write ÷ the plain writer's write from memory")
    figure("report_vs_raw_writer_ratio_whole_process", round(statistics.median(walls) / statistics.median(raw_walls), 2),
           "whole process ÷ whole process")
    figure("report_peak_rss_mb", round(max(rss)))


def _printed(text: str, prefix: str) -> float:
    return float(next(line.split()[-1] for line in text.splitlines() if line.startswith(prefix)))


def check_report(path: Path, rows_expected: int) -> None:
    """The workbook opens and its learner sheets (the register and its continuation sheets) hold
    exactly the expected number of data rows: those between each sheet's table header and the end of
    its table, as its autofilter spans them (the title block above and the signature block below
    are not rows of the register)."""
    import re
    import zipfile

    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    titles = workbook.sheetnames
    workbook.close()
    spans = {}
    with zipfile.ZipFile(path) as archive:
        for number, title in enumerate(titles, start=1):  # XlsxWriter writes sheetN.xml in order
            with archive.open(f"xl/worksheets/sheet{number}.xml") as xml:
                tail = b""
                for block in iter(lambda: xml.read(1 << 20), b""):  # the autoFilter follows the data
                    tail = (tail + block)[-4096:]
            found = re.search(rb'<autoFilter ref="[A-Z]+(\d+):[A-Z]+(\d+)"', tail)
            if found is None:
                raise RuntimeError(f"sheet {title!r} has no table (autofilter)")
            spans[title] = int(found[2]) - int(found[1])
    register = sum(rows for title, rows in spans.items() if title != titles[0])
    if register != rows_expected:
        raise RuntimeError(f"the register has {spans} data rows, expected {rows_expected} in all")
    say(f"report opens: data rows per sheet {spans}")


# --- import ------------------------------------------------------------------------------------
def measure_import(users) -> None:
    """Every variant on the same 10,000-row workbook from the project's template, interleaved,
    IMPORT_RUNS rounds; medians, and ratios to ours measured in the same rounds."""
    from bench import importbench

    if not importbench.available():
        figure("import_10k_seconds", "n/a", "the Excel learner import (courses/importer.py) has not landed on main")
        return
    klass = importbench.target_class()
    school_user = next(u for u in users["schools"] if u.school_id == klass.school_id)
    data, cccds = importbench.build_workbook()
    say(f"import workbook: {len(cccds):,} rows, {len(data) / 1024:.0f} KB, from the template; class {klass.code}")
    times: dict[str, list[float]] = {name: [] for name in importbench.VARIANTS}
    prints, created = {}, {}
    answers, refusals = [], []
    for name in ("ours", "floor"):  # warm-up, not timed: first imports, reference data, caches
        importbench.run_variant(name, data, klass, cccds)
        importbench.cleanup(cccds)
    for run in range(IMPORT_RUNS):
        for name in importbench.VARIANTS:
            times[name].append(importbench.run_variant(name, data, klass, cccds))
            prints[name] = importbench.fingerprint(cccds)
            created[name] = importbench.cleanup(cccds)
            say(f"import round {run + 1} {name}: {times[name][-1]:.2f} s, wrote {created[name]}")
        answers.append(importbench.upload_answer(data, klass, school_user))
        refusals.append(importbench.refuse_too_many(klass, school_user))
        say(f"import round {run + 1}: upload answer {answers[-1]:.2f} s, 20,001 rows refused in {refusals[-1]:.2f} s")
    if len(set(prints.values())) != 1 or next(iter(prints.values()))[0] != len(cccds):
        raise RuntimeError(f"the variants did not write the same learner rows: {prints}")
    median = {name: statistics.median(values) for name, values in times.items()}
    ours = median["ours"]
    rounds = f"median of {IMPORT_RUNS} interleaved rounds on the same {len(cccds):,}-row workbook"
    figure("import_10k_seconds", round(ours, 2), f"ours: gate, read, validation, learners, enrollments, school link, "
           f"change log; {rounds}")
    labels = {
        "die_default": "django-import-export, default ModelResource, learners only",
        "die_default_writes": "django-import-export, default ModelResource doing our writes too",
        "die_tuned": "django-import-export, tuned resource, learners only",
        "die_tuned_writes": "django-import-export, tuned resource doing our writes too",
        "floor": "python-calamine + bulk_create, no validation, learners only",
    }
    for name, label in labels.items():
        figure(f"import_10k_{name}_seconds", round(median[name], 2), label)
    figure("import_speedup_vs_django_import_export", round(median["die_default_writes"] / ours, 1),
           "default ModelResource doing the same writes ÷ ours")
    figure("import_speedup_vs_django_import_export_learners_only", round(median["die_default"] / ours, 1),
           "default ModelResource, learners only ÷ ours")
    figure("import_vs_tuned_django_import_export", round(ours / median["die_tuned_writes"], 2),
           "ours ÷ the tuned resource doing the same writes")
    figure("import_vs_tuned_django_import_export_learners_only", round(ours / median["die_tuned"], 2),
           "ours ÷ the tuned resource, learners only")
    figure("import_vs_floor", round(ours / median["floor"], 2), "ours ÷ calamine + bulk_create")
    figure("import_upload_answer_10k_seconds", round(statistics.median(answers), 2),
           f"POST of the 10,000-row file to the upload page and GET of its preview (test client, in process), "
           f"median of {IMPORT_RUNS}")
    figure("import_refuse_20001_rows_seconds", round(statistics.median(refusals), 2),
           f"POST of a 20,001-row file to the upload page, answered with the refusal; median of {IMPORT_RUNS}")


# --- pages -------------------------------------------------------------------------------------
def page_targets(users) -> dict[str, tuple]:
    """name → (user, url) for the key pages; a page whose URL is not there yet is left out."""
    from django.urls import NoReverseMatch, reverse

    from courses.models import Learner
    from schools.models import School

    big = School.objects.get(code="HANOI")
    school_user = next(u for u in users["schools"] if u.school_id == big.pk)
    sample = Learner.objects.for_school(big).order_by("pk").values_list("full_name", flat=True).first() or "Nguyễn"
    query = "nguyen van " + sample.split()[-1].lower()
    from core.vietnamese import fold

    query = fold(query)

    def url(name, **kwargs):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            return None

    in_school = {"school_links__school__id__exact": big.pk}  # the admin changelist filtered to that school
    # Like with like: each page of ours and the admin changelist doing the same search on the same table.
    targets = {
        "academy_learner_search": (users["academy"], url("courses:academy_learner_list"), {"q": query}),
        "admin_changelist": (users["superuser"], url("admin:courses_learner_changelist"), {"q": query}),
        "learner_search": (school_user, url("courses:learner_list", school_code=big.code), {"q": query}),
        "admin_changelist_school_search": (users["superuser"], url("admin:courses_learner_changelist"),
                                           {**in_school, "q": query}),
        # the commonest family name (~38 % of the people) and the whole list: the widest cases
        "learner_search_common": (school_user, url("courses:learner_list", school_code=big.code), {"q": "nguyen"}),
        "admin_changelist_school_search_common": (users["superuser"], url("admin:courses_learner_changelist"),
                                                  {**in_school, "q": "nguyen"}),
        "learner_list": (school_user, url("courses:learner_list", school_code=big.code), {}),
        "admin_changelist_school": (users["superuser"], url("admin:courses_learner_changelist"), in_school),
        "admin_changelist_plain": (users["superuser"], url("admin:courses_learner_changelist"), {}),
        "class_list": (school_user, url("courses:class_list", school_code=big.code), {}),
        "console": (users["academy"], url("compliance:console"), {}),
        "staff_list": (school_user, url("schools:staff_list", school_code=big.code), {}),
    }
    return targets


def measure_pages(users) -> None:
    from django.test import Client

    for name, (user, url, params) in page_targets(users).items():
        if url is None:
            figure(f"{name}_p95_ms", "n/a", "the page has not landed on main")
            continue
        client = Client()
        client.force_login(user)
        for _ in range(3):  # warm-up (connections, caches, translations)
            response = client.get(url, params)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
        samples = []
        budget = time.monotonic() + 60  # a slow page gets at least 10 requests, then a minute at most
        for _ in range(PAGE_REQUESTS):
            if len(samples) >= 10 and time.monotonic() > budget:
                break
            started = time.perf_counter()
            response = client.get(url, params)
            samples.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
        figure(f"{name}_p95_ms", round(p95(samples), 1))
        say(f"{name}: p50 {statistics.median(samples):.1f} ms, p95 {p95(samples):.1f} ms, "
            f"{len(samples)} requests ({url} {params or ''})")


# --- HTTP load ---------------------------------------------------------------------------------
def measure_http(users) -> None:
    from bench import load

    result = load.run(users, seconds=HTTP_SECONDS, n_users=HTTP_USERS, say=say)
    figure("http_rps", round(result["rps"], 1))
    figure("http_p95_ms", round(result["p95_ms"], 1))
    figure("http_errors", result["errors"])
    figure("http_requests", result["requests"])


# --- results -----------------------------------------------------------------------------------
def machine() -> dict:
    import django
    import openpyxl

    info = {"cores": os.cpu_count(), "python": platform.python_version(), "django": django.get_version(),
            "openpyxl": openpyxl.__version__}
    try:
        from importlib.metadata import version

        info["python-calamine"] = version("python-calamine")
    except ImportError:
        info["python-calamine"] = "not installed"
    try:
        import xlsxwriter

        info["xlsxwriter"] = xlsxwriter.__version__
    except ImportError:
        info["xlsxwriter"] = "not installed"
    try:
        import import_export

        info["django-import-export"] = import_export.__version__
    except ImportError:
        info["django-import-export"] = "not installed"
    with open("/proc/meminfo") as fh:
        info["ram_gb"] = round(int(fh.readline().split()[1]) / 1024 / 1024, 1)
    with open("/proc/cpuinfo") as fh:
        info["cpu"] = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "?")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        info["postgres"] = cursor.fetchone()[0]
    return info


def _make_wall() -> str:
    """`make bench` passes the time it started (before creating the virtual environment on a fresh clone)."""
    started = os.environ.get("BENCH_MAKE_STARTED")
    if not started or not started.isdigit():
        return ""
    return f"; {(time.time() - int(started)) / 60:.1f} min since `make bench` started, virtual environment included"


def write_results(info: dict, counts: dict, total_seconds: float, partial: bool = False) -> None:
    from bench.notes import FIXES, FIXES_SOURCE, GOALS, OPEN

    lines = [
        "# Benchmark results",
        "",
        f"Run on {datetime.datetime.now(datetime.UTC):%d/%m/%Y %H:%M} UTC by `make bench` "
        f"({total_seconds / 60:.1f} min in all, data generation included when it ran{_make_wall()})."
        + (" **Partial: written after a step, the run had not finished.**" if partial else ""),
        "",
        "## Machine and versions",
        "",
        f"- CPU: {info['cpu']}, {info['cores']} cores, {info['ram_gb']} GB RAM; load average "
        f"{LOAD_AT_START:.1f} at the start and {os.getloadavg()[0]:.1f} at the end (1-minute averages) (every comparison is a ratio "
        "measured in the same run, each figure a median or a p95 of several)",
        f"- Python {info['python']}, Django {info['django']}, PostgreSQL {info['postgres']}, "
        f"openpyxl {info['openpyxl']}, XlsxWriter {info['xlsxwriter']}, "
        f"django-import-export {info['django-import-export']}, python-calamine {info['python-calamine']}",
        "",
        "## Data",
        "",
        f"- `generate_synthetic --years {YEARS} --enrollments-per-year {PER_YEAR} --seed {SEED} --end-year {END_YEAR}`: "
        f"{counts['classes']:,} classes, {counts['learners']:,} learners, {counts['enrollments']:,} enrollments",
        "",
        "## Figures",
        "",
        "| figure | value | goal | met |",
        "| --- | --- | --- | --- |",
    ]
    for name, value in FIGURES.items():
        goal, check = GOALS.get(name, ("", None))
        met = ""
        if check is not None:
            met = "n/a" if not isinstance(value, int | float) else ("yes" if check(value, FIGURES) else "**no**")
        note = f" — {NOTES[name]}" if name in NOTES else ""
        lines.append(f"| `{name}` | {value}{note} | {goal} | {met} |")
    lines += ["", "## Fixes (before → after): historical notes", "", FIXES_SOURCE, "", *FIXES, "", "## Goals not met, figures not measured", "", *OPEN, ""]
    (ROOT / "bench" / "results.md").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    started = time.monotonic()
    ensure_database()
    setup_django()
    counts = ensure_data()
    users = ensure_users()
    steps = [("import", lambda: measure_import(users)), ("pages", lambda: measure_pages(users)),
             ("http", lambda: measure_http(users)), ("report", measure_report)]
    only = os.environ.get("BENCH_ONLY")
    info = machine()
    for name, step in steps:
        if only and name not in only.split(","):
            continue
        say(f"--- {name}")
        try:
            step()
        except Exception as exc:  # one failing step must not lose the others' figures
            say(f"{name} failed: {exc!r}")
            figure(f"{name}_failed", "error", repr(exc)[:300])
        # results.md so far after every step: an interrupted run still leaves what it measured
        write_results(info, counts, time.monotonic() - started, partial=True)
    saved = ROOT / "var" / "bench-figures.json"
    if only and saved.exists():  # a partial run keeps the other figures of the last full one
        earlier = json.loads(saved.read_text())
        for name, value in earlier["figures"].items():
            if name.endswith("_failed") and name.removesuffix("_failed") in only.split(","):
                continue  # the step ran again in this run: its earlier failure is not this run's
            FIGURES.setdefault(name, value)
            if name in earlier["notes"]:
                NOTES.setdefault(name, earlier["notes"][name])
    saved.parent.mkdir(exist_ok=True)
    saved.write_text(json.dumps({"figures": FIGURES, "notes": NOTES}))
    info = machine()
    total = time.monotonic() - started
    figure("bench_total_minutes", round(total / 60, 1))
    if "generate_synthetic_seconds" in NOTES:  # the data was made by an earlier run
        figure("bench_from_empty_database_minutes", round((total + FIGURES["generate_synthetic_seconds"]) / 60, 1),
               "this run plus the earlier data generation")
    write_results(info, counts, total)
    print()
    for name, value in FIGURES.items():
        print(f"{name}: {value}")


if __name__ == "__main__":
    main()
