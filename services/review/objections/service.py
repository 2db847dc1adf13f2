"""Objections (异议) during publicity: anyone files, the publisher answers, the bureau resolves.

Upheld → the challenge goes back to ``reopened``: the scores the objection concerns (its
application's, or else the challenge's) reopen on their panels so members may correct them
(audited) — other challenges on the same panels stay closed — the bureau re-closes the panels
and opens publicity again; decisions wait for the new period. Dismissed → the results stand.
"""

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from common import clock
from common.audit import record
from common.auth import Claims, Role
from common.errors import Conflict, Forbidden, NotFound
from services.review.db import AuditLog
from services.review.objections import repository
from services.review.objections.models import OPEN_STATES, Objection
from services.review.objections.schemas import ObjectionAnswer, ObjectionCreate, ObjectionResolve
from services.review.panels.service import reopen_for_challenge
from services.review.results.service import review_of


async def file(session: AsyncSession, user: Claims, data: ObjectionCreate) -> Objection:
    review = await review_of(session, user.city, data.challenge_id)
    now = clock.now()
    closes = review.publicity_closes_at
    if review.status != "public" or closes is None or now >= closes:
        raise Conflict(
            "Objections are taken only during the publicity period",
            code="objection.outside_publicity",
        )
    objection = Objection(
        city=user.city,
        challenge_id=data.challenge_id,
        application_id=data.application_id,
        text=data.text,
        filed_by=user.sub,
        filed_by_role=str(user.role),
    )
    session.add(objection)
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="objection",
        entity_id=objection.id,
        action="file",
        to_state="open",
    )
    return objection


async def _get(session: AsyncSession, user: Claims, objection_id: UUID) -> Objection:
    objection = await repository.get(session, user.city, objection_id)
    if objection is None:
        raise NotFound("No such objection", code="objection.not_found")
    return objection


async def answer(
    session: AsyncSession, user: Claims, objection_id: UUID, data: ObjectionAnswer
) -> Objection:
    """Only the publisher (the challenge's demand owner) answers, in writing."""
    if user.role != Role.demand_owner:
        raise Forbidden("Only the publisher answers objections", code="auth.role")
    objection = await _get(session, user, objection_id)
    review = await review_of(session, user.city, objection.challenge_id)
    if user.org_id != review.owner_org_id:
        raise NotFound("No such objection", code="objection.not_found")
    if objection.status not in OPEN_STATES:
        raise Conflict("The objection is already resolved", code="objection.resolved")
    before = objection.status
    objection.status, objection.answer = "answered", data.answer
    objection.answered_by, objection.answered_at = user.sub, clock.now()
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="objection",
        entity_id=objection.id,
        action="answer",
        from_state=before,
        to_state="answered",
    )
    return objection


async def resolve(
    session: AsyncSession, user: Claims, objection_id: UUID, data: ObjectionResolve
) -> Objection:
    objection = await _get(session, user, objection_id)
    if objection.status not in OPEN_STATES:
        raise Conflict("The objection is already resolved", code="objection.resolved")
    before = objection.status
    objection.status, objection.resolution_reason = data.outcome, data.reason
    objection.resolved_by, objection.resolved_at = user.sub, clock.now()
    if data.outcome == "upheld":
        review = await review_of(session, user.city, objection.challenge_id, lock=True)
        record(
            session,
            AuditLog,
            user,
            entity="challenge_review",
            entity_id=review.id,
            action="reopen",
            from_state=review.status,
            to_state="reopened",
            reason=data.reason,
        )
        review.status = "reopened"
        await reopen_for_challenge(
            session, user, objection.challenge_id, data.reason, objection.application_id
        )
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="objection",
        entity_id=objection.id,
        action="resolve",
        from_state=before,
        to_state=data.outcome,
        reason=data.reason,
    )
    return objection


def may_read(user: Claims, objection: Objection, owner_org_id: UUID) -> bool:
    return (
        user.is_staff
        or objection.filed_by == user.sub
        or (user.role == Role.demand_owner and user.org_id == owner_org_id)
    )
