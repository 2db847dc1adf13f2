"""The money base of an approval (DOMAIN.md §5) as a pure function: the demand and the
application as submitted, replaced field by field only by agreement terms a second bureau user
approved. Never an amount typed at decision time.

Tests: tests/review/test_agreements_policy.py (pure), tests/review/test_decision_money.py
(through the gateway).
"""

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

ZERO = Decimal("0.00")
TERMS_FIELDS = ("bounty_amount", "total_investment", "equity_contribution_valuation")


@dataclass(frozen=True)
class MoneyBase:
    bounty_amount: Decimal
    total_investment: Decimal
    equity_contribution_valuation: Decimal
    requested_subsidy: Decimal | None
    sources: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ApprovedTerms:
    id: str
    bounty_amount: Decimal | None = None
    total_investment: Decimal | None = None
    equity_contribution_valuation: Decimal | None = None


def _amount(value: Any) -> Decimal | None:
    return Decimal(str(value)) if value is not None else None


def submitted_base(demand: dict[str, Any], application: dict[str, Any]) -> MoneyBase:
    """The bounty and total investment from the demand (the total from the application's budget
    when the demand states none), the amount applied for from the application; no equity."""
    total = _amount(demand.get("total_investment"))
    total_from = "demand"
    if total is None:
        total, total_from = _amount(application.get("total_budget")), "application"
    return MoneyBase(
        bounty_amount=_amount(demand.get("bounty_amount")) or ZERO,
        total_investment=total or ZERO,
        equity_contribution_valuation=ZERO,
        requested_subsidy=_amount(application.get("requested_subsidy")),
        sources={
            "bounty_amount": "demand",
            "total_investment": total_from,
            "equity_contribution_valuation": "none",
            "requested_subsidy": "application",
        },
    )


def with_terms(base: MoneyBase, terms: ApprovedTerms | None) -> MoneyBase:
    """Each amount the approved agreement terms name replaces the submitted one."""
    if terms is None:
        return base
    changed = {f: getattr(terms, f) for f in TERMS_FIELDS if getattr(terms, f) is not None}
    sources = {**base.sources, **{f: f"agreement_terms:{terms.id}" for f in changed}}
    return replace(base, **changed, sources=sources)
