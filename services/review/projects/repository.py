"""Every query on projects and their change requests."""

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.projects.models import Project, ProjectChange


async def get(
    session: AsyncSession, city: str, project_id: UUID, *, lock: bool = False
) -> Project | None:
    statement = select(Project).where(Project.city == city, Project.id == project_id)
    if lock:
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def relock(session: AsyncSession, project: Project) -> Project:
    """The project read earlier without a lock (so a call to another service could run first),
    now locked and refreshed: what a concurrent change committed meanwhile is what is checked."""
    locked = await session.scalar(
        select(Project)
        .where(Project.id == project.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert locked is not None  # projects are never deleted
    return locked


async def changes(session: AsyncSession, project_id: UUID) -> list[ProjectChange]:
    rows = await session.scalars(
        select(ProjectChange)
        .where(ProjectChange.project_id == project_id)
        .order_by(ProjectChange.created_at, ProjectChange.id)
    )
    return list(rows)


async def change(
    session: AsyncSession, project_id: UUID, change_id: UUID, *, lock: bool = True
) -> ProjectChange | None:
    """Locked (and refreshed, if it was read earlier in the request) unless ``lock`` is off."""
    statement = select(ProjectChange).where(
        ProjectChange.project_id == project_id, ProjectChange.id == change_id
    )
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(statement)
