"""The intake service: `uvicorn services.intake.app:app`."""

from common.app import create_service_app

# Importing the models registers them on the metadata Alembic compares against.
from services.intake import models  # noqa: F401
from services.intake.routers import ROUTERS

app = create_service_app(
    "intake",
    ROUTERS,
    description=__doc__ or "",
)
