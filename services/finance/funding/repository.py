"""Every query of funding plans and tranches."""

import uuid
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from services.finance.disbursements.models import Disbursement
from services.finance.funding.models import FundingPlan, Tranche

OPEN_TRANCHE = ("planned", "due", "paying")


async def get_plan(
    session: AsyncSession, project_id: uuid.UUID, *, lock: bool = False
) -> FundingPlan | None:
    """The plan of a project in any city (the caller compares cities), with its tranches."""
    statement = select(FundingPlan).where(FundingPlan.project_id == project_id)
    if lock:
        statement = statement.with_for_update()
    statement = statement.options(selectinload(FundingPlan.tranches)).execution_options(
        populate_existing=True
    )
    plan: FundingPlan | None = await session.scalar(statement)
    return plan


async def lock_tranches(session: AsyncSession, plan_id: uuid.UUID) -> Sequence[Tranche]:
    rows = await session.scalars(
        select(Tranche)
        .where(Tranche.plan_id == plan_id)
        .order_by(Tranche.seq)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return rows.all()


async def lock_tranche(
    session: AsyncSession, city: str, project_id: uuid.UUID, seq: int
) -> Tranche | None:
    tranche: Tranche | None = await session.scalar(
        select(Tranche)
        .where(Tranche.city == city, Tranche.project_id == project_id, Tranche.seq == seq)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return tranche


async def lock_tranche_by_id(session: AsyncSession, tranche_id: uuid.UUID) -> Tranche:
    tranche: Tranche | None = await session.scalar(
        select(Tranche)
        .where(Tranche.id == tranche_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert tranche is not None
    return tranche


async def totals(session: AsyncSession, plan_id: uuid.UUID) -> tuple[Decimal, Decimal]:
    """(paid, outstanding) summed by the database in one round trip."""
    zero = Decimal("0.00")
    paid = (
        select(func.coalesce(func.sum(Disbursement.amount), zero))
        .where(Disbursement.plan_id == plan_id, Disbursement.status == "paid")
        .scalar_subquery()
    )
    outstanding = (
        select(func.coalesce(func.sum(Tranche.amount), zero))
        .where(Tranche.plan_id == plan_id, Tranche.status.in_(OPEN_TRANCHE))
        .scalar_subquery()
    )
    row = (await session.execute(select(paid, outstanding))).one()
    return Decimal(row[0]), Decimal(row[1])


async def outcome_of(session: AsyncSession, plan_id: uuid.UUID) -> str | None:
    """The acceptance outcome recorded on the plan, or None before acceptance."""
    outcome: str | None = await session.scalar(
        select(FundingPlan.outcome).where(FundingPlan.id == plan_id)
    )
    return outcome


async def version_of(session: AsyncSession, city: str, project_id: uuid.UUID) -> str | None:
    """The rule-set version the project's plan was computed under (its round's)."""
    version: str | None = await session.scalar(
        select(FundingPlan.ruleset_version).where(
            FundingPlan.city == city, FundingPlan.project_id == project_id
        )
    )
    return version
