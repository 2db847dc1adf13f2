"""Every query on a challenge's review state."""

from typing import Any
from uuid import UUID

from sqlalchemy import Row, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.objections.models import OPEN_STATES, Objection
from services.review.panels.models import Panel, PanelChallenge, PanelEntry
from services.review.results.models import ChallengeReview, StoredResult

RESULT_COLUMNS = (
    StoredResult.application_id,
    StoredResult.lead_org_id,
    StoredResult.stage_scores,
    StoredResult.total,
    StoredResult.band,
    StoredResult.qualified,
    StoredResult.rank,
    StoredResult.winner,
    StoredResult.explanation,
)


async def get(
    session: AsyncSession, city: str, challenge_id: UUID, *, lock: bool = False
) -> ChallengeReview | None:
    statement = select(ChallengeReview).where(
        ChallengeReview.city == city, ChallengeReview.challenge_id == challenge_id
    )
    if lock:  # a locked read sees the row as committed, not as loaded earlier in the session
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(statement)


async def existing_ids(session: AsyncSession, city: str, ids: list[UUID]) -> set[UUID]:
    rows = await session.scalars(
        select(ChallengeReview.challenge_id).where(
            ChallengeReview.city == city, ChallengeReview.challenge_id.in_(ids)
        )
    )
    return set(rows)


async def open_objections(session: AsyncSession, city: str, challenge_id: UUID) -> int:
    count = await session.scalar(
        select(func.count()).where(
            Objection.city == city,
            Objection.challenge_id == challenge_id,
            Objection.status.in_(OPEN_STATES),
        )
    )
    return int(count or 0)


async def closed_stages(session: AsyncSession, city: str, challenge_id: UUID) -> set[str]:
    rows = await session.scalars(
        select(PanelChallenge.stage)
        .join(Panel, Panel.id == PanelChallenge.panel_id)
        .where(
            Panel.city == city,
            PanelChallenge.challenge_id == challenge_id,
            Panel.status == "closed",
        )
    )
    return set(rows)


async def scored_entries(session: AsyncSession, city: str, challenge_id: UUID) -> list[Row[Any]]:
    """The facts results are computed from, as plain rows (no ORM object per entry)."""
    rows = await session.execute(
        select(
            PanelEntry.application_id,
            Panel.stage,
            PanelEntry.lead_org_id,
            PanelEntry.county,
            PanelEntry.submitted_at,
            PanelEntry.requested_subsidy,
            PanelEntry.stage_score,
            PanelEntry.explanation,
        )
        .join(Panel, Panel.id == PanelEntry.panel_id)
        .where(Panel.city == city, PanelEntry.challenge_id == challenge_id)
    )
    return list(rows.all())


async def replace_results(
    session: AsyncSession, city: str, challenge_id: UUID, rows: list[dict[str, Any]]
) -> None:
    """The challenge's stored results become ``rows`` (one batched INSERT, no ORM objects)."""
    await session.execute(
        delete(StoredResult).where(
            StoredResult.city == city, StoredResult.challenge_id == challenge_id
        )
    )
    if rows:
        await session.execute(insert(StoredResult), rows)


async def results_page(
    session: AsyncSession,
    city: str,
    challenge_id: UUID,
    *,
    after_rank: int,
    limit: int,
    lead_org_id: UUID | None = None,
) -> list[Row[Any]]:
    """Ranked rows after ``after_rank`` (keyset on the (challenge_id, rank) index)."""
    statement = (
        select(*RESULT_COLUMNS)
        .where(
            StoredResult.city == city,
            StoredResult.challenge_id == challenge_id,
            StoredResult.rank > after_rank,
        )
        .order_by(StoredResult.rank)
        .limit(limit)
    )
    if lead_org_id is not None:
        statement = statement.where(StoredResult.lead_org_id == lead_org_id)
    return list((await session.execute(statement)).all())


async def result_of(
    session: AsyncSession, city: str, challenge_id: UUID, application_id: UUID
) -> Row[Any] | None:
    rows = await session.execute(
        select(*RESULT_COLUMNS).where(
            StoredResult.city == city,
            StoredResult.challenge_id == challenge_id,
            StoredResult.application_id == application_id,
        )
    )
    return rows.first()


async def qualified_among(
    session: AsyncSession, city: str, challenge_id: UUID, ids: list[UUID]
) -> set[UUID]:
    rows = await session.scalars(
        select(StoredResult.application_id).where(
            StoredResult.city == city,
            StoredResult.challenge_id == challenge_id,
            StoredResult.application_id.in_(ids),
            StoredResult.qualified,
        )
    )
    return set(rows)


async def is_winner(
    session: AsyncSession, city: str, challenge_id: UUID, application_id: UUID
) -> bool:
    found = await session.scalar(
        select(StoredResult.winner).where(
            StoredResult.city == city,
            StoredResult.challenge_id == challenge_id,
            StoredResult.application_id == application_id,
        )
    )
    return bool(found)


async def winners(session: AsyncSession, city: str, challenge_id: UUID) -> list[UUID]:
    rows = await session.scalars(
        select(StoredResult.application_id).where(
            StoredResult.city == city,
            StoredResult.challenge_id == challenge_id,
            StoredResult.winner,
        )
    )
    return list(rows)


async def clear_results(session: AsyncSession, city: str, challenge_id: UUID) -> None:
    """Stale until recomputed: no rows, and the review says results are not ready."""
    await replace_results(session, city, challenge_id, [])
    await session.execute(
        update(ChallengeReview)
        .where(ChallengeReview.city == city, ChallengeReview.challenge_id == challenge_id)
        .values(results_computed_at=None)
    )
