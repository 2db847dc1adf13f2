"""Documents an object refers to, and whether the files a step requires are there.

Shared by intake (demands, applications) and review (decisions, member changes, acceptance):
a required document counts only if it is a stored file of that kind, uploaded by a party
entitled to it (an organisation of the object, or the bureau where the step allows it), and
not already filed under another object. Each missing one is a violation with the clause of
``documents.*`` / ``applications.required_documents`` in the city's rule set.
Tests: tests/foundation/test_documents_policy.py; end to end tests/intake/documents/ and
tests/review/test_documents.py.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field, StringConstraints, computed_field

from common.errors import Conflict, Unprocessable
from common.policy import Violation
from common.rulesets.schema import RequiredDocument
from common.schemas import ReadSchema, Schema

# The one request whose body is a file: streamed by the gateway and the service, capped at
# ``Settings.document_upload_limit`` instead of the small JSON limit.
UPLOAD_ROUTE = ("POST", "/api/v1/documents")

Kind = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]


class DocumentRef(Schema):
    """A stored file by id (``POST /documents`` returned it) and the kind it is filed as."""

    kind: Kind
    document_id: UUID


DocumentRefs = Annotated[list[DocumentRef], Field(max_length=100)]


@dataclass(frozen=True)
class StoredDocument:
    """What the platform knows of an uploaded file (intake's row, or its metadata over REST)."""

    id: UUID
    kind: str
    uploader_role: str
    uploader_org_id: UUID | None
    attached_type: str | None = None
    attached_id: UUID | None = None

    @classmethod
    def of(cls, data: dict[str, Any]) -> "StoredDocument":
        org = data.get("uploader_org_id")
        attached = data.get("attached_id")
        return cls(
            id=UUID(str(data["id"])),
            kind=str(data["kind"]),
            uploader_role=str(data["uploader_role"]),
            uploader_org_id=UUID(str(org)) if org else None,
            attached_type=data.get("attached_type"),
            attached_id=UUID(str(attached)) if attached else None,
        )


def entitled(doc: StoredDocument, parties: Iterable[UUID], *, bureau: bool) -> bool:
    """Uploaded by one of the object's organisations (or the bureau, where allowed)."""
    if bureau and doc.uploader_role == "bureau":
        return True
    return doc.uploader_role in ("demand_owner", "solver") and doc.uploader_org_id in set(parties)


def free_for(doc: StoredDocument, object_type: str, object_id: UUID | None) -> bool:
    """Not filed under another object (a file belongs to one object: that decides readers)."""
    if doc.attached_id is None:
        return True
    return doc.attached_type == object_type and doc.attached_id == object_id


def check(
    ref: DocumentRef,
    doc: StoredDocument | None,
    object_type: str,
    object_id: UUID | None,
    parties: Iterable[UUID],
    *,
    bureau: bool = False,
) -> StoredDocument:
    """One reference an object makes: the file exists in the city, is of the named kind, comes
    from a party entitled to it, and is not filed under another object."""
    if doc is None:
        raise Unprocessable(
            f"No document {ref.document_id}", code="document.not_found", detail_zh="未找到该文件"
        )
    if doc.kind != ref.kind:
        raise Unprocessable(
            f"Document {doc.id} is a '{doc.kind}', not a '{ref.kind}'",
            code="document.kind_mismatch",
            detail_zh=f"文件类别不符：应为 {ref.kind}",
        )
    if not entitled(doc, parties, bureau=bureau):
        raise Unprocessable(
            f"Document {doc.id} was not uploaded by a party of this {object_type}",
            code="document.not_entitled",
            detail_zh="该文件不是本事项当事方上传的",
        )
    if not free_for(doc, object_type, object_id):
        raise Conflict(
            f"Document {doc.id} already belongs to another object; upload a new version",
            code="document.attached_elsewhere",
            detail_zh="该文件已归属其他事项，请上传新版本",
        )
    return doc


def required_for(
    rules: Sequence[RequiredDocument], category: str | None = None
) -> list[RequiredDocument]:
    return [r for r in rules if r.categories is None or category in r.categories]


def present_kinds(
    refs: Sequence[DocumentRef],
    stored: dict[UUID, StoredDocument],
    parties: Iterable[UUID],
    *,
    bureau: bool = False,
) -> frozenset[str]:
    """The kinds among ``refs`` that are stored files of that kind from an entitled party."""
    party_set = set(parties)
    return frozenset(
        ref.kind
        for ref in refs
        if (doc := stored.get(ref.document_id)) is not None
        and doc.kind == ref.kind
        and entitled(doc, party_set, bureau=bureau)
    )


def missing(required: Sequence[RequiredDocument], present: frozenset[str]) -> list[Violation]:
    """One violation per required kind not ``present`` (see ``present_kinds``)."""
    return [
        Violation(
            "ruleset.required_document",
            rule.clause,
            f"A stored file of kind '{rule.kind}' uploaded by a party of this object is required",
            f"缺少必备材料：{rule.name_zh or rule.kind}（须为本事项当事方上传的文件）",
        )
        for rule in required
        if rule.kind not in present
    ]


class DocumentLink(ReadSchema):
    """A document as an object lists it: its kind, id and where to download it."""

    kind: str
    document_id: UUID

    @computed_field  # type: ignore[prop-decorator]
    @property
    def download_url(self) -> str:
        return f"/api/v1/documents/{self.document_id}/content"
