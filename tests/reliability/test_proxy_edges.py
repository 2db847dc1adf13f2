"""Bytes the proxy cannot rebuild into a URL or header must still get a 4xx problem from the
service, never a 500 from the gateway (found by the fuzzer: control characters in a path
parameter, a non-ASCII ``Idempotency-Key``)."""

import uuid

import httpx
import pytest

from tests.conftest import Auth


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/rounds/%1CJ%C2%9A",
        "/api/v1/panels/%F2%AE%89%8A%18",
        "/api/v1/clawbacks/%C2%AB%07/repayments",
        "/api/v1/demands/a%2Fb",
    ],
)
async def test_control_characters_in_a_path_are_a_4xx_problem(
    api: httpx.AsyncClient, auth: Auth, path: str
) -> None:
    method = "POST" if path.endswith("repayments") else "GET"
    response = await api.request(method, path, headers=auth("bureau"), json={})
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["x-served-by"] != "gateway"


async def test_a_non_ascii_idempotency_key_is_refused_by_the_service(
    api: httpx.AsyncClient, auth: Auth
) -> None:
    headers = [(k.encode(), v.encode()) for k, v in auth("bureau").items()]
    headers.append((b"Idempotency-Key", "键键键-00000000".encode()))
    response = await api.post(
        "/api/v1/disbursements",
        headers=headers,
        json={"project_id": str(uuid.uuid4()), "tranche_seq": 1},
    )
    assert response.status_code == 422, response.text
    assert response.headers["x-served-by"] == "finance"


async def test_a_body_that_is_not_utf8_is_a_422_problem(api: httpx.AsyncClient, auth: Auth) -> None:
    response = await api.post(
        "/api/v1/objections",
        headers={**auth("bureau"), "Content-Type": "application/json"},
        content=b"\x03\xd0\x67\x73\x85\x11",
    )
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "request.validation"
