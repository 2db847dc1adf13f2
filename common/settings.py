"""One settings class for every process, read from the environment (prefix ``JIEBANG_``).

``DATABASE_URL`` is the administrative URL (bootstrap and migrations). Each service connects
with its own login role, derived from it unless ``JIEBANG_<SERVICE>_DATABASE_URL`` is given.
"""

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
ServiceName = Literal["intake", "review", "finance"]
SERVICES: tuple[ServiceName, ...] = ("intake", "review", "finance")
# Vite, Create React App / Next.js, Angular, Vue CLI (8080) on localhost and 127.0.0.1.
DEV_SPA_ORIGINS = tuple(
    f"http://{host}:{port}"
    for host in ("localhost", "127.0.0.1")
    for port in (5173, 3000, 4200, 8080)
)
DEV_SECRET = "jiebang-dev-secret-not-for-production-use"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JIEBANG_", env_file=".env", extra="ignore")

    env: Literal["dev", "test", "production"] = "dev"
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("JIEBANG_DATABASE_URL", "DATABASE_URL")
    )
    database_name: str = "jiebang"
    db_role_prefix: str = "jiebang"
    db_app_password: SecretStr = SecretStr("jiebang-dev")
    intake_database_url: str | None = None
    review_database_url: str | None = None
    finance_database_url: str | None = None
    db_pool_size: int = 10
    db_pool_pre_ping: bool = False  # see common.db.create_engine

    jwt_algorithm: Literal["HS256", "RS256", "ES256"] = "HS256"
    jwt_secret: SecretStr = SecretStr(DEV_SECRET)
    jwt_public_key: str | None = None
    jwt_private_key: SecretStr | None = None
    jwt_issuer: str = "jiebang"
    jwt_audience: str = "jiebang-api"
    token_ttl_seconds: int = 3600

    gateway_url: str = "http://127.0.0.1:8000"
    # A service's URL may list its replicas, comma-separated: the gateway spreads requests over
    # them and moves a read (never a write that may have arrived) to another when one dies.
    intake_url: str = "http://127.0.0.1:8001"
    review_url: str = "http://127.0.0.1:8002"
    finance_url: str = "http://127.0.0.1:8003"
    upstream_timeout_seconds: float = 15.0
    outbox_interval_seconds: float = Field(default=2.0, gt=0)

    # uvicorn worker processes per process (``common.serve``); one per core by default.
    workers: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)

    rulesets_dir: Path = ROOT / "rulesets"
    max_body_bytes: int = 1_048_576
    log_level: str = "INFO"
    dev_token_rate_per_minute: int = 600
    # Writes (POST/PUT/PATCH/DELETE) per token subject per minute through the gateway; service
    # calls are exempt. High: a brake on a runaway client, never met by tests or the bench.
    write_rate_per_minute: int = Field(default=60_000, gt=0)

    # Browser origins allowed to call the API (CORS), as a JSON list; "*" allows any origin but
    # never with credentials. None: the usual local SPA dev servers in dev, none in production.
    cors_origins: list[str] | None = None

    @property
    def cors_allowed_origins(self) -> list[str]:
        if self.cors_origins is not None:
            return self.cors_origins
        return list(DEV_SPA_ORIGINS) if self.dev_mode else []

    @property
    def dev_mode(self) -> bool:
        return self.env != "production"

    @model_validator(mode="after")
    def _production_needs_real_keys(self) -> "Settings":
        if self.env == "production":
            if self.jwt_algorithm == "HS256" and self.jwt_secret.get_secret_value() == DEV_SECRET:
                raise ValueError("JIEBANG_JWT_SECRET must be set in production")
            if self.jwt_algorithm != "HS256" and not self.jwt_public_key:
                raise ValueError("JIEBANG_JWT_PUBLIC_KEY must be set for RS256/ES256")
        return self

    def service_url(self, service: str) -> str:
        """The first replica's URL (one-replica deployments: the URL)."""
        return self.service_urls(service)[0]

    def service_urls(self, service: str) -> list[str]:
        urls = [u.strip() for u in str(getattr(self, f"{service}_url")).split(",")]
        return [u for u in urls if u] or [str(getattr(self, f"{service}_url"))]


@lru_cache
def get_settings() -> Settings:
    return Settings()
