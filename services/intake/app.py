"""The intake service: `uvicorn services.intake.app:app`."""

from fastapi import FastAPI

from common.app import create_service_app
from common.documents import UPLOAD_ROUTE
from common.settings import Settings, get_settings

# Importing the models registers them on the metadata Alembic compares against.
from services.intake import models  # noqa: F401
from services.intake.documents.service import sweep_loop
from services.intake.documents.storage import make_storage
from services.intake.memberships.service import LocalMemberships
from services.intake.routers import ROUTERS


async def _close_storage(app: FastAPI) -> None:
    await app.state.storage.aclose()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = create_service_app(
        "intake",
        ROUTERS,
        description=__doc__ or "",
        settings=settings,
        background=[sweep_loop],
        closing=[_close_storage],
        streamed={UPLOAD_ROUTE: settings.document_upload_limit},
    )
    app.state.storage = make_storage(settings)
    app.state.memberships = LocalMemberships()  # intake holds the records
    return app


app = create_app()
