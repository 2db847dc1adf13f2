"""Settlement (结算): once per accepted plan, under a lock on the plan and its tranches.

Unpaid approval tranches are superseded (cancelled): the settlement pays recomputed − paid,
which already includes them. A payment awaiting its second approval blocks the settlement,
since it would otherwise be paid on top of the recomputed subsidy.
"""

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from common import clock
from common.audit import record
from common.auth import Claims
from common.errors import Conflict, NotFound, RuleViolation, RuleViolationItem
from common.policy import enforce
from common.rulesets.schema import RuleSet
from services.finance.budgets import movements as budget
from services.finance.clawbacks.schemas import ClawbackRead
from services.finance.clawbacks.service import open_clawback
from services.finance.db import AuditLog
from services.finance.disbursements import repository as disbursements
from services.finance.funding import repository as funding_repo
from services.finance.funding.models import FundingPlan, Tranche
from services.finance.funding.schemas import FormulaRead, TrancheRead
from services.finance.funding.service import formula_json
from services.finance.settlements.policy import (
    SettlementDecision,
    SettlementFacts,
    findings_violations,
    settle,
)
from services.finance.settlements.schemas import SettlementCreate, SettlementRead


async def settle_project(
    session: AsyncSession, user: Claims, ruleset: RuleSet, body: SettlementCreate
) -> SettlementRead:
    plan = await funding_repo.get_plan(session, body.project_id, lock=True)
    if plan is None or plan.city != user.city:
        raise NotFound(f"No funding plan for project {body.project_id}", code="funding.not_found")
    if plan.status != "accepted":
        code = (
            "settlement.already_settled" if plan.status == "settled" else "settlement.not_accepted"
        )
        raise Conflict(f"The plan is {plan.status}; settlement needs an accepted plan", code=code)
    tranches = await funding_repo.lock_tranches(session, plan.id)
    if ruleset.funding.settlement.factors[plan.outcome] == 0:  # type: ignore[index]
        await _cancel_pending(session, user, tranches)
    if any(t.status == "paying" for t in tranches):
        raise Conflict(
            "A payment awaits its second approval; approve it first",
            code="settlement.payment_pending",
        )
    paid, _ = await funding_repo.totals(session, plan.id)
    facts = _facts(ruleset, plan, paid)
    enforce(findings_violations(ruleset, facts), user=user)
    decision = settle(ruleset, facts)
    _apply(tranches, decision)
    plan.recomputed_subsidy, plan.status, plan.settled_at = (
        decision.recomputed,
        "settled",
        clock.now(),
    )
    plan.settlement = {
        "factor": str(decision.factor),
        "recomputed": f"{decision.recomputed:.2f}",
        "paid_before": f"{paid:.2f}",
        "remaining": f"{decision.remaining:.2f}",
        "clawback": f"{decision.clawback:.2f}",
        "formula": formula_json(decision.formula),
    }
    await session.flush()
    await budget.release(session, user, plan.project_id, decision.remaining)
    clawback = None
    if decision.clawback > 0:
        clawback = await open_clawback(
            session,
            user,
            plan,
            amount=decision.clawback,
            excess=decision.excess,
            clause=ruleset.funding.settlement.clawback_clause,
            formula=decision.formula,
        )
    record(
        session,
        AuditLog,
        user,
        entity="funding_plan",
        entity_id=plan.id,
        action="settle",
        from_state="accepted",
        to_state="settled",
        data=plan.settlement,
    )
    return SettlementRead(
        project_id=plan.project_id,
        outcome=plan.outcome or "",
        factor=str(decision.factor),
        recomputed_subsidy=decision.recomputed,
        paid_before=paid,
        remaining=decision.remaining,
        tranches=[TrancheRead.model_validate(t) for t in tranches],
        clawback=ClawbackRead.model_validate(clawback) if clawback else None,
        formula=FormulaRead(**formula_json(decision.formula)),
    )


async def _cancel_pending(session: AsyncSession, user: Claims, tranches: Sequence[Tranche]) -> None:
    """A closed or failed project gets nothing more: a payment still awaiting its second
    approval is cancelled, not paid (issue #11 item 9)."""
    for tranche in tranches:
        if tranche.status != "paying":
            continue
        pending = await disbursements.pending_for_tranche(session, tranche.id)
        if pending is not None:
            pending.status = "cancelled"
            record(
                session,
                AuditLog,
                user,
                entity="disbursement",
                entity_id=pending.id,
                action="cancel",
                from_state="pending_approval",
                to_state="cancelled",
                reason="acceptance ended the payments",
            )
        tranche.status = "due"  # settlement's _apply cancels it with the other due ones
    await session.flush()


def _facts(ruleset: RuleSet, plan: FundingPlan, paid: Decimal) -> SettlementFacts:
    rules = ruleset.funding.settlement
    base = getattr(plan, rules.base)
    if base is None:
        raise RuleViolation.of(
            [
                RuleViolationItem(
                    code="settlement.audited_base_missing",
                    clause=rules.clause,
                    detail=f"The acceptance did not report {rules.base}, the settlement's base",
                    detail_zh="验收结果缺少结算所需的审计金额",
                )
            ]
        )
    zero = Decimal("0.00")
    assert plan.outcome is not None
    return SettlementFacts(
        outcome=plan.outcome,  # type: ignore[arg-type]
        audited_base=base,
        cap=plan.subsidy_cap,
        paid=paid,
        unused_amount=plan.unused_amount or zero,
        noncompliant_amount=plan.noncompliant_amount or zero,
    )


def _apply(tranches: Sequence[Tranche], decision: SettlementDecision) -> None:
    amounts = dict(decision.acceptance_tranches)
    for tranche in tranches:
        if tranche.seq in amounts:
            tranche.amount = amounts[tranche.seq]
            tranche.status = "due" if tranche.amount > 0 else "cancelled"
        elif tranche.status in ("due", "planned"):  # unpaid approval or mid-term tranches
            tranche.status = "cancelled"
