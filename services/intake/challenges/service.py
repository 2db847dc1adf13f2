"""Creating a challenge from a vetted demand, and opening results to the owner."""

from sqlalchemy.ext.asyncio import AsyncSession

from common import clock
from common.audit import record
from common.auth import Claims
from services.intake.challenges.models import Challenge
from services.intake.db import AuditLog
from services.intake.demands.models import Demand


async def publish(session: AsyncSession, user: Claims, demand: Demand) -> Challenge:
    """发榜: the challenge takes the round's publication window."""
    challenge = Challenge(
        city=demand.city,
        demand_id=demand.id,
        round_id=demand.round_id,
        owner_org_id=demand.owner_org_id,
        category=demand.category,
        field=demand.field,
        title=demand.title,
        problem=demand.problem,
        core_indicators=demand.core_indicators,
        due_months=demand.due_months,
        expected_results=demand.expected_results,
        end_users=demand.end_users,
        bounty_amount=demand.bounty_amount,
        over_quota=demand.over_quota,
        publication_opens_at=demand.round.publication_opens_at,
        publication_closes_at=demand.round.publication_closes_at,
        published_by=user.sub,
    )
    session.add(challenge)
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="challenge",
        entity_id=challenge.id,
        action="publish",
        to_state="published",
        data={"demand_id": str(demand.id)},
    )
    return challenge


async def open_results(session: AsyncSession, user: Claims, challenge: Challenge) -> Challenge:
    """Review says results are public: the owner may now read the applications. Idempotent."""
    if not challenge.results_public:
        challenge.results_public = True
        challenge.results_public_at = clock.now()
        await session.flush()
        record(
            session,
            AuditLog,
            user,
            entity="challenge",
            entity_id=challenge.id,
            action="results_public",
            from_state="results_hidden",
            to_state="results_public",
        )
    return challenge
