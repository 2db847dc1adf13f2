from common.alembic_env import run
from services.review import models  # noqa: F401
from services.review.db import Base

run(Base.metadata, "review")
