"""Results from closed panels, the owner's choice, the horse race (赛马) and publicity (公示)."""

from collections import defaultdict
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from common import clock
from common.audit import record
from common.auth import Claims, Role
from common.errors import Conflict, Forbidden, NotFound, Unprocessable
from common.policy import enforce
from common.rulesets.schema import RuleSet
from services.review.db import AuditLog
from services.review.panels import repository as panels
from services.review.panels.models import PanelEntry
from services.review.results import repository
from services.review.results.models import ChallengeReview
from services.review.results.policy import (
    Candidate,
    Result,
    compute,
    horse_race_violations,
    publicity_closes_at,
)
from services.review.results.schemas import ChoiceCreate, HorseRaceCreate
from services.review.upstream import Intake

EDITABLE = ("reviewing", "reopened")


async def review_of(
    session: AsyncSession, city: str, challenge_id: UUID, *, lock: bool = False
) -> ChallengeReview:
    review = await repository.get(session, city, challenge_id, lock=lock)
    if review is None:
        raise NotFound("No review for this challenge", code="results.not_found")
    return review


async def results(
    session: AsyncSession, rules: RuleSet, review: ChallengeReview
) -> tuple[list[Result], dict[UUID, UUID]]:
    """Every application's result, and each application's lead organisation.

    Results exist once every stage of the rule set has a closed panel for the challenge; an
    application counts when every stage scored it.
    """
    stages = {
        s
        for p, s in await panels.challenge_panels(session, review.city, review.challenge_id)
        if p.status == "closed"
    }
    missing = [s.code for s in rules.review.stages if s.code not in stages]
    if missing:
        raise Conflict(
            f"Stage(s) {', '.join(missing)} not closed for this challenge", code="results.not_ready"
        )
    by_app: dict[UUID, dict[str, PanelEntry]] = defaultdict(dict)
    for entry, stage in await panels.challenge_entries(session, review.city, review.challenge_id):
        by_app[entry.application_id][stage] = entry
    codes = [s.code for s in rules.review.stages]
    candidates, steps, leads = [], {}, {}
    for app_id, entries in by_app.items():
        if any(c not in entries or entries[c].stage_score is None for c in codes):
            continue
        first = entries[codes[0]]
        candidates.append(
            Candidate(
                app_id,
                {c: Decimal(entries[c].stage_score or 0) for c in codes},
                first.county,
                first.submitted_at,
                first.requested_subsidy,
            )
        )
        steps[app_id] = [s for c in codes for s in entries[c].explanation or []]
        leads[app_id] = first.lead_org_id
    chosen = [UUID(str(a)) for a in review.chosen_application_ids]
    computed = compute(rules, candidates, chosen)
    for r in computed:
        r.explanation = steps[r.application_id] + r.explanation
    return computed, leads


def visible(
    user: Claims, review: ChallengeReview, rows: list[Result], leads: dict[UUID, UUID]
) -> list[Result]:
    """Bureau and services always; the challenge's owner once review is over (it may have to
    choose, URC 二(四)); solvers once publicity opened, and only their own applications."""
    if user.is_staff:
        return rows
    public = review.publicity_opens_at is not None
    if user.role == Role.demand_owner and user.org_id == review.owner_org_id:
        return rows
    if user.role == Role.solver and public:
        own = [r for r in rows if leads.get(r.application_id) == user.org_id]
        if own:
            return own
        raise NotFound("No results of yours for this challenge", code="results.not_found")
    raise Forbidden("Results are not visible to you", code="results.forbidden")


async def choose(
    session: AsyncSession, user: Claims, rules: RuleSet, challenge_id: UUID, data: ChoiceCreate
) -> ChallengeReview:
    review = await _editable(session, user, challenge_id)
    if user.role == Role.demand_owner and user.org_id != review.owner_org_id:
        raise NotFound("No review for this challenge", code="results.not_found")
    if rules.review.winner.rule != "owner_choice":
        raise Conflict("The rule set picks the winner by score", code="results.winner_by_rule")
    await _qualified(session, rules, review, [data.application_id])
    before = review.chosen_application_ids
    review.chosen_application_ids, review.horse_race = [str(data.application_id)], None
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="challenge_review",
        entity_id=review.id,
        action="choose",
        to_state=str(data.application_id),
        data={"before": before},
    )
    return review


async def horse_race(
    session: AsyncSession,
    user: Claims,
    rules: RuleSet,
    challenge_id: UUID,
    data: HorseRaceCreate,
) -> ChallengeReview:
    review = await _editable(session, user, challenge_id)
    racers = list(dict.fromkeys(c.application_id for c in data.consents))
    overridden = enforce(
        horse_race_violations(rules, len(racers)), user=user, override_reason=data.override_reason
    )
    await _qualified(session, rules, review, racers)
    review.horse_race = {
        "application_ids": [str(a) for a in racers],
        "consents": [c.model_dump(mode="json") for c in data.consents],
        "started_by": user.sub,
        "started_at": clock.now().isoformat(),
    }
    review.chosen_application_ids = [str(a) for a in racers]
    review.override_reason = data.override_reason if overridden else None
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="challenge_review",
        entity_id=review.id,
        action="horse_race",
        to_state=f"racing:{len(racers)}",
        reason=review.override_reason,
        data={"racers": [str(a) for a in racers], "overridden": [v.code for v in overridden]},
    )
    return review


async def open_publicity(
    session: AsyncSession, user: Claims, rules: RuleSet, intake: Intake, challenge_id: UUID
) -> ChallengeReview:
    review = await _editable(session, user, challenge_id)
    await results(session, rules, review)
    opens = clock.now()
    closes, _ = publicity_closes_at(rules, opens)
    before = review.status
    review.status, review.publicity_opens_at, review.publicity_closes_at = "public", opens, closes
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="challenge_review",
        entity_id=review.id,
        action="publicity",
        from_state=before,
        to_state="public",
        data={"closes_at": closes.isoformat()},
    )
    await intake.results_public(challenge_id)
    return review


async def _editable(session: AsyncSession, user: Claims, challenge_id: UUID) -> ChallengeReview:
    review = await review_of(session, user.city, challenge_id, lock=True)
    if review.status not in EDITABLE:
        raise Conflict("The results are already public", code="results.already_public")
    return review


async def _qualified(
    session: AsyncSession, rules: RuleSet, review: ChallengeReview, ids: list[UUID]
) -> None:
    rows, _ = await results(session, rules, review)
    ok = {r.application_id for r in rows if r.qualified}
    bad = [a for a in ids if a not in ok]
    if bad:
        raise Unprocessable(
            f"Application {bad[0]} has no qualified result for this challenge",
            code="results.not_qualified",
            clause=rules.review.bands_clause,
        )


def read(review: ChallengeReview, rows: list[Result]) -> dict[str, Any]:
    return {
        "challenge_id": review.challenge_id,
        "status": review.status,
        "publicity_opens_at": review.publicity_opens_at,
        "publicity_closes_at": review.publicity_closes_at,
        "chosen_application_ids": review.chosen_application_ids,
        "horse_race": review.horse_race,
        "override_reason": review.override_reason,
        "items": [r.__dict__ for r in rows],
    }
