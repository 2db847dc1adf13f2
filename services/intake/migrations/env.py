from common.alembic_env import run
from services.intake.db import Base
from services.intake import models  # noqa: F401

run(Base.metadata, "intake")
