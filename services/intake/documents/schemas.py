"""Document payloads (API.md `/documents`). The bytes' sha256, size and media type are the
platform's own measurements, never the client's."""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field

from common.schemas import ReadSchema, Schema

ReviewObject = Literal["decision", "project_change", "acceptance", "meeting"]


class DocumentRead(ReadSchema):
    id: UUID
    city: str
    kind: str
    title: str
    filename: str
    media_type: str
    size: int
    sha256: str = Field(description="Computed by the platform over the stored bytes")
    uploaded_by: str
    uploader_role: str
    uploader_org_id: UUID | None
    supersedes_id: UUID | None
    attached_type: str | None
    attached_id: UUID | None
    attached_at: datetime | None
    expires_at: datetime | None
    created_at: datetime
    download_url: str = ""


class Readers(Schema):
    org_ids: Annotated[list[UUID], Field(max_length=100)] = Field(default_factory=list)
    auditors: bool = False


class AttachmentCreate(Schema):
    """Review files a document under one of its objects once that object is committed."""

    object_type: ReviewObject
    object_id: UUID
    readers: Readers


def content_url(document_id: UUID) -> str:
    return f"/api/v1/documents/{document_id}/content"
