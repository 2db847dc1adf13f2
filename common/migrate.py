"""Bring a database up to date: bootstrap roles and schemas, then each service's migrations.

python -m common.migrate            uses DATABASE_URL
"""

import asyncio
import sys

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import URL

from common.bootstrap import bootstrap
from common.db import admin_url
from common.settings import ROOT, SERVICES, Settings, get_settings


def alembic_config(service: str, url: URL | None = None) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"), ini_section=service)
    cfg.set_main_option("script_location", str(ROOT / "services" / service / "migrations"))
    if url is not None:
        cfg.attributes["url"] = url
    return cfg


def upgrade_all(settings: Settings, database: str | None = None) -> None:
    """Synchronous on purpose: Alembic's env runs its own event loop."""
    asyncio.run(bootstrap(settings, database))
    url = admin_url(settings, database)
    for service in SERVICES:
        cfg = alembic_config(service, url)
        cfg.attributes["settings"] = settings  # the role prefix these settings name
        command.upgrade(cfg, "head")


if __name__ == "__main__":
    upgrade_all(get_settings())
    sys.exit(0)
