"""Settlement after acceptance (验收结算): recompute the subsidy, pay the rest or claw back.

recomputed = min(rate × audited base, cap) × factor[outcome]. Rounded half-up to the fen at two
points only: ``rate × audited base``, and the product with the factor. When the factor is above
zero, the rest (recomputed − paid) is the acceptance tranche; when recomputed is below what was
paid, the excess plus the unused and non-compliant amounts the audit found are clawed back.
When the factor is zero (closed or failed) nothing more is paid and only the unused and
non-compliant amounts are clawed back (HZ 三(八) reclaims those, not the money spent properly).
A claw-back never exceeds what was paid.
"""

from dataclasses import dataclass
from decimal import Decimal

from common.money import to_fen
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


def settle(ruleset: RuleSet, facts: SettlementFacts) -> SettlementDecision:
    rules = ruleset.funding.settlement
    factor = rules.factors[facts.outcome]
    by_rate = to_fen(rules.rate * facts.audited_base)
    recomputed = to_fen(min(by_rate, facts.cap) * factor)
    if factor == 0:
        remaining, excess = ZERO, ZERO
        reclaim = facts.unused_amount + facts.noncompliant_amount
    else:
        remaining = max(recomputed - facts.paid, ZERO)
        excess = max(facts.paid - recomputed, ZERO)
        reclaim = excess + facts.unused_amount + facts.noncompliant_amount if excess else ZERO
    clawback = min(reclaim, facts.paid)
    seqs = [t for t in ruleset.funding.tranches if t.due == "acceptance"]
    shares = _split(remaining, [t.share for t in seqs])
    tranches = tuple((t.seq, a) for t, a in zip(seqs, shares, strict=True))
    formula = _explain(ruleset, facts, factor, by_rate, recomputed, remaining, excess, clawback)
    return SettlementDecision(factor, recomputed, remaining, tranches, clawback, excess, formula)


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
    remaining: Decimal,
    excess: Decimal,
    clawback: Decimal,
) -> Formula:
    rules = ruleset.funding.settlement
    base_en, base_zh = label(rules.base)
    out_en, out_zh = OUTCOME_LABELS[facts.outcome]
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
        en.append("no further tranche")
        zh.append("不再拨付后续资金")
    else:
        en.append(f"rest paid = max(recomputed − paid, 0) = {money(remaining)}")
        zh.append(f"拨付余额 = max(核定补助 − 已拨付, 0) = {money(remaining)}")
    if clawback:
        parts_en = [
            f"unused {money(facts.unused_amount)}",
            f"non-compliant {money(facts.noncompliant_amount)}",
        ]
        parts_zh = [
            f"结余 {money(facts.unused_amount)}",
            f"不合规支出 {money(facts.noncompliant_amount)}",
        ]
        if excess:
            parts_en.insert(0, f"paid above recomputed {money(excess)}")
            parts_zh.insert(0, f"超拨 {money(excess)}")
        en.append(
            f"claw-back = min({' + '.join(parts_en)}, paid) = {money(clawback)}"
            f" ({rules.clawback_clause})"
        )
        zh.append(
            f"收回 = min({' + '.join(parts_zh)}, 已拨付) = {money(clawback)}"
            f"（{rules.clawback_clause}）"
        )
    clauses = (rules.clause, rules.factors_clause, *([rules.clawback_clause] if clawback else []))
    return Formula("; ".join(en), "；".join(zh), tuple(dict.fromkeys(clauses)))
