"""Fixtures of the identity tests: a real OIDC provider process per module, and settings that
point the platform at it."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from common.settings import Settings
from tests.identity.provider_process import API_AUDIENCE, SERVICE_AUDIENCE, Provider


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    idp = Provider(tmp_path_factory.mktemp("oidc"))
    idp.start()
    try:
        yield idp
    finally:
        idp.stop()


def oidc_settings(provider: Provider, **over: Any) -> Settings:
    """The platform configured for the provider, as production would be (in test mode)."""
    values: dict[str, Any] = {
        "env": "test",
        "oidc_issuer": provider.issuer,
        "jwt_audience": API_AUDIENCE,
        "service_audience": SERVICE_AUDIENCE,
        "jwks_refresh_min_seconds": 0.0,
        **over,
    }
    return Settings(**values)


def fresh_keys(provider: Provider, label: str) -> Path:
    """A path the provider fills with a new signing key (new kid) when it starts."""
    return provider.workdir / f"keys-{label}.json"
