"""The receivables ledger: append-only; a mistake is corrected by a reversing entry."""

from datetime import datetime
from enum import Enum

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer
from sqlmodel import Field, SQLModel

from xietong.core import clock
from xietong.core.models import enum_type, qq_column, utc_column


class EntryKind(str, Enum):
    """Stored as ASCII codes; their words are ``xietong.finance.messages.KIND_WORDS``."""

    payment = "payment"  # /到账 (款到发货) and /收款: money received
    cod = "cod"  # COD that logistics collected, booked by finance: money received
    reversal = "reversal"  # cancels one earlier entry, amount negated
    refund = "refund"  # /退款: money paid back out of the customer's balance (negative)
    transfer_out = "transfer_out"  # /转单: the balance leaves the source order (negative) …
    transfer_in = "transfer_in"  # … and is applied to the target order (positive), same customer


RECEIPTS = (EntryKind.payment, EntryKind.cod)
"""The kinds that bring money in from the customer."""


class LedgerEntry(SQLModel, table=True):
    __tablename__ = "ledger_entry"
    __table_args__ = (Index("ix_ledger_order", "order_id", "id"), Index("ix_ledger_at", "at"))

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="sales_order.id")
    kind: EntryKind = Field(sa_type=enum_type(EntryKind))
    amount_fen: int = Field(sa_type=BigInteger)  # signed: a reversal is negative
    note: str = Field(default="", max_length=200)
    actor_qq: int | None = qq_column(default=None, nullable=True)
    at: datetime = utc_column(default_factory=clock.now)
    # Set on a reversal: the entry it cancels (each entry can be reversed once).
    reverses_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("ledger_entry.id"), unique=True, nullable=True)
    )
    # Set on both legs of a /转单: the other leg (they are booked, and reversed, together).
    counterpart_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("ledger_entry.id"), nullable=True)
    )


class CollectionAttempt(SQLModel, table=True):
    """/催收: a logged attempt to collect, shown in the customer's history and the order timeline."""

    __tablename__ = "collection_attempt"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    order_id: int | None = Field(default=None, foreign_key="sales_order.id", index=True)
    note: str = Field(max_length=500)
    actor_qq: int = qq_column()
    at: datetime = utc_column(default_factory=clock.now)
