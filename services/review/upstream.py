"""Intake's facts over REST through the gateway (docs/service-contracts.md).

One ``Intake`` per request, so each organisation, demand and application is fetched once per
request however often it is needed — and a service can read what it needs *before* it locks a
row, then use the kept copy under the lock (no HTTP call while a row lock is held). Review
never reads intake's tables.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Request

from common import clock
from common.affiliation import Party, affiliation_violations
from common.deps import CurrentUser
from common.errors import Conflict, JiebangError, RuleViolation
from common.http import ServiceClient
from common.rulesets.schema import RuleSet
from services.review.panels.policy import Org

PAGE = 200


class Intake:
    def __init__(self, services: ServiceClient, city: str) -> None:
        self.services = services
        self.city = city
        self._orgs: dict[UUID, dict[str, Any]] = {}
        self._kept: dict[str, dict[str, Any]] = {}

    async def _get(self, path: str, **params: Any) -> Any:
        return await self.services.json("GET", path, city=self.city, params=params or None)

    async def _kept_get(self, path: str) -> dict[str, Any]:
        if path not in self._kept:
            self._kept[path] = await self._get(path)
        return self._kept[path]

    async def demand(self, demand_id: UUID) -> dict[str, Any]:
        return await self._kept_get(f"/api/v1/demands/{demand_id}")

    async def round(self, round_id: UUID) -> dict[str, Any]:
        data: dict[str, Any] = await self._get(f"/api/v1/rounds/{round_id}")
        return data

    async def challenge(self, challenge_id: UUID) -> dict[str, Any]:
        data: dict[str, Any] = await self._get(f"/api/v1/challenges/{challenge_id}")
        return data

    async def application(self, application_id: UUID) -> dict[str, Any]:
        return await self._kept_get(f"/api/v1/applications/{application_id}")

    async def eligibility(self, application_id: UUID) -> dict[str, Any]:
        """The application's conditions re-checked on the organisations' current records."""
        data: dict[str, Any] = await self._get(f"/api/v1/applications/{application_id}/eligibility")
        return data

    async def document(self, document_id: UUID) -> dict[str, Any] | None:
        """A stored file's metadata, or None when intake has no such document in the city."""
        try:
            data: dict[str, Any] = await self._get(f"/api/v1/documents/{document_id}")
        except JiebangError as exc:
            if exc.status == 404:
                return None
            raise
        return data

    async def submitted_applications(self, challenge_id: UUID) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {
                "challenge_id": str(challenge_id),
                "status": "submitted",
                "limit": PAGE,
            }
            if cursor:
                params["cursor"] = cursor
            page = await self._get("/api/v1/applications", **params)
            items += page["items"]
            cursor = page.get("next_cursor")
            if not cursor:
                return items

    async def organization(self, org_id: UUID) -> dict[str, Any]:
        if org_id not in self._orgs:
            self._orgs[org_id] = await self._get(f"/api/v1/organizations/{org_id}")
        return self._orgs[org_id]

    async def require_unaffiliated(
        self, rules: RuleSet, owner_id: Any, solver_ids: Iterable[Any]
    ) -> None:
        """URC 二(三) again, on the organisations as registered now: an affiliation recorded
        after submit refuses the step (common.affiliation)."""
        if rules.applications.no_affiliation_with_owner is None:
            return
        owner = Party.of(await self.organization(UUID(str(owner_id))))
        solvers = [Party.of(await self.organization(UUID(str(s)))) for s in solver_ids]
        found = affiliation_violations(rules, owner, solvers)
        if found:
            raise RuleViolation.of([v.item() for v in found])

    async def results_public(self, challenge_id: UUID) -> None:
        await self.services.json(
            "POST", f"/api/v1/challenges/{challenge_id}/results-public", city=self.city
        )


def require_window_closed(challenge: dict[str, Any]) -> None:
    """Review steps wait until the challenge's application window has closed, so every answer
    is before the panel and none arrives after it (issue #11 item 2)."""
    closes = datetime.fromisoformat(str(challenge["publication_closes_at"]))
    if clock.now() < closes:
        raise Conflict(
            f"Applications to challenge {challenge['id']} are open until {closes.isoformat()}; "
            "review starts when the window closes",
            code="review.applications_open",
        )


def org_facts(data: dict[str, Any]) -> Org:
    """An intake organisation as the conflict rules see it."""
    return Org(
        UUID(str(data["id"])), frozenset(UUID(str(a)) for a in data.get("affiliated_org_ids") or [])
    )


def get_intake(request: Request, user: CurrentUser) -> Intake:
    return Intake(request.app.state.services, user.city)


IntakeDep = Annotated[Intake, Depends(get_intake)]
