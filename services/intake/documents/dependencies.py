"""Who may read a document: whoever may read the object it is filed under.

Intake's own objects decide by their rows (the demand's and application's visibility, which
already covers owner, solvers, the bureau and assigned experts without conflict — review never
assigns a conflicted expert); review's objects carry their parties in ``readers`` (owner and
solver organisations; auditors for the acceptance opinion and audit report). The uploader
always reads its own upload; an unattached upload nobody else. Anything else is 404, so
existence does not leak.
"""

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request

from common.auth import Claims, Role
from common.db import SessionDep
from common.deps import CurrentUser
from common.errors import NotFound
from services.intake.access import Assignments, expert_assignments
from services.intake.applications import repository as applications
from services.intake.demands import repository as demands
from services.intake.documents import repository
from services.intake.documents.models import Document


def _not_found() -> NotFound:
    return NotFound("Document not found", code="document.not_found")


def _own(user: Claims, doc: Document) -> bool:
    return doc.uploaded_by == user.sub and doc.uploader_role == user.role


def _review_reader(user: Claims, doc: Document) -> bool:
    readers = doc.readers or {}
    if user.role == Role.auditor:
        return bool(readers.get("auditors"))
    if user.role in (Role.demand_owner, Role.solver) and user.org_id:
        return str(user.org_id) in {str(o) for o in readers.get("org_ids", [])}
    return False


async def may_read(request: Request, session: SessionDep, user: Claims, doc: Document) -> bool:
    if user.role in (Role.bureau, Role.service) or _own(user, doc):
        return True
    if doc.attached_id is None:
        return False
    if doc.attached_type not in ("demand", "application"):
        return _review_reader(user, doc)
    assignments = (
        await expert_assignments(request, user) if user.role == Role.expert else Assignments()
    )
    if doc.attached_type == "demand":
        visible = demands.visibility(user, assignments)
        return await demands.get(session, user.city, doc.attached_id, visible) is not None
    visible = applications.visibility(user, assignments)
    return await applications.get(session, user.city, doc.attached_id, visible) is not None


async def readable_document(
    request: Request, document_id: UUID, user: CurrentUser, session: SessionDep
) -> Document:
    doc = await repository.get(session, user.city, document_id)
    if doc is None or not await may_read(request, session, user, doc):
        raise _not_found()
    return doc


ReadableDocument = Annotated[Document, Depends(readable_document)]
