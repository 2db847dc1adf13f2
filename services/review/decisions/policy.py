"""When the bureau may decide, and what an approval becomes (立项 or 未完成揭榜).

URC 二(五): passed review but no agreement signed → not completed; may re-apply next round.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from common.rulesets.schema import RuleSet
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
    if not approve:
        return "rejected", step(
            "decision.rejected", None, "The bureau rejected the application", "局务会议不予立项"
        )
    if clause and agreement_signed_at is None:
        return "not_completed", step(
            "projects.agreement_required",
            clause,
            "Passed review but no agreement signed: not completed; may re-apply next round",
            "评审通过但未签订揭榜协议，视为未完成揭榜，可参加下一轮揭榜",
        )
    return "approved", step(
        "decision.approved", clause, "Approved: a project is created", "同意立项"
    )
