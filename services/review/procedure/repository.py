"""Every query on proposals, decision meetings and quotas."""

from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.procedure.models import DecisionMeeting, ProjectQuota, Proposal

COUNTED = ("joint_review_passed", "proposed")


async def proposal(
    session: AsyncSession, city: str, application_id: UUID, *, lock: bool = False
) -> Proposal | None:
    statement = select(Proposal).where(
        Proposal.city == city, Proposal.application_id == application_id
    )
    if lock:
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def proposals_of(session: AsyncSession, city: str, challenge_id: UUID) -> list[Proposal]:
    rows = await session.scalars(
        select(Proposal).where(Proposal.city == city, Proposal.challenge_id == challenge_id)
    )
    return list(rows)


async def quota(
    session: AsyncSession, city: str, year: int, *, lock: bool = False
) -> ProjectQuota | None:
    statement = select(ProjectQuota).where(ProjectQuota.city == city, ProjectQuota.year == year)
    if lock:
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def quota_used(
    session: AsyncSession, city: str, year: int, *, besides: UUID | None = None
) -> int:
    statement = select(func.count()).where(
        Proposal.city == city, Proposal.year == year, Proposal.status.in_(COUNTED)
    )
    if besides is not None:
        statement = statement.where(Proposal.application_id != besides)
    return int(await session.scalar(statement) or 0)


async def meeting(session: AsyncSession, city: str, meeting_id: UUID) -> DecisionMeeting | None:
    return await session.scalar(
        select(DecisionMeeting).where(
            DecisionMeeting.city == city, DecisionMeeting.id == meeting_id
        )
    )
