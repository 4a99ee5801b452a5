"""bench/peak.py reports the peak memory of the script it runs, not of the process that started it."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def peak_mb(tmp_path, code: str) -> float:
    script = tmp_path / "script.py"
    script.write_text(code)
    out = subprocess.run([sys.executable, "bench/peak.py", str(script)], cwd=ROOT, capture_output=True, text=True,  # noqa: S603
                         check=True).stdout
    assert out.splitlines()[-1].startswith("peak_rss_kb: ")
    return int(out.splitlines()[-1].split()[-1]) / 1024


def test_a_big_parent_does_not_make_its_child_look_big(tmp_path):
    ballast = b"x" * (300 * 1024 * 1024)  # resident in this (parent) process
    assert peak_mb(tmp_path, "print('small')") < 100
    assert len(ballast) and peak_mb(tmp_path, "data = b'y' * (200 * 1024 * 1024)") >= 200
