"""Start the four processes (gateway, intake, review, finance) as real uvicorn servers.

Used by ``make run``, the end-to-end tests and the benchmark, so all three exercise the same
start-up path a deployment uses.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from common.settings import ROOT, SERVICES

APPS = {
    "gateway": "gateway.app:app",
    "intake": "services.intake.app:app",
    "review": "services.review.app:app",
    "finance": "services.finance.app:app",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Stack:
    ports: dict[str, int]
    env: dict[str, str]
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['gateway']}"

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def start(self, name: str, *, log_dir: str | None = None) -> None:
        out = open(os.path.join(log_dir, f"{name}.log"), "ab") if log_dir else None  # noqa: SIM115
        self.processes[name] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                APPS[name],
                "--host",
                "127.0.0.1",
                "--port",
                str(self.ports[name]),
                "--no-access-log",
                "--no-server-header",
                "--log-level",
                "warning",
                "--timeout-graceful-shutdown",
                "5",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT if out else None,
        )

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        proc = self.processes.pop(name, None)
        if proc and proc.poll() is None:
            proc.send_signal(sig)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, proc in self.processes.items():
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with {proc.returncode} during start-up")
            try:
                if httpx.get(f"{self.gateway_url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError("the stack did not become ready")


def stack_env(
    database_url: str, ports: Mapping[str, int], extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url
    env["JIEBANG_GATEWAY_URL"] = f"http://127.0.0.1:{ports['gateway']}"
    for service in SERVICES:
        env[f"JIEBANG_{service.upper()}_URL"] = f"http://127.0.0.1:{ports[service]}"
    env.update(extra or {})
    return env


def launch(
    database_url: str,
    *,
    ports: Mapping[str, int] | None = None,
    extra_env: Mapping[str, str] | None = None,
    log_dir: str | None = None,
) -> Stack:
    chosen = dict(ports) if ports else {name: free_port() for name in APPS}
    stack = Stack(chosen, stack_env(database_url, chosen, extra_env))
    for name in ("intake", "review", "finance", "gateway"):
        stack.start(name, log_dir=log_dir)
    try:
        stack.wait_ready()
    except BaseException:
        stack.stop_all()
        raise
    return stack
