"""Assemble a round's report: the round and its challenges from intake, ranked results from
review (both over REST through the gateway), money from finance's own tables."""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common import clock
from common.auth import Claims
from common.errors import JiebangError
from common.http import ServiceClient
from common.rulesets.schema import RuleSet
from services.finance.round_reports import repository
from services.finance.round_reports.schemas import (
    ChallengeReport,
    DocumentLine,
    MoneyLine,
    ResultLine,
    RoundReport,
)

ZERO = repository.ZERO


async def _all_pages(
    services: ServiceClient, path: str, city: str, params: dict[str, Any]
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        query = {**params, "limit": 200, **({"cursor": cursor} if cursor else {})}
        page = await services.json("GET", path, city=city, params=query)
        items.extend(page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return items


async def _results(services: ServiceClient, city: str, challenge_id: str) -> list[dict[str, Any]]:
    """Ranked results (every page), or none while the challenge's panels are still open."""
    try:
        return await _all_pages(services, "/api/v1/results", city, {"challenge_id": challenge_id})
    except JiebangError as exc:
        if exc.status in (404, 409):
            return []
        raise


async def _labels(
    services: ServiceClient, city: str, challenge_id: str
) -> tuple[dict[str, str], dict[str, list[DocumentLine]]]:
    """application id → the lead organisation's name, for people reading the report, and
    → the application's files with their download links."""
    applications = await _all_pages(
        services, "/api/v1/applications", city, {"challenge_id": challenge_id}
    )
    names: dict[str, str] = {}
    for org_id in {a["lead_org_id"] for a in applications}:
        org = await services.json("GET", f"/api/v1/organizations/{org_id}", city=city)
        names[org_id] = org["name"]
    labels = {a["id"]: names.get(a["lead_org_id"], a["id"][:8]) for a in applications}
    files = {
        a["id"]: [DocumentLine.model_validate(d) for d in a.get("documents") or []]
        for a in applications
    }
    return labels, files


async def build(
    session: AsyncSession,
    services: ServiceClient,
    user: Claims,
    ruleset: RuleSet,
    round_id: uuid.UUID,
) -> RoundReport:
    city = user.city
    round_ = await services.json("GET", f"/api/v1/rounds/{round_id}", city=city)
    challenges = await _all_pages(services, "/api/v1/challenges", city, {"round_id": str(round_id)})
    money = await repository.money_by_challenge(session, city, round_id)
    reports = []
    for challenge in challenges:
        results = await _results(services, city, challenge["id"])
        labels, files = await _labels(services, city, challenge["id"])
        committed, paid, clawed = money.get(uuid.UUID(challenge["id"]), (ZERO, ZERO, ZERO))
        reports.append(
            ChallengeReport(
                challenge_id=challenge["id"],
                title=challenge["title"],
                results=[
                    ResultLine(
                        application_id=r["application_id"],
                        label=labels.get(str(r["application_id"]), str(r["application_id"])[:8]),
                        total=r["total"],
                        band=r["band"],
                        rank=r["rank"],
                        winner=r["winner"],
                        documents=files.get(str(r["application_id"]), []),
                    )
                    for r in sorted(results, key=lambda r: r["rank"])
                ],
                money=MoneyLine(committed=committed, paid=paid, clawed_back=clawed),
            )
        )
    return RoundReport(
        round_id=round_id,
        city=city,
        city_name=ruleset.name_zh,
        ruleset_version=round_.get("ruleset_version", ruleset.version),
        title=round_["title"],
        bands=[b.code for b in ruleset.review.bands],
        generated_at=clock.now(),
        challenges=reports,
    )
