"""Settlement after acceptance (验收结算): recompute the subsidy, pay the rest or claw back.

One amount decides everything: what the project **keeps** (HZ 三(六), 三(八)).

    recomputed = min(rate × audited base, cap) × factor[outcome]
    findings   = unused + non-compliant amounts the special audit found
    kept       = max(0, recomputed − findings)                          factor > 0
    kept       = max(0, min(paid, recomputed at the lowest factor above 0) − findings)
                                                                        factor = 0 (closed, failed)
    rest paid  = max(kept − paid, 0)        claw-back = max(paid − kept, 0)

So the amount kept never rises when the findings grow, when the audited base falls, or when the
outcome is worse (a closed or failed project keeps at most what the weakest passing outcome
would, and nothing is paid to it), and it never jumps: every term is continuous, so at
paid = recomputed the rest and the claw-back both pass through 0 (issue #11 item 10). Findings
above what was paid are inconsistent and refused before this runs (``findings_violations``).
Rounded half-up to the fen at two points only: ``rate × audited base``, and the product with
the factor.

Tests: tests/finance/test_policy.py (worked examples), tests/finance/settlements/
test_continuity.py (monotonicity and continuity, property-style), tests/finance/
test_money_flow.py (through the gateway).
"""

from dataclasses import dataclass
from decimal import Decimal

from common.money import to_fen
from common.policy import Violation
from common.rulesets.schema import Outcome, RuleSet
from services.finance.funding.policy import ZERO, Formula, label, money, percent

OUTCOME_LABELS: dict[str, tuple[str, str]] = {
    "passed": ("passed", "通过验收"),
    "shortfall": ("passed with a shortfall", "未完全达到目标"),
    "shortfall_consortium": (
        "shortfall and the consortium did not play its role",
        "未完全达标且创新联合体未发挥作用",
    ),
    "closed": ("closed without passing", "结题未通过"),
    "failed": ("failed", "验收不通过"),
}


@dataclass(frozen=True)
class SettlementFacts:
    outcome: Outcome
    audited_base: Decimal
    cap: Decimal
    paid: Decimal
    unused_amount: Decimal
    noncompliant_amount: Decimal


@dataclass(frozen=True)
class SettlementDecision:
    factor: Decimal
    recomputed: Decimal
    remaining: Decimal
    acceptance_tranches: tuple[tuple[int, Decimal], ...]
    clawback: Decimal
    excess: Decimal
    formula: Formula
    kept: Decimal = ZERO


@dataclass(frozen=True)
class Amounts:
    kept: Decimal
    remaining: Decimal
    clawback: Decimal


def settle(ruleset: RuleSet, facts: SettlementFacts) -> SettlementDecision:
    rules = ruleset.funding.settlement
    factor = rules.factors[facts.outcome]
    by_rate = to_fen(rules.rate * facts.audited_base)
    recomputed = to_fen(min(by_rate, facts.cap) * factor)
    findings = facts.unused_amount + facts.noncompliant_amount
    if factor == 0:
        kept = max(min(facts.paid, _weakest_pass(ruleset, by_rate, facts.cap)) - findings, ZERO)
    else:
        kept = max(recomputed - findings, ZERO)
    remaining = max(kept - facts.paid, ZERO)
    clawback = max(facts.paid - kept, ZERO)
    excess = max(facts.paid - recomputed, ZERO) if factor else ZERO
    seqs = [t for t in ruleset.funding.tranches if t.due == "acceptance"]
    shares = _split(remaining, [t.share for t in seqs])
    tranches = tuple((t.seq, a) for t, a in zip(seqs, shares, strict=True))
    formula = _explain(
        ruleset, facts, factor, by_rate, recomputed, Amounts(kept, remaining, clawback)
    )
    return SettlementDecision(
        factor, recomputed, remaining, tranches, clawback, excess, formula, kept
    )


def _weakest_pass(ruleset: RuleSet, by_rate: Decimal, cap: Decimal) -> Decimal:
    """The subsidy at the lowest factor above 0: what a closed or failed project keeps at most."""
    positive = [f for f in ruleset.funding.settlement.factors.values() if f > 0]
    return to_fen(min(by_rate, cap) * min(positive)) if positive else ZERO


def findings_violations(ruleset: RuleSet, facts: SettlementFacts) -> list[Violation]:
    """Unused and non-compliant amounts are parts of what was paid; more than that cannot be
    right and is refused, never silently capped (issue #11 item 8)."""
    findings = facts.unused_amount + facts.noncompliant_amount
    if findings <= facts.paid:
        return []
    rules = ruleset.funding.settlement
    return [
        Violation(
            "settlement.findings_inconsistent",
            rules.clawback_clause,
            f"Unused {money(facts.unused_amount)} + non-compliant "
            f"{money(facts.noncompliant_amount)} exceed the {money(facts.paid)} paid; correct "
            "the acceptance",
            f"结余 {money(facts.unused_amount)} 与不合规支出 {money(facts.noncompliant_amount)} "
            f"之和超过已拨付 {money(facts.paid)}，请更正验收结果",
        )
    ]


def _split(total: Decimal, shares: list[Decimal]) -> list[Decimal]:
    """The rest in proportion to the acceptance tranches' shares; the last takes the remainder."""
    if not shares:
        return []
    whole = sum(shares, Decimal(0))
    parts = [to_fen(total * s / whole) for s in shares]
    parts[-1] = total - sum(parts[:-1], ZERO)
    return parts


def _explain(
    ruleset: RuleSet,
    facts: SettlementFacts,
    factor: Decimal,
    by_rate: Decimal,
    recomputed: Decimal,
    amounts: Amounts,
) -> Formula:
    rules = ruleset.funding.settlement
    base_en, base_zh = label(rules.base)
    out_en, out_zh = OUTCOME_LABELS[facts.outcome]
    found_en = (
        f"unused {money(facts.unused_amount)} − non-compliant {money(facts.noncompliant_amount)}"
    )
    found_zh = f"结余 {money(facts.unused_amount)} − 不合规支出 {money(facts.noncompliant_amount)}"
    en = [
        f"recomputed subsidy = min({percent(rules.rate)} × {base_en} {money(facts.audited_base)}"
        f" = {money(by_rate)}, cap {money(facts.cap)}) × {percent(factor)} ({out_en})"
        f" = {money(recomputed)} ({rules.clause}, {rules.factors_clause})",
        f"already paid {money(facts.paid)}",
    ]
    zh = [
        f"核定补助 = min({percent(rules.rate)} × {base_zh} {money(facts.audited_base)}"
        f" = {money(by_rate)}, 上限 {money(facts.cap)}) × {percent(factor)}（{out_zh}）"
        f" = {money(recomputed)}（{rules.clause}，{rules.factors_clause}）",
        f"已拨付 {money(facts.paid)}",
    ]
    if factor == 0:
        en.append(
            f"kept = max(0, min(paid, subsidy at the lowest passing factor) − {found_en})"
            f" = {money(amounts.kept)}; no further tranche ({rules.clawback_clause})"
        )
        zh.append(
            f"保留 = max(0, min(已拨付, 最低合格系数下的核定补助) − {found_zh})"
            f" = {money(amounts.kept)}；不再拨付后续资金（{rules.clawback_clause}）"
        )
    else:
        en.append(
            f"kept = max(0, recomputed − {found_en}) = {money(amounts.kept)} "
            f"({rules.clawback_clause}); rest paid = max(kept − paid, 0) = "
            f"{money(amounts.remaining)}"
        )
        zh.append(
            f"保留 = max(0, 核定补助 − {found_zh}) = {money(amounts.kept)}"
            f"（{rules.clawback_clause}）；拨付余额 = max(保留 − 已拨付, 0) = "
            f"{money(amounts.remaining)}"
        )
    if amounts.clawback:
        en.append(f"claw-back = paid − kept = {money(amounts.clawback)} ({rules.clawback_clause})")
        zh.append(f"收回 = 已拨付 − 保留 = {money(amounts.clawback)}（{rules.clawback_clause}）")
    clauses = (rules.clause, rules.factors_clause, rules.clawback_clause)
    return Formula("; ".join(en), "；".join(zh), tuple(dict.fromkeys(clauses)))
