"""The bureau's procedure between expert review and 立项: quota, joint review, meeting."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Request

from common.db import SessionDep
from common.deps import BureauUser, CityRuleSet, StaffUser
from common.errors import NotFound, problem_responses
from services.review.procedure import repository, service
from services.review.procedure.schemas import (
    JointReviewCreate,
    MeetingCreate,
    MeetingRead,
    ProposalRead,
    QuotaRead,
    QuotaSet,
)
from services.review.upstream import IntakeDep

router = APIRouter(tags=["procedure"])
Year = Annotated[int, Path(ge=2000, le=2100)]


@router.put("/quotas/{year}", response_model=QuotaRead, responses=problem_responses(403, 422))
async def set_quota(year: Year, data: QuotaSet, user: BureauUser, session: SessionDep) -> QuotaRead:
    """The bureau's project quota (立项控制数) for a year: bureau data, not a rule number."""
    quota = await service.set_quota(session, user, year, data.projects)
    used = await repository.quota_used(session, user.city, year)
    return QuotaRead(year=year, projects=quota.projects, used=used)


@router.get("/quotas/{year}", response_model=QuotaRead, responses=problem_responses(403, 404))
async def get_quota(year: Year, user: StaffUser, session: SessionDep) -> QuotaRead:
    quota = await repository.quota(session, user.city, year)
    if quota is None:
        raise NotFound(f"No quota recorded for {year}", code="quota.not_found")
    used = await repository.quota_used(session, user.city, year)
    return QuotaRead(year=year, projects=quota.projects, used=used)


@router.post(
    "/proposals",
    response_model=ProposalRead,
    status_code=201,
    responses=problem_responses(403, 404, 409, 422, 503),
)
async def joint_review(
    request: Request,
    data: JointReviewCreate,
    user: BureauUser,
    rules: CityRuleSet,
    intake: IntakeDep,
    session: SessionDep,
) -> ProposalRead:
    """The divisions' joint review (处室联审) of a winning application: conditions on current
    facts, the year's quota, the annual budget, the credit check. Every check is recorded with
    its result, who and when; ``status`` says whether it may go to the decision meeting."""
    proposal = await service.review_jointly(
        session, user, rules, intake, request.app.state.services, data
    )
    return ProposalRead.model_validate(proposal)


@router.get(
    "/proposals/{application_id}", response_model=ProposalRead, responses=problem_responses(404)
)
async def get_proposal(application_id: UUID, user: StaffUser, session: SessionDep) -> ProposalRead:
    proposal = await repository.proposal(session, user.city, application_id)
    if proposal is None:
        raise NotFound("No proposal for this application", code="proposal.not_found")
    return ProposalRead.model_validate(proposal)


@router.post(
    "/decision-meetings",
    response_model=MeetingRead,
    status_code=201,
    responses=problem_responses(403, 404, 409, 422),
)
async def hold_meeting(
    data: MeetingCreate, user: BureauUser, rules: CityRuleSet, session: SessionDep
) -> MeetingRead:
    """The director meeting's (局长办公会议) collective decision on joint-reviewed proposals:
    approved ones become 拟立项 (``proposed``) and go on public notice next (HZ 三(五))."""
    return MeetingRead.model_validate(await service.hold_meeting(session, user, rules, data))


@router.get(
    "/decision-meetings/{meeting_id}", response_model=MeetingRead, responses=problem_responses(404)
)
async def get_meeting(meeting_id: UUID, user: StaffUser, session: SessionDep) -> MeetingRead:
    meeting = await repository.meeting(session, user.city, meeting_id)
    if meeting is None:
        raise NotFound("No such meeting", code="meeting.not_found")
    return MeetingRead.model_validate(meeting)
