"""/documents: upload a file, read its metadata, download its bytes (streamed, ranges)."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse

from common.auth import Role
from common.db import SessionDep
from common.deps import CityRuleSet, CurrentUser, ServiceCaller, SettingsDep, require_roles
from common.errors import RangeNotSatisfiable, problem_responses
from services.intake.documents import content, service
from services.intake.documents.dependencies import ReadableDocument
from services.intake.documents.formats import ACCEPTED
from services.intake.documents.models import Document
from services.intake.documents.schemas import AttachmentCreate, DocumentRead, content_url
from services.intake.documents.storage import Storage, object_key
from services.intake.documents.upload import parse

router = APIRouter(prefix="/documents", tags=["documents"])
Uploader = Annotated[object, Depends(require_roles(Role.demand_owner, Role.solver, Role.bureau))]

_BINARY = {"type": "string", "format": "binary"}
_FORM: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "kind", "title"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "kind": {"type": "string", "example": "feasibility_plan"},
                        "title": {"type": "string", "maxLength": 200},
                        "supersedes": {
                            "type": "string",
                            "format": "uuid",
                            "description": "The earlier version this one replaces (kept)",
                        },
                    },
                }
            }
        },
    }
}


def read(doc: Document) -> DocumentRead:
    out = DocumentRead.model_validate(doc)
    out.download_url = content_url(doc.id)
    return out


def storage_of(request: Request) -> Storage:
    storage: Storage = request.app.state.storage
    return storage


@router.post(
    "",
    response_model=DocumentRead,
    status_code=201,
    responses=problem_responses(403, 413, 415, 422),
    openapi_extra=_FORM,
    summary="Upload a file (PDF, OFD, DOCX, XLSX, JPEG, PNG; recognised by content)",
)
async def upload_document(
    request: Request,
    _: Uploader,
    user: CurrentUser,
    ruleset: CityRuleSet,
    settings: SettingsDep,
    session: SessionDep,
) -> DocumentRead:
    form, handle = await parse(request)
    try:
        doc = await service.upload(session, user, ruleset, settings, storage_of(request), form)
    finally:
        await handle.close()  # type: ignore[attr-defined]
    return read(doc)


@router.get("/{document_id}", response_model=DocumentRead, responses=problem_responses(404))
async def get_document(doc: ReadableDocument) -> DocumentRead:
    return read(doc)


@router.get(
    "/{document_id}/content",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"application/octet-stream": {"schema": _BINARY}},
            "description": "The file's bytes, served as its own media type: " + ", ".join(ACCEPTED),
        },
        206: {
            "content": {"application/octet-stream": {"schema": _BINARY}},
            "description": "The byte range asked for (Range: bytes=…)",
        },
        304: {"description": "Not modified (If-None-Match matched the ETag)"},
        **problem_responses(404, 416),
    },
    summary="Download the file (ETag = sha256, Range requests, Content-Disposition)",
)
async def document_content(request: Request, doc: ReadableDocument) -> Response:
    headers = {
        "ETag": content.etag(doc.sha256),
        "Accept-Ranges": "bytes",
        "Cache-Control": "private, no-cache",
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": content.disposition(doc.filename),
    }
    if content.matches(request.headers.get("if-none-match"), doc.sha256):
        return Response(status_code=304, headers=headers)
    wanted = request.headers.get("range")
    if_range = request.headers.get("if-range")
    if if_range and if_range.strip() != content.etag(doc.sha256):
        wanted = None
    try:
        part = content.byte_range(wanted, doc.size)
    except content.Unsatisfiable as exc:
        raise RangeNotSatisfiable(
            f"The file has {doc.size} bytes",
            code="document.range",
            headers={"Content-Range": f"bytes */{doc.size}"},
        ) from exc
    start, end = (part.start, part.end) if part else (0, doc.size - 1)
    headers["Content-Length"] = str(end - start + 1)
    if part:
        headers["Content-Range"] = f"bytes {start}-{end}/{doc.size}"
    return StreamingResponse(
        storage_of(request).read(object_key(doc.sha256), start, end),
        status_code=206 if part else 200,
        media_type=doc.media_type,
        headers=headers,
    )


@router.post(
    "/{document_id}/attachment",
    response_model=DocumentRead,
    responses=problem_responses(403, 409, 422),
    summary="File a document under a review object (service calls, idempotent)",
)
async def attach_document(
    document_id: UUID, data: AttachmentCreate, user: ServiceCaller, session: SessionDep
) -> DocumentRead:
    return read(await service.attach_for_review(session, user, document_id, data))
