"""``/docs`` and ``/redoc`` work with no network: a real browser, with every host but the
gateway unresolvable, renders the operations from assets the gateway serves itself."""

import re
import shutil
import subprocess
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.e2e
BUDGET = ("--virtual-time-budget=20000", "--dump-dom")
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


def _dom(url: str) -> str:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        pytest.fail("chromium is missing: `make test` installs it (scripts/ensure_packages.sh)")
    done = subprocess.run(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", OFFLINE, *BUDGET, url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_doc_pages_load_nothing_from_outside(live: Any, page: str) -> None:
    html = httpx.get(live.gateway_url + page, timeout=30).text
    assert not re.search(r"(src|href)=[\"']https?://", html), html


def test_swagger_ui_lists_the_operations_offline(live: Any) -> None:
    dom = _dom(live.gateway_url + "/docs")
    paths = set(re.findall(r'data-path="([^"]+)"', dom))
    assert "/api/v1/demands/{demand_id}/submit" in paths, dom[:2000]
    assert "/healthz" in paths
    assert len(paths) >= 50


def test_redoc_renders_the_operations_offline(live: Any) -> None:
    dom = _dom(live.gateway_url + "/redoc")
    assert "Submit a demand for vetting" in dom, dom[:2000]
    assert "Publicity" in dom or "publicity" in dom
