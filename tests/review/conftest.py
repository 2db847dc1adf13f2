"""Review test helpers: a ``Lifecycle`` that drives the real intake and review services through
the in-process gateway (or a live gateway) from round to project, nothing stubbed."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.documents import refs
from tests.finance.budget import appropriate
from tests.intake.conftest import credit_code, demand_documents

T0 = datetime.fromisoformat("2025-03-01T09:00:00+08:00")
IN_COLLECTION = {"X-Clock-Now": (T0 + timedelta(days=9)).isoformat()}
IN_PUBLICATION = {"X-Clock-Now": (T0 + timedelta(days=40)).isoformat()}
REVIEW_TIME = {"X-Clock-Now": (T0 + timedelta(days=70)).isoformat()}
AFTER_PUBLICITY = {"X-Clock-Now": (T0 + timedelta(days=80)).isoformat()}
HZ_DOCS = ["application_form", "consortium_plan", "consortium_agreement", "credit_commitment"]


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


@dataclass
class Lifecycle:
    api: httpx.AsyncClient
    auth: Any
    city: str = "huzhou"
    bureau_sub: str = field(default_factory=lambda: f"bureau-{uuid.uuid4().hex[:6]}")
    budgeted: bool = False

    @property
    def bureau(self) -> dict[str, str]:
        return self.auth("bureau", city=self.city, sub=self.bureau_sub)

    def as_(self, role: str, org_id: Any = None, sub: str | None = None) -> dict[str, str]:
        return self.auth(role, city=self.city, org_id=org_id, sub=sub)

    def expert(self, expert_id: str) -> dict[str, str]:
        return self.auth("expert", city=self.city, sub=expert_id)

    async def org(self, **over: Any) -> str:
        body = {
            "name": f"org {uuid.uuid4().hex[:6]}",
            "credit_code": credit_code(),
            "kind": "enterprise",
            "revenue_last_year": "10000000.00",
            "rd_spend_last_year": "500000.00",
            **over,
        }
        return str(
            ok(await self.api.post("/api/v1/organizations", json=body, headers=self.bureau), 201)[
                "id"
            ]
        )

    async def files(self, *kinds: str) -> list[dict[str, str]]:
        """One PDF per kind uploaded by the bureau (agreement, acceptance opinion, audit
        report…), as ``{kind, document_id}`` to put in a body's ``documents``."""
        return await refs(self.api, self.bureau, *kinds)

    async def experts(self, n: int, **over: Any) -> list[str]:
        ids = []
        for i in range(n):
            body = {
                "name": f"Expert {i}",
                "org_id": str(uuid.uuid4()),
                "fields": ["biomedicine"],
                **over,
            }
            ids.append(
                str(
                    ok(await self.api.post("/api/v1/experts", json=body, headers=self.bureau), 201)[
                        "id"
                    ]
                )
            )
        return ids

    async def budget(self) -> None:
        """The city's 2025 budget (recorded and confirmed by two bureau users), once."""
        if not self.budgeted:
            await appropriate(self.api, self.auth, self.city)
            self.budgeted = True

    async def challenge(self, owner: str) -> dict[str, Any]:
        """Round, submitted demand, vetting by an assigned expert, publication; the city's
        annual budget for the year the tests approve in, once per lifecycle."""
        await self.budget()
        fields = ["biomedicine"] if self.city == "huzhou" else ["biomedicine", "chemicals"]
        round_ = ok(
            await self.api.post(
                "/api/v1/rounds",
                headers=self.bureau,
                json={
                    "title": "review round",
                    "fields_open": fields,
                    "collection_opens_at": T0.isoformat(),
                    "collection_closes_at": (T0 + timedelta(days=30)).isoformat(),
                    "publication_opens_at": (T0 + timedelta(days=31)).isoformat(),
                    "publication_closes_at": (T0 + timedelta(days=61)).isoformat(),
                },
            ),
            201,
        )
        demand = ok(
            await self.api.post(
                "/api/v1/demands",
                headers=self.as_("demand_owner", owner),
                json={
                    "round_id": round_["id"],
                    "category": "tech_breakthrough",
                    "field": "biomedicine",
                    "title": "Antibody purification",
                    "problem": "Resin too costly",
                    "core_indicators": [{"name": "yield", "target": ">= 95", "unit": "%"}],
                    "due_months": 24,
                    "expected_results": "A pilot line",
                    "end_users": "Biopharma",
                    "total_investment": "20000000.00",
                    "bounty_amount": "8000000.00",
                    "project_manager": {"name": "Wang Li"},
                    "documents": await refs(
                        self.api,
                        self.as_("demand_owner", owner),
                        *[d.kind for d in demand_documents(self.city, "tech_breakthrough")],
                    ),
                },
            ),
            201,
        )
        ok(
            await self.api.post(
                f"/api/v1/demands/{demand['id']}/submit",
                headers={**self.as_("demand_owner", owner), **IN_COLLECTION},
            )
        )
        [vetter] = await self.experts(1)
        ok(
            await self.api.post(
                "/api/v1/vettings/assignments",
                headers=self.bureau,
                json={"demand_id": demand["id"], "expert_ids": [vetter]},
            ),
            201,
        )
        ok(
            await self.api.post(
                "/api/v1/vettings",
                headers=self.expert(vetter),
                json={
                    "demand_id": demand["id"],
                    "verdict": "pass",
                    "criteria": {
                        "innovativeness": {"score": "88"},
                        "necessity": {"note": "clear need"},
                        "feasibility": {"score": "80", "note": "plausible"},
                    },
                },
            ),
            201,
        )
        return dict(
            ok(
                await self.api.post(
                    f"/api/v1/demands/{demand['id']}/publish",
                    headers={**self.bureau, **IN_PUBLICATION},
                ),
                201,
            )
        )

    async def application(
        self, challenge_id: str, lead: str, member: str | None = None, **over: Any
    ) -> str:
        body: dict[str, Any] = {
            "lead_org_id": lead,
            "pi": {"name": "Li Ming", "employed_by_lead": True},
            "plan": "A plan",
            "total_budget": "20000000.00",
            "requested_subsidy": "6000000.00",
        }
        solver = {**self.as_("solver", lead), **IN_PUBLICATION}
        if self.city == "huzhou":
            body |= {
                "other_municipal_application": False,
                "member_org_ids": [member] if member else [],
                "documents": await refs(self.api, solver, *HZ_DOCS),
            }
        else:
            body |= {"documents": await refs(self.api, solver, "feasibility_plan")}
        body |= over
        app = ok(
            await self.api.post(
                f"/api/v1/challenges/{challenge_id}/applications", json=body, headers=solver
            ),
            201,
        )
        ok(await self.api.post(f"/api/v1/applications/{app['id']}/submit", headers=solver))
        return str(app["id"])

    async def panel(
        self, round_id: str, stage: str, challenge_ids: list[str], expert_ids: list[str]
    ) -> httpx.Response:
        return await self.api.post(
            "/api/v1/panels",
            headers=self.bureau,
            json={
                "round_id": round_id,
                "stage": stage,
                "challenge_ids": challenge_ids,
                "expert_ids": expert_ids,
            },
        )

    async def propose(self, challenge_id: str, application_id: str) -> dict[str, Any]:
        """Huzhou's steps before publicity (HZ 三(四)4–5): the year's quota, the divisions'
        joint review with a passed credit check, and the director meeting's approval."""
        ok(await self.api.put("/api/v1/quotas/2025", json={"projects": 50}, headers=self.bureau))
        body = {
            "challenge_id": challenge_id,
            "application_id": application_id,
            "credit": {"source": "信用中国", "checked_on": "2025-05-09", "result": "pass"},
        }
        proposal = ok(
            await self.api.post(
                "/api/v1/proposals", json=body, headers={**self.bureau, **REVIEW_TIME}
            ),
            201,
        )
        assert proposal["status"] == "joint_review_passed", proposal
        meeting = {
            "held_on": "2025-05-10",
            "attendees": ["局长", "分管副局长", "计划处", "财务处"],
            "minutes": "集体审议，同意立项建议",
            "decisions": [{"application_id": application_id, "outcome": "approve"}],
        }
        held = await self.api.post(
            "/api/v1/decision-meetings", json=meeting, headers={**self.bureau, **REVIEW_TIME}
        )
        return dict(ok(held, 201))

    async def start(self, project_id: str, owner: str) -> dict[str, Any]:
        """URC 三(四): the owner signs the responsibility letter and names the manager."""
        body = {
            "letter_signed_on": "2025-05-10",
            "letter": {"kind": "owner_responsibility_letter", "title": "业主责任书"},
            "project_manager": {"name": "Zhao Min", "experience": "10 years of R&D management"},
        }
        return dict(
            ok(
                await self.api.post(
                    f"/api/v1/projects/{project_id}/owner-duties",
                    json=body,
                    headers=self.as_("demand_owner", owner),
                )
            )
        )

    async def score_all(self, panel: dict[str, Any], scores: dict[str, list[str]]) -> None:
        """``scores``: application id → one score per member, in member order."""
        for app_id, values in scores.items():
            for expert_id, value in zip(panel["expert_ids"], values, strict=True):
                ok(
                    await self.api.put(
                        f"/api/v1/panels/{panel['id']}/scores/{app_id}",
                        json={"score": value, "comment": "reviewed"},
                        headers=self.expert(expert_id),
                    ),
                    204,
                )


@pytest.fixture
def hz(api: httpx.AsyncClient, auth: Any) -> Lifecycle:
    return Lifecycle(api, auth)


@pytest.fixture
def urc(api: httpx.AsyncClient, auth: Any) -> Lifecycle:
    return Lifecycle(api, auth, city="urumqi")


async def urumqi_public(urc: Lifecycle, n_apps: int = 1) -> dict[str, Any]:
    """An Urumqi challenge reviewed by three experts (the first application scored best), the
    owner's choice of the first, and publicity opened: ready for the decision."""
    owner = await urc.org()
    challenge = await urc.challenge(owner)
    leads = [await urc.org() for _ in range(n_apps)]
    apps = [await urc.application(challenge["id"], lead) for lead in leads]
    experts = await urc.experts(3)
    panel = ok(
        await urc.panel(challenge["round_id"], "plan_review", [challenge["id"]], experts), 201
    )
    await urc.score_all(panel, {a: [str(80 - i)] * 3 for i, a in enumerate(apps)})
    ok(await urc.api.post(f"/api/v1/panels/{panel['id']}/close", headers=urc.bureau))
    cid = challenge["id"]
    ok(
        await urc.api.post(
            f"/api/v1/results/{cid}/choice",
            headers=urc.as_("demand_owner", owner),
            json={"application_id": apps[0]},
        )
    )
    ok(
        await urc.api.post(
            f"/api/v1/results/{cid}/publicity", headers={**urc.bureau, **REVIEW_TIME}
        )
    )
    return {"owner": owner, "challenge": challenge, "apps": apps, "leads": leads}


async def decide(urc: Lifecycle, cid: str, app: str, **over: Any) -> httpx.Response:
    body = {
        "challenge_id": cid,
        "application_id": app,
        "outcome": "approve",
        "agreement_signed_at": "2025-05-15T10:00:00+08:00",
        "documents": await urc.files("agreement"),
        **over,
    }
    return await urc.api.post(
        "/api/v1/decisions", json=body, headers={**urc.bureau, **AFTER_PUBLICITY}
    )
