"""`make run`: a database (embedded unless DATABASE_URL is set), migrations, the four processes.

Ctrl-C stops the processes and the embedded database cleanly; its data stays for the next run.
"""

import os
import signal
import sys
import time

from common.devdb import embedded_for
from common.launch import launch
from common.migrate import upgrade_all
from common.settings import Settings


def main() -> int:
    with embedded_for(os.environ.get("DATABASE_URL")) as url:
        os.environ["DATABASE_URL"] = url
        upgrade_all(Settings())
        serve(url)
    print("stopped.")
    return 0


def serve(url: str) -> None:
    """The four processes until Ctrl-C, SIGTERM or one of them exits."""
    ports = {
        "gateway": int(os.environ.get("GATEWAY_PORT", "8000")),
        "intake": 8001,
        "review": 8002,
        "finance": 8003,
    }
    stack = launch(url, ports=ports, workers=Settings().workers)
    print(f"jiebang is up: gateway {stack.gateway_url}  (docs: {stack.gateway_url}/docs)")
    for name in ("intake", "review", "finance"):
        print(f"  {name:8} {stack.url(name)}")
    print("Ctrl-C stops everything.", flush=True)
    stopping = False

    def _stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        while not stopping:
            for name, proc in stack.processes.items():
                if proc.poll() is not None:
                    print(f"{name} exited with {proc.returncode}; stopping", file=sys.stderr)
                    stopping = True
            time.sleep(0.5)
    finally:
        stack.stop_all()


if __name__ == "__main__":
    sys.exit(main())
