"""The end-to-end path once in production mode, against the real OIDC provider: the four real
processes with ``JIEBANG_ENV=production`` verify the provider's tokens (JWKS), each service
calls the others with its own client-credentials token, owners and solvers act only through
their memberships, and nothing of dev mode is reachable.

Lean on purpose (production has no movable clock): a round whose collection window closes a
few seconds after it opens, a demand submitted, vetted by an expert and published (intake ↔
review with service credentials), a solver's application, a suspension that takes effect at
once, and the auditor's ledger check in finance."""

import asyncio
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from common.launch import Stack, launch
from common.migrate import upgrade_all
from common.settings import ROOT, Settings
from scripts.sample_files import pdf
from tests.conftest import WORKER, _admin_url, _recreate, _run_id
from tests.identity.provider_process import (
    API_AUDIENCE,
    SERVICE_AUDIENCE,
    SERVICE_CLIENTS,
    SERVICE_RESOURCE,
    Provider,
)
from tests.intake.conftest import credit_code

pytestmark = pytest.mark.e2e
CITY = "urumqi"
# Roles are cluster-wide: production's own prefix, so the test stacks' roles stay untouched.
DB_PREFIX, DB_PASSWORD = "jbprod", "e2e-production-database-password"
COLLECTION_SECONDS = 25


@pytest.fixture(scope="module")
def production(provider: Provider) -> Iterator[Stack]:
    name = f"jbt_{_run_id()}_prod_{WORKER}"
    settings = Settings(
        database_url=_admin_url(),
        database_name=name,
        env="test",
        db_role_prefix=DB_PREFIX,
        db_app_password=DB_PASSWORD,
    )
    asyncio.run(_recreate(settings, name))
    upgrade_all(settings, name)
    log_dir = ROOT / ".data" / "e2e-logs" / f"production-{WORKER}"
    log_dir.mkdir(parents=True, exist_ok=True)
    env = {
        "JIEBANG_ENV": "production",
        "JIEBANG_DATABASE_NAME": name,
        "JIEBANG_DB_ROLE_PREFIX": DB_PREFIX,
        "JIEBANG_DB_APP_PASSWORD": DB_PASSWORD,
        "JIEBANG_OIDC_ISSUER": provider.issuer,
        "JIEBANG_JWT_AUDIENCE": API_AUDIENCE,
        "JIEBANG_SERVICE_AUDIENCE": SERVICE_AUDIENCE,
        "JIEBANG_SERVICE_RESOURCE": SERVICE_RESOURCE,
        "JIEBANG_WORKERS": "1",
        "JIEBANG_LOG_LEVEL": "WARNING",
    }
    own = {
        client.removeprefix("jiebang-"): {
            "JIEBANG_SERVICE_CLIENT_ID": client,
            "JIEBANG_SERVICE_CLIENT_SECRET": provider.client_secrets[client],
        }
        for client in SERVICE_CLIENTS
    }
    assert settings.database_url
    stack = launch(settings.database_url, extra_env=env, log_dir=str(log_dir), process_env=own)
    try:
        yield stack
    finally:
        stack.stop_all()
        asyncio.run(_recreate(settings, name, create=False))


class Person:
    """Someone signed in at the provider, calling the live gateway."""

    def __init__(self, client: httpx.Client, provider: Provider, sub: str, role: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {provider.user_token(sub, role, CITY)}"}

    def call(self, method: str, path: str, status: int = 200, **kw: Any) -> Any:
        answer = self.client.request(method, f"/api/v1{path}", headers=self.headers, **kw)
        assert answer.status_code == status, f"{method} {path}: {answer.text}"
        return answer.json()

    def files(self, *kinds: str) -> list[dict[str, str]]:
        """One small PDF per kind uploaded as this person: ``[{kind, document_id}]``."""
        return [
            {
                "kind": kind,
                "document_id": self.call(
                    "POST",
                    "/documents",
                    201,
                    data={"kind": kind, "title": kind},
                    files={"file": (f"{kind}.pdf", pdf(kind), "application/pdf")},
                )["id"],
            }
            for kind in kinds
        ]


def _round_body(now: datetime) -> dict[str, Any]:
    closes = now + timedelta(seconds=COLLECTION_SECONDS)
    return {
        "title": "生产模式 e2e",
        "fields_open": ["equipment_manufacturing"],
        "collection_opens_at": (now - timedelta(days=31)).isoformat(),
        "collection_closes_at": closes.isoformat(),
        "publication_opens_at": closes.isoformat(),
        "publication_closes_at": (now + timedelta(days=40)).isoformat(),
    }


DEMAND = {
    "category": "tech_breakthrough",
    "field": "equipment_manufacturing",
    "title": "深井钻机齿轮箱",
    "problem": "Gearboxes fail under high torque",
    "core_indicators": [{"name": "MTBF", "target": ">= 5000", "unit": "h"}],
    "due_months": 24,
    "expected_results": "A field-tested gearbox",
    "end_users": "Drilling contractors",
    "total_investment": "12000000.00",
    "bounty_amount": "8000000.00",
    "project_manager": {"name": "王力"},
}


def test_lifecycle_in_production_with_provider_tokens(
    production: Stack, provider: Provider
) -> None:
    tag = uuid.uuid4().hex[:6]
    with httpx.Client(base_url=production.gateway_url, timeout=60) as client:
        dev = client.post(
            "/api/v1/auth/dev-token", json={"sub": "x", "role": "bureau", "city": CITY}
        )
        assert dev.status_code == 404

        bureau = Person(client, provider, f"bureau-{tag}", "bureau")
        owner_org = bureau.call(
            "POST",
            "/organizations",
            201,
            json={
                "name": f"天山钻探 {tag}",
                "credit_code": credit_code(),
                "kind": "enterprise",
                "revenue_last_year": "10000000.00",
                "rd_spend_last_year": "500000.00",
            },
        )["id"]
        solver_org = bureau.call(
            "POST",
            "/organizations",
            201,
            json={"name": f"机械研究院 {tag}", "credit_code": credit_code(), "kind": "institute"},
        )["id"]
        memberships = {}
        for sub, role, org in (
            (f"owner-{tag}", "demand_owner", owner_org),
            (f"solver-{tag}", "solver", solver_org),
        ):
            body = {"subject": sub, "person_name": sub, "role": role, "org_id": org}
            memberships[role] = bureau.call("POST", "/memberships", 201, json=body)["id"]
        owner = Person(client, provider, f"owner-{tag}", "demand_owner")
        solver = Person(client, provider, f"solver-{tag}", "solver")

        round_ = bureau.call("POST", "/rounds", 201, json=_round_body(datetime.now(UTC)))
        publication = datetime.fromisoformat(round_["publication_opens_at"])
        letter = owner.files("responsibility_letter")  # URC 三(四): the owner's letter
        demand = owner.call(
            "POST", "/demands", 201, json={**DEMAND, "round_id": round_["id"], "documents": letter}
        )
        assert demand["owner_org_id"] == owner_org  # from the membership: the token names none
        owner.call("POST", f"/demands/{demand['id']}/submit")

        expert_id = bureau.call(
            "POST",
            "/experts",
            201,
            json={
                "name": "李专家",
                "org_id": str(uuid.uuid4()),
                "fields": ["equipment_manufacturing"],
            },
        )["id"]
        bureau.call(
            "POST",
            "/vettings/assignments",
            201,
            json={"demand_id": demand["id"], "expert_ids": [expert_id]},
        )
        expert = Person(client, provider, expert_id, "expert")
        expert.call(
            "POST",
            "/vettings",
            201,
            json={
                "demand_id": demand["id"],
                "verdict": "pass",
                "criteria": {
                    "innovativeness": {"score": "85"},
                    "necessity": {"note": "clear need"},
                    "feasibility": {"score": "80"},
                },
            },
        )

        time.sleep(max(0.0, (publication - datetime.now(UTC)).total_seconds()) + 1)
        challenge = bureau.call("POST", f"/demands/{demand['id']}/publish", 201)
        application = solver.call(
            "POST",
            f"/challenges/{challenge['id']}/applications",
            201,
            json={
                "pi": {"name": "李明", "employed_by_lead": True},
                "plan": "Hardened gears",
                "total_budget": "8000000.00",
            },
        )
        assert application["lead_org_id"] == solver_org

        bureau.call(
            "PATCH",
            f"/memberships/{memberships['solver']}",
            json={"status": "suspended", "reason": "left the institute"},
        )
        refused = client.post(
            f"/api/v1/applications/{application['id']}/withdraw", headers=solver.headers
        )
        assert refused.status_code == 403 and refused.json()["code"] == "membership.required"

        auditor = Person(client, provider, f"auditor-{tag}", "auditor")
        assert auditor.call("GET", "/ledger/verify")["ok"] is True
