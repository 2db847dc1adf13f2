"""The double-entry ledger (总账): append-only, one hash chain per city.

A posting is one ``LedgerTransaction`` with entry lines whose signed amounts (debit +, credit −)
add up to zero. Each line carries its own hash over its content and the previous line's hash,
so rewriting any stored line breaks the chain at that line.
"""

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, DateTime, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from common.db import IdMixin
from services.finance.db import Base

GENESIS = "0" * 64


class ChainHead(Base):
    """The last link of a city's chain; locked ``FOR UPDATE`` by every posting."""

    __tablename__ = "ledger_chain_heads"

    city: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    hash: Mapped[str] = mapped_column(String(64), default=GENESIS)


class LedgerTransaction(IdMixin, Base):
    __tablename__ = "ledger_transactions"

    city: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    project_id: Mapped[uuid.UUID] = mapped_column(index=True)
    tranche_id: Mapped[uuid.UUID | None]
    clawback_id: Mapped[uuid.UUID | None]
    reference_id: Mapped[uuid.UUID | None]
    actor: Mapped[str] = mapped_column(String(200))
    request_id: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LedgerEntry(IdMixin, Base):
    __tablename__ = "ledger_entries"

    transaction_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_transactions.id"), index=True
    )
    city: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(BigInteger)
    account: Mapped[str] = mapped_column(String(200), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    project_id: Mapped[uuid.UUID] = mapped_column(index=True)
    tranche_id: Mapped[uuid.UUID | None]
    clawback_id: Mapped[uuid.UUID | None]
    actor: Mapped[str] = mapped_column(String(200))
    request_id: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("city", "seq", name="uq_ledger_entries_city_seq"),)


class LedgerCheckpoint(IdMixin, Base):
    """A signed statement "the city's chain had hash H at line S" (append-only). The key that
    signs it lives in the settings, never in the database, so whoever can rewrite the tables
    cannot forge one; auditors keep the exported copies (``GET /ledger/checkpoints/latest``)."""

    __tablename__ = "ledger_checkpoints"

    city: Mapped[str] = mapped_column(String(64), index=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    key_id: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(200))

    __table_args__ = (UniqueConstraint("city", "seq", name="uq_ledger_checkpoints_city_seq"),)
