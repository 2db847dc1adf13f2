"""Chained checks that load an application the caller may read or act on.

Not visible → 404 (existence does not leak); only the lead's solvers act on it; acting in the
wrong state → 409. Acting locks the row (SELECT … FOR UPDATE) so two simultaneous submits
serialise and the second sees the first one's result.
"""

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request

from common.auth import Role
from common.db import ReadSessionDep, SessionDep
from common.deps import CurrentUser, require_roles
from common.errors import Conflict, NotFound
from services.intake.access import Assignments, expert_assignments
from services.intake.applications import repository
from services.intake.applications.models import DRAFT, Application

Reader = Annotated[
    object,
    Depends(require_roles(Role.solver, Role.demand_owner, Role.bureau, Role.service, Role.expert)),
]
Solver = Annotated[object, Depends(require_roles(Role.solver))]


async def caller_assignments(request: Request, user: CurrentUser) -> Assignments:
    return await expert_assignments(request, user) if user.role == Role.expert else Assignments()


CallerAssignments = Annotated[Assignments, Depends(caller_assignments)]


async def readable_application(
    application_id: UUID,
    _: Reader,
    user: CurrentUser,
    assignments: CallerAssignments,
    session: ReadSessionDep,
) -> Application:
    visible = repository.visibility(user, assignments)
    application = await repository.get(session, user.city, application_id, visible)
    if application is None:
        raise NotFound("Application not found", code="application.not_found")
    return application


async def led_application(
    application_id: UUID, _: Solver, user: CurrentUser, session: SessionDep
) -> Application:
    """The lead organisation's own application, locked for the state change."""
    visible = Application.lead_org_id == user.org_id
    application = await repository.get(session, user.city, application_id, visible, lock=True)
    if application is None:
        raise NotFound("Application not found", code="application.not_found")
    return application


async def draft_application(application: "LedApplication") -> Application:
    if application.status != DRAFT:
        raise Conflict(
            f"The application is {application.status}; only a draft can change",
            code="application.not_draft",
        )
    return application


LedApplication = Annotated[Application, Depends(led_application)]
ReadableApplication = Annotated[Application, Depends(readable_application)]
DraftApplication = Annotated[Application, Depends(draft_application)]
