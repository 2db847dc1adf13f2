"""Results from closed panels, the owner's choice, the horse race (赛马) and publicity (公示)."""

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from common import clock
from common.audit import record
from common.auth import Claims, Role
from common.errors import Conflict, Forbidden, NotFound, Unprocessable
from common.policy import enforce
from common.rulesets.schema import RuleSet
from services.review.db import AuditLog
from services.review.explain import quoted
from services.review.notices.service import open_notice
from services.review.procedure import repository as procedure
from services.review.procedure.policy import done_steps, out_of_order
from services.review.results import repository
from services.review.results.models import ChallengeReview
from services.review.results.policy import (
    Candidate,
    Result,
    compute,
    duplicate_racer_violations,
    horse_race_violations,
    publicity_closes_at,
)
from services.review.results.schemas import (
    ChoiceCreate,
    EvaluationOpinionCreate,
    HorseRaceCreate,
)
from services.review.upstream import Intake, require_window_closed

EDITABLE = ("reviewing", "reopened")


async def review_of(
    session: AsyncSession, city: str, challenge_id: UUID, *, lock: bool = False
) -> ChallengeReview:
    review = await repository.get(session, city, challenge_id, lock=lock)
    if review is None:
        raise NotFound("No review for this challenge", code="results.not_found")
    return review


async def recompute(session: AsyncSession, rules: RuleSet, review: ChallengeReview) -> int:
    """Compute the challenge's results from its closed panels and store them: the one place
    results are (re)computed. Called when a panel closes, when the owner's choice or a horse
    race changes the winners, and by anything else that changes what the results are built on
    (an upheld objection, a withdrawal after results). While a stage of the rule set has no
    closed panel the stored results are cleared and reading them is ``results.not_ready``.

    An application counts when every stage scored it. Returns the number of results stored.
    """
    now = clock.now()
    closed = await repository.closed_stages(session, review.city, review.challenge_id)
    codes = [s.code for s in rules.review.stages]
    if any(c not in closed for c in codes):
        await repository.replace_results(session, review.city, review.challenge_id, [])
        review.results_computed_at = None
        await session.flush()
        return 0
    by_app: dict[UUID, dict[str, Any]] = defaultdict(dict)
    for row in await repository.scored_entries(session, review.city, review.challenge_id):
        by_app[row.application_id][row.stage] = row
    candidates, steps, leads = [], {}, {}
    for app_id, entries in by_app.items():
        if any(c not in entries or entries[c].stage_score is None for c in codes):
            continue
        first = entries[codes[0]]
        candidates.append(
            Candidate(
                app_id,
                {c: Decimal(entries[c].stage_score) for c in codes},
                first.county,
                first.submitted_at,
                first.requested_subsidy,
            )
        )
        steps[app_id] = [s for c in codes for s in entries[c].explanation or []]
        leads[app_id] = first.lead_org_id
    chosen = [UUID(str(a)) for a in review.chosen_application_ids]
    rows = [
        _stored(
            review,
            r,
            leads[r.application_id],
            quoted(rules, steps[r.application_id] + r.explanation),
            now,
        )
        for r in compute(rules, candidates, chosen)
    ]
    await repository.replace_results(session, review.city, review.challenge_id, rows)
    review.results_computed_at = now
    await session.flush()
    return len(rows)


def _stored(
    review: ChallengeReview, r: Result, lead: UUID, explanation: list[Any], now: datetime
) -> dict[str, Any]:
    return {
        "id": uuid4(),
        "city": review.city,
        "challenge_id": review.challenge_id,
        "application_id": r.application_id,
        "lead_org_id": lead,
        "stage_scores": {k: f"{v:f}" for k, v in r.stage_scores.items()},
        "total": r.total,
        "band": r.band,
        "qualified": r.qualified,
        "rank": r.rank,
        "winner": r.winner,
        "explanation": explanation,
        "computed_at": now,
    }


def ready(review: ChallengeReview) -> None:
    if review.results_computed_at is None:
        raise Conflict(
            "Not every review stage of this challenge is closed", code="results.not_ready"
        )


def reader_org(user: Claims, review: ChallengeReview) -> UUID | None:
    """Whose results the user may read: None for all of them. Bureau and services always; the
    challenge's owner once review is over (it may have to choose, URC 二(四)); solvers once
    publicity opened, and only their own organisation's applications."""
    if user.reads_all:
        return None
    if user.role == Role.demand_owner and user.org_id == review.owner_org_id:
        return None
    if user.role == Role.solver and review.publicity_opens_at is not None and user.org_id:
        return UUID(str(user.org_id))
    raise Forbidden("Results are not visible to you", code="results.forbidden")


async def _unaffiliated(rules: RuleSet, intake: Intake, application_ids: list[UUID]) -> None:
    """Whoever is chosen or races is checked again on today's records (URC 二(三))."""
    for app_id in application_ids:
        app = await intake.application(app_id)
        solvers = [app["lead_org_id"], *(app.get("member_org_ids") or [])]
        await intake.require_unaffiliated(rules, app["owner_org_id"], solvers)


async def choose(
    session: AsyncSession,
    user: Claims,
    rules: RuleSet,
    intake: Intake,
    challenge_id: UUID,
    data: ChoiceCreate,
) -> ChallengeReview:
    review = await review_of(session, user.city, challenge_id)
    if user.role == Role.demand_owner and user.org_id != review.owner_org_id:
        raise NotFound("No review for this challenge", code="results.not_found")
    await _unaffiliated(rules, intake, [data.application_id])
    review = await _editable(session, user, challenge_id)
    if rules.review.winner.rule != "owner_choice":
        raise Conflict("The rule set picks the winner by score", code="results.winner_by_rule")
    await _qualified(session, rules, review, [data.application_id])
    before = review.chosen_application_ids
    review.chosen_application_ids, review.horse_race = [str(data.application_id)], None
    await recompute(session, rules, review)
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
    intake: Intake,
    challenge_id: UUID,
    data: HorseRaceCreate,
) -> ChallengeReview:
    named = [c.application_id for c in data.consents]
    enforce(duplicate_racer_violations(rules, named), user=user)
    racers = list(dict.fromkeys(named))
    await _unaffiliated(rules, intake, racers)
    review = await _editable(session, user, challenge_id)
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
    await recompute(session, rules, review)
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


async def give_opinion(
    session: AsyncSession,
    user: Claims,
    rules: RuleSet,
    challenge_id: UUID,
    data: EvaluationOpinionCreate,
) -> ChallengeReview:
    clause = rules.review.evaluation_opinion_clause
    if clause is None:
        raise Conflict(
            "This city's rules have no evaluation opinion", code="results.no_evaluation_opinion"
        )
    review = await review_of(session, user.city, challenge_id, lock=True)
    ready(review)
    if await repository.result_of(session, user.city, challenge_id, data.application_id) is None:
        raise NotFound("No result for this application", code="results.not_found")
    opinion = {
        "application_id": str(data.application_id),
        "opinion": data.opinion,
        "by": user.sub,
        "at": clock.now().isoformat(),
        "clause": clause,
    }
    review.evaluation_opinions = [*review.evaluation_opinions, opinion]
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="challenge_review",
        entity_id=review.id,
        action="evaluation_opinion",
        data={"application_id": str(data.application_id)},
    )
    return review


async def open_publicity(
    session: AsyncSession, user: Claims, rules: RuleSet, intake: Intake, challenge_id: UUID
) -> ChallengeReview:
    require_window_closed(await intake.challenge(challenge_id))
    review = await _editable(session, user, challenge_id)
    ready(review)
    winners = await repository.winners(session, user.city, challenge_id)
    proposals = await procedure.proposals_of(session, user.city, challenge_id)
    conflict = out_of_order(rules, "publicity", done_steps(proposals, winners))
    if conflict:
        raise conflict
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
    await open_notice(session, rules, intake, review)
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
    ready(review)
    ok = await repository.qualified_among(session, review.city, review.challenge_id, ids)
    bad = [a for a in ids if a not in ok]
    if bad:
        raise Unprocessable(
            f"Application {bad[0]} has no qualified result for this challenge",
            code="results.not_qualified",
            clause=rules.review.bands_clause,
        )
