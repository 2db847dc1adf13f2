"""The bureau's steps between expert review and 立项: the quota, the divisions' joint review
(处室联审, HZ 三(四)4) and the director meeting (局长办公会议, HZ 三(四)5).

``done_steps`` tells the other steps (publicity, 立项) which steps a challenge's winners have
completed, so each can refuse to run out of the rule set's order.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from common import clock
from common.audit import record
from common.auth import Claims
from common.errors import Conflict, NotFound, Unprocessable
from common.http import ServiceClient
from common.rulesets.schema import RuleSet
from services.review.agreements import service as agreements
from services.review.agreements.policy import MoneyBase
from services.review.db import AuditLog
from services.review.procedure import finance_budget, repository
from services.review.procedure.models import DecisionMeeting, ProjectQuota, Proposal
from services.review.procedure.policy import Credit, JointFacts, joint_review, out_of_order
from services.review.procedure.schemas import JointReviewCreate, MeetingCreate
from services.review.results import repository as reviews
from services.review.results.service import review_of
from services.review.upstream import Intake

DECIDED = ("proposed", "rejected")


def year_of(rules: RuleSet, moment: datetime) -> int:
    return moment.astimezone(rules.tz).year


async def set_quota(session: AsyncSession, user: Claims, year: int, projects: int) -> ProjectQuota:
    quota = await repository.quota(session, user.city, year, lock=True)
    before = quota.projects if quota else None
    if quota is None:
        quota = ProjectQuota(city=user.city, year=year, projects=projects, set_by=user.sub)
        session.add(quota)
    quota.projects, quota.set_by = projects, user.sub
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="project_quota",
        entity_id=quota.id,
        action="set",
        from_state=None if before is None else str(before),
        to_state=str(projects),
    )
    return quota


async def _winner(session: AsyncSession, rules: RuleSet, challenge_id: UUID, app_id: UUID) -> None:
    await review_of(session, rules.city, challenge_id)
    if not await reviews.is_winner(session, rules.city, challenge_id, app_id):
        raise Unprocessable(
            "Only a winning application is proposed",
            code="procedure.not_winner",
            clause=rules.review.winner.clause,
        )


def plan_facts(
    rules: RuleSet, application: dict[str, Any], demand: dict[str, Any], base: MoneyBase
) -> dict[str, Any]:
    """The plan finance would compute at 立项, on the money base 立项 will use (the records as
    submitted with any approved agreement terms)."""
    requested = base.requested_subsidy
    return {
        "project_id": str(application["id"]),  # no project yet: the check stores nothing
        "city": rules.city,
        "ruleset_version": rules.version,
        "owner_org_id": str(demand["owner_org_id"]),
        "solver_org_id": str(application["lead_org_id"]),
        "category": demand.get("category"),
        "bounty_amount": f"{base.bounty_amount:.2f}",
        "equity_contribution_valuation": f"{base.equity_contribution_valuation:.2f}",
        "total_investment": f"{base.total_investment:.2f}",
        "requested_subsidy": None if requested is None else f"{requested:.2f}",
        "over_quota": bool(demand.get("over_quota")),
        "approved_at": clock.now().isoformat(),
    }


async def review_jointly(
    session: AsyncSession,
    user: Claims,
    rules: RuleSet,
    intake: Intake,
    services: ServiceClient,
    data: JointReviewCreate,
) -> Proposal:
    conflict = out_of_order(rules, "joint_review", {"expert_review"})
    if conflict or "joint_review" not in rules.procedure.codes():
        raise conflict or Conflict(
            "This city's procedure has no joint review", code="procedure.no_step"
        )
    await _winner(session, rules, data.challenge_id, data.application_id)
    proposal = await repository.proposal(session, user.city, data.application_id, lock=True)
    if proposal and proposal.status in DECIDED:
        raise Conflict("The meeting has decided this proposal", code="procedure.decided")
    year = data.year or year_of(rules, clock.now())
    quota = await repository.quota(session, user.city, year, lock=True)
    application = await intake.application(data.application_id)
    demand = await intake.demand(UUID(str(application["demand_id"])))
    eligibility = await intake.eligibility(data.application_id)
    base = await agreements.money_base(session, user, rules, intake, application)
    plan = plan_facts(rules, application, demand, base)
    budget = await finance_budget.check(services, user.city, plan)
    facts = JointFacts(
        condition_problems=list(eligibility["violations"]),
        quota=quota.projects if quota else None,
        quota_used=await repository.quota_used(
            session, user.city, year, besides=data.application_id
        ),
        budget_fits=budget.fits,
        budget_detail=budget.detail,
        credit=Credit(
            data.credit.source,
            data.credit.checked_on,
            data.credit.result == "pass",
            data.credit.reference,
        ),
        numbers={"budget": budget.numbers, "quota": {"year": year}},
    )
    status, checks = joint_review(rules, facts, data.exception_reason)
    now = clock.now()
    checks = [{**c, "by": user.sub, "at": now.isoformat()} for c in checks]
    if proposal is None:
        proposal = Proposal(
            city=user.city, challenge_id=data.challenge_id, application_id=data.application_id
        )
        session.add(proposal)
    before = proposal.status
    proposal.year, proposal.status, proposal.checks = year, status, checks
    proposal.exception_reason = data.exception_reason
    proposal.reviewed_by, proposal.reviewed_at = user.sub, now
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="proposal",
        entity_id=proposal.id,
        action="joint_review",
        from_state=before,
        to_state=status,
        reason=data.exception_reason,
        data={"checks": [{k: c[k] for k in ("check", "result", "text")} for c in checks]},
    )
    return proposal


async def hold_meeting(
    session: AsyncSession, user: Claims, rules: RuleSet, data: MeetingCreate
) -> DecisionMeeting:
    if "decision_meeting" not in rules.procedure.codes():
        raise Conflict("This city's procedure has no decision meeting", code="procedure.no_step")
    ids = [d.application_id for d in data.decisions]
    if len(set(ids)) != len(ids):
        raise Unprocessable("An application is decided twice", code="procedure.duplicate")
    meeting = DecisionMeeting(
        city=user.city,
        held_on=data.held_on,
        attendees=list(data.attendees),
        minutes=data.minutes,
        minutes_document_id=data.minutes_document_id,
        decisions=[d.model_dump(mode="json") for d in data.decisions],
        recorded_by=user.sub,
    )
    session.add(meeting)
    await session.flush()
    for item in data.decisions:
        proposal = await repository.proposal(session, user.city, item.application_id, lock=True)
        if proposal is None:
            raise NotFound(f"No proposal for {item.application_id}", code="proposal.not_found")
        if proposal.status in DECIDED:
            raise Conflict("The meeting has decided this proposal", code="procedure.decided")
        done = {"expert_review"} | (
            {"joint_review"} if proposal.status == "joint_review_passed" else set()
        )
        conflict = out_of_order(rules, "decision_meeting", done)
        if conflict:
            raise conflict
        before = proposal.status
        proposal.status = "proposed" if item.outcome == "approve" else "rejected"
        proposal.meeting_id, proposal.meeting_reason = meeting.id, item.reason
        record(
            session,
            AuditLog,
            user,
            entity="proposal",
            entity_id=proposal.id,
            action="decision_meeting",
            from_state=before,
            to_state=proposal.status,
            reason=item.reason,
            data={"meeting_id": str(meeting.id)},
        )
    await session.flush()
    return meeting
