"""When the bureau may decide, and what an approval becomes (立项 or 未完成揭榜).

URC 二(五): passed review but no agreement signed → not completed; may re-apply next round.
An agreement dated after the moment of the decision is not signed yet.

Tests: tests/review/test_policy.py, tests/review/test_decision_integrity.py.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from common.policy import Violation
from common.rulesets.schema import RuleSet
from services.review.agreements.policy import MoneyBase
from services.review.explain import step

Outcome = Literal["approved", "rejected", "not_completed"]


@dataclass(frozen=True)
class Blocker:
    code: str
    detail: str


def blockers(
    status: str, closes_at: datetime | None, now: datetime, open_objections: int
) -> list[Blocker]:
    """Reasons the decision must wait: publicity not opened, still running, objections open."""
    if status != "public" or closes_at is None:
        return [Blocker("decision.not_public", "The results have not been made public")]
    found: list[Blocker] = []
    if now < closes_at:
        found.append(
            Blocker(
                "decision.publicity_running",
                f"The publicity period runs until {closes_at.isoformat()}",
            )
        )
    if open_objections:
        found.append(
            Blocker("decision.objection_open", f"{open_objections} objection(s) are not resolved")
        )
    return found


def outcome(
    rules: RuleSet, approve: bool, agreement_signed_at: datetime | None
) -> tuple[Outcome, dict[str, Any]]:
    clause = rules.projects.agreement_required_clause
    establishment = rules.procedure.step("establishment")
    cited = establishment.clause if establishment else None
    if not approve:
        return "rejected", step(
            "decision.rejected", cited, "The bureau rejected the application", "不予立项"
        )
    if clause and agreement_signed_at is None:
        return "not_completed", step(
            "projects.agreement_required",
            clause,
            "Passed review but no agreement signed: not completed; may re-apply next round",
            "评审通过但未签订揭榜协议，视为未完成揭榜，可参加下一轮揭榜",
        )
    return "approved", step(
        "decision.approved", clause or cited, "Approved: a project is created", "同意立项"
    )


def agreement_violations(
    rules: RuleSet, agreement_signed_at: datetime | None, now: datetime
) -> list[Violation]:
    """An agreement cannot count as signed at a moment that has not come yet (URC 二(五))."""
    if agreement_signed_at is None or agreement_signed_at <= now:
        return []
    return [
        Violation(
            "decision.agreement_in_future",
            rules.projects.agreement_required_clause or rules.review.winner.clause,
            f"The agreement is dated {agreement_signed_at.isoformat()}, after now "
            f"({now.isoformat()}): it is not signed yet",
            "揭榜协议签订日期晚于当前时间，不能视为已签订",
        )
    ]


def money_step(base: MoneyBase) -> dict[str, Any]:
    """The amounts the project and its funding plan rest on, and where each comes from."""
    return step(
        "decision.money_base",
        None,
        f"Money base: bounty {base.bounty_amount:,.2f} ({base.sources['bounty_amount']}), "
        f"total investment {base.total_investment:,.2f} ({base.sources['total_investment']})",
        f"资金依据：揭榜金额 {base.bounty_amount:,.2f}，项目总投入 {base.total_investment:,.2f}",
        bounty_amount=base.bounty_amount,
        total_investment=base.total_investment,
        equity_contribution_valuation=base.equity_contribution_valuation,
        requested_subsidy=base.requested_subsidy,
        sources=base.sources,
    )
