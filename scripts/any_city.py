"""A story for any city's rule-set file, derived from the rules alone (``make demo`` gives every
file one; tests/lifecycle/test_third_city.py runs it for a city that lives only in the test).

One round, one demand above the city's minimum investment, two answers of the form the city
asks for (a consortium led by an allowed kind, the documents of the category), one panel per
stage of the size that stage needs, the winner chosen by the city's rule, then the procedure's
steps in the file's order, every tranche paid when it falls due (approval, the mid-term check,
the settlement), and a passed acceptance.
"""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from scripts.scenario import (
    Gateway,
    Timeline,
    User,
    accept,
    apply,
    approve,
    demand_body,
    documents,
    hold_meeting,
    observe_funding,
    open_publicity,
    open_round,
    owner_chooses,
    pay_tranche,
    post_demand,
    propose,
    read_results,
    register_experts,
    register_org,
    review_stage,
    scores_around,
    settle,
    sign_contract,
    start_project,
    vet_and_publish,
)

TOTAL = Decimal("20000000.00")
BOUNTY = "8000000.00"


def panel_size(rules: dict[str, Any], stage: dict[str, Any]) -> int:
    """The stage's own minimum where it has one, made odd where the rules want odd panels."""
    panel = rules["review"]["panel"]
    size = int((stage.get("panel_min_size") or panel["min_size"])["value"])
    odd = stage.get("panel_odd_size") or panel.get("odd_size")
    return size + 1 if odd and size % 2 == 0 else size


def _category(rules: dict[str, Any]) -> str:
    """A category that needs no evaluation opinion when there is one."""
    transfer = (rules["demands"].get("achievement_transfer") or {}).get("category")
    codes: list[str] = [c["code"] for c in rules["categories"]]
    return next((c for c in codes if c != transfer), codes[0])


async def _answers(gw: Gateway, t: Timeline, category: str) -> None:
    form = gw.rules["applications"]["solver_form"]
    kind = (form.get("lead_kinds") or ["institute"])[0]
    for label in ("winner", "runner_up"):
        lead = await register_org(gw, f"Lead {label}", kind=kind)
        solver = User("solver", f"solver-{label}-{gw.tag}", lead)
        body: dict[str, Any] = {
            "lead_org_id": lead,
            "plan": f"Plan of {label}",
            "total_budget": str(TOTAL),
            "requested_subsidy": "6000000.00",
            "other_municipal_application": False,
            "documents": await documents(gw, solver, category),
        }
        if form["consortium_required"]:
            body["member_org_ids"] = [await register_org(gw, f"Member {label}", "university")]
        await apply(gw, t, label, solver, "main", body)


async def story(gw: Gateway, t: Timeline) -> None:
    rules = gw.rules
    field = rules["fields"][0]["code"]
    minimum = (rules["demands"].get("min_total_investment") or {}).get("value", "0")
    total = max(TOTAL, Decimal(minimum))
    await open_round(gw, t, f"{rules['name_zh']}揭榜挂帅", [field])
    owner = User("demand_owner", f"owner-{gw.tag}", await register_org(gw, "Owner"))
    category = _category(rules)
    body = demand_body("Demand", field, f"{total:.2f}", BOUNTY, category=category)
    await post_demand(gw, t, "main", owner, gw.summary.ids["round"], body)
    await vet_and_publish(gw, t, "main", await register_experts(gw, "Vetting expert", 3, [field]))
    await _answers(gw, t, category)
    top = min(int(Decimal(rules["review"]["bands"][0]["min_total"])) + 3, 98)
    for stage in rules["review"]["stages"]:
        size = panel_size(rules, stage)
        experts = await register_experts(gw, f"{stage['code']} expert", size, [field])
        scores = {"winner": scores_around(top, size), "runner_up": scores_around(20, size)}
        await review_stage(gw, t, stage["code"], ["main"], experts, scores)
    await read_results(gw, "main")
    if rules["review"]["winner"]["rule"] == "owner_choice":
        await owner_chooses(gw, owner, "main", "winner")
    await _procedure(gw, t, owner)
    await _money(gw, t, owner)


async def _procedure(gw: Gateway, t: Timeline, owner: User) -> None:
    """The steps after expert review, in the order the rule set lists them."""
    steps = [s["code"] for s in gw.rules["procedure"]["steps"]]
    signed = t.after_publicity.replace(hour=8).isoformat() if "agreement" in steps else None
    for code in steps:
        if code == "joint_review":
            await propose(gw, t, "main", "winner")
        elif code == "decision_meeting":
            await hold_meeting(gw, t, ["winner"])
        elif code == "publicity":
            await open_publicity(gw, t, "main")
        elif code == "establishment":
            terms = {"agreement_signed_at": signed} if signed else {}
            await approve(gw, t, "winner", "main", "winner", **terms)
        elif code == "contract":
            await sign_contract(gw, t, "winner")
    duties = gw.rules["demands"].get("owner_duties") or {}
    if duties.get("responsibility_letter_required"):
        await start_project(gw, t, "winner", owner)


async def _money(gw: Gateway, t: Timeline, owner: User) -> None:
    """Each tranche when it falls due; the mid-term check releases the mid-term ones."""
    tranches = gw.rules["funding"]["tranches"]
    for tranche in tranches:
        if tranche["due"] == "approval":
            await pay_tranche(gw, t, "winner", tranche["seq"], at=t.after_publicity)
    midterm = [tr for tr in tranches if tr["due"] == "midterm"]
    if midterm:
        pid = gw.summary.project_ids["winner"]
        at = t.after_publicity + timedelta(days=180)
        body = {"outcome": "passed", "checked_on": at.date().isoformat(), "opinion": "进展符合合同"}
        await gw.call(gw.bureau, "POST", f"/projects/{pid}/midterm", json=body, at=at)
        await observe_funding(gw, "winner")
        for tranche in midterm:
            await pay_tranche(gw, t, "winner", tranche["seq"], at=at)
    acceptance = {
        "outcome": "passed",
        "audited_total_investment": str(TOTAL),
        "audited_bounty_paid": BOUNTY,
        "opinion": "通过验收",
    }
    await accept(gw, t, "winner", acceptance)
    await settle(gw, t, "winner")
    for tranche in tranches:
        if tranche["due"] == "acceptance":
            await pay_tranche(gw, t, "winner", tranche["seq"], at=t.acceptance)
