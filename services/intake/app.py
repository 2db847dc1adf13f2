"""The intake service: `uvicorn services.intake.app:app`."""

from fastapi import FastAPI

from common.app import create_service_app
from common.settings import Settings

# Importing the models registers them on the metadata Alembic compares against.
from services.intake import models  # noqa: F401
from services.intake.memberships.service import LocalMemberships
from services.intake.routers import ROUTERS


def create_app(settings: Settings | None = None) -> FastAPI:
    app = create_service_app("intake", ROUTERS, description=__doc__ or "", settings=settings)
    app.state.memberships = LocalMemberships()  # intake holds the records
    return app


app = create_app()
