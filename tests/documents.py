"""Uploading real (small) files in tests: every test that files a document uses these."""

import hashlib
from typing import Any

import httpx

from scripts.sample_files import pdf


async def upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    kind: str,
    *,
    title: str | None = None,
    filename: str | None = None,
    content: bytes | None = None,
    status: int = 201,
    base: str = "/api/v1",
) -> dict[str, Any]:
    data = content if content is not None else pdf(f"{kind} {title or ''}")
    response = await client.post(
        f"{base}/documents",
        headers=headers,
        data={"kind": kind, "title": title or kind},
        files={"file": (filename or f"{kind}.pdf", data, "application/octet-stream")},
    )
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    if status == 201:
        assert body["sha256"] == hashlib.sha256(data).hexdigest()
    return body


async def refs(
    client: httpx.AsyncClient, headers: dict[str, str], *kinds: str
) -> list[dict[str, str]]:
    """Upload one PDF per kind as the caller and return ``[{kind, document_id}]``."""
    return [
        {"kind": kind, "document_id": (await upload(client, headers, kind))["id"]} for kind in kinds
    ]
