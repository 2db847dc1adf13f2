"""A small Huzhou world for the access matrix and the bad-input sweep: two owners, two
solvers, a published challenge with one application, a draft and a vetted demand."""

from dataclasses import dataclass
from typing import Any

from tests.intake.conftest import Flow, credit_code

HZ_DOCS = ("application_form", "consortium_plan", "consortium_agreement", "credit_commitment")


@dataclass
class World:
    owner: str
    owner2: str
    solver: str
    solver2: str
    round: str
    draft: str
    vetted: str
    challenge: str
    application: str


async def build(flow: Flow) -> World:
    owner, owner2 = (await flow.org())["id"], (await flow.org())["id"]
    solver, solver2, member = (
        (await flow.org())["id"],
        (await flow.org())["id"],
        (await flow.org())["id"],
    )
    challenge = await flow.challenge(owner)
    round_ = await flow.round()
    draft = await flow.demand(owner, round_["id"])
    vetted = await flow.demand(owner, round_["id"])
    assert (await flow.submit_demand(vetted, owner)).status_code == 200
    flow.pass_vetting(vetted["id"])
    application = await flow.application(
        challenge["id"],
        solver,
        member_org_ids=[member],
        pi={"name": "Li", "employed_by_lead": True},
        documents=await flow.documents(solver, *HZ_DOCS),
    )
    assert application.status_code == 201, application.text
    return World(
        owner,
        owner2,
        solver,
        solver2,
        round_["id"],
        draft["id"],
        vetted["id"],
        challenge["id"],
        application.json()["id"],
    )


def callers(flow: Flow, w: World) -> dict[str, dict[str, str]]:
    return {
        "bureau": flow.bureau,
        "service": flow.auth("service", city="huzhou", sub="service:review"),
        "owner": flow.owner(w.owner),
        "owner2": flow.owner(w.owner2),
        "solver": flow.solver(w.solver),
        "solver2": flow.solver(w.solver2),
        "expert": flow.auth("expert", city="huzhou", sub="0e6f3b54-0000-4000-8000-000000000001"),
        "auditor": flow.auth("auditor", city="huzhou"),
        "urumqi_bureau": flow.auth("bureau", city="urumqi"),
        "urumqi_solver": flow.auth("solver", city="urumqi", org_id=w.solver),
    }


def org_body() -> dict[str, Any]:
    return {"name": "New Co", "credit_code": credit_code(), "kind": "enterprise"}
