"""Production mode: `check --deploy` is clean, and a secret is required from the environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CHECK = (
    "import django; django.setup(); from django.core.management import call_command; "
    "call_command('check', deploy=True, fail_level='WARNING')"
)


def run_check(**env):
    environment = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", CHECK], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_no_issue_in_production_mode():
    result = run_check(
        DEBUG="0", SECRET_KEY="k7#Qp2!vZx9@Lm4$Rt8^Wn1&Hs6*Jd3(Fb5)Gc0-Ye2+Ua7=Io9", ALLOWED_HOSTS="daotao.example.vn"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_check_deploy_flags_development_settings():
    """The same check run with the development defaults finds the problems (the test can fail)."""
    result = run_check(DEBUG="1")
    assert result.returncode != 0
    assert "security.W018" in result.stderr  # DEBUG on


def test_production_mode_refuses_to_start_without_a_secret():
    result = run_check(DEBUG="0", ALLOWED_HOSTS="daotao.example.vn")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_steps_and_compose_start_the_beat_process():
    """Without Celery beat a report whose worker died is never noticed (issue 13 item 6)."""
    import re

    from django.conf import settings

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    production = readme[readme.index("### Running in production mode"):]
    steps = production[production.index("```sh"):production.index("```", production.index("```sh") + 5)]
    assert re.search(r"^celery -A config worker\b", steps, re.M)
    assert re.search(r"^celery -A config beat\b", steps, re.M)
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert re.search(r"command: celery -A config beat\b", compose)
    assert re.search(r"command: celery -A config worker\b", compose)
    sweep = settings.CELERY_BEAT_SCHEDULE["reports-sweep-stale-jobs"]
    # noticed within 2 minutes: heartbeat timeout + one sweep interval
    assert settings.REPORT_HEARTBEAT_TIMEOUT_SECONDS + sweep["schedule"] <= 120
    assert settings.REPORT_HEARTBEAT_SECONDS * 3 <= settings.REPORT_HEARTBEAT_TIMEOUT_SECONDS
