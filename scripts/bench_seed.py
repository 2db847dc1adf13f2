"""Data for ``make bench``, built through the public API of the running stack.

The lifecycle steps reuse the integration tests' flow (``RealFlow``), so the benchmark walks
the same paths the tests prove; only the scale volumes (``bench_volumes``) go in by SQL.
"""

import asyncio
import uuid
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

from common.auth import CITY_HEADER, mint_service_token, mint_token
from common.settings import Settings
from scripts.loadgen import Call
from tests.finance.budget import appropriate
from tests.finance.conftest import plan_body
from tests.intake.conftest import IN_PUBLICATION, clock
from tests.intake.test_real_review import HZ_DOCS, RealFlow
from tests.memberships import register_live

CITY = "huzhou"
SIGNING = Settings(env="test")
T = TypeVar("T")


def auth(
    role: str, city: str = CITY, org_id: str | None = None, sub: str | None = None
) -> dict[str, str]:
    """A bearer header minted with the dev signing keys (the stack runs with JIEBANG_ENV=test);
    an owner's or solver's membership is registered with it (``tests/memberships.py``)."""
    if role == "service":
        token = mint_service_token(SIGNING, SIGNING.service_clients[0])
        return {"Authorization": f"Bearer {token}", CITY_HEADER: city}
    sub = sub or f"bench-{role}-{uuid.uuid4().hex[:6]}"
    if org_id is not None:
        register_live(city, sub, role, str(org_id))
    token = mint_token(SIGNING, sub=sub, role=role, city=city, org_id=org_id)
    return {"Authorization": f"Bearer {token}"}


async def bounded(jobs: Iterable[Awaitable[T]], limit: int = 8) -> list[T]:
    """Run coroutines ``limit`` at a time (seeding, not measuring)."""
    gate = asyncio.Semaphore(limit)

    async def one(job: Awaitable[T]) -> T:
        async with gate:
            return await job

    return list(await asyncio.gather(*(one(j) for j in jobs)))


@dataclass
class Mix:
    """The objects the endpoint mix reads, and the distinct objects each write consumes once."""

    challenge: dict[str, Any]
    application_id: str
    solver: dict[str, str]
    project_id: str = ""
    solver_org: str = ""  # the detail application's lead organisation (the baseline's filter)
    drafts: list[str] = field(default_factory=list)
    experts: list[str] = field(default_factory=list)
    submits: list[Call] = field(default_factory=list)
    disbursements: list[Call] = field(default_factory=list)

    def score_calls(self, panel_id: str) -> list[Call]:
        """Every (application, expert) pair of the panel once: distinct scores, no rescoring."""
        return [
            Call(
                "PUT",
                f"/api/v1/panels/{panel_id}/scores/{a}",
                auth("expert", sub=e),
                {"score": str(70 + (i * 7 + j * 3) % 30), "comment": "bench"},
            )
            for i, a in enumerate(self.drafts)
            for j, e in enumerate(self.experts)
        ]


async def _draft(flow: RealFlow, challenge_id: str, member: str) -> tuple[str, str]:
    lead = (await flow.org())["id"]
    created = await flow.application(
        challenge_id,
        lead,
        member_org_ids=[member],
        pi={"name": "Li", "employed_by_lead": True},
        documents=await flow.documents(lead, *HZ_DOCS),
    )
    assert created.status_code == 201, created.text
    return created.json()["id"], lead


async def _plan(client: httpx.AsyncClient) -> str:
    body = plan_body(CITY)
    response = await client.post("/api/v1/funding", json=body, headers=auth("service"))
    assert response.status_code == 201, response.text
    return str(body["project_id"])


async def seed_mix(client: httpx.AsyncClient, *, challenges: int, drafts: int, plans: int) -> Mix:
    """Published challenges (one full page), draft applications to submit, a panel of five to
    score them, and funding plans whose first tranche is paid once each."""
    flow = RealFlow(client, auth, review=None, city=CITY)  # type: ignore[arg-type]
    published = await bounded(flow.challenge() for _ in range(challenges))
    target = published[0]
    member = (await flow.org(kind="university"))["id"]
    apps = await bounded(_draft(flow, target["id"], member) for _ in range(drafts + 1))
    (detail, detail_lead), apps = apps[0], apps[1:]
    mix = Mix(target, detail, flow.solver(detail_lead), drafts=[a for a, _ in apps])
    mix.solver_org = str(detail_lead)
    mix.submits = [
        Call(
            "POST",
            f"/api/v1/applications/{a}/submit",
            {**flow.solver(lead), **clock(IN_PUBLICATION)},
        )
        for a, lead in apps
    ]
    mix.experts = [await _expert(client, flow, i) for i in range(5)]
    await appropriate(client, auth, CITY)  # the year's budget, two bureau users
    projects = await bounded(_plan(client) for _ in range(plans))
    mix.project_id = projects[0]
    bureau = auth("bureau", sub="bench-bureau-a")
    mix.disbursements = [
        Call(
            "POST",
            "/api/v1/disbursements",
            {**bureau, "Idempotency-Key": f"bench-{uuid.uuid4().hex}"},
            {"project_id": p, "tranche_seq": 1},
        )
        for p in projects[1:]
    ]
    return mix


async def submit_all(client: httpx.AsyncClient, calls: list[Call]) -> None:
    """Used when the submit load ran out of time: the panel needs every application submitted."""

    async def one(call: Call) -> None:
        await client.request(call.method, call.path, headers=call.headers)

    await bounded(one(c) for c in calls)


async def _expert(client: httpx.AsyncClient, flow: RealFlow, i: int) -> str:
    body = {"name": f"Bench expert {i}", "org_id": str(uuid.uuid4())}
    response = await client.post("/api/v1/experts", json=body, headers=flow.bureau)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def form_panel(client: httpx.AsyncClient, mix: Mix, stage: str) -> str:
    body = {
        "round_id": mix.challenge["round_id"],
        "stage": stage,
        "challenge_ids": [mix.challenge["id"]],
        "expert_ids": mix.experts,
    }
    response = await client.post("/api/v1/panels", json=body, headers=auth("bureau"), timeout=120)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])
