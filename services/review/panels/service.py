"""Forming panels, scoring, and closing (computing each application's stage score)."""

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from common import clock
from common.affiliation import Party, affiliation_violations
from common.audit import record
from common.auth import Claims
from common.errors import Conflict, NotFound, RuleViolation, Unprocessable
from common.policy import enforce
from common.rulesets.schema import RuleSet
from services.review.db import AuditLog
from services.review.experts import repository as experts
from services.review.experts.service import facts
from services.review.panels import repository
from services.review.panels.models import Panel, PanelChallenge, PanelEntry, PanelMember
from services.review.panels.policy import ApplicationFacts, conflicts, size_violations, stage_score
from services.review.panels.schemas import PanelCreate, ScoreWrite
from services.review.results import repository as reviews
from services.review.results import service as results
from services.review.results.models import ChallengeReview
from services.review.upstream import Intake, org_facts, require_window_closed


async def form(
    session: AsyncSession, user: Claims, rules: RuleSet, intake: Intake, data: PanelCreate
) -> Panel:
    if data.stage not in {s.code for s in rules.review.stages}:
        raise Unprocessable(
            f"Unknown review stage {data.stage!r}",
            code="panel.unknown_stage",
            clause=rules.review.stages_clause,
        )
    expert_ids = list(dict.fromkeys(data.expert_ids))
    challenge_ids = list(dict.fromkeys(data.challenge_ids))
    enforce(size_violations(rules, len(expert_ids), data.stage), user=user)
    # Intake first, before this transaction touches a row: no HTTP call under a row lock.
    challenges, apps, excluded = await _gather(rules, intake, data.round_id, challenge_ids)
    pool = await experts.get_many(session, user.city, expert_ids)
    if len(pool) != len(expert_ids):
        raise Unprocessable("Some experts are not in this city's pool", code="panel.unknown_expert")
    taken = await repository.taken_stages(session, challenge_ids, data.stage)
    if taken:
        raise Conflict(
            f"Challenge {taken[0]} already has a {data.stage} panel", code="panel.duplicate_stage"
        )
    found = conflicts(rules, [facts(e) for e in pool], [a for a, _ in apps])
    if found:
        raise RuleViolation.of([c.violation.item() for c in found])
    panel = Panel(
        city=user.city,
        round_id=data.round_id,
        stage=data.stage,
        ruleset_version=rules.version,
        created_by=user.sub,
    )
    session.add(panel)
    await session.flush()
    session.add_all([PanelMember(panel_id=panel.id, expert_id=e) for e in expert_ids])
    session.add_all(
        [PanelChallenge(panel_id=panel.id, challenge_id=c, stage=data.stage) for c in challenge_ids]
    )
    session.add_all([_entry(panel.id, raw) for _, raw in apps])
    await _ensure_reviews(session, user.city, challenges)
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="panel",
        entity_id=panel.id,
        action="form",
        to_state="open",
        data={
            "experts": [str(e) for e in expert_ids],
            "challenges": [str(c) for c in challenge_ids],
            "excluded_affiliated": excluded,
        },
    )
    return panel


async def _gather(
    rules: RuleSet, intake: Intake, round_id: UUID, challenge_ids: list[UUID]
) -> tuple[list[dict[str, Any]], list[tuple[ApplicationFacts, dict[str, Any]]], list[str]]:
    """The challenges and their submitted applications, with the organisations' affiliations;
    every organisation fetched once, all before the panel's transaction touches a row. An
    application whose organisations are now affiliated with the owner (URC 二(三), checked on
    the records as they are today) is left out and named."""
    challenges, listed, excluded = [], [], []
    for cid in challenge_ids:
        challenge = await intake.challenge(cid)
        if str(challenge["round_id"]) != str(round_id):
            raise Unprocessable(
                f"Challenge {cid} is not in round {round_id}", code="panel.challenge_round"
            )
        require_window_closed(challenge)
        challenges.append(challenge)
        listed.append((challenge, await intake.submitted_applications(cid)))
    org_ids = {UUID(str(c["owner_org_id"])) for c, _ in listed} | {
        UUID(str(o))
        for _, raws in listed
        for raw in raws
        for o in [raw["lead_org_id"], *(raw.get("member_org_ids") or [])]
    }
    registered = {o: await intake.organization(o) for o in sorted(org_ids)}
    orgs = {o: org_facts(r) for o, r in registered.items()}
    apps = []
    for challenge, raws in listed:
        owner = orgs[UUID(str(challenge["owner_org_id"]))]
        for raw in raws:
            lead_id = UUID(str(raw["lead_org_id"]))
            # HZ 三(四)3: the county is the bureau-registered lead's, never what was typed
            raw = {**raw, "county": registered[lead_id].get("county")}
            lead = orgs[lead_id]
            members = tuple(orgs[UUID(str(m))] for m in raw.get("member_org_ids") or [])
            solvers = [Party(o.id, o.affiliated) for o in (lead, *members)]
            if affiliation_violations(rules, Party(owner.id, owner.affiliated), solvers):
                excluded.append(str(raw["id"]))
                continue
            apps.append((ApplicationFacts(UUID(str(raw["id"])), lead, members, owner), raw))
    return challenges, apps, excluded


def _entry(panel_id: UUID, raw: dict[str, Any]) -> PanelEntry:
    submitted, subsidy = raw.get("submitted_at"), raw.get("requested_subsidy")
    return PanelEntry(
        panel_id=panel_id,
        application_id=_id(raw["id"]),
        challenge_id=_id(raw["challenge_id"]),
        lead_org_id=_id(raw["lead_org_id"]),
        county=raw.get("county"),
        submitted_at=datetime.fromisoformat(submitted) if submitted else None,
        requested_subsidy=Decimal(str(subsidy)) if subsidy is not None else None,
    )


def _id(value: Any) -> UUID:
    return UUID(str(value))


async def _ensure_reviews(
    session: AsyncSession, city: str, challenges: list[dict[str, Any]]
) -> None:
    existing = await reviews.existing_ids(session, city, [UUID(str(c["id"])) for c in challenges])
    for c in challenges:
        if UUID(str(c["id"])) not in existing:
            session.add(
                ChallengeReview(
                    city=city,
                    challenge_id=c["id"],
                    round_id=c["round_id"],
                    demand_id=c["demand_id"],
                    owner_org_id=c["owner_org_id"],
                )
            )


async def score(
    session: AsyncSession, user: Claims, panel_id: UUID, application_id: UUID, data: ScoreWrite
) -> None:
    """Upsert the member's score; every change is audited from → to."""
    expert_id = _member_id(user)
    panel = await repository.get(session, user.city, panel_id, lock="share")
    if panel is None or expert_id not in {m.expert_id for m in panel.members}:
        raise NotFound("No such panel", code="panel.not_found")
    entry = next((e for e in panel.entries if e.application_id == application_id), None)
    if entry is None:
        raise NotFound("The application is not before this panel", code="panel.no_application")
    if panel.status == "closed" and not entry.reopened:
        raise Conflict("The panel is closed; scores are fixed", code="panel.closed")
    before = await repository.score_for_update(session, panel_id, application_id, expert_id)
    if before is None:
        new_id = await repository.insert_score(
            session, panel_id, application_id, expert_id, data.score, data.comment
        )
        if new_id is not None:
            _audit_score(session, user, new_id, None, data)
            return
        before = await repository.score_for_update(session, panel_id, application_id, expert_id)
        assert before is not None
    old = f"{before.score:f}"
    before.score, before.comment = data.score, data.comment
    before.updated_at = clock.now()
    await session.flush()
    _audit_score(session, user, before.id, old, data)


def _audit_score(
    session: AsyncSession, user: Claims, score_id: UUID, old: str | None, data: ScoreWrite
) -> None:
    record(
        session,
        AuditLog,
        user,
        entity="score",
        entity_id=score_id,
        action="score" if old is None else "rescore",
        from_state=old,
        to_state=f"{data.score:f}",
    )


def _member_id(user: Claims) -> UUID:
    try:
        return UUID(user.sub)
    except ValueError:
        raise NotFound("No such panel", code="panel.not_found") from None


async def close(session: AsyncSession, user: Claims, rules: RuleSet, panel_id: UUID) -> Panel:
    panel = await repository.get(session, user.city, panel_id, lock="update")
    if panel is None:
        raise NotFound("No such panel", code="panel.not_found")
    reopened = [e for e in panel.entries if e.reopened]
    if panel.status == "closed" and not reopened:
        raise Conflict("The panel is already closed", code="panel.closed")
    by_app: dict[UUID, dict[UUID, Any]] = defaultdict(dict)
    by_app.update(await repository.score_sheets(session, panel.id))
    members = {m.expert_id for m in panel.members}
    missing = [
        (e.application_id, m)
        for e in panel.entries
        for m in members
        if m not in by_app[e.application_id]
    ]
    if missing:
        raise Conflict(
            f"{len(missing)} score(s) missing, e.g. expert {missing[0][1]} on "
            f"application {missing[0][0]}",
            code="panel.incomplete",
        )
    computed = []
    for entry in reopened or panel.entries:
        result = stage_score(rules, panel.stage, list(by_app[entry.application_id].values()))
        computed.append((entry.id, result.value, result.explanation))
        # Already written by set_stage_scores below: kept on the loaded object, not re-flushed.
        set_committed_value(entry, "stage_score", result.value)
        set_committed_value(entry, "explanation", result.explanation)
        entry.reopened = False
    await repository.set_stage_scores(session, computed)
    if not reopened:
        panel.status, panel.closed_at = "closed", clock.now()
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="panel",
        entity_id=panel.id,
        action="reclose" if reopened else "close",
        from_state="reopened" if reopened else "open",
        to_state="closed",
        data={"applications": [str(e.application_id) for e in reopened]} if reopened else None,
    )
    concerned = {e.challenge_id for e in reopened} if reopened else None
    await _recompute_results(session, rules, panel, concerned)
    return panel


async def _recompute_results(
    session: AsyncSession, rules: RuleSet, panel: Panel, only: set[UUID] | None = None
) -> None:
    """Results are computed once, here, when a challenge's last stage closes, and stored; a
    re-close recomputes only the challenges whose scores were reopened."""
    for link in panel.challenges:
        if only is not None and link.challenge_id not in only:
            continue
        review = await reviews.get(session, panel.city, link.challenge_id, lock=True)
        if review is not None:
            await results.recompute(session, rules, review)


async def reopen_for_challenge(
    session: AsyncSession,
    user: Claims,
    challenge_id: UUID,
    reason: str,
    application_id: UUID | None = None,
) -> None:
    """An upheld objection reopens the scores it concerns — the named application's, or else
    the challenge's — on the closed panels; every other challenge on those panels stays closed
    with its results. The challenge's stored results go until the panels are re-closed."""
    reopened = await repository.reopen_entries(session, user.city, challenge_id, application_id)
    panels: dict[UUID, list[str]] = defaultdict(list)
    for panel_id, app_id in reopened:
        panels[panel_id].append(str(app_id))
    for panel_id, apps in panels.items():
        record(
            session,
            AuditLog,
            user,
            entity="panel",
            entity_id=panel_id,
            action="reopen_scores",
            from_state="closed",
            to_state="reopened",
            reason=reason,
            data={"challenge_id": str(challenge_id), "applications": apps},
        )
    await session.flush()
    await reviews.clear_results(session, user.city, challenge_id)
