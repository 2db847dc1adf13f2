"""The finance schema's declarative base and its audit trail.

Declared as a class (not ``make_base("finance")``) so mypy can use it as a base class.
"""

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from common.audit import AuditMixin
from common.db import NAMING


class Base(DeclarativeBase):
    metadata = MetaData(schema="finance", naming_convention=NAMING)


class AuditLog(AuditMixin, Base):
    pass
