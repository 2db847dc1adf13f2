"""Who acts for which organisation: the platform's membership records, never a claim alone.

A person (token subject) acts for an organisation as demand owner or solver only through an
active membership registered by the bureau (intake's ``/memberships``). The token may name
which organisation (``org_id`` claim) among the person's active memberships; without one the
platform picks the single active membership. A suspended membership stops counting at once:
it is looked up on every request, not cached.

Intake resolves from its own table; review and finance ask intake (service credential) —
``RemoteMemberships``. Tested by ``tests/identity/test_memberships.py``.
"""

from collections.abc import Collection
from typing import Any, Protocol
from uuid import UUID

from fastapi import Request

from common.auth import Claims
from common.errors import Forbidden

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def choose_organization(
    active: Collection[UUID], requested: UUID | None, *, write: bool
) -> UUID | None:
    """The organisation a request acts for, or None (reads only) when there is none to pick."""
    if requested is not None:
        if requested not in active:
            raise Forbidden(
                "You have no active membership for this organisation",
                code="membership.inactive",
                detail_zh="您在该单位没有有效的成员身份",
            )
        return requested
    if len(active) == 1:
        return next(iter(active))
    if write:
        if active:
            raise Forbidden(
                "You act for several organisations; name one (org_id)",
                code="membership.ambiguous",
                detail_zh="您属于多个单位，请指明代表的单位",
            )
        raise Forbidden(
            "You have no active membership of an organisation",
            code="membership.required",
            detail_zh="您没有有效的单位成员身份",
        )
    return None


def with_organization(request: Request, claims: Claims, active: Collection[UUID]) -> Claims:
    org = choose_organization(active, claims.org_id, write=request.method in WRITES)
    return claims.model_copy(update={"org_id": org})


class MembershipResolver(Protocol):
    async def resolve(self, request: Request, claims: Claims) -> Claims: ...


class RemoteMemberships:
    """Review and finance: intake holds the records."""

    async def resolve(self, request: Request, claims: Claims) -> Claims:
        data: Any = await request.app.state.services.json(
            "GET",
            "/api/v1/memberships/active",
            city=claims.city,
            params={"subject": claims.sub, "role": str(claims.role)},
        )
        active = {UUID(str(o)) for o in data.get("org_ids", [])}
        return with_organization(request, claims, active)
