"""Funding plans: created once per approved project, read with their totals, accepted once."""

import uuid
from dataclasses import asdict
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common import clock
from common.audit import record
from common.auth import Claims
from common.errors import Conflict, Unprocessable
from common.policy import enforce
from common.rulesets.schema import RuleSet
from services.finance.budgets import movements as budget
from services.finance.db import AuditLog
from services.finance.funding import repository as repo
from services.finance.funding.models import FundingPlan, Tranche
from services.finance.funding.policy import Formula, PlanFacts, plan_subsidy, plan_violations
from services.finance.funding.schemas import (
    AcceptanceCreate,
    AcceptanceRead,
    FormulaRead,
    FundingPlanCreate,
    FundingRead,
    TrancheRead,
)
from services.finance.idempotency.service import body_hash


def formula_json(formula: Formula) -> dict[str, Any]:
    data = asdict(formula)
    data["clauses"] = list(formula.clauses)
    return data


def _initial_status(due: str, amount: Any) -> str:
    """Approval tranches are due at once; mid-term ones wait for the mid-term check, acceptance
    ones for the settlement; nothing is payable on a zero amount."""
    if due in ("midterm", "acceptance"):
        return "planned"
    return "due" if amount > 0 else "cancelled"


def plan_facts(body: FundingPlanCreate) -> PlanFacts:
    return PlanFacts(
        bounty_amount=body.bounty_amount,
        total_investment=body.total_investment,
        requested_subsidy=body.requested_subsidy,
        equity_contribution_valuation=body.equity_contribution_valuation,
        over_quota=body.over_quota,
    )


async def create_plan(
    session: AsyncSession, user: Claims, ruleset: RuleSet, body: FundingPlanCreate
) -> tuple[FundingPlan, bool]:
    """Idempotent on ``project_id``: the same facts again answer the existing plan."""
    if body.city != user.city:
        raise Unprocessable("The plan's city differs from the caller's", code="funding.city")
    digest = body_hash(body.model_dump(mode="json"))
    existing = await repo.get_plan(session, body.project_id)
    if existing is not None:
        if existing.city != user.city or existing.request_hash != digest:
            raise Conflict(
                "This project already has a funding plan computed from other facts",
                code="funding.plan_conflict",
            )
        return existing, False
    facts = plan_facts(body)
    enforce(plan_violations(ruleset, facts), user=user)
    decision = plan_subsidy(ruleset, facts)
    plan = FundingPlan(
        id=uuid.uuid4(),
        city=user.city,
        project_id=body.project_id,
        request_hash=digest,
        ruleset_version=ruleset.version,
        challenge_id=body.challenge_id,
        round_id=body.round_id,
        owner_org_id=body.owner_org_id,
        solver_org_id=body.solver_org_id,
        category=body.category,
        bounty_amount=body.bounty_amount,
        equity_contribution_valuation=body.equity_contribution_valuation,
        total_investment=body.total_investment,
        requested_subsidy=body.requested_subsidy,
        over_quota=body.over_quota,
        subsidy_cap=decision.cap,
        formula=formula_json(decision.formula),
        status="active",
    )
    plan.tranches = [
        Tranche(
            id=uuid.uuid4(),
            city=user.city,
            project_id=body.project_id,
            seq=t.seq,
            share=t.share,
            due=t.due,
            clause=t.clause,
            amount=t.amount,
            status=_initial_status(t.due, t.amount),
        )
        for t in decision.tranches
    ]
    session.add(plan)
    await session.flush()
    if not await budget.commit_plan(
        session, user, plan, body.approved_at or clock.now(), ruleset.timezone
    ):
        budget.await_budget(plan)
    record(
        session,
        AuditLog,
        user,
        entity="funding_plan",
        entity_id=plan.id,
        action="create",
        to_state=plan.status,
        data={"project_id": str(plan.project_id), "cap": str(plan.subsidy_cap)},
    )
    return plan, True


async def record_acceptance(
    session: AsyncSession, user: Claims, plan: FundingPlan, body: AcceptanceCreate
) -> tuple[FundingPlan, bool]:
    """Once per revision: the same report again answers the plan; a later revision (a reasoned
    correction from review) replaces the figures until the plan is settled; anything else is a
    conflict. Revisions arriving out of order never undo a later one."""
    digest = body_hash(body.model_dump(mode="json"))
    if plan.status == budget.AWAITING:
        raise Conflict(
            "The plan awaits budget; acceptance is recorded once the budget holds it",
            code="budget.awaiting",
            detail_zh="该项目尚待年度预算安排",
        )
    if plan.acceptance_hash is not None:
        if plan.acceptance_hash == digest:
            return plan, False
        if body.revision <= plan.acceptance_revision:
            raise Conflict(
                "An acceptance with other figures is already recorded",
                code="funding.acceptance_conflict",
            )
        if plan.status != "accepted":
            raise Conflict(
                "The plan is settled; its acceptance can no longer be corrected",
                code="funding.acceptance_settled",
            )
    before = plan.status
    plan.outcome = body.outcome
    plan.audited_total_investment = body.audited_total_investment
    plan.audited_bounty_paid = body.audited_bounty_paid
    plan.unused_amount = body.unused_amount
    plan.noncompliant_amount = body.noncompliant_amount
    plan.acceptance_opinion = body.opinion
    plan.acceptance_hash, plan.acceptance_revision = digest, body.revision
    plan.accepted_at = clock.now()
    plan.status = "accepted"
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="funding_plan",
        entity_id=plan.id,
        action="acceptance" if before == "active" else "correct_acceptance",
        from_state=before,
        to_state="accepted",
        reason=body.correction_reason,
        data={"outcome": body.outcome, "revision": body.revision},
    )
    return plan, True


async def read(session: AsyncSession, plan: FundingPlan) -> FundingRead:
    paid, outstanding = await repo.totals(session, plan.id)
    acceptance = None
    if plan.outcome is not None:
        acceptance = AcceptanceRead(
            outcome=plan.outcome,
            audited_total_investment=plan.audited_total_investment,
            audited_bounty_paid=plan.audited_bounty_paid,
            unused_amount=plan.unused_amount,
            noncompliant_amount=plan.noncompliant_amount,
            opinion=plan.acceptance_opinion,
            accepted_at=plan.accepted_at,
        )
    return FundingRead(
        project_id=plan.project_id,
        city=plan.city,
        status=plan.status,
        ruleset_version=plan.ruleset_version,
        owner_org_id=plan.owner_org_id,
        solver_org_id=plan.solver_org_id,
        subsidy_cap=plan.subsidy_cap,
        tranches=[TrancheRead.model_validate(t) for t in plan.tranches],
        paid=paid,
        outstanding=outstanding,
        formula=FormulaRead(**plan.formula),
        acceptance=acceptance,
        recomputed_subsidy=plan.recomputed_subsidy,
        settlement=plan.settlement,
        created_at=plan.created_at,
    )
