"""The shape of a policy decision, shared by every service's pure rule functions.

A rule function takes a rule set and facts and returns ``Violation``s, each with its clause and
an explanation in English and Chinese. ``enforce`` turns them into a refusal: hard limits always
refuse; soft ("in principle", 原则上) limits refuse unless a ``bureau`` user gives a written
reason, in which case the overridden violations are returned to be recorded and shown.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from common.auth import Claims, Role
from common.errors import RuleViolation, RuleViolationItem
from common.rulesets.schema import Enforcement


@dataclass(frozen=True)
class Violation:
    code: str
    clause: str | None
    detail: str
    detail_zh: str
    enforcement: Enforcement = "hard"

    def item(self) -> RuleViolationItem:
        return RuleViolationItem(
            code=self.code, clause=self.clause, detail=self.detail, detail_zh=self.detail_zh
        )


def enforce(
    violations: Sequence[Violation],
    *,
    user: Claims,
    override_reason: str | None = None,
) -> list[Violation]:
    """Raise ``RuleViolation`` (422) unless every violation is soft and overridden by a bureau
    user with a reason; return the overridden ones for the audit trail."""
    if not violations:
        return []
    can_override = user.role == Role.bureau and bool(override_reason and override_reason.strip())
    blocking = [v for v in violations if v.enforcement == "hard" or not can_override]
    if blocking:
        raise RuleViolation.of([v.item() for v in blocking])
    return list(violations)
