"""The review service: `uvicorn services.review.app:app`."""

from common.app import create_service_app

# Importing the models registers them on the metadata Alembic compares against.
from services.review import models  # noqa: F401
from services.review.routers import ROUTERS

app = create_service_app(
    "review",
    ROUTERS,
    description=__doc__ or "",
)
