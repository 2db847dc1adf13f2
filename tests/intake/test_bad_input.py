"""Malformed JSON, wrong types, huge strings, unknown enum values: always a 4xx problem."""

import uuid
from typing import Any

import pytest

from tests.intake.conftest import IN_COLLECTION, IN_PUBLICATION, Flow, clock
from tests.intake.world import build, callers

HUGE = "x" * 25_000
# (endpoint, method, path, caller, clock, bad JSON bodies for that endpoint)
ENDPOINTS: list[tuple[str, str, str, str, str | None, dict[str, Any]]] = [
    (
        "create_org",
        "POST",
        "/organizations",
        "bureau",
        None,
        {
            "wrong_type": {"name": 5, "credit_code": "91350100M000100Y43", "kind": "enterprise"},
            "huge": {"name": HUGE, "credit_code": "91350100M000100Y43", "kind": "enterprise"},
            "enum": {"name": "a", "credit_code": "91350100M000100Y43", "kind": "guild"},
            "float_money": {
                "name": "a",
                "credit_code": "91350100M000100Y43",
                "kind": "other",
                "revenue_last_year": 1.5,
            },
            "huge_county": {
                "name": "a",
                "credit_code": "91350100M000100Y43",
                "kind": "other",
                "county": HUGE,
            },
            "bad_uuid": {
                "name": "a",
                "credit_code": "91350100M000100Y43",
                "kind": "other",
                "affiliated_org_ids": ["not-a-uuid"],
            },
        },
    ),
    (
        "patch_org",
        "PATCH",
        "/organizations/{owner}",
        "bureau",
        None,
        {
            "wrong_type": {"over_quota": "maybe"},
            "huge": {"name": HUGE},
            "negative_money": {"revenue_last_year": "-1.00"},
            "unknown_field": {"city": "urumqi"},
        },
    ),
    (
        "create_round",
        "POST",
        "/rounds",
        "bureau",
        None,
        {
            "wrong_type": {"title": ["a"]},
            "huge": {"title": HUGE},
            "enum": {"fields_open": ["Bad Field!"]},
            "bad_date": {"collection_opens_at": "soon"},
            "huge_reason": {"override_reason": HUGE},
        },
    ),
    (
        "create_demand",
        "POST",
        "/demands",
        "owner",
        None,
        {
            "wrong_type": {"due_months": "two years"},
            "huge": {"problem": HUGE + HUGE},
            "enum": {"category": "moonshot"},
            "float_money": {"total_investment": 5000000.5},
            "three_decimals": {"total_investment": "5000000.001"},
            "too_large": {"total_investment": "9999999999999.00"},
            "indicator": {"core_indicators": [{"name": "a"}]},
            "opinion_kind": {"evaluation_opinion": {"issuer_kind": "A B", "issuer_name": "x"}},
        },
    ),
    (
        "patch_demand",
        "PATCH",
        "/demands/{draft}",
        "owner",
        None,
        {
            "wrong_type": {"classified": "secret"},
            "huge": {"title": HUGE},
            "enum": {"category": "moonshot"},
            "null_title": {"title": None},
            "round_change": {"round_id": "00000000-0000-0000-0000-000000000000"},
        },
    ),
    (
        "submit_demand",
        "POST",
        "/demands/{draft}/submit",
        "owner",
        IN_COLLECTION,
        {
            "wrong_type": {"override_reason": 3},
            "huge": {"override_reason": HUGE},
        },
    ),
    (
        "create_application",
        "POST",
        "/challenges/{challenge}/applications",
        "solver2",
        IN_PUBLICATION,
        {
            "wrong_type": {"other_municipal_application": [1]},
            "huge": {"plan": HUGE},
            "typed_hash": {"documents": [{"kind": "plan", "title": "p", "sha256": "a" * 64}]},
            "doc_kind": {"documents": [{"kind": "Plan!", "document_id": str(uuid.uuid4())}]},
            "doc_id": {"documents": [{"kind": "plan", "document_id": "not-an-id"}]},
            "pi": {"pi": {"name": "x", "employed_by_lead": "sometimes"}},
            "float_money": {"requested_subsidy": 0.1},
            "members": {"member_org_ids": ["x"] * 3},
        },
    ),
    (
        "patch_application",
        "PATCH",
        "/applications/{application}",
        "solver",
        IN_PUBLICATION,
        {
            "wrong_type": {"documents": "all of them"},
            "huge": {"county": HUGE},
            "null_docs": {"documents": None},
        },
    ),
]
RAW = {"malformed": b'{"title": ', "array": b"[1, 2]", "not_json": b"hello", "empty": b""}

CASES = [
    pytest.param(method, path, caller, at, body, id=f"{name}-{case}")
    for name, method, path, caller, at, bodies in ENDPOINTS
    for case, body in [*bodies.items(), *RAW.items()]
    if not (name == "submit_demand" and case == "empty")  # the submit body is optional
]


@pytest.mark.parametrize(("method", "path", "caller", "at", "body"), CASES)
async def test_bad_body_is_a_4xx_problem(
    flow: Flow, method: str, path: str, caller: str, at: str | None, body: Any
) -> None:
    w = await build(flow)
    headers = {
        **callers(flow, w)[caller],
        "Content-Type": "application/json",
        **(clock(at) if at else {}),
    }
    url = "/api/v1" + path.format(**vars(w))
    if isinstance(body, bytes):
        response = await flow.api.request(method, url, content=body, headers=headers)
    else:
        response = await flow.api.request(method, url, json=body, headers=headers)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/demands", {"status": "lost"}),
        ("/applications", {"status": "lost"}),
        ("/applications", {"challenge_id": "nope"}),
        ("/challenges", {"round_id": "x"}),
        ("/rounds", {"limit": "0"}),
        ("/rounds", {"limit": "many"}),
        ("/rounds", {"cursor": "!!!"}),
        ("/demands/not-a-uuid", {}),
        ("/organizations/" + "1" * 5000, {}),
    ],
)
async def test_bad_query_and_path_values_are_4xx(
    flow: Flow, path: str, params: dict[str, str]
) -> None:
    response = await flow.api.get(f"/api/v1{path}", params=params, headers=flow.bureau)
    assert 400 <= response.status_code < 500, response.text
