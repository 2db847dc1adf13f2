"""`make test`: start the embedded PostgreSQL once (unless a URL is given), then pytest.

Each xdist worker builds its own databases on that server with Alembic. The embedded server is
stopped when pytest ends, fails or is interrupted (``common.devdb.embedded_for``).
"""

import os
import subprocess
import sys

from common.devdb import embedded_for
from common.settings import ROOT


def main(argv: list[str]) -> int:
    env = dict(os.environ)
    given = env.get("TEST_DATABASE_URL") or env.get("DATABASE_URL")
    env.setdefault("JIEBANG_ENV", "test")  # the platform is production unless told otherwise
    with embedded_for(given, ROOT / ".data" / "test-pg") as url:
        env["TEST_DATABASE_URL"] = url
        env.pop("DATABASE_URL", None)
        print(f"tests against {url.split('@')[-1]}", flush=True)
        try:
            return subprocess.call([sys.executable, "-m", "pytest", *argv], cwd=ROOT, env=env)
        except KeyboardInterrupt:
            return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
