"""Intake test helpers: valid credit codes, a stand-in for review's two read endpoints, and a
``flow`` that walks the lifecycle through the real in-process gateway.

Review is built in parallel; until its vetting and assignment endpoints exist, ``review`` answers
them for intake (and only them: every other call goes through the real gateway). Tests of the
real hand-off live in ``test_publish_real_review.py``.
"""

import random
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from common.documents import required_for
from common.rulesets.registry import RuleSetRegistry
from common.rulesets.schema import RequiredDocument
from common.settings import ROOT
from tests.documents import refs

CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
T0 = datetime.fromisoformat("2025-03-01T09:00:00+08:00")
IN_COLLECTION = (T0 + timedelta(days=9)).isoformat()
IN_PUBLICATION = (T0 + timedelta(days=40)).isoformat()
AFTER_PUBLICATION = (T0 + timedelta(days=90)).isoformat()


def demand_documents(city: str, category: str) -> list[RequiredDocument]:
    """The files the city's rule set requires when a demand of ``category`` is submitted."""
    ruleset = RuleSetRegistry.load(ROOT / "rulesets").get(city)
    return required_for(ruleset.documents.demand, category)


def credit_code(rng: random.Random | None = None) -> str:
    """A valid 统一社会信用代码, computed independently of the service's implementation."""
    rng = rng or random.Random()
    body = "91" + "".join(rng.choice("0123456789") for _ in range(6))
    body += "".join(rng.choice(CHARS) for _ in range(9))
    values = {c: i for i, c in enumerate(CHARS)}
    weights = [pow(3, i, 31) for i in range(17)]  # GB 32100-2015: W_i = 3^(i-1) mod 31
    remainder = sum(values[c] * w for c, w in zip(body, weights, strict=True)) % 31
    return body + CHARS[(31 - remainder) % 31]


def clock(at: str) -> dict[str, str]:
    return {"X-Clock-Now": at}


class ReviewStub:
    """Answers ``GET /vettings`` and ``GET /experts/{id}/assignments`` for intake."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.vettings: dict[str, list[dict[str, Any]]] = {}
        self.assignments: dict[str, dict[str, list[str]]] = {}

    async def json(self, method: str, path: str, *, city: str, **kw: Any) -> Any:
        if method == "GET" and path == "/api/v1/vettings":
            return {"items": self.vettings.get(kw["params"]["demand_id"], []), "next_cursor": None}
        match = re.fullmatch(r"/api/v1/experts/([^/]+)/assignments", path)
        if method == "GET" and match:
            return self.assignments.get(match[1], {"demand_ids": [], "application_ids": []})
        return await self.real.json(method, path, city=city, **kw)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


@pytest.fixture
def review(apps: Any) -> Iterator[ReviewStub]:
    intake = apps.services["intake"]
    real = intake.state.services
    stub = ReviewStub(real)
    intake.state.services = stub
    try:
        yield stub
    finally:
        intake.state.services = real


@dataclass
class Flow:
    api: httpx.AsyncClient
    auth: Any
    review: ReviewStub
    city: str = "huzhou"
    bureau_sub: str = field(default_factory=lambda: f"bureau-{uuid.uuid4().hex[:6]}")

    @property
    def bureau(self) -> dict[str, str]:
        return self.auth("bureau", city=self.city, sub=self.bureau_sub)

    def owner(self, org_id: str) -> dict[str, str]:
        return self.auth("demand_owner", city=self.city, org_id=org_id)

    def solver(self, org_id: str) -> dict[str, str]:
        return self.auth("solver", city=self.city, org_id=org_id)

    async def org(self, **over: Any) -> dict[str, Any]:
        body = {
            "name": f"org {uuid.uuid4().hex[:6]}",
            "credit_code": credit_code(),
            "kind": "enterprise",
            "revenue_last_year": "10000000.00",
            "rd_spend_last_year": "500000.00",
            **over,
        }
        response = await self.api.post("/api/v1/organizations", json=body, headers=self.bureau)
        assert response.status_code == 201, response.text
        return dict(response.json())

    def round_body(self, **over: Any) -> dict[str, Any]:
        fields = ["biomedicine", "new_materials"]
        return {
            "title": "2025 first round",
            "fields_open": fields,
            "collection_opens_at": T0.isoformat(),
            "collection_closes_at": (T0 + timedelta(days=30)).isoformat(),
            "publication_opens_at": (T0 + timedelta(days=31)).isoformat(),
            "publication_closes_at": (T0 + timedelta(days=61)).isoformat(),
            **over,
        }

    async def round(self, **over: Any) -> dict[str, Any]:
        response = await self.api.post(
            "/api/v1/rounds", json=self.round_body(**over), headers=self.bureau
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    def demand_body(self, round_id: str, **over: Any) -> dict[str, Any]:
        body = {
            "round_id": round_id,
            "category": "tech_breakthrough",
            "field": "biomedicine",
            "title": "Low-cost antibody purification",
            "problem": "Protein A resin costs too much at scale",
            "core_indicators": [{"name": "yield", "target": ">= 95", "unit": "%"}],
            "due_months": 24,
            "expected_results": "A pilot line",
            "end_users": "Regional biopharma plants",
            "total_investment": "6000000.00",
            "bounty_amount": "3000000.00",
            "project_manager": {"name": "Wang Li"},
        }
        body.update(over)
        return body

    async def demand(self, owner_org: str, round_id: str, **over: Any) -> dict[str, Any]:
        """A draft demand with the files the city requires at submission (uploaded by the
        owner) unless ``documents`` is given."""
        body = self.demand_body(round_id, **over)
        if "documents" not in over:
            kinds = [r.kind for r in demand_documents(self.city, body["category"])]
            body["documents"] = await refs(self.api, self.owner(owner_org), *kinds)
        response = await self.api.post("/api/v1/demands", json=body, headers=self.owner(owner_org))
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def submit_demand(self, demand: dict[str, Any], owner_org: str) -> httpx.Response:
        return await self.api.post(
            f"/api/v1/demands/{demand['id']}/submit",
            headers={**self.owner(owner_org), **clock(IN_COLLECTION)},
        )

    def pass_vetting(self, demand_id: str) -> None:
        self.review.vettings.setdefault(demand_id, []).append(
            {
                "id": str(uuid.uuid4()),
                "demand_id": demand_id,
                "expert_id": str(uuid.uuid4()),
                "verdict": "pass",
            }
        )

    async def challenge(self, owner_org: str | None = None, **demand_over: Any) -> dict[str, Any]:
        """A published challenge: round, submitted demand, a passed vetting, publication."""
        owner_org = owner_org or (await self.org())["id"]
        round_ = await self.round()
        demand = await self.demand(owner_org, round_["id"], **demand_over)
        submitted = await self.submit_demand(demand, owner_org)
        assert submitted.status_code == 200, submitted.text
        self.pass_vetting(demand["id"])
        response = await self.api.post(
            f"/api/v1/demands/{demand['id']}/publish",
            headers={**self.bureau, **clock(IN_PUBLICATION)},
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def documents(self, org_id: str, *kinds: str) -> list[dict[str, str]]:
        """One uploaded PDF per kind, by a solver of ``org_id``, as ``{kind, document_id}``."""
        return await refs(self.api, self.solver(org_id), *kinds)

    async def application(self, challenge_id: str, lead: str, **over: Any) -> httpx.Response:
        """In Huzhou the declaration and the amount applied for are given unless a test names
        them (HZ 三(三)3, HZ 二)."""
        if self.city == "huzhou":
            over = {"other_municipal_application": False, "requested_subsidy": "500000.00", **over}
        return await self.api.post(
            f"/api/v1/challenges/{challenge_id}/applications",
            json=over,
            headers={**self.solver(lead), **clock(IN_PUBLICATION)},
        )


@pytest.fixture
def flow(api: httpx.AsyncClient, auth: Any, review: ReviewStub) -> Flow:
    return Flow(api, auth, review)


@pytest.fixture
def urumqi(api: httpx.AsyncClient, auth: Any, review: ReviewStub) -> Flow:
    return Flow(api, auth, review, city="urumqi")


def money(value: str) -> Decimal:
    return Decimal(value)
