"""The finance service: `uvicorn services.finance.app:app`."""

from fastapi import FastAPI

from common.app import create_service_app
from common.settings import Settings

# Importing the models registers them on the metadata Alembic compares against.
from services.finance import models  # noqa: F401
from services.finance.ledger.verification import checkpoint_loop
from services.finance.routers import ROUTERS


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(
        "finance",
        ROUTERS,
        description=__doc__ or "",
        settings=settings,
        background=[checkpoint_loop],
    )


app = create_app()
