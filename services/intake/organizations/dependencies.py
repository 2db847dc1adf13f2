"""Who may read an organisation: staff of its city, the organisation itself, and a solver for
the members it names in its own applications. Anyone else gets 404 (existence does not leak)."""

from typing import Annotated
from uuid import UUID

from fastapi import Depends

from common.auth import Role
from common.db import SessionDep
from common.deps import CurrentUser
from common.errors import Forbidden, NotFound
from services.intake.access import is_staff
from services.intake.applications.repository import names_member
from services.intake.organizations import repository
from services.intake.organizations.models import Organization


async def readable_organization(
    org_id: UUID, user: CurrentUser, session: SessionDep
) -> Organization:
    if user.role not in (Role.bureau, Role.service, Role.demand_owner, Role.solver):
        raise Forbidden("This role may not read organisations", code="auth.role")
    org = await repository.get(session, user.city, org_id)
    if org is None:
        raise NotFound("Organisation not found", code="organization.not_found")
    if is_staff(user) or org.id == user.org_id:
        return org
    if (
        user.role == Role.solver
        and user.org_id
        and await names_member(session, user.city, user.org_id, org.id)
    ):
        return org
    raise NotFound("Organisation not found", code="organization.not_found")


async def bureau_organization(org_id: UUID, user: CurrentUser, session: SessionDep) -> Organization:
    if user.role != Role.bureau:
        raise Forbidden("Only the bureau changes organisations", code="auth.role")
    org = await repository.get(session, user.city, org_id)
    if org is None:
        raise NotFound("Organisation not found", code="organization.not_found")
    return org


ReadableOrganization = Annotated[Organization, Depends(readable_organization)]
BureauOrganization = Annotated[Organization, Depends(bureau_organization)]
