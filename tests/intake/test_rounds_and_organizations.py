"""Rounds (window limits, overrides) and organisations through the in-process gateway."""

from datetime import timedelta

import pytest

from tests.intake.conftest import T0, Flow, credit_code


def windows(collection_days: int, publication_days: int) -> dict[str, str]:
    pub_opens = T0 + timedelta(days=collection_days + 1)
    return {
        "collection_opens_at": T0.isoformat(),
        "collection_closes_at": (T0 + timedelta(days=collection_days)).isoformat(),
        "publication_opens_at": pub_opens.isoformat(),
        "publication_closes_at": (pub_opens + timedelta(days=publication_days)).isoformat(),
    }


@pytest.mark.parametrize(
    ("collection", "publication", "code", "clause"),
    [
        (29, 15, "ruleset.collection_window", "URC 二(一)"),
        (30, 14, "ruleset.publication_window", "URC 二(二)"),
    ],
)
async def test_urumqi_short_window_is_refused_without_override(
    urumqi: Flow, collection: int, publication: int, code: str, clause: str
) -> None:
    body = urumqi.round_body(**windows(collection, publication))
    response = await urumqi.api.post("/api/v1/rounds", json=body, headers=urumqi.bureau)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert (problem["code"], problem["clause"]) == (code, clause)
    assert problem["errors"][0]["detail_zh"]


async def test_urumqi_thirty_and_fifteen_days_pass(urumqi: Flow) -> None:
    round_ = await urumqi.round(**windows(30, 15))
    assert round_["overrides"] == [] and round_["override_reason"] is None


async def test_bureau_override_lifts_the_soft_window_and_is_shown(urumqi: Flow) -> None:
    body = urumqi.round_body(**windows(29, 14), override_reason="Spring festival, agreed 3 March")
    response = await urumqi.api.post("/api/v1/rounds", json=body, headers=urumqi.bureau)
    assert response.status_code == 201, response.text
    overrides = response.json()["overrides"]
    assert {o["code"] for o in overrides} == {
        "ruleset.collection_window",
        "ruleset.publication_window",
    }
    assert all(o["by"] == urumqi.bureau_sub and o["reason"].startswith("Spring") for o in overrides)
    again = await urumqi.api.get(f"/api/v1/rounds/{response.json()['id']}", headers=urumqi.bureau)
    assert again.json()["override_reason"] == "Spring festival, agreed 3 March"


async def test_blank_override_reason_does_not_lift_the_limit(urumqi: Flow) -> None:
    body = urumqi.round_body(**windows(29, 15), override_reason="   ")
    response = await urumqi.api.post("/api/v1/rounds", json=body, headers=urumqi.bureau)
    assert response.status_code == 422


async def test_huzhou_has_no_window_minimum(flow: Flow) -> None:
    assert (await flow.round(**windows(3, 2)))["overrides"] == []


async def test_round_fields_must_be_the_citys(flow: Flow) -> None:
    body = flow.round_body(fields_open=["biomedicine", "textiles_apparel"])  # an Urumqi field
    response = await flow.api.post("/api/v1/rounds", json=body, headers=flow.bureau)
    assert response.status_code == 422 and response.json()["code"] == "round.unknown_field"


async def test_round_windows_must_be_in_order(flow: Flow) -> None:
    body = flow.round_body(collection_closes_at=(T0 - timedelta(days=1)).isoformat())
    response = await flow.api.post("/api/v1/rounds", json=body, headers=flow.bureau)
    assert response.status_code == 422
    naive = flow.round_body(collection_opens_at="2025-03-01T09:00:00")
    assert (
        await flow.api.post("/api/v1/rounds", json=naive, headers=flow.bureau)
    ).status_code == 422


async def test_round_creation_is_audited(flow: Flow, apps) -> None:
    from sqlalchemy import text

    round_ = await flow.round()
    async with apps.services["intake"].state.sessionmaker() as session:
        rows = (
            await session.execute(
                text("SELECT action, actor FROM intake.audit_log WHERE entity_id = :id"),
                {"id": round_["id"]},
            )
        ).all()
    assert [tuple(r) for r in rows] == [("open", flow.bureau_sub)]


# organisations ------------------------------------------------------------------------------
async def test_invalid_credit_code_is_422(flow: Flow) -> None:
    body = {"name": "x", "credit_code": "91350100M000100Y44", "kind": "enterprise"}
    response = await flow.api.post("/api/v1/organizations", json=body, headers=flow.bureau)
    assert response.status_code == 422
    assert "credit_code" in str(response.json()["errors"][0]["loc"])


async def test_lower_case_code_is_normalised(flow: Flow) -> None:
    org = await flow.org(credit_code="91350100m000100y43")
    assert org["credit_code"] == "91350100M000100Y43"


async def test_duplicate_credit_code_in_the_city_is_409(flow: Flow) -> None:
    code = credit_code()
    await flow.org(credit_code=code)
    body = {"name": "again", "credit_code": code, "kind": "enterprise"}
    response = await flow.api.post("/api/v1/organizations", json=body, headers=flow.bureau)
    assert response.status_code == 409
    assert response.json()["code"] == "organization.duplicate_credit_code"


async def test_county_must_be_one_of_the_citys(flow: Flow) -> None:
    assert (await flow.org(county="anji"))["county"] == "anji"
    body = {"name": "x", "credit_code": credit_code(), "kind": "enterprise", "county": "tianhe"}
    response = await flow.api.post("/api/v1/organizations", json=body, headers=flow.bureau)
    assert response.status_code == 422 and response.json()["code"] == "organization.unknown_county"


async def test_affiliation_is_symmetric_and_follows_corrections(flow: Flow) -> None:
    a = await flow.org()
    b = await flow.org(affiliated_org_ids=[a["id"]])
    read_a = await flow.api.get(f"/api/v1/organizations/{a['id']}", headers=flow.bureau)
    assert read_a.json()["affiliated_org_ids"] == [b["id"]]
    patched = await flow.api.patch(
        f"/api/v1/organizations/{b['id']}", json={"affiliated_org_ids": []}, headers=flow.bureau
    )
    assert patched.status_code == 200 and patched.json()["affiliated_org_ids"] == []
    read_a = await flow.api.get(f"/api/v1/organizations/{a['id']}", headers=flow.bureau)
    assert read_a.json()["affiliated_org_ids"] == []


async def test_unknown_affiliate_is_422(flow: Flow) -> None:
    body = {
        "name": "x",
        "credit_code": credit_code(),
        "kind": "other",
        "affiliated_org_ids": ["00000000-0000-0000-0000-000000000001"],
    }
    response = await flow.api.post("/api/v1/organizations", json=body, headers=flow.bureau)
    assert response.status_code == 422


async def test_bureau_marks_an_owner_over_quota(flow: Flow) -> None:
    org = await flow.org()
    response = await flow.api.patch(
        f"/api/v1/organizations/{org['id']}", json={"over_quota": True}, headers=flow.bureau
    )
    assert response.status_code == 200 and response.json()["over_quota"] is True
    null = await flow.api.patch(
        f"/api/v1/organizations/{org['id']}", json={"over_quota": None}, headers=flow.bureau
    )
    assert null.status_code == 422


async def test_solver_reads_members_it_names_but_no_other_organisation(flow: Flow) -> None:
    challenge = await flow.challenge()
    lead, member, stranger = await flow.org(), await flow.org(), await flow.org()
    await flow.application(challenge["id"], lead["id"], member_org_ids=[member["id"]])
    solver = flow.solver(lead["id"])
    assert (
        await flow.api.get(f"/api/v1/organizations/{lead['id']}", headers=solver)
    ).status_code == 200
    assert (
        await flow.api.get(f"/api/v1/organizations/{member['id']}", headers=solver)
    ).status_code == 200
    assert (
        await flow.api.get(f"/api/v1/organizations/{stranger['id']}", headers=solver)
    ).status_code == 404
