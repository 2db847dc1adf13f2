"""Documents review's objects refer to (the decision's agreement, a member change's plan and
agreement, the acceptance opinion and audit report, meeting minutes). The files and who may
read them live in intake; this is review's own record of which file belongs to what."""

import uuid

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from common.db import IdMixin, TimestampMixin
from services.review.db import Base


class FiledDocument(IdMixin, TimestampMixin, Base):
    __tablename__ = "filed_documents"

    city: Mapped[str] = mapped_column(String(64), index=True)
    project_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[uuid.UUID] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(64))
    document_id: Mapped[uuid.UUID]
