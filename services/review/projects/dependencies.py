"""The project named in the path, for the bureau, services, and its own owner and solver."""

from typing import Annotated
from uuid import UUID

from fastapi import Depends

from common.auth import Role
from common.db import SessionDep
from common.deps import CurrentUser
from common.errors import NotFound
from services.review.projects import repository
from services.review.projects.models import Project


async def _project(
    project_id: UUID, user: CurrentUser, session: SessionDep, *, lock: bool
) -> Project:
    project = await repository.get(session, user.city, project_id, lock=lock)
    party = (
        (user.role == Role.demand_owner and user.org_id == project.owner_org_id)
        or (user.role == Role.solver and user.org_id == project.solver_org_id)
        if project
        else False
    )
    if project is None or not (user.reads_all or party):
        raise NotFound("No such project", code="project.not_found")
    return project


async def visible_project(project_id: UUID, user: CurrentUser, session: SessionDep) -> Project:
    """For reads: no row lock."""
    return await _project(project_id, user, session, lock=False)


async def locked_project(project_id: UUID, user: CurrentUser, session: SessionDep) -> Project:
    """For changes: locked, so two changes of one project go one after the other."""
    return await _project(project_id, user, session, lock=True)


VisibleProject = Annotated[Project, Depends(visible_project)]
LockedProject = Annotated[Project, Depends(locked_project)]
