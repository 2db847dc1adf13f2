"""What policy makes public is readable with no token: the published list (URC 一(一),
HZ 三(二)) and publicity notices (URC 二(五), HZ 三(五)); nothing private ever appears there."""

import json
from typing import Any

import httpx

from tests.review.conftest import REVIEW_TIME, Lifecycle, ok, urumqi_public

# Fields that exist only for signed-in users (ids of internal objects, flags, hand-offs).
PRIVATE = {"demand_id", "owner_org_id", "over_quota", "results_public", "results_public_at"}


def _keys(node: Any) -> set[str]:
    if isinstance(node, dict):
        return set(node) | {k for v in node.values() for k in _keys(v)}
    if isinstance(node, list):
        return {k for v in node for k in _keys(v)}
    return set()


async def test_the_public_reads_challenges_and_notices_without_a_token(urc: Lifecycle) -> None:
    facts = await urumqi_public(urc)
    cid = facts["challenge"]["id"]
    api: httpx.AsyncClient = urc.api

    listed = await api.get("/api/v1/challenges", params={"city": "urumqi", "limit": 200})
    assert listed.status_code == 200, listed.text
    assert listed.headers["cache-control"] == "public, max-age=60"
    [mine] = [c for c in listed.json()["items"] if c["id"] == cid]
    assert mine["title"] == facts["challenge"]["title"] and mine["owner_name"]
    one = ok(await api.get(f"/api/v1/challenges/{cid}"))
    for body in (listed.json(), one):
        assert not PRIVATE & _keys(body), PRIVATE & _keys(body)
        assert "owner_org_id" not in json.dumps(body)
    other_city = ok(await api.get("/api/v1/challenges", params={"city": "huzhou", "limit": 200}))
    assert cid not in {c["id"] for c in other_city["items"]}

    signed_in = ok(await api.get(f"/api/v1/challenges/{cid}", headers=urc.bureau))
    assert set(signed_in) >= PRIVATE  # with a token, the same path answers as before
    private = await api.get(f"/api/v1/challenges/{cid}", headers=urc.bureau)
    assert private.headers["cache-control"] == "no-store"

    during = REVIEW_TIME  # the platform's clock inside the publicity period
    notices = ok(await api.get("/api/v1/notices", params={"challenge_id": cid}, headers=during))
    [notice] = notices["items"]
    assert notice["subject"] == facts["challenge"]["title"]
    assert notice["status"] == "open" and notice["opens_at"].endswith("+08:00")
    assert notice["clause"] and "POST /api/v1/objections" in notice["how_to_object"]
    assert "异议" in notice["how_to_object_zh"]
    winner = next(i for i in notice["items"] if i["winner"])
    assert winner["organization"] and winner["total"] == "80.00"
    assert not {"application_id", "lead_org_id"} & _keys(notice)
    assert ok(await api.get(f"/api/v1/notices/{notice['id']}", headers=during)) == notice
    after = ok(await api.get(f"/api/v1/notices/{notice['id']}"))  # read after its period
    assert after["status"] == "closed" and after["items"] == notice["items"]


async def test_a_bad_token_is_refused_not_treated_as_the_public(urc: Lifecycle) -> None:
    answer = await urc.api.get("/api/v1/challenges", headers={"Authorization": "Bearer junk"})
    assert answer.status_code == 401
    writes = await urc.api.post("/api/v1/challenges/00000000-0000-0000-0000-000000000000/x")
    assert writes.status_code == 401  # only reads are public
