"""Helpers for the finance tests: plans created the way review creates them (service calls)."""

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from common.rulesets.registry import RuleSetRegistry
from common.settings import ROOT
from tests.conftest import Auth
from tests.finance.budget import appropriate

RULESETS = RuleSetRegistry.load(ROOT / "rulesets")
PlanMaker = Callable[..., Awaitable[dict[str, Any]]]


def plan_body(city: str = "huzhou", **over: Any) -> dict[str, Any]:
    """The DOMAIN.md §5 worked example's facts, for either city."""
    body: dict[str, Any] = {
        "project_id": str(uuid.uuid4()),
        "city": city,
        "ruleset_version": RULESETS.get(city).version,  # the current one, as review sends it
        "challenge_id": str(uuid.uuid4()),
        "round_id": str(uuid.uuid4()),
        "owner_org_id": str(uuid.uuid4()),
        "solver_org_id": str(uuid.uuid4()),
        "category": "tech_breakthrough",
        "bounty_amount": "8000000.00",
        "equity_contribution_valuation": "0.00",
        "total_investment": "20000000.00",
        "requested_subsidy": "6000000.00",
        "over_quota": False,
        "approved_at": "2025-05-09T10:00:00+08:00",
    }
    body.update(over)
    return body


def key() -> dict[str, str]:
    return {"Idempotency-Key": f"k-{uuid.uuid4().hex}"}


@pytest.fixture
def make_plan(api: httpx.AsyncClient, auth: Auth) -> PlanMaker:
    """Plans approved in 2025, each city's 2025 budget appropriated on its first plan."""
    budgeted: set[str] = set()

    async def make(city: str = "huzhou", **over: Any) -> dict[str, Any]:
        if city not in budgeted:
            await appropriate(api, auth, city)
            budgeted.add(city)
        body = plan_body(city, **over)
        response = await api.post("/api/v1/funding", json=body, headers=auth("service", city=city))
        assert response.status_code == 201, response.text
        return {**response.json(), "body": body}

    return make
