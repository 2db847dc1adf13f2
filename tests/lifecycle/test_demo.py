"""`make demo` against a running gateway: it fills both cities and prints the summary table."""

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_demo_fills_a_running_gateway_and_prints_the_table(live: Any) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "demo.py"), "--gateway", live.gateway_url],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("city"))
    assert lines[header].split() == [
        "city",
        "demands",
        "challenges",
        "applications",
        "winners",
        "subsidy",
        "paid",
        "claw-backs",
    ]
    rows = {line.split()[0]: line.split() for line in lines[header + 2 : header + 4]}
    assert rows["huzhou"][1:6] == ["2", "2", "6", "2", "4,700,000.00"]
    assert rows["urumqi"][1:6] == ["3", "3", "4", "4", "7,000,000.00"]
    assert rows["huzhou"][6:] == ["1", "(750,000.00)"]
    assert f"{live.gateway_url}/docs" in done.stdout and "round report" in done.stdout
