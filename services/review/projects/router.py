"""Projects: read (with what finance has received), change requests, acceptance."""

from typing import cast
from uuid import UUID

from fastapi import APIRouter, Request

from common.auth import Role
from common.db import SessionDep
from common.deps import BureauUser, CurrentUser
from common.errors import Conflict, Forbidden, problem_responses
from common.states import DeliveryStatus
from services.review.documents import repository as filed_documents
from services.review.documents import service as filed
from services.review.outbox import repository as deliveries
from services.review.outbox import service as outbox
from services.review.projects import acceptance, duties, repository, service
from services.review.projects.dependencies import LockedProject, VisibleProject
from services.review.projects.duties_schemas import (
    ContractCreate,
    MidtermCheckCreate,
    OwnerDutiesCreate,
)
from services.review.projects.models import Project
from services.review.projects.schemas import (
    AcceptanceCorrection,
    ChangeCreate,
    ChangeDecision,
    ChangeRead,
    FiledDocumentRead,
    ProjectAcceptanceCreate,
    ProjectRead,
)
from services.review.upstream import IntakeDep
from services.review.versions import ProjectRuleSet

router = APIRouter(tags=["projects"])


async def project_read(session: SessionDep, project: Project) -> ProjectRead:
    """The project with the state of its deliveries to finance. A read never sends anything:
    delivery is the outbox's (after commit, the relay, the bureau's retry)."""
    sent = await deliveries.for_project(session, project.city, project.id)
    changes = await repository.changes(session, project.id)
    read = ProjectRead.model_validate(project)
    read.funding_status = cast(DeliveryStatus | None, outbox.status_of(sent, "funding"))
    read.acceptance_delivery_status = cast(
        DeliveryStatus | None, outbox.status_of(sent, "acceptance")
    )
    read.changes = [ChangeRead.model_validate(c) for c in changes]
    files = await filed_documents.for_project(session, project.city, project.id)
    read.documents = [FiledDocumentRead.model_validate(f) for f in files]
    return read


@router.get("/projects/{project_id}", response_model=ProjectRead, responses=problem_responses(404))
async def get_project(project: VisibleProject, session: SessionDep) -> ProjectRead:
    return await project_read(session, project)


@router.post(
    "/projects/{project_id}/deliveries/retry",
    response_model=ProjectRead,
    responses=problem_responses(403, 404),
)
async def retry_deliveries(
    project: VisibleProject, user: CurrentUser, session: SessionDep
) -> ProjectRead:
    """Make the project's pending deliveries due now; they are sent once this request has
    committed (a dead one needs the reasoned ``POST /deliveries/{id}/retry``)."""
    if not user.is_staff:
        raise Forbidden("Only the bureau or a service retries deliveries", code="auth.role")
    await outbox.retry_project(session, project.city, project.id)
    return await project_read(session, project)


@router.post(
    "/projects/{project_id}/changes",
    response_model=ChangeRead,
    status_code=201,
    responses=problem_responses(403, 404, 409, 422, 503),
)
async def request_change(
    data: ChangeCreate,
    project: VisibleProject,
    user: CurrentUser,
    rules: ProjectRuleSet,
    intake: IntakeDep,
    session: SessionDep,
) -> ChangeRead:
    """New members are checked with intake before the project row is locked (no HTTP under a
    row lock)."""
    if user.role == Role.service:
        raise Forbidden("Services do not request changes", code="auth.role")
    if data.kind == "member_change" and data.member_org_ids:
        await intake.require_unaffiliated(
            rules, project.owner_org_id, [project.solver_org_id, *data.member_org_ids]
        )
    required = rules.documents.member_change if data.kind == "member_change" else []
    refs = await filed.verified(
        intake, user, required, data.documents, "project_change", service.parties(project)
    )
    project = await repository.relock(session, project)  # after the calls, never during
    if project.status != "active":
        raise Conflict("The project is no longer active", code="project.accepted")
    return ChangeRead.model_validate(
        await service.request_change(session, user, rules, project, data, refs)
    )


@router.post(
    "/projects/{project_id}/changes/{change_id}/decision",
    response_model=ChangeRead,
    responses=problem_responses(403, 404, 409, 422),
)
async def decide_change(
    change_id: UUID,
    data: ChangeDecision,
    user: BureauUser,
    project: VisibleProject,
    rules: ProjectRuleSet,
    intake: IntakeDep,
    session: SessionDep,
) -> ChangeRead:
    """Approving a consortium member change checks the new members again (URC 二(三)), with
    intake, before the project row is locked (no HTTP under a row lock)."""
    await service.recheck_members(session, rules, project, change_id, data, intake)
    project = await repository.relock(session, project)
    return ChangeRead.model_validate(
        await service.decide_change(session, user, rules, project, change_id, data)
    )


@router.post(
    "/projects/{project_id}/acceptance",
    response_model=ProjectRead,
    responses=problem_responses(403, 404, 409, 422, 503),
)
async def record_acceptance(
    request: Request,
    data: ProjectAcceptanceCreate,
    user: BureauUser,
    project: VisibleProject,
    rules: ProjectRuleSet,
    intake: IntakeDep,
    session: SessionDep,
) -> ProjectRead:
    """The acceptance with the facts the city's settlement needs (its rule set names them) and
    its stored files (documents.acceptance). Finance's plan is read and the files are checked
    with intake before the project row is locked (no HTTP under a row lock); finance is told
    once this request has committed (the outbox), never before."""
    refs = await filed.verified(
        intake,
        user,
        rules.documents.acceptance,
        data.documents,
        "acceptance",
        service.parties(project),
        project.id,
    )
    funding = await acceptance.funding_of(request.app.state.services, project)
    project = await repository.relock(session, project)
    await acceptance.accept(session, user, rules, project, data, funding, refs)
    return await project_read(session, project)


@router.post(
    "/projects/{project_id}/acceptance/corrections",
    response_model=ProjectRead,
    responses=problem_responses(403, 404, 409, 422, 503),
)
async def correct_acceptance(
    request: Request,
    data: AcceptanceCorrection,
    user: BureauUser,
    project: VisibleProject,
    rules: ProjectRuleSet,
    session: SessionDep,
) -> ProjectRead:
    """A reasoned, audited correction of the recorded acceptance, until the project is
    settled; finance receives it as the next revision (after commit, the outbox). Finance's
    plan is read before the row is locked."""
    funding = await acceptance.funding_of(request.app.state.services, project)
    project = await repository.relock(session, project)
    await acceptance.correct(session, user, rules, project, data, funding)
    return await project_read(session, project)


@router.post(
    "/projects/{project_id}/owner-duties",
    response_model=ProjectRead,
    responses=problem_responses(403, 404, 409),
)
async def record_owner_duties(
    data: OwnerDutiesCreate,
    user: CurrentUser,
    project: LockedProject,
    rules: ProjectRuleSet,
    session: SessionDep,
) -> ProjectRead:
    """The owner's responsibility letter (业主责任书) and project manager (URC 三(四)); the
    project takes change requests, its mid-term check and acceptance only after this."""
    await duties.record_owner_duties(session, user, rules, project, data)
    return await project_read(session, project)


@router.post(
    "/projects/{project_id}/midterm",
    response_model=ProjectRead,
    responses=problem_responses(403, 404, 409),
)
async def record_midterm(
    data: MidtermCheckCreate,
    user: BureauUser,
    project: LockedProject,
    rules: ProjectRuleSet,
    session: SessionDep,
) -> ProjectRead:
    """The mid-term check (中期检查); a passed one makes the mid-term tranches payable."""
    await duties.record_midterm(session, user, rules, project, data)
    return await project_read(session, project)


@router.post(
    "/projects/{project_id}/contract",
    response_model=ProjectRead,
    responses=problem_responses(403, 404, 409),
)
async def record_contract(
    data: ContractCreate,
    user: BureauUser,
    project: LockedProject,
    rules: ProjectRuleSet,
    session: SessionDep,
) -> ProjectRead:
    """The project contract (项目合同书), signed after 立项 (HZ 三(五))."""
    await duties.record_contract(session, user, rules, project, data)
    return await project_read(session, project)
