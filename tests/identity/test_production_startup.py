"""Safe by default: production unless a developer says otherwise, and production start-up
refuses what would make it unsafe, each refusal naming the variable to fix."""

import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from common.settings import ROOT, Settings
from gateway.app import create_app as create_gateway
from services.review.app import create_app as create_review

READY: dict[str, Any] = {
    "oidc_issuer": "https://id.example.gov.cn/realms/huzhou",
    "jwt_audience": "jiebang-api",
    "db_app_password": "a-long-database-password",
}


def _production(**over: Any) -> Settings:
    values = {**READY, **over}
    return Settings(_env_file=None, env="production", **{k: v for k, v in values.items() if v})


def test_the_default_is_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JIEBANG_ENV", raising=False)
    with pytest.raises(ValidationError, match="refusing to start in production"):
        Settings(_env_file=None)
    assert Settings(_env_file=None, **READY).env == "production"
    assert not Settings(_env_file=None, **READY).dev_mode


@pytest.mark.parametrize(
    ("over", "named"),
    [
        ({"oidc_issuer": None}, "JIEBANG_OIDC_ISSUER must name"),
        ({"oidc_issuer": "http://id.example.gov.cn"}, "JIEBANG_OIDC_ISSUER must be an https"),
        ({"jwt_audience": None}, "JIEBANG_JWT_AUDIENCE"),
        ({"db_app_password": None}, "JIEBANG_DB_APP_PASSWORD"),
        ({"db_app_password": "short"}, "JIEBANG_DB_APP_PASSWORD"),
        ({"jwt_secret": "x" * 64}, "JIEBANG_JWT_SECRET .* dev-only"),
        ({"service_secret": "x" * 64}, "JIEBANG_SERVICE_SECRET .* dev-only"),
        ({"jwt_public_key": "-----BEGIN PUBLIC KEY-----"}, "JIEBANG_JWT_PUBLIC_KEY .* dev-only"),
        ({"service_audience": "jiebang-api"}, "JIEBANG_SERVICE_AUDIENCE must differ"),
    ],
)
def test_production_refuses_with_a_clear_message(over: dict[str, Any], named: str) -> None:
    with pytest.raises(ValidationError, match=named):
        _production(**over)


@pytest.mark.parametrize("secret", [None, "too-short"])
def test_a_service_needs_its_own_client_secret(secret: str | None) -> None:
    with pytest.raises(ValueError, match="JIEBANG_SERVICE_CLIENT_SECRET"):
        create_review(_production(service_client_secret=secret))


async def test_production_refuses_to_start_without_the_providers_keys() -> None:
    app = create_gateway(_production(oidc_issuer="http://127.0.0.1:9"))  # nothing listens
    with pytest.raises(RuntimeError, match=r"cannot load the signing keys \(JWKS\)"):
        async with app.router.lifespan_context(app):
            pass


def test_the_image_runs_as_a_non_root_user_without_a_dev_switch() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    users = re.findall(r"^USER\s+(\S+)", dockerfile, flags=re.M)
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert "JIEBANG_ENV" not in re.sub(r"#.*", "", dockerfile)


def test_compose_has_no_default_secrets() -> None:
    compose = (ROOT / "docker-compose.yml").read_text()
    secrets = re.findall(r"\$\{([A-Z_]*(?:PASSWORD|SECRET)[A-Z_]*)(:?[-?])?", compose)
    assert secrets, "the compose file names its secrets"
    assert all(op == ":?" for _, op in secrets), secrets  # required, never a fallback
    assert re.search(r"JIEBANG_ENV:\s*production", compose)
    for required in ("JIEBANG_OIDC_ISSUER", "JIEBANG_JWT_AUDIENCE"):
        assert f"${{{required}:?" in compose


def test_dev_targets_say_dev_themselves() -> None:
    makefile = (Path(ROOT) / "Makefile").read_text()
    assert "export JIEBANG_ENV ?= dev" in makefile
    assert "test: export JIEBANG_ENV = test" in makefile
