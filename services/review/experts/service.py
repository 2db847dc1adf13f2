"""Registering experts in the pool."""

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from common.audit import record
from common.auth import Claims
from services.review.db import AuditLog
from services.review.experts.models import Expert
from services.review.experts.schemas import ExpertCreate
from services.review.panels.policy import ExpertFacts, Org


async def register(session: AsyncSession, user: Claims, data: ExpertCreate) -> Expert:
    expert = Expert(
        city=user.city,
        name=data.name,
        org_id=data.org_id,
        fields=list(dict.fromkeys(data.fields)),
        affiliated_org_ids=[str(o) for o in dict.fromkeys(data.affiliated_org_ids)],
    )
    session.add(expert)
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="expert",
        entity_id=expert.id,
        action="register",
        to_state="active",
    )
    return expert


def facts(expert: Expert) -> ExpertFacts:
    """The expert as the conflict rules see it."""
    return ExpertFacts(
        expert.id,
        expert.name,
        Org(expert.org_id, frozenset(UUID(str(a)) for a in expert.affiliated_org_ids)),
    )
