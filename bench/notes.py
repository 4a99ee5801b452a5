"""Goals of issue 8 for each figure, and the before/after record of the fixes the figures led to."""

GOALS = {
    "report_vs_raw_writer_ratio": ("≤ 1.25", lambda v, f: v <= 1.25),
    "report_peak_rss_mb": ("< 150", lambda v, f: v < 150),
    "import_speedup_vs_django_import_export": ("≥ 5", lambda v, f: v >= 5),
    "learner_search_p95_ms": ("< 100 and < admin", lambda v, f: v < 100 and _below_admin(v, f)),
    "class_list_p95_ms": ("< 100 and < admin", lambda v, f: v < 100 and _below_admin(v, f)),
    "console_p95_ms": ("< 100 and < admin", lambda v, f: v < 100 and _below_admin(v, f)),
    "http_errors": ("0", lambda v, f: v == 0),
    "bench_total_minutes": ("< 45 (fresh clone)", lambda v, f: v < 45),
    "bench_from_empty_database_minutes": ("< 45", lambda v, f: v < 45),
}


def _below_admin(value, figures) -> bool:
    admin = figures.get("admin_changelist_p95_ms")
    return not isinstance(admin, int | float) or value < admin


# Markdown lines for bench/results.md: what the figures showed and what changed.
FIXES = [
    "None yet.",
]
