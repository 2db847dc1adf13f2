"""Serve one process: ``python -m common.serve intake [--port 8001] [--workers N]``.

The one way every process is started — ``make run``, the end-to-end tests, the benchmark
(``common.launch``), the container image and the Kubernetes Deployments — so all of them take
the worker count from the same setting (``JIEBANG_WORKERS``, default: the CPU count).
Several workers are several uvicorn processes on one port; each has its own database pool and,
in review, its own outbox relay (rows are claimed ``FOR UPDATE SKIP LOCKED``, so relays in any
number of processes or replicas deliver each row once).
"""

import argparse
import sys

import uvicorn

from common.settings import get_settings

APPS = {
    "gateway": "gateway.app:app",
    "intake": "services.intake.app:app",
    "review": "services.review.app:app",
    "finance": "services.finance.app:app",
}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("process", choices=sorted(APPS))
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, help="default: JIEBANG_WORKERS")
    args = parser.parse_args(argv)
    uvicorn.run(
        APPS[args.process],
        host=args.host,
        port=args.port,
        workers=args.workers or get_settings().workers,
        access_log=False,  # the services log each request themselves (common.middleware)
        log_level="warning",
        server_header=False,  # no product banner on the wire
        timeout_graceful_shutdown=5,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
