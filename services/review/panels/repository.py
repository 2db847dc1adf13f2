"""Every query on panels, their members, entries and scores."""

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from services.review.panels.models import Panel, PanelChallenge, PanelEntry, Score


async def get(
    session: AsyncSession, city: str, panel_id: UUID, *, lock: str | None = None
) -> Panel | None:
    """With ``lock`` = "update" (closing) or "share" (scoring) so the two never interleave."""
    statement = (
        select(Panel)
        .where(Panel.city == city, Panel.id == panel_id)
        .options(
            selectinload(Panel.members), selectinload(Panel.challenges), selectinload(Panel.entries)
        )
    )
    if lock == "update":
        statement = statement.with_for_update(of=Panel)
    elif lock == "share":
        statement = statement.with_for_update(read=True, of=Panel)
    return await session.scalar(statement)


async def taken_stages(
    session: AsyncSession, challenge_ids: Sequence[UUID], stage: str
) -> list[UUID]:
    rows = await session.scalars(
        select(PanelChallenge.challenge_id).where(
            PanelChallenge.challenge_id.in_(challenge_ids), PanelChallenge.stage == stage
        )
    )
    return list(rows)


async def scores(
    session: AsyncSession, panel_id: UUID, expert_id: UUID | None = None
) -> list[Score]:
    statement = select(Score).where(Score.panel_id == panel_id)
    if expert_id is not None:
        statement = statement.where(Score.expert_id == expert_id)
    rows = await session.scalars(statement.order_by(Score.application_id, Score.expert_id))
    return list(rows)


async def score_sheets(session: AsyncSession, panel_id: UUID) -> dict[UUID, dict[UUID, Decimal]]:
    """Each application's scores by expert, grouped by PostgreSQL: one row per application
    instead of one ORM object per score (closing a panel of 10⁴ applications)."""
    rows = await session.execute(
        select(Score.application_id, func.array_agg(Score.expert_id), func.array_agg(Score.score))
        .where(Score.panel_id == panel_id)
        .group_by(Score.application_id)
    )
    return {a: dict(zip(experts, values, strict=True)) for a, experts, values in rows.all()}


async def score_for_update(
    session: AsyncSession, panel_id: UUID, application_id: UUID, expert_id: UUID
) -> Score | None:
    return await session.scalar(
        select(Score)
        .where(
            Score.panel_id == panel_id,
            Score.application_id == application_id,
            Score.expert_id == expert_id,
        )
        .with_for_update()
    )


async def insert_score(
    session: AsyncSession,
    panel_id: UUID,
    application_id: UUID,
    expert_id: UUID,
    score: object,
    comment: str,
) -> UUID | None:
    """Insert unless a concurrent request got there first (then None: update that row)."""
    result = await session.execute(
        insert(Score)
        .values(
            panel_id=panel_id,
            application_id=application_id,
            expert_id=expert_id,
            score=score,
            comment=comment,
        )
        .on_conflict_do_nothing()
        .returning(Score.id)
    )
    return result.scalar_one_or_none()


async def challenge_panels(
    session: AsyncSession, city: str, challenge_id: UUID
) -> list[tuple[Panel, str]]:
    rows = await session.execute(
        select(Panel, PanelChallenge.stage)
        .join(PanelChallenge, PanelChallenge.panel_id == Panel.id)
        .where(Panel.city == city, PanelChallenge.challenge_id == challenge_id)
    )
    return [(p, s) for p, s in rows.all()]


async def challenge_entries(
    session: AsyncSession, city: str, challenge_id: UUID
) -> list[tuple[PanelEntry, str]]:
    rows = await session.execute(
        select(PanelEntry, Panel.stage)
        .join(Panel, Panel.id == PanelEntry.panel_id)
        .where(Panel.city == city, PanelEntry.challenge_id == challenge_id)
    )
    return [(e, s) for e, s in rows.all()]


async def set_stage_scores(
    session: AsyncSession, values: list[tuple[UUID, Decimal, list[Any]]]
) -> None:
    """Every entry's stage score and explanation in one UPDATE … FROM unnest (closing a panel
    of 10⁴ applications: one round trip instead of one UPDATE per entry)."""
    if not values:
        return
    await session.execute(
        text(
            "UPDATE review.panel_entries AS e"
            " SET stage_score = v.score, explanation = CAST(v.expl AS jsonb)"
            " FROM unnest(CAST(:ids AS uuid[]), CAST(:scores AS numeric[]), CAST(:expls AS text[]))"
            " AS v(id, score, expl) WHERE e.id = v.id"
        ),
        {
            "ids": [i for i, _, _ in values],
            "scores": [s for _, s, _ in values],
            "expls": [json.dumps(e) for _, _, e in values],
        },
    )


async def reopen_entries(
    session: AsyncSession, city: str, challenge_id: UUID, application_id: UUID | None
) -> list[tuple[UUID, UUID]]:
    """Mark the closed panels' entries of one challenge (or of one application) reopened;
    (panel, application) pairs reopened."""
    panels = select(Panel.id).where(Panel.city == city, Panel.status == "closed")
    statement = (
        update(PanelEntry)
        .where(PanelEntry.challenge_id == challenge_id, PanelEntry.panel_id.in_(panels))
        .values(reopened=True)
        .returning(PanelEntry.panel_id, PanelEntry.application_id)
    )
    if application_id is not None:
        statement = statement.where(PanelEntry.application_id == application_id)
    rows = await session.execute(statement.execution_options(synchronize_session=False))
    return [(r[0], r[1]) for r in rows.all()]


async def round_version(session: AsyncSession, city: str, challenge_id: UUID) -> str | None:
    """The rule-set version the challenge's panels were formed under (its round's)."""
    version: str | None = await session.scalar(
        select(Panel.ruleset_version)
        .join(PanelChallenge, PanelChallenge.panel_id == Panel.id)
        .where(Panel.city == city, PanelChallenge.challenge_id == challenge_id)
        .order_by(Panel.created_at)
        .limit(1)
    )
    return version


async def panel_version(session: AsyncSession, city: str, panel_id: UUID) -> str | None:
    version: str | None = await session.scalar(
        select(Panel.ruleset_version).where(Panel.city == city, Panel.id == panel_id)
    )
    return version
