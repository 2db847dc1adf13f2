"""The money base of an approval (services.review.agreements.policy), pure."""

from decimal import Decimal as D

from services.review.agreements.policy import ApprovedTerms, submitted_base, with_terms

DEMAND = {"bounty_amount": "8000000.00", "total_investment": "12000000.00"}
APPLICATION = {"total_budget": "9000000.00", "requested_subsidy": "3000000.00"}


def test_the_submitted_facts_are_the_base() -> None:
    base = submitted_base(DEMAND, APPLICATION)
    assert (base.bounty_amount, base.total_investment) == (D("8000000.00"), D("12000000.00"))
    assert base.equity_contribution_valuation == D("0.00")
    assert base.requested_subsidy == D("3000000.00")
    assert base.sources["total_investment"] == "demand"


def test_the_application_budget_stands_in_for_a_missing_demand_total() -> None:
    base = submitted_base({"bounty_amount": None}, APPLICATION)
    assert (base.bounty_amount, base.total_investment) == (D("0.00"), D("9000000.00"))
    assert base.sources["total_investment"] == "application"


def test_approved_terms_replace_only_what_they_name() -> None:
    terms = ApprovedTerms("t-1", bounty_amount=D("6000000.00"))
    base = with_terms(submitted_base(DEMAND, APPLICATION), terms)
    assert (base.bounty_amount, base.total_investment) == (D("6000000.00"), D("12000000.00"))
    assert base.sources["bounty_amount"] == "agreement_terms:t-1"
    assert base.sources["total_investment"] == "demand"
    assert with_terms(submitted_base(DEMAND, APPLICATION), None) == submitted_base(
        DEMAND, APPLICATION
    )
