"""Every query of budgets, their entries, commitments and journal.

``move`` is the one statement that changes a budget: a single UPDATE whose WHERE clause holds
the guard (what leaves ``available`` must be there), so concurrent commits and payments queue
on the row and each re-checks the guard against the totals the previous one left (PostgreSQL
re-evaluates the WHERE clause of a waiting UPDATE on the new row version).
"""

import uuid
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import Text, cast, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import BadRequest
from common.money import MAX_AMOUNT
from common.pagination import PageParams, apply_keyset, split_page
from services.finance.budgets.models import (
    Budget,
    BudgetCommitment,
    BudgetEntry,
    BudgetMovement,
)
from services.finance.budgets.policy import ZERO, BudgetState
from services.finance.ledger.accounts import subsidy_budget
from services.finance.ledger.models import LedgerEntry


async def ensure_budget(session: AsyncSession, city: str, year: int) -> None:
    await session.execute(
        insert(Budget)
        .values(id=uuid.uuid4(), city=city, year=year, appropriated=0, committed=0, paid=0)
        .on_conflict_do_nothing(index_elements=["city", "year"])
    )


async def move(
    session: AsyncSession,
    city: str,
    year: int,
    *,
    appropriated: Decimal = ZERO,
    committed: Decimal = ZERO,
    paid: Decimal = ZERO,
) -> BudgetState | None:
    """Apply the deltas if what they take from ``available`` is there; None if it is not (or
    the city has no budget for that year)."""
    statement = (
        update(Budget)
        .where(Budget.city == city, Budget.year == year)
        .values(
            appropriated=Budget.appropriated + appropriated,
            committed=Budget.committed + committed,
            paid=Budget.paid + paid,
            updated_at=func.now(),
        )
        .returning(Budget.appropriated, Budget.committed, Budget.paid)
        .execution_options(synchronize_session=False)
    )
    if appropriated > 0:  # never past what a MONEY column holds
        statement = statement.where(Budget.appropriated + appropriated <= MAX_AMOUNT)
    taken = committed + paid - appropriated
    if taken > 0:
        statement = statement.where(Budget.appropriated - Budget.committed - Budget.paid >= taken)
    row = (await session.execute(statement)).one_or_none()
    return BudgetState(*row) if row else None


async def state(session: AsyncSession, city: str, year: int) -> BudgetState | None:
    row = (
        await session.execute(
            select(Budget.appropriated, Budget.committed, Budget.paid).where(
                Budget.city == city, Budget.year == year
            )
        )
    ).one_or_none()
    return BudgetState(*row) if row else None


async def entries(
    session: AsyncSession, city: str, year: int | None, *, pending_only: bool = False
) -> Sequence[BudgetEntry]:
    statement = select(BudgetEntry).where(BudgetEntry.city == city)
    if year is not None:
        statement = statement.where(BudgetEntry.year == year)
    if pending_only:
        statement = statement.where(BudgetEntry.status == "pending")
    found: Sequence[BudgetEntry] = (
        await session.scalars(statement.order_by(BudgetEntry.created_at, BudgetEntry.id))
    ).all()
    return found


async def entries_page(
    session: AsyncSession, city: str, year: int | None, params: PageParams
) -> tuple[list[BudgetEntry], str | None]:
    statement = select(BudgetEntry).where(BudgetEntry.city == city)
    if year is not None:
        statement = statement.where(BudgetEntry.year == year)
    rows = (await session.scalars(apply_keyset(statement, BudgetEntry, params))).all()
    return split_page(list(rows), params)


async def movements_page(
    session: AsyncSession, city: str, year: int | None, params: PageParams
) -> tuple[list[BudgetMovement], str | None]:
    """The journal in its own order (``seq``); the cursor is the last line's seq."""
    statement = select(BudgetMovement).where(BudgetMovement.city == city)
    if year is not None:
        statement = statement.where(BudgetMovement.year == year)
    if params.cursor:
        if not params.cursor.isdigit() or len(params.cursor) > 18:
            raise BadRequest("Invalid cursor", code="request.cursor")
        statement = statement.where(BudgetMovement.seq > int(params.cursor))
    statement = statement.order_by(BudgetMovement.seq).limit(params.limit + 1)
    rows = list((await session.scalars(statement)).all())
    if len(rows) > params.limit:
        return rows[: params.limit], str(rows[params.limit - 1].seq)
    return rows, None


async def budgets_with_journal(
    session: AsyncSession, city: str, year: int | None
) -> list[tuple[Budget, dict[str, Decimal]]]:
    """Each budget with Σ amount per kind of its journal, in one statement (one snapshot, so a
    movement committing meanwhile never makes the two disagree)."""
    per_kind = (
        select(
            BudgetMovement.year,
            BudgetMovement.kind,
            func.sum(BudgetMovement.amount).label("total"),
        )
        .where(BudgetMovement.city == city)
        .group_by(BudgetMovement.year, BudgetMovement.kind)
        .subquery()
    )
    per_year = (
        select(
            per_kind.c.year,
            func.jsonb_object_agg(per_kind.c.kind, cast(per_kind.c.total, Text)).label("sums"),
        )
        .group_by(per_kind.c.year)
        .subquery()
    )
    statement = (
        select(Budget, per_year.c.sums)
        .outerjoin(per_year, per_year.c.year == Budget.year)
        .where(Budget.city == city)
        .order_by(Budget.year.desc())
    )
    if year is not None:
        statement = statement.where(Budget.year == year)
    rows = (await session.execute(statement)).all()
    return [
        (budget, {kind: Decimal(total) for kind, total in (sums or {}).items()})  # exact: text
        for budget, sums in rows
    ]


async def paid_beside_ledger(session: AsyncSession, city: str) -> tuple[Decimal, Decimal]:
    """(Σ paid over the city's budgets, net paid out of its budget account on the ledger), in
    one statement."""
    paid = (
        select(func.coalesce(func.sum(Budget.paid), ZERO))
        .where(Budget.city == city)
        .scalar_subquery()
    )
    ledger = (
        select(func.coalesce(-func.sum(LedgerEntry.amount), ZERO))
        .where(LedgerEntry.city == city, LedgerEntry.account == subsidy_budget(city))
        .scalar_subquery()
    )
    row = (await session.execute(select(paid, ledger))).one()
    return Decimal(row[0]), Decimal(row[1])


async def entry(
    session: AsyncSession, city: str, entry_id: uuid.UUID, *, lock: bool = False
) -> BudgetEntry | None:
    statement = select(BudgetEntry).where(BudgetEntry.city == city, BudgetEntry.id == entry_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    found: BudgetEntry | None = await session.scalar(statement)
    return found


async def appropriation(session: AsyncSession, city: str, year: int) -> BudgetEntry | None:
    """The year's appropriation that still stands (pending or confirmed)."""
    found: BudgetEntry | None = await session.scalar(
        select(BudgetEntry).where(
            BudgetEntry.city == city,
            BudgetEntry.year == year,
            BudgetEntry.kind == "appropriation",
            BudgetEntry.status != "rejected",
        )
    )
    return found


async def commitment(
    session: AsyncSession, project_id: uuid.UUID, *, lock: bool = False
) -> BudgetCommitment | None:
    statement = select(BudgetCommitment).where(BudgetCommitment.project_id == project_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    found: BudgetCommitment | None = await session.scalar(statement)
    return found


async def waiting(session: AsyncSession, city: str, year: int) -> Sequence[BudgetCommitment]:
    """Plans the budget could not hold, first arrived first, locked."""
    found: Sequence[BudgetCommitment] = (
        await session.scalars(
            select(BudgetCommitment)
            .where(
                BudgetCommitment.city == city,
                BudgetCommitment.year == year,
                BudgetCommitment.status == "awaiting",
            )
            .order_by(BudgetCommitment.created_at, BudgetCommitment.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).all()
    return found


async def awaiting_totals(session: AsyncSession, city: str) -> dict[int, tuple[int, Decimal]]:
    """year → (plans awaiting budget, their caps)."""
    rows = await session.execute(
        select(
            BudgetCommitment.year,
            func.count(),
            func.coalesce(func.sum(BudgetCommitment.amount), ZERO),
        )
        .where(BudgetCommitment.city == city, BudgetCommitment.status == "awaiting")
        .group_by(BudgetCommitment.year)
    )
    return {year: (count, Decimal(total)) for year, count, total in rows.all()}
