"""`make test`: start the embedded PostgreSQL once (unless a URL is given), then pytest.

Each xdist worker builds its own databases on that server with Alembic.
"""

import os
import subprocess
import sys

from common.devdb import ensure_embedded
from common.settings import ROOT


def main(argv: list[str]) -> int:
    env = dict(os.environ)
    if not env.get("TEST_DATABASE_URL"):
        env["TEST_DATABASE_URL"] = env.get("DATABASE_URL") or ensure_embedded(
            ROOT / ".data" / "test-pg"
        )
    env.pop("DATABASE_URL", None)
    env.setdefault("JIEBANG_ENV", "test")  # the platform is production unless told otherwise
    print(f"tests against {env['TEST_DATABASE_URL'].split('@')[-1]}", flush=True)
    return subprocess.call([sys.executable, "-m", "pytest", *argv], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
