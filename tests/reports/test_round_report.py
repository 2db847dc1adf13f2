"""The round report: ranked results and money per challenge as JSON, CSV and an HTML page that a
real headless browser renders offline, charts with data and Chinese text in a CJK font."""

import asyncio
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from tests.conftest import Auth
from tests.finance.test_flow_through_review import _pay
from tests.review.conftest import Lifecycle, ok
from tests.review.test_flow_huzhou import approved_winner


async def _approved_and_paid(api: httpx.AsyncClient, auth: Auth) -> dict[str, str]:
    s, pid = await approved_winner(Lifecycle(api, auth))
    paid = await _pay(api, auth, pid, 1)
    plan = ok(await api.get(f"/api/v1/funding/{pid}", headers=auth("bureau")))
    return {
        "round_id": s["challenge"]["round_id"],
        "challenge_id": s["challenge"]["id"],
        "cap": plan["subsidy_cap"],
        "paid": paid["amount"],
    }


async def test_report_json_csv_and_access(api: httpx.AsyncClient, auth: Auth) -> None:
    facts = await _approved_and_paid(api, auth)
    path = f"/api/v1/reports/rounds/{facts['round_id']}"
    report = ok(await api.get(path, headers=auth("auditor")))
    (challenge,) = [c for c in report["challenges"] if c["challenge_id"] == facts["challenge_id"]]
    assert challenge["money"] == {
        "committed": facts["cap"],
        "paid": facts["paid"],
        "clawed_back": "0.00",
    }
    assert Decimal(facts["paid"]) > 0
    ranks = [r["rank"] for r in challenge["results"]]
    assert ranks == sorted(ranks) and len(ranks) == 2
    assert [r["winner"] for r in challenge["results"]].count(True) == 1
    for line in challenge["results"]:  # each application's stored files, with download links
        assert {d["kind"] for d in line["documents"]} == {
            "application_form",
            "consortium_plan",
            "consortium_agreement",
            "credit_commitment",
        }
        for d in line["documents"]:
            assert re.fullmatch(r"/api/v1/documents/[0-9a-f-]{36}/content", d["download_url"])
    page = await api.get(path, params={"format": "html"}, headers=auth("auditor"))
    assert page.text.count('<a href="/api/v1/documents/') == 8
    assert report["bands"] == ["priority", "recommended", "optional", "eliminated"]

    csv = await api.get(path, params={"format": "csv"}, headers=auth("bureau"))
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.content.startswith("\ufeff".encode())
    assert facts["challenge_id"] in csv.text and facts["paid"] in csv.text

    for role in ("solver", "demand_owner", "expert"):
        assert (await api.get(path, headers=auth(role))).status_code == 403
    other_city = await api.get(path, headers=auth("bureau", city="urumqi"))
    assert other_city.status_code == 404 or all(
        c["challenge_id"] != facts["challenge_id"] for c in other_city.json()["challenges"]
    )


def _chromium(*args: str) -> str:
    """Run Debian's chromium headless (as root it needs --no-sandbox) and return its stdout."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        pytest.fail("chromium is missing: `make test` installs it (scripts/ensure_packages.sh)")
    done = subprocess.run(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", *args],
        capture_output=True,
        text=True,
        timeout=90,
        check=True,
    )
    return done.stdout


async def test_html_page_renders_offline_in_a_real_browser(
    api: httpx.AsyncClient, auth: Auth, tmp_path: Path
) -> None:
    facts = await _approved_and_paid(api, auth)
    response = await api.get(
        f"/api/v1/reports/rounds/{facts['round_id']}",
        params={"format": "html"},
        headers=auth("bureau"),
    )
    assert response.status_code == 200
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert not re.search(r"(src|href)=\"https?://", response.text), "no external resources"
    page = tmp_path / "report.html"
    page.write_text(response.text, encoding="utf-8")
    dom = await asyncio.to_thread(
        _chromium, "--dump-dom", "--virtual-time-budget=3000", page.as_uri()
    )
    body = re.search(r"<body([^>]*)>", dom)
    assert body, dom[:500]
    attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', body.group(1)))
    assert attrs.get("data-rendered") == "yes"
    assert int(attrs["data-points"]) >= 2  # one dot per scored application
    assert int(attrs["data-bars"]) >= 3  # committed, paid, clawed back
    assert attrs.get("data-cjk-font") == "yes", "Chinese text needs a CJK font"
    assert "揭榜挂帅" in dom
    shot = tmp_path / "report.png"
    await asyncio.to_thread(
        _chromium, f"--screenshot={shot}", "--window-size=1000,900", page.as_uri()
    )
    assert shot.stat().st_size > 10_000
