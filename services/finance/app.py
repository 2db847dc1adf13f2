"""The finance service: `uvicorn services.finance.app:app`."""

from common.app import create_service_app

# Importing the models registers them on the metadata Alembic compares against.
from services.finance import models  # noqa: F401
from services.finance.routers import ROUTERS

app = create_service_app(
    "finance",
    ROUTERS,
    description=__doc__ or "",
)
