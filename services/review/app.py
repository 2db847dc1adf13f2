"""The review service: `uvicorn services.review.app:app`."""

from fastapi import FastAPI

from common.app import create_service_app
from common.settings import Settings

# Importing the models registers them on the metadata Alembic compares against.
from services.review import models  # noqa: F401
from services.review.outbox.service import relay
from services.review.routers import ROUTERS


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(
        "review", ROUTERS, description=__doc__ or "", settings=settings, background=[relay]
    )


app = create_app()
