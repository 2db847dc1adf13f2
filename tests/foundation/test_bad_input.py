"""Bad input is a 4xx problem, never a 500, on the gateway and on a service reached directly."""

import httpx
import pytest

BAD_BODIES = {
    "nul_escape": (b'{"sub": "a\\u0000b", "role": "bureau", "city": "huzhou"}', 422),
    "raw_nul": (b'{"sub": "a\x00b", "role": "bureau", "city": "huzhou"}', 422),
    "malformed": (b'{"sub": "a", "role": ', 422),
    "not_json": (b"hello", 422),
    "wrong_type": (b'{"sub": 5, "role": "bureau", "city": "huzhou"}', 422),
    "unknown_enum": (b'{"sub": "a", "role": "emperor", "city": "huzhou"}', 422),
    "huge_string": (b'{"sub": "' + b"x" * 5000 + b'", "role": "bureau", "city": "huzhou"}', 422),
    "unknown_field": (b'{"sub": "a", "role": "bureau", "city": "huzhou", "x": 1}', 422),
    "array": (b"[1, 2, 3]", 422),
}


@pytest.mark.parametrize("case", sorted(BAD_BODIES))
async def test_bad_bodies_get_a_problem(api: httpx.AsyncClient, case: str) -> None:
    body, status = BAD_BODIES[case]
    response = await api.post(
        "/api/v1/auth/dev-token", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == status


async def test_oversized_body_is_413(api: httpx.AsyncClient, auth) -> None:
    body = b'{"title": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    for path in ("/api/v1/auth/dev-token", "/api/v1/rounds"):
        response = await api.post(
            path, content=body, headers={**auth("bureau"), "Content-Type": "application/json"}
        )
        assert response.status_code == 413
        assert response.json()["code"] == "request.too_large"


async def test_nul_in_query_string_is_refused(api: httpx.AsyncClient, auth) -> None:
    response = await api.get("/api/v1/rounds?cursor=%00", headers=auth("bureau"))
    assert response.status_code == 422
    assert response.json()["code"] == "request.nul_byte"


async def test_nul_through_the_proxy_is_refused(api: httpx.AsyncClient, auth) -> None:
    response = await api.post(
        "/api/v1/rounds",
        content=b'{"title": "a\\u0000"}',
        headers={**auth("bureau"), "Content-Type": "application/json"},
    )
    assert response.status_code == 422
