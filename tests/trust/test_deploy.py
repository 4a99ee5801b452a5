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
