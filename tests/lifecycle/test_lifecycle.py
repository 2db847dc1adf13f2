"""Both cities' complete lifecycle through the real gateway processes (``scripts.scenario``).

The scenario records every status the API reported along the way; these tests check those
transitions, then read the money back from finance (funding plans, ledger balances,
claw-backs) and compare it with DOMAIN.md §5 to the fen. The expected figures are written out
here from the policy texts, not taken from the code.
"""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from common.rulesets.registry import RuleSetRegistry
from scripts import scenario
from scripts.scenario import CitySummary, User

pytestmark = pytest.mark.e2e
RULES = RuleSetRegistry.load(Path(__file__).resolve().parents[2] / "rulesets")


@pytest.fixture(scope="module")
async def client(live: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live.gateway_url, timeout=120) as c:
        yield c


@pytest.fixture(scope="module")
async def runs(client: httpx.AsyncClient) -> dict[str, tuple[CitySummary, scenario.Gateway]]:
    """Each city once; an auditor of the city (a fresh identity) reads the results back."""
    out = {}
    for city in ("huzhou", "urumqi"):
        summary = await scenario.run_city(client, city)
        reader = scenario.Gateway(client, city)
        out[city] = (summary, reader)
    return out


async def read(reader: scenario.Gateway, path: str, **params: Any) -> Any:
    return await reader.call(reader.auditor, "GET", path, params=params or None)


async def balances(reader: scenario.Gateway, project_id: str) -> dict[str, str]:
    rows = await read(reader, "/ledger/balances", project_id=project_id)
    return {r["account"].split(":")[-1]: r["balance"] for r in rows["items"]}


# ---------------------------------------------------------------------------------- Huzhou


async def test_huzhou_counts(runs: Any) -> None:
    s, _ = runs["huzhou"]
    assert (s.demands, s.challenges, s.applications, s.winners) == (2, 2, 6, 2)
    assert (s.clawbacks, f"{s.clawed_back}") == (1, "750000.00")
    assert f"{s.subsidy_paid}" == "4700000.00"  # 1,500,000 + 1,700,000 + 1,500,000
    assert len(s.round_ids) == 1 and set(s.project_ids) == {"worked_example", "failed"}


async def test_huzhou_state_transitions(runs: Any) -> None:
    h = runs["huzhou"][0].history
    for demand in ("antibody", "composite"):
        assert h[f"demand:{demand}"] == ["draft", "submitted", "published"]
    for app in ("priority", "recommended", "optional", "eliminated", "county", "composite"):
        assert h[f"app:{app}"] == ["draft", "submitted"]
    assert h["panel:meeting_review"] == h["panel:onsite_defense"] == ["open", "closed"]
    assert h["results:antibody"] == h["results:composite"] == ["reviewing", "public"]
    assert h["objection"] == ["open", "answered", "dismissed"]
    assert h["change:extension"] == ["pending", "approved"]
    for project in ("worked_example", "failed"):
        assert h[f"decision:{project}"] == ["approved"]
        assert h[f"project:{project}"] == [
            "active",
            "accepted" if project == "worked_example" else "failed",
        ]
        assert h[f"funding:{project}"] == ["active", "accepted", "settled"]
        assert h[f"tranche:{project}:1"] == ["due", "paid"]
        assert h[f"disbursement:{project}:1"] == ["pending_approval", "paid"]  # four eyes
    assert h["tranche:worked_example:2"] == ["planned", "due", "paid"]
    assert h["disbursement:worked_example:2"] == ["pending_approval", "paid"]
    assert h["tranche:failed:2"] == ["planned", "cancelled"]
    assert h["clawback:failed"] == ["open", "settled"]
    # HZ 三(四)4–5, 三(五): joint review, the meeting (拟立项), publicity, then the contract
    for winner in ("priority", "composite"):
        assert h[f"proposal:{winner}"] == ["joint_review_passed", "proposed"]
    assert h["contract:worked_example"] == h["contract:failed"] == ["signed"]


async def test_huzhou_bands_with_county_relaxation(runs: Any) -> None:
    """HZ 三(四)3: ≥ 90 priority, 85–90 recommended, 80–85 optional, < 80 eliminated; an Anji
    project at 77 is relaxed into optional."""
    s, reader = runs["huzhou"]
    assert s.bands == {
        "priority": "priority",
        "recommended": "recommended",
        "optional": "optional",
        "eliminated": "eliminated",
        "county": "optional",
        "composite": "recommended",
    }
    results = await reader.call(
        reader.bureau, "GET", "/results", params={"challenge_id": s.ids["challenge:antibody"]}
    )
    by_id = {r["application_id"]: r for r in results["items"]}
    assert by_id[s.ids["app:priority"]]["winner"] and by_id[s.ids["app:priority"]]["rank"] == 1
    assert sum(r["winner"] for r in results["items"]) == 1
    assert by_id[s.ids["app:county"]]["qualified"] is True
    assert by_id[s.ids["app:eliminated"]]["qualified"] is False
    assert by_id[s.ids["app:priority"]]["total"] == "92.00"
    assert set(by_id[s.ids["app:priority"]]["stage_scores"]) == {"meeting_review", "onsite_defense"}


async def test_huzhou_worked_example_to_the_fen(runs: Any) -> None:
    """DOMAIN.md §5: cap min(25 % × 20,000,000, 6,000,000) = 5,000,000; tranche 1 30 % =
    1,500,000; audited 16,000,000 at 80 % → 3,200,000; tranche 2 = 1,700,000."""
    s, reader = runs["huzhou"]
    pid = s.project_ids["worked_example"]
    plan = await read(reader, f"/funding/{pid}")
    assert plan["subsidy_cap"] == "5000000.00"
    assert [(t["seq"], t["amount"], t["status"]) for t in plan["tranches"]] == [
        (1, "1500000.00", "paid"),
        (2, "1700000.00", "paid"),
    ]
    assert plan["recomputed_subsidy"] == "3200000.00"
    assert (plan["paid"], plan["outstanding"], plan["status"]) == ("3200000.00", "0.00", "settled")
    assert plan["acceptance"]["outcome"] == "shortfall"
    assert plan["acceptance"]["audited_total_investment"] == "16000000.00"
    assert "HZ 二" in plan["formula"]["clauses"]
    assert s.amounts["worked_example:remaining"] == "1700000.00"
    assert await balances(reader, pid) == {
        "subsidy_budget": "-3200000.00",
        "solver_paid": "3200000.00",
    }
    project = await reader.call(reader.bureau, "GET", f"/projects/{pid}")
    assert project["status"] == "accepted" and project["extension_months"] == 6
    assert await read(reader, "/clawbacks", project_id=pid) == {"items": [], "next_cursor": None}


async def test_huzhou_failed_project_is_clawed_back(runs: Any) -> None:
    """HZ 三(八): failed → no second tranche; unused 600,000 + non-compliant 150,000 back."""
    s, reader = runs["huzhou"]
    pid = s.project_ids["failed"]
    plan = await read(reader, f"/funding/{pid}")
    assert [(t["seq"], t["amount"], t["status"]) for t in plan["tranches"]] == [
        (1, "1500000.00", "paid"),
        (2, "0.00", "cancelled"),
    ]
    assert (plan["recomputed_subsidy"], plan["status"]) == ("0.00", "settled")
    [clawback] = (await read(reader, "/clawbacks", project_id=pid))["items"]
    assert (clawback["amount"], clawback["repaid"], clawback["status"]) == (
        "750000.00",
        "750000.00",
        "settled",
    )
    assert clawback["unused_amount"] == "600000.00"
    assert clawback["noncompliant_amount"] == "150000.00"
    assert clawback["clause"] == "HZ 三(八)"
    assert await balances(reader, pid) == {
        "subsidy_budget": "-750000.00",
        "solver_paid": "750000.00",
        "clawback_receivable": "0.00",
    }


async def test_huzhou_ledger_chain_holds(runs: Any) -> None:
    _, reader = runs["huzhou"]
    assert (await read(reader, "/ledger/verify"))["ok"] is True


# ---------------------------------------------------------------------------------- Urumqi


async def test_urumqi_counts(runs: Any) -> None:
    s, _ = runs["urumqi"]
    assert (s.demands, s.challenges, s.applications, s.winners) == (3, 3, 4, 4)
    assert (s.clawbacks, f"{s.clawed_back}") == (0, "0.00")
    # three racers' first tranches, the transfer's first tranche, racer 1's second
    assert f"{s.subsidy_paid}" == "7000000.00"
    assert set(s.project_ids) == {"racer_1", "racer_2", "racer_3", "transfer"}


async def test_urumqi_state_transitions(runs: Any) -> None:
    h = runs["urumqi"][0].history
    for demand in ("drill", "vaccine", "storage"):
        assert h[f"demand:{demand}"] == ["draft", "submitted", "published"]
    for app in ("racer_1", "racer_2", "racer_3", "transfer"):
        assert h[f"app:{app}"] == ["draft", "submitted"]
        assert h[f"decision:{app}"] == ["approved"]
        assert h[f"tranche:{app}:1"] == ["due", "paid"]
    assert h["panel:plan_review"] == ["open", "closed"]
    assert h["results:drill"] == h["results:vaccine"] == ["reviewing", "public"]
    assert h["project:racer_1"] == ["active", "accepted"]
    assert h["funding:racer_1"] == ["active", "accepted", "settled"]
    assert h["tranche:racer_1:2"] == ["planned", "due", "paid"]
    for racer in ("racer_2", "racer_3", "transfer"):
        assert h[f"project:{racer}"] == ["active"] and h[f"funding:{racer}"] == ["active"]
        assert h[f"tranche:{racer}:2"] == ["planned"]
    threshold = RULES.get("urumqi").funding.four_eyes_threshold
    assert 600_000 < threshold <= 1_600_000
    assert h["disbursement:racer_1:1"] == ["pending_approval", "paid"]  # 1,600,000: four eyes
    assert h["disbursement:transfer:1"] == ["paid"]  # 600,000: below the threshold
    # URC 三(四): every project's owner signed the responsibility letter before it started
    assert all(h[f"owner_duties:{p}"] == ["signed"] for p in ("racer_1", "racer_2", "transfer"))


async def test_urumqi_horse_race_of_three_with_consent(runs: Any) -> None:
    s, reader = runs["urumqi"]
    results = await reader.call(
        reader.bureau, "GET", "/results", params={"challenge_id": s.ids["challenge:drill"]}
    )
    racers = {s.ids[f"app:racer_{i}"] for i in (1, 2, 3)}
    assert {r["application_id"] for r in results["items"] if r["winner"]} == racers
    assert len(results["horse_race"]["consents"]) == 3
    assert all(c["consent"] for c in results["horse_race"]["consents"])
    assert results["override_reason"] is None  # three is within URC 二(四) without override


async def test_urumqi_achievement_transfer_carries_its_opinion(runs: Any) -> None:
    s, reader = runs["urumqi"]
    demand = await reader.call(reader.bureau, "GET", f"/demands/{s.ids['demand:vaccine']}")
    assert demand["category"] == "achievement_transfer"
    assert demand["evaluation_opinion"]["issuer_kind"] == "university_tech_transfer_office"
    app = await reader.call(reader.bureau, "GET", f"/applications/{s.ids['app:transfer']}")
    assert {"feasibility_plan", "ip_agreement"} <= {d["kind"] for d in app["documents"]}


async def test_urumqi_forty_percent_subsidy_to_the_fen(runs: Any) -> None:
    """URC 二(六): 40 % of the bounty 8,000,000 = 3,200,000 (3,000,000 → 1,200,000)."""
    s, reader = runs["urumqi"]
    for racer in ("racer_1", "racer_2", "racer_3"):
        plan = await read(reader, f"/funding/{s.project_ids[racer]}")
        assert plan["subsidy_cap"] == "3200000.00"
        assert "URC 二(六)" in plan["formula"]["clauses"]
    settled = await read(reader, f"/funding/{s.project_ids['racer_1']}")
    assert [(t["amount"], t["status"]) for t in settled["tranches"]] == [
        ("1600000.00", "paid"),
        ("1600000.00", "paid"),
    ]
    assert (settled["recomputed_subsidy"], settled["paid"], settled["outstanding"]) == (
        "3200000.00",
        "3200000.00",
        "0.00",
    )
    racing = await read(reader, f"/funding/{s.project_ids['racer_2']}")
    assert (racing["paid"], racing["outstanding"]) == ("1600000.00", "1600000.00")
    transfer = await read(reader, f"/funding/{s.project_ids['transfer']}")
    assert (transfer["subsidy_cap"], transfer["paid"]) == ("1200000.00", "600000.00")
    assert await balances(reader, s.project_ids["racer_1"]) == {
        "subsidy_budget": "-3200000.00",
        "solver_paid": "3200000.00",
    }
    assert (await read(reader, "/ledger/verify"))["ok"] is True


async def test_cities_do_not_see_each_other(runs: Any) -> None:
    """Tenant isolation on the live stack: Urumqi's auditor gets 404 for a Huzhou plan."""
    hz, _ = runs["huzhou"]
    _, urc = runs["urumqi"]
    answer = await urc.client.get(
        f"/api/v1/funding/{hz.project_ids['worked_example']}",
        headers={"Authorization": f"Bearer {await urc.token(User('auditor', 'auditor-x'))}"},
    )
    assert answer.status_code == 404
