"""How much subsidy (财政补助) a project gets and in which tranches: pure, from the rule set only.

Rounding happens at two points only, half-up to the fen: (1) the cap, once ``rate × base`` is
computed; (2) each tranche, once ``share × cap`` is computed, the last tranche taking the
remainder so the tranches always add up to the cap exactly.
"""

from dataclasses import dataclass
from decimal import Decimal

from common.money import to_fen
from common.money_base import base_violations
from common.policy import Violation
from common.rulesets.schema import RuleSet, Tranche
from common.rulesets.vocabulary import DUE_LABELS, MONEY_FACTS

ZERO = Decimal("0.00")

LABELS = MONEY_FACTS  # the facts a rule set may name, in both languages


@dataclass(frozen=True)
class Formula:
    """The computation in words, English and Chinese, with every clause it rests on."""

    en: str
    zh: str
    clauses: tuple[str, ...]


@dataclass(frozen=True)
class PlanFacts:
    bounty_amount: Decimal
    total_investment: Decimal
    requested_subsidy: Decimal | None
    equity_contribution_valuation: Decimal
    over_quota: bool


@dataclass(frozen=True)
class TrancheAmount:
    seq: int
    share: Decimal
    due: str
    amount: Decimal
    clause: str


@dataclass(frozen=True)
class PlanDecision:
    cap: Decimal
    tranches: tuple[TrancheAmount, ...]
    formula: Formula


def money(value: Decimal) -> str:
    return f"{value:,.2f}"


def percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def label(name: str) -> tuple[str, str]:
    return LABELS.get(name, (name.replace("_", " "), name))


def plan_subsidy(ruleset: RuleSet, facts: PlanFacts) -> PlanDecision:
    """The subsidy cap and its tranches for a newly approved project."""
    over_quota_rule = ruleset.demands.over_quota
    if over_quota_rule is not None and facts.over_quota:
        cap_text = (
            "The owner is over its project quota: no subsidy, cap = 0.00",
            "发榜方超过限项：不予资助，补助上限 = 0.00",
        )
        cap, clauses = ZERO, [over_quota_rule.clause]
    else:
        cap, cap_text = _cap(ruleset, facts)
        clauses = [ruleset.funding.clause]
    tranches = split_tranches(ruleset.funding.tranches, cap)
    en, zh = [cap_text[0]], [cap_text[1]]
    for t in tranches:
        when_en, when_zh = DUE_LABELS[t.due]
        en.append(
            f"tranche {t.seq} = {percent(t.share)} × cap = {money(t.amount)}, "
            f"{when_en} ({t.clause})"
        )
        zh.append(
            f"第{t.seq}笔 = {percent(t.share)} × 上限 = {money(t.amount)}，{when_zh}（{t.clause}）"
        )
        clauses.append(t.clause)
    return PlanDecision(
        cap=cap,
        tranches=tranches,
        formula=Formula("; ".join(en), "；".join(zh), tuple(dict.fromkeys(clauses))),
    )


def _cap(ruleset: RuleSet, facts: PlanFacts) -> tuple[Decimal, tuple[str, str]]:
    """rate × (base − excluded amounts), then at most the amount applied for when required."""
    funding = ruleset.funding
    base_en, base_zh = label(funding.base)
    base = Decimal(getattr(facts, funding.base))
    terms_en, terms_zh = [f"{base_en} {money(base)}"], [f"{base_zh} {money(base)}"]
    eligible = base
    for name in funding.excluded:
        value = getattr(facts, name, None)
        if value is None:  # not part of the base to begin with (e.g. other R&D spend)
            continue
        eligible -= Decimal(value)
        name_en, name_zh = label(name)
        terms_en.append(f"{name_en} {money(value)}")
        terms_zh.append(f"{name_zh} {money(value)}")
    eligible = max(eligible, ZERO)
    by_rate = to_fen(funding.rate * eligible)
    rate_en = f"{percent(funding.rate)} × ({' − '.join(terms_en)})"
    rate_zh = f"{percent(funding.rate)} × ({' − '.join(terms_zh)})"
    if len(terms_en) == 1:
        rate_en, rate_zh = (
            f"{percent(funding.rate)} × {terms_en[0]}",
            f"{percent(funding.rate)} × {terms_zh[0]}",
        )
    terms_of_min_en, terms_of_min_zh = [rate_en], [rate_zh]
    candidates = [by_rate]
    clauses = [funding.clause]
    if funding.cap_by_requested and facts.requested_subsidy is not None:
        req = money(facts.requested_subsidy)
        candidates.append(facts.requested_subsidy)
        terms_of_min_en.append(f"amount applied for {req}")
        terms_of_min_zh.append(f"申请补助 {req}")
    if funding.cap_max is not None:
        ceiling = funding.cap_max.value
        candidates.append(ceiling)
        terms_of_min_en.append(f"ceiling {money(ceiling)}")
        terms_of_min_zh.append(f"补助上限额 {money(ceiling)}")
        clauses.append(funding.cap_max.clause)
    cap = min(candidates)
    cited = ", ".join(dict.fromkeys(clauses))
    if len(candidates) == 1:
        return cap, (
            f"subsidy cap = {rate_en} = {money(cap)} ({cited})",
            f"补助上限 = {rate_zh} = {money(cap)}（{cited}）",
        )
    return cap, (
        f"subsidy cap = min({', '.join(terms_of_min_en)}) = {money(cap)} ({cited})",
        f"补助上限 = min({', '.join(terms_of_min_zh)}) = {money(cap)}（{cited}）",
    )


def split_tranches(tranches: list[Tranche], cap: Decimal) -> tuple[TrancheAmount, ...]:
    """share × cap per tranche; when the shares make the whole cap, the last takes the rest."""
    amounts = [to_fen(t.share * cap) for t in tranches]
    if sum(t.share for t in tranches) == 1:
        amounts[-1] = cap - sum(amounts[:-1], ZERO)
    return tuple(
        TrancheAmount(t.seq, t.share, t.due, amount, t.clause)
        for t, amount in zip(tranches, amounts, strict=True)
    )


def plan_violations(ruleset: RuleSet, facts: PlanFacts) -> list[Violation]:
    """No plan rests on a total investment below the hard minimum, a bounty beyond it, or (where
    the cap depends on it) a missing amount applied for: common.money_base."""
    return base_violations(
        ruleset,
        total_investment=facts.total_investment,
        bounty_amount=facts.bounty_amount,
        requested_subsidy=facts.requested_subsidy,
    )
