"""Kubernetes manifests for the platform, generated into deploy/k8s/ from one description.

python scripts/export_k8s.py write    regenerate the files
python scripts/export_k8s.py check    fail when the files differ from this script or rulesets/

Plain manifests (``kubectl apply -f deploy/k8s/``): a ConfigMap of settings and one of the rule
sets (the files of ``rulesets/``, so a new city is a new file there), a migration Job, and per
process a Deployment (readiness ``/readyz``, liveness ``/healthz``, resource requests, workers
from ``JIEBANG_WORKERS``), a Service and a PodDisruptionBudget. Secrets are referenced by name
(``jiebang-secrets``: ``database-url``, ``db-app-password`` and per service
``<service>-client-secret``, its OIDC client-credentials secret), never shipped. Set the city's
identity provider in ``jiebang-config`` (``JIEBANG_OIDC_ISSUER``, ``JIEBANG_JWT_AUDIENCE``).
Validated in ``make test`` (tests/foundation/test_k8s.py) with the kubernetes-validate schemas.
"""

import sys
from typing import Any

import yaml

from common.settings import ROOT, SERVICES

OUT = ROOT / "deploy" / "k8s"
IMAGE = "jiebang:latest"
PORT = 8000
SECRET = "jiebang-secrets"
LABELS = {"app.kubernetes.io/part-of": "jiebang"}
REPLICAS = 2
RULESETS_FILE = "01-rulesets.yaml"
SECRET_ENV = {"DATABASE_URL": "database-url", "JIEBANG_DB_APP_PASSWORD": "db-app-password"}


def _meta(name: str, component: str | None = None) -> dict[str, Any]:
    labels = {**LABELS, **({"app.kubernetes.io/name": component} if component else {})}
    return {"name": name, "labels": labels}


def config() -> dict[str, Any]:
    urls = {f"JIEBANG_{s.upper()}_URL": f"http://{s}:{PORT}" for s in SERVICES}
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": _meta("jiebang-config"),
        "data": {
            "JIEBANG_ENV": "production",
            "JIEBANG_WORKERS": "2",  # uvicorn workers per pod: one per requested CPU
            "JIEBANG_RULESETS_DIR": "/etc/jiebang/rulesets",
            "JIEBANG_GATEWAY_URL": f"http://gateway:{PORT}",
            # The city's OpenID Connect provider and this platform's audience: set per city.
            "JIEBANG_OIDC_ISSUER": "https://sso.example.gov.cn/realms/city",
            "JIEBANG_JWT_AUDIENCE": "jiebang-api",
            "JIEBANG_SERVICE_AUDIENCE": "jiebang-services",
            **urls,
        },
    }


def rulesets() -> dict[str, Any]:
    files = {p.name: p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("rulesets/*.yaml"))}
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": _meta("jiebang-rulesets"),
        "data": files,
    }


def _env(service: str | None = None) -> list[dict[str, Any]]:
    """Secrets by reference; a service also signs in to the provider as its own client."""
    secrets = dict(SECRET_ENV)
    plain = []
    if service in SERVICES:
        secrets["JIEBANG_SERVICE_CLIENT_SECRET"] = f"{service}-client-secret"
        plain = [{"name": "JIEBANG_SERVICE_CLIENT_ID", "value": f"jiebang-{service}"}]
    return plain + [
        {"name": name, "valueFrom": {"secretKeyRef": {"name": SECRET, "key": key}}}
        for name, key in secrets.items()
    ]


def _container(name: str, command: list[str], cpu: str, memory: str) -> dict[str, Any]:
    return {
        "name": name,
        "image": IMAGE,
        "command": command,
        "envFrom": [{"configMapRef": {"name": "jiebang-config"}}],
        "env": _env(name),
        "resources": {
            "requests": {"cpu": cpu, "memory": memory},
            "limits": {"memory": memory},
        },
        "volumeMounts": [{"name": "rulesets", "mountPath": "/etc/jiebang/rulesets"}],
        "securityContext": {"runAsNonRoot": True, "allowPrivilegeEscalation": False},
    }


def _pod(container: dict[str, Any], restart: str | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "containers": [container],
        "volumes": [{"name": "rulesets", "configMap": {"name": "jiebang-rulesets"}}],
    }
    if restart:
        spec["restartPolicy"] = restart
    return spec


def migrate_job() -> dict[str, Any]:
    """Run before (re)deploying; each service's Alembic migrations in its own schema."""
    container = _container("migrate", ["python", "-m", "common.migrate"], "250m", "256Mi")
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": _meta("jiebang-migrate", "migrate"),
        "spec": {
            "backoffLimit": 3,
            "template": {
                "metadata": _meta("jiebang-migrate", "migrate"),
                "spec": _pod(container, "Never"),
            },
        },
    }


def _probe(path: str, period: int) -> dict[str, Any]:
    return {"httpGet": {"path": path, "port": PORT}, "periodSeconds": period, "timeoutSeconds": 3}


def process(name: str) -> list[dict[str, Any]]:
    """Deployment, Service and PodDisruptionBudget of one process."""
    selector = {"app.kubernetes.io/name": name}
    command = ["python", "-m", "common.serve", name, "--port", str(PORT)]
    container = _container(name, command, "1", "512Mi")
    container["ports"] = [{"containerPort": PORT, "name": "http"}]
    container["readinessProbe"] = _probe("/readyz", 5)
    container["livenessProbe"] = {**_probe("/healthz", 10), "failureThreshold": 3}
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": _meta(name, name),
        "spec": {
            "replicas": REPLICAS,
            "selector": {"matchLabels": selector},
            "strategy": {"rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}},
            "template": {"metadata": _meta(name, name), "spec": _pod(container)},
        },
    }
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": _meta(name, name),
        "spec": {
            "selector": selector,
            "ports": [{"name": "http", "port": PORT, "targetPort": "http"}],
        },
    }
    budget = {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": _meta(name, name),
        "spec": {"minAvailable": 1, "selector": {"matchLabels": selector}},
    }
    return [deployment, service, budget]


def manifests() -> dict[str, list[dict[str, Any]]]:
    files = {
        "00-config.yaml": [config()],
        RULESETS_FILE: [rulesets()],
        "10-migrate-job.yaml": [migrate_job()],
    }
    for name in ("gateway", *SERVICES):
        files[f"20-{name}.yaml"] = process(name)
    return files


def render(documents: list[dict[str, Any]]) -> str:
    head = "# Generated by scripts/export_k8s.py (make k8s); edit that script, not this file.\n"
    return head + "---\n".join(
        yaml.safe_dump(d, sort_keys=False, allow_unicode=True, width=100) for d in documents
    )


def main(mode: str) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    stale = []
    for name, documents in manifests().items():
        path, text = OUT / name, render(documents)
        if mode == "write":
            path.write_text(text, encoding="utf-8")
        elif name == RULESETS_FILE:
            continue  # a copy of rulesets/: refreshed by make k8s, never a reason to fail
        elif not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    if stale:
        print(f"deploy/k8s is stale ({', '.join(stale)}): run make k8s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "check"))
