"""The money flow end to end through the real gateway: review approves a project (which creates
the plan over REST), tranche 1 is paid, review reports the acceptance, the bureau settles, and
tranche 2 is paid. Uses review's lifecycle helpers to reach the approval."""

from decimal import Decimal

import httpx

from common.money import to_fen
from tests.conftest import Auth
from tests.finance.conftest import key
from tests.review.conftest import Lifecycle, ok
from tests.review.test_flow_huzhou import approved_winner


async def _pay(api: httpx.AsyncClient, auth: Auth, pid: str, seq: int) -> dict[str, str]:
    requested = ok(
        await api.post(
            "/api/v1/disbursements",
            json={"project_id": pid, "tranche_seq": seq},
            headers={**auth("bureau", sub="bureau-maker"), **key()},
        ),
        201,
    )
    if requested["status"] == "pending_approval":
        requested = ok(
            await api.post(
                f"/api/v1/disbursements/{requested['id']}/approve",
                headers=auth("bureau", sub="bureau-checker"),
            )
        )
    assert requested["status"] == "paid"
    return dict(requested)


async def test_huzhou_approval_to_second_tranche(api: httpx.AsyncClient, auth: Auth) -> None:
    hz = Lifecycle(api, auth)
    s, pid = await approved_winner(hz)
    plan = ok(await api.get(f"/api/v1/funding/{pid}", headers=auth("bureau")))
    cap = Decimal(plan["subsidy_cap"])
    assert cap > 0 and "HZ 二" in plan["formula"]["clauses"]
    assert Decimal(plan["tranches"][0]["amount"]) == to_fen(Decimal("0.30") * cap)
    solver = auth("solver", org_id=s["leads"][1])
    assert ok(await api.get(f"/api/v1/funding/{pid}", headers=solver))["project_id"] == pid

    first = await _pay(api, auth, pid, 1)
    ok(
        await api.post(
            f"/api/v1/projects/{pid}/acceptance",
            headers=hz.bureau,
            json={
                "outcome": "passed",
                "audited_total_investment": plan_total(plan),
                "opinion": "通过",
                "documents": await hz.files("acceptance_opinion", "audit_report"),
            },
        )
    )
    settled = ok(
        await api.post(
            "/api/v1/settlements",
            json={"project_id": pid},
            headers={**auth("bureau", sub="bureau-maker"), **key()},
        ),
        201,
    )
    remaining = Decimal(settled["remaining"])
    assert Decimal(settled["recomputed_subsidy"]) == cap
    assert remaining == cap - Decimal(first["amount"]) and settled["clawback"] is None
    second = await _pay(api, auth, pid, 2)
    assert Decimal(second["amount"]) == remaining
    final = ok(await api.get(f"/api/v1/funding/{pid}", headers=auth("auditor")))
    assert Decimal(final["paid"]) == cap and final["outstanding"] == "0.00"
    assert ok(await api.get("/api/v1/ledger/verify", headers=auth("auditor")))["ok"] is True


def plan_total(plan: dict[str, str | object]) -> str:
    """An audited total large enough that 25 % of it is above the cap: the full cap is due."""
    return f"{Decimal(str(plan['subsidy_cap'])) * 4:.2f}"
