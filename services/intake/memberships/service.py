"""Registering, suspending and reactivating memberships (bureau); each change audited with
the person's name, and resolving a request's organisation from the active ones."""

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from common import clock
from common.audit import record
from common.auth import Claims
from common.errors import Conflict, Unprocessable
from common.memberships import with_organization
from services.intake.db import AuditLog
from services.intake.memberships import repository
from services.intake.memberships.models import Membership
from services.intake.memberships.schemas import MembershipCreate, MembershipUpdate
from services.intake.organizations import repository as organizations


def _audit(session: AsyncSession, user: Claims, m: Membership, action: str, **kw: object) -> None:
    record(
        session,
        AuditLog,
        user,
        entity="membership",
        entity_id=m.id,
        action=action,
        data={
            "subject": m.subject,
            "person_name": m.person_name,
            "role": m.role,
            "org_id": str(m.org_id),
        },
        **kw,  # type: ignore[arg-type]
    )


async def register(session: AsyncSession, user: Claims, data: MembershipCreate) -> Membership:
    if await organizations.get(session, user.city, data.org_id) is None:
        raise Unprocessable(
            "No such organisation in this city", code="membership.unknown_organization"
        )
    if await repository.find(session, user.city, data.subject, data.role, data.org_id):
        raise Conflict(
            "This person already has this role for this organisation (suspend or reactivate it)",
            code="membership.duplicate",
        )
    membership = Membership(**data.model_dump(), city=user.city, created_by=user.sub)
    session.add(membership)
    await session.flush()
    _audit(session, user, membership, "register", to_state="active")
    return membership


async def change_status(
    session: AsyncSession, user: Claims, membership: Membership, data: MembershipUpdate
) -> Membership:
    if membership.status == data.status:
        raise Conflict(f"The membership is already {data.status}", code="membership.state")
    before = membership.status
    membership.status = data.status
    membership.updated_at = clock.now()
    await session.flush()
    action = "suspend" if data.status == "suspended" else "reactivate"
    _audit(
        session,
        user,
        membership,
        action,
        from_state=before,
        to_state=data.status,
        reason=data.reason,
    )
    return membership


class LocalMemberships:
    """Intake resolves from its own table: one indexed read, no transaction (autocommit)."""

    async def resolve(self, request: Request, claims: Claims) -> Claims:
        state = request.app.state
        maker = getattr(state, "read_sessionmaker", None) or state.sessionmaker
        async with maker() as session:
            active = await repository.active_org_ids(
                session, claims.city, claims.sub, str(claims.role)
            )
        return with_organization(request, claims, active)
