"""Every query on agreement-terms changes."""

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.agreements.models import AgreementTerms


async def get(
    session: AsyncSession, city: str, terms_id: UUID, *, lock: bool = False
) -> AgreementTerms | None:
    statement = select(AgreementTerms).where(
        AgreementTerms.city == city, AgreementTerms.id == terms_id
    )
    if lock:
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def for_application(
    session: AsyncSession, city: str, application_id: UUID
) -> list[AgreementTerms]:
    """Every change for the application, newest first."""
    rows = await session.scalars(
        select(AgreementTerms)
        .where(AgreementTerms.city == city, AgreementTerms.application_id == application_id)
        .order_by(AgreementTerms.created_at.desc(), AgreementTerms.id)
    )
    return list(rows)
