from common.alembic_env import run
from services.finance.db import Base
from services.finance import models  # noqa: F401

run(Base.metadata, "finance")
