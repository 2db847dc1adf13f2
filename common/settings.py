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
DEV_SERVICE_SECRET = "jiebang-dev-service-secret-not-for-production"
DEV_DB_PASSWORD = "jiebang-dev"
MIN_SECRET_LENGTH = 32


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JIEBANG_", env_file=".env", extra="ignore")

    # Production unless a developer says otherwise (`make run`/`test`/`demo` set it themselves):
    # a deployment that forgets the variable gets no dev tokens and no movable clock.
    env: Literal["dev", "test", "production"] = "production"
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("JIEBANG_DATABASE_URL", "DATABASE_URL")
    )
    database_name: str = "jiebang"
    db_role_prefix: str = "jiebang"
    db_app_password: SecretStr = SecretStr(DEV_DB_PASSWORD)
    intake_database_url: str | None = None
    review_database_url: str | None = None
    finance_database_url: str | None = None
    db_pool_size: int = 10
    db_pool_pre_ping: bool = False  # see common.db.create_engine
    # A request that met a deadlock or serialization failure runs again up to this many times
    # in all (when safe: common/retry.py), then answers 503 db.conflict with Retry-After.
    db_conflict_attempts: int = Field(default=3, ge=1)

    # Dev/test only: tokens the platform signs itself (the dev-token endpoint, the tests).
    jwt_algorithm: Literal["HS256", "RS256", "ES256"] = "HS256"
    jwt_secret: SecretStr = SecretStr(DEV_SECRET)
    jwt_public_key: str | None = None
    jwt_private_key: SecretStr | None = None
    jwt_issuer: str = "jiebang"
    jwt_audience: str = "jiebang-api"
    token_ttl_seconds: int = 3600

    # The city's OpenID Connect provider (required in production): discovery document and
    # JWKS at the issuer; which claims carry the person's role, city and name.
    oidc_issuer: str | None = None
    oidc_jwks_url: str | None = None
    oidc_algorithms: list[Literal["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"]] = [
        "RS256",
        "ES256",
    ]
    oidc_role_claim: str = "role"
    oidc_city_claim: str = "city"
    oidc_name_claim: str = "name"
    oidc_org_claim: str = "org_id"
    # A token with an unknown `kid` refreshes the key set at most once per this many seconds
    # (forged kids cannot flood the provider); keys are refreshed anyway after max age.
    jwks_refresh_min_seconds: float = Field(default=30.0, ge=0)
    jwks_max_age_seconds: float = Field(default=3600.0, gt=0)
    oidc_timeout_seconds: float = Field(default=5.0, gt=0)

    # Service credentials: their own audience, never a user key or flow. With a provider each
    # service uses the client-credentials grant; in dev/test the platform signs them with a
    # service secret of its own.
    service_audience: str = "jiebang-services"
    service_clients: list[str] = ["jiebang-intake", "jiebang-review", "jiebang-finance"]
    service_client_id: str | None = None
    service_client_secret: SecretStr | None = None
    service_resource: str | None = None
    service_secret: SecretStr = SecretStr(DEV_SERVICE_SECRET)

    gateway_url: str = "http://127.0.0.1:8000"
    # A service's URL may list its replicas, comma-separated: the gateway spreads requests over
    # them and moves a read (never a write that may have arrived) to another when one dies.
    intake_url: str = "http://127.0.0.1:8001"
    review_url: str = "http://127.0.0.1:8002"
    finance_url: str = "http://127.0.0.1:8003"
    upstream_timeout_seconds: float = 15.0
    outbox_interval_seconds: float = Field(default=2.0, gt=0)
    # Outbox retries: exponential backoff base × 2^(attempt-1), at most max, ±jitter (full
    # jitter on the upper half); after max_attempts a delivery is dead-lettered for the bureau.
    outbox_backoff_base_seconds: float = Field(default=1.0, gt=0)
    outbox_backoff_max_seconds: float = Field(default=300.0, gt=0)
    outbox_max_attempts: int = Field(default=12, ge=1)
    # Test mode only: a JSON file of injected faults (common/faults.py).
    faults_file: Path | None = None
    # Ed25519 private key (PEM) signing ledger checkpoints; never stored in the database.
    # Dev/test fall back to a published key; production signs nothing without one of its own.
    ledger_signing_key: SecretStr | None = None
    # Finance signs a checkpoint of every city's chain this often when it has grown (0: never).
    ledger_checkpoint_interval_seconds: float = Field(default=300.0, ge=0)

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

    # Documents (DOMAIN.md §5a): the one request body allowed above ``max_body_bytes`` is an
    # upload to /documents, streamed to a temporary file and then to the store.
    document_max_bytes: int = Field(default=50 * 1024 * 1024, gt=0)
    document_storage: Literal["local", "s3"] = "local"
    # Local store: this folder, or ``.data/documents/<database_name>`` when unset.
    document_dir: Path | None = None
    # S3-compatible store (MinIO, a cloud provider's S3 API): endpoint, bucket, credentials.
    s3_endpoint_url: str | None = None
    s3_bucket: str = "jiebang-documents"
    s3_region: str = "us-east-1"
    s3_access_key_id: SecretStr | None = None
    s3_secret_access_key: SecretStr | None = None
    # An upload nobody attached to a demand, application, decision, change or acceptance is
    # swept after this many hours (its uploader alone could read it meanwhile).
    document_unattached_hours: int = Field(default=72, gt=0)
    document_sweep_seconds: float = Field(default=600.0, gt=0)

    @property
    def dev_mode(self) -> bool:
        return self.env != "production"

    @property
    def oidc_mode(self) -> bool:
        return self.oidc_issuer is not None

    @model_validator(mode="after")
    def _production_is_safe(self) -> "Settings":
        if self.env == "production":
            problems = production_problems(self)
            if problems:
                raise ValueError("refusing to start in production: " + "; ".join(problems))
        elif self.jwt_algorithm != "HS256" and not self.jwt_public_key:
            raise ValueError("JIEBANG_JWT_PUBLIC_KEY must be set for RS256/ES256")
        return self

    @property
    def document_upload_limit(self) -> int:
        """The body limit of the upload route: the file plus its multipart envelope."""
        return self.document_max_bytes + 64 * 1024

    def documents_folder(self) -> Path:
        return self.document_dir or ROOT / ".data" / "documents" / self.database_name

    def service_url(self, service: str) -> str:
        """The first replica's URL (one-replica deployments: the URL)."""
        return self.service_urls(service)[0]

    def service_urls(self, service: str) -> list[str]:
        urls = [u.strip() for u in str(getattr(self, f"{service}_url")).split(",")]
        return [u for u in urls if u] or [str(getattr(self, f"{service}_url"))]


_DEV_ONLY = {
    "jwt_secret": "JIEBANG_JWT_SECRET (the platform signs no user token in production)",
    "jwt_private_key": "JIEBANG_JWT_PRIVATE_KEY (the platform signs no user token in production)",
    "jwt_public_key": "JIEBANG_JWT_PUBLIC_KEY (production keys come from the provider's JWKS)",
    "service_secret": "JIEBANG_SERVICE_SECRET (services use the client-credentials grant)",
}


def production_problems(settings: Settings) -> list[str]:
    """Every reason the settings are not fit for production, each naming the variable."""
    problems = [
        f"{what} is a dev-only switch; remove it"
        for name, what in _DEV_ONLY.items()
        if name in settings.model_fields_set
    ]
    if not settings.oidc_issuer:
        problems.append("JIEBANG_OIDC_ISSUER must name the city's OpenID Connect provider")
    elif not settings.oidc_issuer.startswith(
        ("https://", "http://127.0.0.1:", "http://localhost:")
    ):
        problems.append("JIEBANG_OIDC_ISSUER must be an https:// URL")
    if "jwt_audience" not in settings.model_fields_set:
        problems.append("JIEBANG_JWT_AUDIENCE must name this platform's audience at the provider")
    if settings.service_audience == settings.jwt_audience:
        problems.append("JIEBANG_SERVICE_AUDIENCE must differ from the user audience")
    password = settings.db_app_password.get_secret_value()
    if password == DEV_DB_PASSWORD or len(password) < 16:
        problems.append("JIEBANG_DB_APP_PASSWORD must be set (at least 16 characters)")
    return problems


def service_credential_problems(settings: Settings) -> list[str]:
    """A service (not the gateway) calls others with its own client-credentials secret."""
    secret = settings.service_client_secret
    if settings.env == "production" and (
        secret is None or len(secret.get_secret_value()) < MIN_SECRET_LENGTH
    ):
        return [
            f"JIEBANG_SERVICE_CLIENT_SECRET must be set (at least {MIN_SECRET_LENGTH} characters)"
        ]
    return []


@lru_cache
def get_settings() -> Settings:
    return Settings()
