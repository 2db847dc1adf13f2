"""Process management (过程管理) and acceptance (验收) rules as pure functions.

URC 二(七): indicators may not be lowered, the solver may not be replaced, the chief scientist
not changed at will. HZ 三(七): member changes need approval; extension at most one year.
"""

from decimal import Decimal
from typing import Literal

from common.policy import Violation
from common.rulesets.schema import RuleSet

ChangeKind = Literal["extension", "member_change", "pi_change", "lower_indicator", "replace_solver"]
IMMUTABLE: frozenset[str] = frozenset({"lower_indicator", "replace_solver"})
ZERO = Decimal("0.00")


def change_violations(
    rules: RuleSet,
    kind: str,
    *,
    months: int | None = None,
    extended_so_far: int = 0,
    reason: str | None = None,
    document_kinds: frozenset[str] = frozenset(),
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
    missing = [d for d in projects.member_change_documents if d not in document_kinds]
    if kind == "member_change" and missing:
        return [
            Violation(
                "projects.member_change_documents",
                projects.changes_clause,
                f"A consortium member change comes with: {', '.join(missing)}",
                f"联合体成员变更须报批：{'、'.join(missing)}（联合体建设方案和组建协议）",
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


def acceptance_violations(
    rules: RuleSet, accepted_by: str | None, audit_firm: str | None
) -> list[Violation]:
    """URC 二(七): joint acceptance by the bureau or a commissioned third party, and a special
    audit report by a qualified accounting firm, named on the record."""
    spec = rules.projects.acceptance
    if spec is None:
        return []
    found = []
    if accepted_by not in spec.by:
        found.append(
            Violation(
                "projects.acceptance_by",
                spec.clause,
                f"The acceptance is carried out by one of: {', '.join(spec.by)}",
                "验收须由科技部门或其委托的第三方组织联合验收",
            )
        )
    if spec.audit_report_required and not audit_firm:
        found.append(
            Violation(
                "projects.audit_report",
                spec.clause,
                "The special audit report and the accounting firm that issued it are required",
                "须由符合条件的会计师事务所出具专项审计报告",
            )
        )
    return found


def acceptance_fact_violations(
    rules: RuleSet, facts: dict[str, Decimal | None], paid: Decimal
) -> list[Violation]:
    """What an acceptance must state before it is recorded (HZ 三(八), URC 二(七)): the figure
    the city's settlement rests on (``funding.settlement.base``, e.g. ``audited_bounty_paid`` in
    Urumqi), and unused + non-compliant amounts within what was paid (issue #11 item 8).

    Tests: tests/review/test_integrity_policy.py, tests/review/projects/test_acceptance.py.
    """
    settlement = rules.funding.settlement
    found: list[Violation] = []
    if facts.get(settlement.base) is None:
        found.append(
            Violation(
                "acceptance.fact_missing",
                settlement.clause,
                f"The acceptance must state {settlement.base}: the settlement rests on it",
                f"验收结果须载明结算依据 {settlement.base}",
            )
        )
    findings = (facts.get("unused_amount") or ZERO) + (facts.get("noncompliant_amount") or ZERO)
    if findings > paid:
        found.append(
            Violation(
                "acceptance.findings_inconsistent",
                settlement.clawback_clause,
                f"Unused + non-compliant amounts {findings:,.2f} exceed the {paid:,.2f} paid",
                f"结余与不合规支出之和 {findings:,.2f} 超过已拨付 {paid:,.2f}",
            )
        )
    return found
