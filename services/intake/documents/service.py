"""Uploading, filing (attaching) and sweeping documents.

An upload is stored under its sha256 and recorded unattached, readable by its uploader alone
until it is filed under a demand, an application, or (through review) a decision, change or
acceptance; unattached uploads expire. Content never changes: a new version is a new
document naming the one it ``supersedes``, both kept and the step audited.
"""

import asyncio
import logging
from datetime import timedelta
from typing import IO, Any
from uuid import UUID

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from common import clock
from common.audit import record
from common.auth import Claims, Role
from common.documents import DocumentRef, StoredDocument, check, free_for, present_kinds
from common.errors import Conflict, Unprocessable, UnsupportedMediaType
from common.rulesets.schema import RuleSet
from common.settings import Settings
from services.intake.db import AuditLog
from services.intake.documents import formats, repository
from services.intake.documents.models import Document
from services.intake.documents.schemas import AttachmentCreate
from services.intake.documents.storage import Storage, object_key
from services.intake.documents.upload import Form, measure

log = logging.getLogger("jiebang.documents")


def stored(doc: Document) -> StoredDocument:
    return StoredDocument(
        doc.id, doc.kind, doc.uploader_role, doc.uploader_org_id, doc.attached_type, doc.attached_id
    )


def _check_form(ruleset: RuleSet, form: Form) -> None:
    if form.kind not in ruleset.document_kinds():
        raise Unprocessable(
            f"'{form.kind}' is not a kind of document this city's steps use: "
            + ", ".join(sorted(ruleset.document_kinds())),
            code="document.unknown_kind",
        )
    if not 1 <= len(form.title) <= 200:
        raise Unprocessable("'title' needs 1 to 200 characters", code="document.bad_title")


def _filename(form: Form, media_type: str) -> str:
    name = (form.file.filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = "".join(c for c in name if c.isprintable())[:255]
    return name or f"{form.kind}{formats.EXTENSIONS[media_type]}"


async def upload(
    session: AsyncSession,
    user: Claims,
    ruleset: RuleSet,
    settings: Settings,
    storage: Storage,
    form: Form,
) -> Document:
    _check_form(ruleset, form)
    previous = await _superseded(session, user, form)
    file: IO[bytes] = form.file.file
    measured = measure(file, settings.document_max_bytes)
    if measured.size == 0:
        raise Unprocessable("The file is empty", code="document.empty", detail_zh="文件为空")
    if measured.media_type is None:
        raise UnsupportedMediaType(
            "Only PDF, OFD, DOCX, XLSX, JPEG and PNG files are accepted (recognised by content)",
            code="document.unsupported_type",
            detail_zh="仅接受 PDF、OFD、DOCX、XLSX、JPEG、PNG 文件（按文件内容识别）",
        )
    await storage.put(object_key(measured.sha256), file, measured.size, measured.media_type)
    document = Document(
        city=user.city,
        kind=form.kind,
        title=form.title,
        filename=_filename(form, measured.media_type),
        media_type=measured.media_type,
        size=measured.size,
        sha256=measured.sha256,
        uploaded_by=user.sub,
        uploader_role=str(user.role),
        uploader_org_id=user.org_id if user.role != Role.bureau else None,
        supersedes_id=previous.id if previous else None,
        expires_at=clock.now() + timedelta(hours=settings.document_unattached_hours),
    )
    session.add(document)
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="document",
        entity_id=document.id,
        action="supersede" if previous else "upload",
        to_state="unattached",
        data={
            "sha256": measured.sha256,
            "size": measured.size,
            "kind": form.kind,
            **({"supersedes": str(previous.id)} if previous else {}),
        },
    )
    return document


async def _superseded(session: AsyncSession, user: Claims, form: Form) -> Document | None:
    if form.supersedes is None:
        return None
    try:
        previous_id = UUID(form.supersedes)
    except ValueError as exc:
        raise Unprocessable("'supersedes' is not a document id", code="document.bad_form") from exc
    previous = await repository.get(session, user.city, previous_id)
    same_party = previous is not None and (
        previous.uploaded_by == user.sub
        or (user.org_id is not None and previous.uploader_org_id == user.org_id)
        or (user.role == Role.bureau and previous.uploader_role == Role.bureau)
    )
    if previous is None or not same_party:
        raise Unprocessable("No such document of yours to supersede", code="document.not_found")
    if previous.kind != form.kind:
        raise Unprocessable(
            f"A new version keeps the kind '{previous.kind}'", code="document.kind_mismatch"
        )
    return previous


async def file_under(
    session: AsyncSession,
    user: Claims,
    object_type: str,
    object_id: UUID,
    refs: list[DocumentRef],
    parties: set[UUID],
) -> list[dict[str, Any]]:
    """File the referenced documents under an intake object (demand, application): each must
    exist in the city, carry the named kind, come from a party of the object and not belong
    to another object. Returns the references as the object stores them."""
    docs = await repository.get_many(session, user.city, [r.document_id for r in refs], lock=True)
    for ref in refs:
        doc = docs.get(ref.document_id)
        check(ref, stored(doc) if doc else None, object_type, object_id, parties)
        if doc is not None:  # check() refused a missing one
            _attach(session, user, doc, object_type, object_id, None)
    await session.flush()
    return [r.model_dump(mode="json") for r in refs]


async def present(
    session: AsyncSession, city: str, refs_json: list[dict[str, Any]], parties: set[UUID]
) -> frozenset[str]:
    """The kinds an object's stored references really provide (``present_kinds``)."""
    refs = [DocumentRef.model_validate(d) for d in refs_json]
    files = await repository.get_many(session, city, [r.document_id for r in refs])
    return present_kinds(refs, {i: stored(d) for i, d in files.items()}, parties)


def _attach(
    session: AsyncSession,
    user: Claims,
    doc: Document,
    object_type: str,
    object_id: UUID,
    readers: dict[str, object] | None,
) -> None:
    if doc.attached_id is not None:
        return
    doc.attached_type, doc.attached_id, doc.attached_at = object_type, object_id, clock.now()
    doc.readers, doc.expires_at = readers, None
    record(
        session,
        AuditLog,
        user,
        entity="document",
        entity_id=doc.id,
        action="attach",
        from_state="unattached",
        to_state=object_type,
        data={"object_id": str(object_id)},
    )


async def attach_for_review(
    session: AsyncSession, user: Claims, document_id: UUID, data: AttachmentCreate
) -> Document:
    """Idempotent: the same filing again is a no-op; another object is a conflict."""
    doc = await repository.get(session, user.city, document_id, lock=True)
    if doc is None:
        raise Unprocessable(f"No document {document_id}", code="document.not_found")
    if not free_for(stored(doc), data.object_type, data.object_id):
        raise Conflict(
            f"Document {doc.id} already belongs to another object",
            code="document.attached_elsewhere",
        )
    readers = data.readers.model_dump(mode="json")
    _attach(session, user, doc, data.object_type, data.object_id, readers)
    await session.flush()
    return doc


async def sweep(session: AsyncSession) -> set[str]:
    """Delete expired unattached uploads; return their hashes, whose bytes the caller removes
    after the commit (``delete_unused``) so a rolled-back sweep never loses a file."""
    rows = await repository.expired(session, clock.now())
    if rows:
        await repository.remove(session, [d.id for d in rows])
        await session.flush()
        log.info("swept expired uploads", extra={"count": len(rows)})
    return {d.sha256 for d in rows}


async def delete_unused(session: AsyncSession, storage: Storage, hashes: set[str]) -> None:
    for sha in hashes:
        if not await repository.hash_in_use(session, sha):
            await storage.delete(object_key(sha))


async def sweep_once(maker: async_sessionmaker[AsyncSession], storage: Storage) -> int:
    async with maker() as session, session.begin():
        hashes = await sweep(session)
    if hashes:
        async with maker() as session:
            await delete_unused(session, storage, hashes)
    return len(hashes)


async def sweep_loop(app: FastAPI) -> None:
    """Intake's background job (like review's outbox relay): expire unattached uploads."""
    interval = app.state.settings.document_sweep_seconds
    while True:
        try:
            await sweep_once(app.state.sessionmaker, app.state.storage)
        except Exception:
            log.exception("document sweep failed; retrying next interval")
        await asyncio.sleep(interval)
