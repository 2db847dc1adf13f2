"""Detail reads carry an ETag; If-None-Match with it answers 304, through the gateway."""

import httpx
import pytest

from tests.review.conftest import Lifecycle


@pytest.fixture
def hz(api: httpx.AsyncClient, auth) -> Lifecycle:
    return Lifecycle(api, auth)


async def test_a_detail_read_revalidates_with_304(hz: Lifecycle) -> None:
    owner = await hz.org()
    challenge = await hz.challenge(owner)
    path = f"/api/v1/rounds/{challenge['round_id']}"
    first = await hz.api.get(path, headers=hz.bureau)
    tag = first.headers["etag"]
    assert first.status_code == 200 and tag.startswith('"')
    again = await hz.api.get(path, headers={**hz.bureau, "If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == tag
    stale = await hz.api.get(path, headers={**hz.bureau, "If-None-Match": '"other"'})
    assert stale.status_code == 200 and stale.json() == first.json()
    public = await hz.api.get(f"/api/v1/challenges/{challenge['id']}")
    cached = await hz.api.get(
        f"/api/v1/challenges/{challenge['id']}", headers={"If-None-Match": public.headers["etag"]}
    )
    assert cached.status_code == 304


async def test_the_gateway_tags_its_own_reads(api: httpx.AsyncClient, auth) -> None:
    answer = await api.get("/api/v1/cities", headers=auth("bureau"))
    assert answer.status_code == 200 and answer.headers["etag"]
    again = await api.get(
        "/api/v1/cities", headers={**auth("bureau"), "If-None-Match": answer.headers["etag"]}
    )
    assert again.status_code == 304
