"""Incoming-event dedupe: an implementation may deliver the same message twice (reconnects, retries)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from . import clock
from .db import database
from .models import ProcessedEvent

KEEP = timedelta(days=3)


async def first_time(key: str) -> bool:
    """Record ``key``; False when it was recorded before (the event is a repeat)."""
    try:
        async with database().session() as session:
            session.add(ProcessedEvent(key=key))
        return True
    except IntegrityError:
        return False


async def forget_old() -> int:
    async with database().session() as session:
        result = await session.execute(delete(ProcessedEvent).where(ProcessedEvent.at < clock.now() - KEEP))
        return result.rowcount
