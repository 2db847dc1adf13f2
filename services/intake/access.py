"""What a caller may see in intake, decided once so every package filters the same way.

Experts see only what review assigned to them; intake asks review over REST and never reads
its tables (docs/service-contracts.md).
"""

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import Request

from common.auth import Claims, Role
from common.errors import Forbidden, JiebangError


@dataclass(frozen=True)
class Assignments:
    demand_ids: frozenset[UUID] = field(default_factory=frozenset)
    application_ids: frozenset[UUID] = field(default_factory=frozenset)


def _uuids(values: object) -> frozenset[UUID]:
    if not isinstance(values, list):
        return frozenset()
    found = set()
    for value in values:
        try:
            found.add(UUID(str(value)))
        except ValueError:
            continue
    return frozenset(found)


async def expert_assignments(request: Request, user: Claims) -> Assignments:
    """Ask review what this expert may read; an expert review does not know sees nothing."""
    try:
        data = await request.app.state.services.json(
            "GET", f"/api/v1/experts/{user.sub}/assignments", city=user.city
        )
    except JiebangError as exc:
        if exc.status in (404, 405):
            return Assignments()
        raise
    if not isinstance(data, dict):
        return Assignments()
    return Assignments(_uuids(data.get("demand_ids")), _uuids(data.get("application_ids")))


def require_org(user: Claims) -> UUID:
    """Owners and solvers act for one organisation, named by the token's ``org_id``."""
    if user.org_id is None:
        raise Forbidden("This token names no organisation (org_id)", code="auth.no_org")
    return user.org_id


def is_staff(user: Claims) -> bool:
    return user.role in (Role.bureau, Role.service)


def local_time(moment: datetime, timezone: str) -> str:
    """A deadline as the city reads it (e.g. Asia/Shanghai), for error details."""
    return moment.astimezone(ZoneInfo(timezone)).isoformat(timespec="minutes")
