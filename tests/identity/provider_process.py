"""The test OIDC provider as a process (``tests/identity/provider``: node-oidc-provider), and
the standard grants a person and a service use to get tokens from it.

Nothing here mints a token: users go through the authorization-code grant with PKCE (the
provider's own sign-in page, driven by httpx), services through the client-credentials grant.
"""

import base64
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlparse

import httpx

from common.launch import free_port

PROVIDER_DIR = Path(__file__).resolve().parent / "provider"
API_RESOURCE = "https://api.jiebang.test/"
SERVICE_RESOURCE = "https://services.jiebang.test/"
OTHER_RESOURCE = "https://other.example.test/"
API_AUDIENCE = "jiebang-api"
SERVICE_AUDIENCE = "jiebang-services"
WEB_CLIENT = "jiebang-web"
REDIRECT = "http://127.0.0.1/callback"
SERVICE_CLIENTS = ("jiebang-intake", "jiebang-review", "jiebang-finance")


def _config(secrets_by_client: dict[str, str]) -> dict[str, object]:
    clients: list[dict[str, object]] = [
        {
            "client_id": WEB_CLIENT,
            "token_endpoint_auth_method": "none",
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
            "redirect_uris": [REDIRECT],
        }
    ]
    for client_id, secret in secrets_by_client.items():
        clients.append(
            {
                "client_id": client_id,
                "client_secret": secret,
                "grant_types": ["client_credentials"],
                "response_types": [],
                "redirect_uris": [],
            }
        )
    resources = {
        API_RESOURCE: {"audience": API_AUDIENCE, "scope": "api"},
        SERVICE_RESOURCE: {"audience": SERVICE_AUDIENCE, "scope": "service"},
        OTHER_RESOURCE: {"audience": "another-application", "scope": "api"},
    }
    return {"clients": clients, "resources": resources}


@dataclass
class Provider:
    """One provider process; ``restart(keys=...)`` keeps its port, issuer and accounts."""

    workdir: Path
    port: int = field(default_factory=free_port)
    keys_file: Path | None = None
    process: subprocess.Popen[bytes] | None = None
    client_secrets: dict[str, str] = field(
        default_factory=lambda: {c: secrets.token_urlsafe(32) for c in SERVICE_CLIENTS}
    )

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def accounts_file(self) -> Path:
        return self.workdir / "accounts.json"

    def start(self, keys_file: Path | None = None) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.keys_file = keys_file or self.keys_file or self.workdir / "keys-1.json"
        if not self.accounts_file.exists():
            self.accounts_file.write_text("{}")
        config_file = self.workdir / "config.json"
        config_file.write_text(json.dumps(_config(self.client_secrets)))
        env = {
            **os.environ,
            "PORT": str(self.port),
            "ISSUER": self.issuer,
            "KEYS_FILE": str(self.keys_file),
            "ACCOUNTS_FILE": str(self.accounts_file),
            "CONFIG_FILE": str(config_file),
        }
        log = open(self.workdir / "provider.log", "ab")  # noqa: SIM115
        node = shutil.which("node") or "node"
        self.process = subprocess.Popen(
            [node, "provider.js"], cwd=PROVIDER_DIR, env=env, stdout=log, stderr=log
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the OIDC provider exited: see {self.workdir}/provider.log")
            try:
                if httpx.get(f"{self.issuer}/.well-known/openid-configuration").status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise TimeoutError("the OIDC provider did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def restart(self, keys_file: Path | None = None) -> None:
        self.stop()
        self.start(keys_file)

    def add_person(self, sub: str, role: str, city: str, name: str, ttl: int | None = None) -> None:
        accounts = json.loads(self.accounts_file.read_text())
        accounts[sub] = {"role": role, "city": city, "name": name, **({"ttl": ttl} if ttl else {})}
        self.accounts_file.write_text(json.dumps(accounts, ensure_ascii=False))

    def user_token(
        self,
        sub: str,
        role: str,
        city: str,
        name: str | None = None,
        *,
        ttl: int | None = None,
        resource: str = API_RESOURCE,
    ) -> str:
        """Sign in as ``sub`` on the provider's page: authorization code with PKCE."""
        self.add_person(sub, role, city, name or f"Person {sub}", ttl)
        verifier = secrets.token_urlsafe(48)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        params = {
            "client_id": WEB_CLIENT,
            "response_type": "code",
            "scope": "openid",
            "redirect_uri": REDIRECT,
            "resource": resource,
            "code_challenge": challenge.decode().rstrip("="),
            "code_challenge_method": "S256",
            "state": secrets.token_urlsafe(8),
        }
        with httpx.Client(base_url=self.issuer, timeout=10) as browser:
            answer = browser.get("/auth", params=params)
            while answer.is_redirect:
                target = urljoin(str(answer.url), answer.headers["location"])
                if target.startswith(REDIRECT):
                    code = parse_qs(urlparse(target).query)["code"][0]
                    break
                if urlparse(target).path.startswith("/interaction/") and answer.url.path == "/auth":
                    answer = browser.post(
                        target, data={"prompt": "login", "login": sub, "password": "-"}
                    )
                    continue
                answer = browser.get(target)
            else:
                raise AssertionError(f"sign-in did not end at the client: {answer.text[:300]}")
            token = browser.post(
                "/token",
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": REDIRECT,
                    "client_id": WEB_CLIENT,
                    "code_verifier": verifier,
                    "resource": resource,
                },
            )
        token.raise_for_status()
        return str(token.json()["access_token"])

    def service_token(self, client_id: str, resource: str = SERVICE_RESOURCE) -> str:
        answer = httpx.post(
            f"{self.issuer}/token",
            data={"grant_type": "client_credentials", "resource": resource, "scope": "service"},
            auth=(client_id, self.client_secrets[client_id]),
            timeout=10,
        )
        answer.raise_for_status()
        return str(answer.json()["access_token"])
