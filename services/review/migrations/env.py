from common.alembic_env import run
from services.review.db import Base
from services.review import models  # noqa: F401

run(Base.metadata, "review")
