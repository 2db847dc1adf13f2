"""Every query of disbursements."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams, apply_keyset, split_page
from services.finance.disbursements.models import Disbursement


@dataclass(frozen=True)
class DisbursementFilter:
    city: str
    project_id: uuid.UUID | None = None
    status: str | None = None
    since: datetime | None = None
    until: datetime | None = None


async def get(
    session: AsyncSession, city: str, disbursement_id: uuid.UUID, *, lock: bool = False
) -> Disbursement | None:
    statement = select(Disbursement).where(
        Disbursement.city == city, Disbursement.id == disbursement_id
    )
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    found: Disbursement | None = await session.scalar(statement)
    return found


def _filtered(f: DisbursementFilter) -> Select[Any]:
    statement = select(Disbursement).where(Disbursement.city == f.city)
    if f.project_id:
        statement = statement.where(Disbursement.project_id == f.project_id)
    if f.status:
        statement = statement.where(Disbursement.status == f.status)
    if f.since:
        statement = statement.where(Disbursement.created_at >= f.since)
    if f.until:
        statement = statement.where(Disbursement.created_at < f.until)
    return statement


async def page(
    session: AsyncSession, f: DisbursementFilter, params: PageParams
) -> tuple[list[Disbursement], str | None]:
    rows = (await session.scalars(apply_keyset(_filtered(f), Disbursement, params))).all()
    return split_page(list(rows), params)


def ordered(f: DisbursementFilter) -> Select[Any]:
    """Oldest first (exports)."""
    return _filtered(f).order_by(Disbursement.created_at, Disbursement.id)


async def all_rows(
    session: AsyncSession, f: DisbursementFilter, limit: int
) -> Sequence[Disbursement]:
    statement = ordered(f).limit(limit)
    found: Sequence[Disbursement] = (await session.scalars(statement)).all()
    return found


async def pending_for_tranche(session: AsyncSession, tranche_id: uuid.UUID) -> Disbursement | None:
    found: Disbursement | None = await session.scalar(
        select(Disbursement)
        .where(Disbursement.tranche_id == tranche_id, Disbursement.status == "pending_approval")
        .with_for_update()
    )
    return found
