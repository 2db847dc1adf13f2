"""The ledger export: every line of the caller's city in booking order, as streamed CSV
(UTF-8 with BOM, Chinese headers, amounts as exact strings), never another city's lines."""

import csv

import httpx

from tests.conftest import Auth
from tests.finance.conftest import PlanMaker
from tests.finance.test_money_flow import pay


async def test_ledger_csv_lists_the_city_lines_in_booking_order(
    api: httpx.AsyncClient, auth: Auth, make_plan: PlanMaker
) -> None:
    plan = await make_plan("urumqi", bounty_amount="2000000.00")
    await pay(api, auth, plan["project_id"], 1, city="urumqi")
    params = {"project_id": plan["project_id"]}
    auditor = auth("auditor", city="urumqi")
    response = await api.get("/api/v1/reports/ledger", params=params, headers=auditor)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(response.content.decode("utf-8-sig").splitlines()))
    entries = await api.get("/api/v1/ledger/entries", params=params, headers=auditor)
    expected = entries.json()["items"]
    assert {r["分录编号 id"]: r["金额(元) amount_cny"] for r in rows} == {
        e["id"]: e["amount"] for e in expected
    }
    seqs = [int(r["序号 seq"]) for r in rows]
    assert seqs == sorted(seqs)  # booking order
    assert sorted(r["金额(元) amount_cny"] for r in rows) == ["-400000.00", "400000.00"]
    other = await api.get(
        "/api/v1/reports/ledger", params=params, headers=auth("auditor", city="huzhou")
    )
    assert other.status_code == 200 and len(other.content.decode("utf-8-sig").splitlines()) == 1
