from common.alembic_env import run
from services.finance import models  # noqa: F401
from services.finance.db import Base

run(Base.metadata, "finance")
