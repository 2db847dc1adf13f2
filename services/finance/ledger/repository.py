"""Every query of the ledger. Totals are computed by PostgreSQL, never summed in Python."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams, apply_keyset, split_page
from services.finance.ledger.models import (
    ChainHead,
    LedgerCheckpoint,
    LedgerEntry,
    LedgerTransaction,
)


@dataclass(frozen=True)
class EntryFilter:
    city: str
    project_id: uuid.UUID | None = None
    account: str | None = None
    since: datetime | None = None
    until: datetime | None = None


async def lock_chain_head(session: AsyncSession, city: str) -> ChainHead:
    """Create the city's head on first use, then lock it: postings of a city go one at a time."""
    await session.execute(insert(ChainHead).values(city=city).on_conflict_do_nothing())
    head: ChainHead | None = await session.scalar(
        select(ChainHead)
        .where(ChainHead.city == city)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert head is not None
    return head


async def chain_head(session: AsyncSession, city: str) -> ChainHead | None:
    return await session.get(ChainHead, city)


@dataclass(frozen=True)
class ChainLine:
    """One line with its transaction, as the hash covers both (``chain.canonical``)."""

    entry: Any
    transaction: Any
    seq: int
    hash: str
    prev_hash: str
    id: uuid.UUID


class _Columns:
    def __init__(self, row: Any, prefix: str) -> None:
        self._row, self._prefix = row, prefix

    def __getattr__(self, name: str) -> Any:
        return getattr(self._row, self._prefix + name)


_ENTRY = [c.label(f"e_{c.key}") for c in LedgerEntry.__table__.columns]
_TXN = [c.label(f"t_{c.key}") for c in LedgerTransaction.__table__.columns]


async def chain_batch(
    session: AsyncSession, city: str, after_seq: int, size: int, *, through: int | None = None
) -> list[ChainLine]:
    """Lines after ``after_seq`` (up to ``through``) in order, as plain rows: verifying 10⁶
    lines must not build 10⁶ ORM objects."""
    statement = (
        select(*_ENTRY, *_TXN)
        .join(LedgerTransaction, LedgerTransaction.id == LedgerEntry.transaction_id)
        .where(LedgerEntry.city == city, LedgerEntry.seq > after_seq)
        .order_by(LedgerEntry.seq)
        .limit(size)
    )
    if through is not None:
        statement = statement.where(LedgerEntry.seq <= through)
    rows = (await session.execute(statement)).all()
    return [
        ChainLine(_Columns(r, "e_"), _Columns(r, "t_"), r.e_seq, r.e_hash, r.e_prev_hash, r.e_id)
        for r in rows
    ]


async def line_at(session: AsyncSession, city: str, seq: int) -> LedgerEntry | None:
    return await session.scalar(
        select(LedgerEntry).where(LedgerEntry.city == city, LedgerEntry.seq == seq)
    )


async def latest_checkpoint(session: AsyncSession, city: str) -> LedgerCheckpoint | None:
    return await session.scalar(
        select(LedgerCheckpoint)
        .where(LedgerCheckpoint.city == city)
        .order_by(LedgerCheckpoint.seq.desc())
        .limit(1)
    )


async def cities_with_chains(session: AsyncSession) -> list[ChainHead]:
    return list((await session.scalars(select(ChainHead).where(ChainHead.seq > 0))).all())


async def unbalanced_transactions(
    session: AsyncSession, city: str, after_seq: int = 0
) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(LedgerEntry.transaction_id)
        .where(LedgerEntry.city == city, LedgerEntry.seq > after_seq)
        .group_by(LedgerEntry.transaction_id)
        .having(func.sum(LedgerEntry.amount) != 0)
    )
    return list(rows.all())


def _filtered(statement: Select[Any], f: EntryFilter) -> Select[Any]:
    statement = statement.where(LedgerEntry.city == f.city)
    if f.project_id:
        statement = statement.where(LedgerEntry.project_id == f.project_id)
    if f.account:
        statement = statement.where(LedgerEntry.account == f.account)
    if f.since:
        statement = statement.where(LedgerEntry.created_at >= f.since)
    if f.until:
        statement = statement.where(LedgerEntry.created_at < f.until)
    return statement


def ordered(f: EntryFilter) -> Select[Any]:
    """Every line the filter selects in booking order (the CSV export)."""
    return _filtered(select(LedgerEntry), f).order_by(LedgerEntry.seq)


async def list_entries(
    session: AsyncSession, f: EntryFilter, params: PageParams
) -> tuple[list[LedgerEntry], str | None]:
    statement = apply_keyset(_filtered(select(LedgerEntry), f), LedgerEntry, params)
    rows = (await session.scalars(statement)).all()
    return split_page(list(rows), params)


async def balances(
    session: AsyncSession, f: EntryFilter
) -> list[tuple[str, Decimal, Decimal, Decimal, int]]:
    """Per account: debits, credits (as positive numbers), balance, number of lines."""
    zero = Decimal("0")
    debit = func.coalesce(func.sum(case((LedgerEntry.amount > 0, LedgerEntry.amount))), zero)
    credit = func.coalesce(func.sum(case((LedgerEntry.amount < 0, -LedgerEntry.amount))), zero)
    statement = (
        _filtered(
            select(
                LedgerEntry.account,
                debit,
                credit,
                func.sum(LedgerEntry.amount),
                func.count(LedgerEntry.id),
            ),
            f,
        )
        .group_by(LedgerEntry.account)
        .order_by(LedgerEntry.account)
    )
    rows = await session.execute(statement)
    return [(r[0], r[1], r[2], r[3], r[4]) for r in rows.all()]


async def account_balance(session: AsyncSession, city: str, account: str) -> Decimal:
    value = await session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.amount), Decimal("0"))).where(
            LedgerEntry.city == city, LedgerEntry.account == account
        )
    )
    return Decimal(value or 0)
