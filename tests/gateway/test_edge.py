"""CORS for browser origins, security headers, and no header naming an internal service."""

import httpx
import pytest

from common.settings import DEV_SPA_ORIGINS, Settings
from gateway.app import create_app

SPA = "http://localhost:5173"
PREFLIGHT = {
    "Origin": SPA,
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization,content-type,idempotency-key",
}


def _production() -> Settings:
    """A production configuration that passes start-up checks (no dev switches)."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        env="production",
        oidc_issuer="https://id.example.gov.cn/realms/huzhou",
        jwt_audience="jiebang-api",
        db_app_password="a-long-database-password",
    )


def _client(settings: Settings) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(settings))
    return httpx.AsyncClient(transport=transport, base_url="http://gateway")


async def test_a_preflight_is_answered_without_a_token(api: httpx.AsyncClient) -> None:
    response = await api.options("/api/v1/disbursements", headers=PREFLIGHT)
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == SPA
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "idempotency-key" in response.headers["access-control-allow-headers"].lower()


async def test_answers_to_an_allowed_origin_expose_the_request_id(
    api: httpx.AsyncClient, auth
) -> None:
    response = await api.get("/api/v1/me", headers={**auth("bureau"), "Origin": SPA})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == SPA
    assert "x-request-id" in response.headers["access-control-expose-headers"].lower()


async def test_an_unknown_origin_gets_no_cors_grant(api: httpx.AsyncClient) -> None:
    response = await api.options(
        "/api/v1/rounds", headers={**PREFLIGHT, "Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in response.headers


def test_origins_default_to_local_spa_servers_in_dev_and_none_in_production() -> None:
    assert Settings(env="dev").cors_allowed_origins == list(DEV_SPA_ORIGINS)
    assert SPA in DEV_SPA_ORIGINS
    production = _production()
    assert production.cors_allowed_origins == []
    configured = production.model_copy(update={"cors_origins": ["https://portal.example"]})
    assert configured.cors_allowed_origins == ["https://portal.example"]


async def test_a_wildcard_never_allows_credentials() -> None:
    async with _client(Settings(env="test", cors_origins=["*"])) as client:
        response = await client.options(
            "/api/v1/rounds", headers={**PREFLIGHT, "Origin": "https://any.example"}
        )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/rounds"])
async def test_private_answers_carry_security_headers_and_no_store(
    api: httpx.AsyncClient, auth, path: str
) -> None:
    response = await api.get(path, headers=auth("bureau"))
    assert response.status_code == 200
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"


async def test_production_names_no_internal_service() -> None:
    async with _client(_production()) as client:
        response = await client.get("/api/v1/nothing")
    assert response.status_code == 404
    named = {"x-served-by", "server", "x-db-statements"} & set(response.headers)
    assert not named, response.headers
