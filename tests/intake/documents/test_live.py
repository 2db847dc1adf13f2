"""Upload → file under an application → submit → download, through the real gateway and the
real processes, once with the local folder store and once with a real S3 API server."""

import hashlib
import os
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from scripts import sample_files
from services.intake.documents.storage import object_key
from tests.documents import upload
from tests.intake.documents.conftest import S3Server
from tests.review.conftest import IN_PUBLICATION, Lifecycle, ok

pytestmark = pytest.mark.e2e
NAME = "可行性方案（第二版）.pdf"


async def test_round_trip_with_the_local_folder_store(live: Any, auth: Any) -> None:
    sha, size = await round_trip(live, auth)
    assert (live.settings.documents_folder() / object_key(sha)).stat().st_size == size


async def test_round_trip_with_a_real_s3_server(
    live_s3: Any, s3_server: S3Server, auth: Any
) -> None:
    sha, size = await round_trip(live_s3, auth)
    head = s3_server.client().head_object(Bucket=s3_server.bucket, Key=object_key(sha))
    assert head["ContentLength"] == size


async def round_trip(stack: Any, auth: Any) -> tuple[str, int]:
    """Returns the sha256 and size of the file that went round."""
    # 3 MiB: more than the gateway's whole-body threshold, so both directions are streamed.
    data = sample_files.pdf("feasibility") + os.urandom(3 * 1024 * 1024)
    sha = hashlib.sha256(data).hexdigest()
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=60) as client:
        urc = Lifecycle(client, auth, city="urumqi")
        owner, lead = await urc.org(), await urc.org(kind="institute")
        challenge = await urc.challenge(owner)
        solver = {**urc.as_("solver", lead), **IN_PUBLICATION}
        doc = await upload(client, solver, "feasibility_plan", filename=NAME, content=data)
        assert (doc["sha256"], doc["size"], doc["filename"]) == (sha, len(data), NAME)
        assert doc["media_type"] == "application/pdf" and doc["attached_id"] is None
        body = {"plan": "p", "documents": [{"kind": "feasibility_plan", "document_id": doc["id"]}]}
        application = ok(
            await client.post(
                f"/api/v1/challenges/{challenge['id']}/applications", json=body, headers=solver
            ),
            201,
        )
        submitted = await client.post(
            f"/api/v1/applications/{application['id']}/submit", headers=solver
        )
        assert ok(submitted)["status"] == "submitted"
        url = f"/api/v1/documents/{doc['id']}/content"
        for reader in (urc.bureau, urc.as_("solver", lead)):
            got = await client.get(url, headers=reader)
            assert got.status_code == 200 and got.content == data
            assert hashlib.sha256(got.content).hexdigest() == sha
            assert got.headers["etag"] == f'"{sha}"'
            assert "filename*=UTF-8''" + quote(NAME, safe="") in got.headers["content-disposition"]
        part = await client.get(url, headers={**urc.bureau, "Range": "bytes=1048576-1048675"})
        assert part.status_code == 206 and part.content == data[1048576:1048676]
        meta = ok(await client.get(f"/api/v1/documents/{doc['id']}", headers=urc.bureau))
        assert (meta["attached_type"], meta["attached_id"]) == ("application", application["id"])
        stranger = urc.as_("solver", await urc.org())
        assert (await client.get(url, headers=stranger)).status_code == 404
    return sha, len(data)
