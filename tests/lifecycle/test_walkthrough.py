"""The README's walk-through is a script that works: its ``sh`` blocks, pasted in order into
one bash shell against the live gateway, take a Urumqi demand from round to settlement."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def walkthrough_script() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Walk-through\n", 1)[1].split("\n## ", 1)[0]
    return "\n".join(re.findall(r"```sh\n(.*?)```", section, flags=re.S))


@pytest.mark.skipif(not (shutil.which("curl") and shutil.which("jq")), reason="needs curl, jq")
def test_readme_walkthrough_runs_against_the_gateway(live: Any, tmp_path: Path) -> None:
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", walkthrough_script()],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,  # the report page it saves lands here, not in the repository
        env={**os.environ, "GW": live.gateway_url, "PY": sys.executable, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    out = done.stdout
    assert '"subsidy_cap": "3200000.00"' in out
    assert '"recomputed_subsidy": "3200000.00"' in out and '"remaining": "1600000.00"' in out
    assert re.search(r'"paid": "3200000.00",\s*"outstanding": "0.00",\s*"status": "settled"', out)
    assert out.rstrip().endswith("true")  # the ledger's hash chain verifies
    # The uploaded feasibility plan came back byte for byte, its Chinese name intact.
    assert "same bytes" in out
    assert "filename*=UTF-8''" + quote("可行性方案.pdf") in out
    page = (tmp_path / "round-report.html").read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html") and "深井钻机齿轮箱" in page
