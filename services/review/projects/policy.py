"""Process management (过程管理) rules for change requests as pure functions.

URC 二(七): indicators may not be lowered, the solver may not be replaced, the chief scientist
not changed at will. HZ 三(七): member changes need approval; extension at most one year.
"""

from typing import Literal

from common.policy import Violation
from common.rulesets.schema import RuleSet

ChangeKind = Literal["extension", "member_change", "pi_change", "lower_indicator", "replace_solver"]
IMMUTABLE: frozenset[str] = frozenset({"lower_indicator", "replace_solver"})


def change_violations(
    rules: RuleSet,
    kind: str,
    *,
    months: int | None = None,
    extended_so_far: int = 0,
    reason: str | None = None,
) -> list[Violation]:
    projects = rules.projects
    if kind in IMMUTABLE:
        what = "lower an indicator" if kind == "lower_indicator" else "replace the solver"
        return [
            Violation(
                f"projects.{kind}",
                projects.immutable_clause,
                f"A project may not {what}",
                "项目实施中不得降低考核指标、不得更换揭榜方",
            )
        ]
    if kind == "pi_change" and projects.pi_change_needs_approval and not (reason or "").strip():
        return [
            Violation(
                "projects.pi_change_reason",
                projects.changes_clause,
                "A change of principal investigator needs a written reason",
                "变更项目负责人须说明理由并经批准",
            )
        ]
    limit = projects.extension_max_months
    if kind == "extension" and limit is not None and extended_so_far + (months or 0) > limit.value:
        return [
            Violation(
                "projects.extension_max",
                limit.clause,
                f"Extensions total at most {limit.value} months; {extended_so_far} already "
                f"granted, {months} more asked",
                f"项目延期累计不超过 {limit.value} 个月",
                limit.enforcement,
            )
        ]
    return []
