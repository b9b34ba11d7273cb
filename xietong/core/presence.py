"""When QQ last connected and was last heard from: kept in the database, so that ``manage.py check``
(another process) and /状态 can tell whether the bot is really talking to QQ."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from . import clock
from .db import database
from .models import QQConnection

RECENT = timedelta(minutes=5)
SEEN_EVERY = timedelta(minutes=1)  # heartbeats come every few seconds: write at most once a minute


class Presence:
    def __init__(self) -> None:
        self._written: dict[int, datetime] = {}

    async def connected(self, self_id: int) -> None:
        await self._record(self_id, clock.now(), connected=True)

    async def heard(self, self_id: int) -> None:
        """QQ said something (a heartbeat): recorded at most once a minute."""
        at = clock.now()
        last = self._written.get(self_id)
        if last is None or at - last >= SEEN_EVERY:
            await self._record(self_id, at, connected=False)

    async def _record(self, self_id: int, at: datetime, *, connected: bool) -> None:
        self._written[self_id] = at
        async with database().session() as session:
            row = await session.get(QQConnection, self_id)
            if row is None:
                session.add(QQConnection(self_id=self_id, connected_at=at, seen_at=at))
                return
            row.seen_at = at
            if connected:
                row.connected_at = at


presence = Presence()


async def latest(session: AsyncSession) -> QQConnection | None:
    return await session.scalar(select(QQConnection).order_by(QQConnection.seen_at.desc()).limit(1))
