"""Checking and filing the documents review's objects refer to.

Before any row lock, each referenced file is fetched from intake (a service call) and
checked like intake checks its own (``common.documents.check``): it exists, is of the named
kind, was uploaded by a party (or the bureau), and is not filed elsewhere; then the step's
required kinds (``documents.decision`` / ``member_change`` / ``acceptance``) must be present.
After the object is written, intake is told to file each document under it — through the
outbox, in the same transaction, so the filing reaches intake after the commit or is retried.
Tests: tests/review/test_documents.py.
"""

import base64
from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from common.auth import Claims
from common.documents import DocumentRef, StoredDocument, check, missing, present_kinds
from common.policy import enforce
from common.rulesets.schema import RequiredDocument
from services.review.documents.models import FiledDocument
from services.review.outbox import service as outbox
from services.review.upstream import Intake


async def verified(
    intake: Intake,
    user: Claims,
    required: Sequence[RequiredDocument],
    refs: Sequence[DocumentRef],
    object_type: str,
    parties: Iterable[UUID],
    object_id: UUID | None = None,
) -> list[DocumentRef]:
    party_set = set(parties)
    stored: dict[UUID, StoredDocument] = {}
    for ref in refs:
        data = await intake.document(ref.document_id)
        found = StoredDocument.of(data) if data else None
        doc = check(ref, found, object_type, object_id, party_set, bureau=True)
        stored[doc.id] = doc
    enforce(missing(required, present_kinds(refs, stored, party_set, bureau=True)), user=user)
    return list(refs)


def file(
    session: AsyncSession,
    city: str,
    project_id: UUID,
    object_type: str,
    object_id: UUID,
    refs: Sequence[DocumentRef],
    readers: dict[str, Any],
) -> None:
    for ref in refs:
        session.add(
            FiledDocument(
                city=city,
                project_id=project_id,
                object_type=object_type,
                object_id=object_id,
                kind=ref.kind,
                document_id=ref.document_id,
            )
        )
        outbox.enqueue(
            session,
            city,
            project_id,
            delivery_kind(ref.document_id),
            f"/api/v1/documents/{ref.document_id}/attachment",
            {"object_type": object_type, "object_id": str(object_id), "readers": readers},
        )


def delivery_kind(document_id: UUID) -> str:
    """One outbox row per filed document (``deliveries`` is unique per project and kind)."""
    return "doc:" + base64.urlsafe_b64encode(document_id.bytes).decode().rstrip("=")


def readers(org_ids: Iterable[UUID], *, auditors: bool = False) -> dict[str, Any]:
    """Who reads a review object's files besides the bureau: its parties (and auditors)."""
    return {"org_ids": sorted({str(o) for o in org_ids}), "auditors": auditors}
