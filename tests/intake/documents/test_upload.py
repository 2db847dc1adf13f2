"""Uploading through the in-process gateway: what is refused, versions, ranges, the sweep."""

import hashlib
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from common.context import clock_override_var
from common.middleware import RequestContextMiddleware
from scripts import sample_files
from services.intake.db import AuditLog
from services.intake.documents import service
from services.intake.documents.models import Document
from services.intake.documents.storage import object_key
from tests.documents import upload


@pytest.fixture
def solver(auth: Any) -> dict[str, str]:
    return auth("solver", org_id=uuid.uuid4())


@pytest.fixture
def small_limit(apps: Any) -> Iterator[int]:
    """Intake's document limit lowered to 4 KiB for one test (the default is 50 MiB)."""
    intake = apps.services["intake"]
    real = intake.state.settings
    intake.state.settings = real.model_copy(update={"document_max_bytes": 4096})
    try:
        yield 4096
    finally:
        intake.state.settings = real


@pytest.mark.parametrize(
    ("name", "data", "status", "code"),
    [
        ("setup.pdf", sample_files.executable(), 415, "document.unsupported_type"),
        ("empty.pdf", b"", 422, "document.empty"),
        ("notes.docx", sample_files._zip({"a.txt": b"x"}), 415, "document.unsupported_type"),
    ],
)
async def test_refused_files(
    api: httpx.AsyncClient, solver: dict[str, str], name: str, data: bytes, status: int, code: str
) -> None:
    refused = await upload(
        api, solver, "application_form", filename=name, content=data, status=status
    )
    assert refused["code"] == code and refused["detail_zh"]


async def test_oversized_file_is_413(
    api: httpx.AsyncClient, solver: dict[str, str], small_limit: int
) -> None:
    big = sample_files.pdf() + b"\0" * small_limit
    refused = await upload(api, solver, "application_form", content=big, status=413)
    assert refused["code"] == "document.too_large"


async def test_body_over_the_route_limit_is_cut_at_the_middleware() -> None:
    """The upload route's stream is counted: past its limit the answer is 413, not a 500."""

    async def app(scope: Any, receive: Any, send: Any) -> None:
        while (await receive()).get("more_body"):
            pass
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    capped = RequestContextMiddleware(
        app, max_body_bytes=10, dev_mode=True, served_by="t", streamed={("POST", "/up"): 100}
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=capped), base_url="http://t"
    ) as client:
        assert (await client.post("/up", content=b"x" * 100)).status_code == 204
        assert (await client.post("/up", content=b"x" * 101)).status_code == 413
        assert (await client.post("/other", content=b"x" * 11)).status_code == 413


async def test_unknown_kind_and_missing_file(
    api: httpx.AsyncClient, solver: dict[str, str]
) -> None:
    unknown = await upload(api, solver, "selfie", status=422)
    assert unknown["code"] == "document.unknown_kind"
    no_file = await api.post(
        "/api/v1/documents", headers=solver, data={"kind": "other", "title": "x"}
    )
    assert no_file.status_code == 422 and no_file.json()["code"] == "document.no_file"
    as_json = await api.post("/api/v1/documents", headers=solver, json={"kind": "other"})
    assert as_json.status_code == 422


async def test_roles_that_may_not_upload(api: httpx.AsyncClient, auth: Any) -> None:
    for role in ("expert", "auditor"):
        refused = await upload(api, auth(role), "other", status=403)
        assert refused["code"] == "auth.role"


async def test_download_etag_ranges_and_name(
    api: httpx.AsyncClient, solver: dict[str, str]
) -> None:
    data = sample_files.pdf("ranges") + bytes(range(256)) * 8
    doc = await upload(api, solver, "other", filename="联合体协议（签字版）.pdf", content=data)
    url = f"/api/v1/documents/{doc['id']}/content"
    whole = await api.get(url, headers=solver)
    assert whole.status_code == 200 and whole.content == data
    assert whole.headers["etag"] == f'"{hashlib.sha256(data).hexdigest()}"'
    assert whole.headers["content-type"] == "application/pdf"
    assert "filename*=UTF-8''%E8%81%94%E5%90%88%E4%BD%93" in whole.headers["content-disposition"]
    part = await api.get(url, headers={**solver, "Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == data[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(data)}"
    tail = await api.get(url, headers={**solver, "Range": "bytes=-16"})
    assert tail.content == data[-16:]
    stale = await api.get(url, headers={**solver, "Range": "bytes=0-1", "If-Range": '"old"'})
    assert stale.status_code == 200 and stale.content == data
    beyond = await api.get(url, headers={**solver, "Range": f"bytes={len(data)}-"})
    assert beyond.status_code == 416 and beyond.headers["content-range"] == f"bytes */{len(data)}"
    cached = await api.get(url, headers={**solver, "If-None-Match": whole.headers["etag"]})
    assert cached.status_code == 304 and not cached.content


async def test_a_new_version_is_a_new_document_and_the_old_one_stays(
    api: httpx.AsyncClient, apps: Any, solver: dict[str, str], auth: Any
) -> None:
    first = await upload(api, solver, "other", content=sample_files.pdf("v1"))
    response = await api.post(
        "/api/v1/documents",
        headers=solver,
        data={"kind": "other", "title": "v2", "supersedes": first["id"]},
        files={"file": ("v2.pdf", sample_files.pdf("v2"), "application/pdf")},
    )
    assert response.status_code == 201, response.text
    second = response.json()
    assert second["supersedes_id"] == first["id"] and second["sha256"] != first["sha256"]
    again = await api.get(f"/api/v1/documents/{first['id']}/content", headers=solver)
    assert again.content == sample_files.pdf("v1")
    stranger = auth("solver", org_id=uuid.uuid4())
    foreign = await api.post(
        "/api/v1/documents",
        headers=stranger,
        data={"kind": "other", "title": "v3", "supersedes": first["id"]},
        files={"file": ("v3.pdf", sample_files.pdf("v3"), "application/pdf")},
    )
    assert foreign.status_code == 422 and foreign.json()["code"] == "document.not_found"
    async with apps.services["intake"].state.sessionmaker() as session:
        actions = (
            await session.scalars(
                select(AuditLog.action).where(AuditLog.entity_id == uuid.UUID(second["id"]))
            )
        ).all()
    assert actions == ["supersede"]


async def test_unattached_uploads_expire(
    api: httpx.AsyncClient, apps: Any, solver: dict[str, str]
) -> None:
    doc = await upload(api, solver, "other", content=sample_files.pdf(uuid.uuid4().hex))
    intake = apps.services["intake"]
    async with intake.state.sessionmaker() as session:
        assert await service.sweep(session) == set()  # not yet expired
        row = await session.get(Document, uuid.UUID(doc["id"]))
        assert row is not None and row.expires_at is not None
        token = clock_override_var.set((row.expires_at + timedelta(seconds=1)).isoformat())
        try:
            hashes = await service.sweep(session)
        finally:
            clock_override_var.reset(token)
        assert hashes == {doc["sha256"]}
        await service.delete_unused(session, intake.state.storage, hashes)
        await session.commit()
    gone = await api.get(f"/api/v1/documents/{doc['id']}", headers=solver)
    assert gone.status_code == 404
    path = intake.state.settings.documents_folder() / object_key(doc["sha256"])
    assert not path.exists()
