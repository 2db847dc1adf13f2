from common.alembic_env import run
from services.intake import models  # noqa: F401
from services.intake.db import Base

run(Base.metadata, "intake")
