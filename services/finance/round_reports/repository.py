"""Money per challenge of a round, aggregated in SQL (one round trip)."""

import uuid
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.finance.clawbacks.models import Clawback
from services.finance.disbursements.models import Disbursement
from services.finance.funding.models import FundingPlan

ZERO = Decimal("0.00")


async def money_by_challenge(
    session: AsyncSession, city: str, round_id: uuid.UUID
) -> dict[uuid.UUID, tuple[Decimal, Decimal, Decimal]]:
    """challenge id → (committed, paid, clawed back) for the round's funding plans."""
    paid = (
        select(func.coalesce(func.sum(Disbursement.amount), ZERO))
        .where(Disbursement.plan_id == FundingPlan.id, Disbursement.status == "paid")
        .correlate(FundingPlan)
        .scalar_subquery()
    )
    clawed = (
        select(func.coalesce(func.sum(Clawback.amount), ZERO))
        .where(Clawback.plan_id == FundingPlan.id)
        .correlate(FundingPlan)
        .scalar_subquery()
    )
    committed = func.coalesce(FundingPlan.recomputed_subsidy, FundingPlan.subsidy_cap)
    statement = (
        select(
            FundingPlan.challenge_id,
            func.sum(committed),
            func.sum(paid),
            func.sum(clawed),
        )
        .where(FundingPlan.city == city, FundingPlan.round_id == round_id)
        .group_by(FundingPlan.challenge_id)
    )
    rows = (await session.execute(statement)).all()
    return {row[0]: (row[1], row[2], row[3]) for row in rows if row[0] is not None}
