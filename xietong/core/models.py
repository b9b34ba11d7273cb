"""Tables of the core: roster, audit trail, outbox, processed events, counters."""

from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, String, UniqueConstraint, insert_sentinel
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel

from . import clock
from .types import UTCDateTime


def qq_column(**kw: Any) -> Any:
    """QQ ids exceed 2**31: always BigInteger."""
    return Field(sa_type=BigInteger, **kw)


def utc_column(**kw: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kw)


def sentinel_column() -> Any:
    """A column that lets the ORM insert the rows of one table a flush writes by one ``INSERT … RETURNING``.

    The ORM must tell which returned id is whose. Without a sentinel, PostgreSQL inserts ``SELECT … ORDER BY`` a
    counter and sorts the ids, but SQLite has no such form and SQLAlchemy falls back to one INSERT a row (three
    for /接单's tasks, four for its notifications). With it, both databases insert ``VALUES (…, 0), (…, 1) …
    RETURNING id, sentinel`` and the ORM matches the rows by their place (SQLAlchemy: "Configuring Sentinel
    Columns"). Written by batched inserts only (the row's place in its batch), never read."""
    return Field(default=None, sa_column=insert_sentinel("sentinel"))


def enum_type(enum: type[Enum]) -> SAEnum:
    """Stored as the member's ASCII name (a code) in a VARCHAR, read back as the member.

    The member's value is its Chinese label, shown to people: changing a word needs no data migration.
    """
    return SAEnum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=max(len(m.name) for m in enum) + 4,
        validate_strings=True,
    )


class Member(SQLModel, table=True):
    __tablename__ = "member"

    qq: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    name: str = Field(default="", max_length=64)
    created_at: datetime = utc_column(default_factory=clock.now)


class MemberRole(SQLModel, table=True):
    __tablename__ = "member_role"
    __table_args__ = (UniqueConstraint("qq", "role", name="uq_member_role"),)

    id: int | None = Field(default=None, primary_key=True)
    qq: int = qq_column(foreign_key="member.qq", index=True)
    role: str = Field(max_length=16)


class RosterVersion(SQLModel, table=True):
    """One row whose ``version`` a trigger on ``member_role`` sets to a new random number in the same
    transaction as any change of the roster, by any writer (xietong.core.roster_cache): a process's cache of
    the roster is valid while the version it was read at is the one in the database (migration 9c4e7a1d2f60)."""

    __tablename__ = "roster_version"

    id: int = Field(default=1, primary_key=True)
    version: int = Field(default=0, sa_type=BigInteger)


class AuditEvent(SQLModel, table=True):
    """Who did what, when, to which subject (an order number, a customer, a member)."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_subject", "subject", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = utc_column(default_factory=clock.now)
    actor_qq: int | None = qq_column(default=None, nullable=True)
    action: str = Field(max_length=32)
    subject: str = Field(max_length=64)
    detail: str = Field(default="")
    # Tracked field changes (xietong.core.tracking): [{"field", "label", "old", "new"}], values as shown.
    changes: list[dict] | None = Field(default=None, sa_type=JSON(none_as_null=True))


class OutboxMessage(SQLModel, table=True):
    """A notification written with the state change that caused it; the delivery worker sends it.

    ``dedupe_key`` is unique: a scheduled announcement claims its period here, in the same
    transaction as the message, so two processes or a restart never post it twice.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_pending", "status", "target_kind", "target_id", "id"),
        Index("ix_outbox_message_id", "message_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = utc_column(default_factory=clock.now)
    target_kind: str = Field(max_length=8)  # group | private
    target_id: int = qq_column()
    segments: list[dict[str, Any]] = Field(sa_type=JSON)
    subject: str | None = Field(default=None, max_length=64, index=True)
    dedupe_key: str | None = Field(default=None, sa_column=Column(String(128), unique=True, nullable=True))
    status: str = Field(default="pending", max_length=8)  # pending | sent | aside (QQ refused it for good)
    attempts: int = 0
    refused_since: datetime | None = utc_column(default=None, nullable=True)  # first refusal of a streak
    next_attempt_at: datetime = utc_column(default_factory=clock.now)
    last_error: str = Field(default="", max_length=500)
    lease_owner: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = utc_column(default=None, nullable=True)
    sent_at: datetime | None = utc_column(default=None, nullable=True)
    message_id: int | None = qq_column(default=None, nullable=True)
    sentinel: int | None = sentinel_column()


class ProcessedEvent(SQLModel, table=True):
    """Incoming messages already handled: the same message (id, sender, chat and time) is handled once."""

    __tablename__ = "processed_event"

    key: str = Field(primary_key=True, max_length=96)
    at: datetime = utc_column(default_factory=clock.now, index=True)


class QQConnection(SQLModel, table=True):
    """When each QQ account last connected and was last heard from: ``manage.py check`` and /状态 read it."""

    __tablename__ = "qq_connection"

    self_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    connected_at: datetime = utc_column(default_factory=clock.now)
    seen_at: datetime = utc_column(default_factory=clock.now)


class Counter(SQLModel, table=True):
    """Daily sequences for order, slip and ticket numbers."""

    __tablename__ = "counter"

    key: str = Field(primary_key=True, max_length=32)
    value: int = 0
