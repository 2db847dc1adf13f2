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

from common.serve import APPS
from common.settings import ROOT, SERVICES


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Stack:
    ports: dict[str, int]
    env: dict[str, str]
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    workers: int = 1
    # Per process kind (``intake``…): e.g. each service's own client credential.
    process_env: dict[str, dict[str, str]] = field(default_factory=dict)

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
                "common.serve",
                name.split("#")[0],
                "--host",
                "127.0.0.1",
                "--port",
                str(self.ports[name]),
                "--workers",
                str(self.workers),
            ],
            cwd=ROOT,
            env={**self.env, **self.process_env.get(name.split("#")[0], {})},
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
        """Every process answers its own ``/readyz`` (so every replica serves), then the
        gateway's."""
        deadline = time.monotonic() + timeout
        waiting = [n for n in self.processes if n != "gateway"] + ["gateway"]
        while waiting and time.monotonic() < deadline:
            for name, proc in self.processes.items():
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with {proc.returncode} during start-up")
            try:
                if httpx.get(f"{self.url(waiting[0])}/readyz", timeout=2).status_code == 200:
                    waiting.pop(0)
                    continue
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        if waiting:
            raise TimeoutError(f"{waiting[0]} did not become ready")


def stack_env(
    database_url: str, ports: Mapping[str, int], extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url
    env["JIEBANG_GATEWAY_URL"] = f"http://127.0.0.1:{ports['gateway']}"
    for service in SERVICES:
        replicas = [p for name, p in ports.items() if name.split("#")[0] == service]
        env[f"JIEBANG_{service.upper()}_URL"] = ",".join(
            f"http://127.0.0.1:{port}" for port in replicas
        )
    env.update(extra or {})
    return env


def launch(
    database_url: str,
    *,
    ports: Mapping[str, int] | None = None,
    extra_env: Mapping[str, str] | None = None,
    log_dir: str | None = None,
    workers: int = 1,
    replicas: int = 1,
    process_env: Mapping[str, dict[str, str]] | None = None,
) -> Stack:
    """``workers`` uvicorn processes per process; ``replicas`` copies of each service on their
    own ports (``intake#2``…), all listed in the gateway's upstream URLs."""
    names = [*APPS]
    for service in SERVICES:
        names += [f"{service}#{i}" for i in range(2, replicas + 1)]
    chosen = dict(ports) if ports else {name: free_port() for name in names}
    stack = Stack(chosen, stack_env(database_url, chosen, extra_env), workers=workers)
    stack.process_env = dict(process_env or {})
    for name in sorted(chosen, key=lambda n: n.startswith("gateway")):
        stack.start(name, log_dir=log_dir)
    try:
        stack.wait_ready()
    except BaseException:
        stack.stop_all()
        raise
    return stack
