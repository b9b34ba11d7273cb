"""Transient data that would grow for years: pruned on a schedule; and what /状态 may show about it.

Sent outbox rows are only needed to trace a quote-reply back to its order (``message_id`` →
``subject``); after ``XIETONG_OUTBOX_KEEP_DAYS`` (180) they go, except rows holding a period key
(``dedupe_key``: an announcement's or an escalation's), which keep them from being posted twice.
A quote-reply to a message older than that is answered "消息太久了，请写单号". Business data (orders,
ledger, audit trail) is never pruned. Processed events are pruned by their own owner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from .models import OutboxMessage, ProcessedEvent

TRANSIENT = {"outbox_message": OutboxMessage.created_at, "processed_event": ProcessedEvent.at}


def _prunable(cutoff: datetime):
    return (
        (OutboxMessage.status == "sent")
        & (OutboxMessage.sent_at < cutoff)
        & OutboxMessage.dedupe_key.is_(None)
    )


async def prune_outbox(session: AsyncSession, now: datetime, keep: timedelta) -> int:
    """Delete sent outbox rows older than ``keep`` that hold no period key; returns how many."""
    result = await session.execute(delete(OutboxMessage).where(_prunable(now - keep)))
    return result.rowcount or 0


def too_old_to_trace(sent: datetime, now: datetime, keep: timedelta) -> bool:
    """A quoted bot message this old may have been pruned: its order cannot be found from it."""
    return now - sent > keep


def quoted_at(unix_seconds: int) -> datetime:
    return datetime.fromtimestamp(unix_seconds, timezone.utc)


@dataclass(frozen=True)
class Storage:
    database_bytes: int | None  # None: the database would not say
    oldest_table: str | None  # which transient table holds the oldest row
    oldest_at: datetime | None


async def database_bytes(session: AsyncSession) -> int | None:
    dialect = session.bind.dialect.name
    if dialect == "sqlite":
        pages = await session.scalar(text("PRAGMA page_count"))
        size = await session.scalar(text("PRAGMA page_size"))
        return int(pages) * int(size)
    if dialect == "postgresql":
        return int(await session.scalar(text("SELECT pg_database_size(current_database())")))
    return None


async def storage(session: AsyncSession) -> Storage:
    """The database's size and its oldest transient row (for /状态)."""
    oldest: tuple[datetime, str] | None = None
    for table, column in TRANSIENT.items():
        at = await session.scalar(select(func.min(column)))
        if at is not None and (oldest is None or at < oldest[0]):
            oldest = (at, table)
    return Storage(
        database_bytes=await database_bytes(session),
        oldest_table=oldest[1] if oldest else None,
        oldest_at=oldest[0] if oldest else None,
    )
