"""Every query of claw-backs and repayments."""

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams, apply_keyset, split_page
from services.finance.clawbacks.models import Clawback


@dataclass(frozen=True)
class ClawbackFilter:
    city: str
    project_id: uuid.UUID | None = None
    status: str | None = None


async def lock(session: AsyncSession, city: str, clawback_id: uuid.UUID) -> Clawback | None:
    found: Clawback | None = await session.scalar(
        select(Clawback)
        .where(Clawback.city == city, Clawback.id == clawback_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return found


async def page(
    session: AsyncSession, f: ClawbackFilter, params: PageParams
) -> tuple[list[Clawback], str | None]:
    statement = select(Clawback).where(Clawback.city == f.city)
    if f.project_id:
        statement = statement.where(Clawback.project_id == f.project_id)
    if f.status:
        statement = statement.where(Clawback.status == f.status)
    rows = (await session.scalars(apply_keyset(statement, Clawback, params))).all()
    return split_page(list(rows), params)
