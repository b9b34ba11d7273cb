"""The outbox: notifications stored with their cause, delivered in order per target, never lost.

Writers call :func:`enqueue` inside the transaction of the state change. The delivery loop
(:class:`Deliverer`) is handed a ``send`` coroutine by the chat layer; whatever it raises
(QQ refused, timed out, no bot connected) leaves the message pending, to be retried with
back-off. Within one target the oldest pending message blocks the later ones, so a group
reads the notifications in the order they were caused. A short lease on the message being
sent keeps a second bot process on the same database from sending it too.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from . import clock
from .db import Database
from .models import OutboxMessage
from .text import split_text

log = logging.getLogger("xietong.outbox")

LEASE = timedelta(seconds=60)
MAX_BACKOFF_SECONDS = 120


@dataclass(frozen=True)
class Target:
    """Where a message goes: a group, or a member in private."""

    kind: str  # "group" | "private"
    id: int

    @classmethod
    def group(cls, group_id: int) -> Target:
        return cls("group", int(group_id))

    @classmethod
    def private(cls, qq: int) -> Target:
        return cls("private", int(qq))


def build_segments(text: str, mentions: Iterable[int] = (), reply_to: int | None = None) -> list[dict[str, Any]]:
    """OneBot v11 segments: quote, then the @-mentions, then the text."""
    segments: list[dict[str, Any]] = []
    if reply_to is not None:
        segments.append({"type": "reply", "data": {"id": str(reply_to)}})
    for qq in dict.fromkeys(mentions):  # each person once, in order
        segments.append({"type": "at", "data": {"qq": str(qq)}})
        segments.append({"type": "text", "data": {"text": " "}})
    segments.append({"type": "text", "data": {"text": text}})
    return segments


def enqueue(
    session: AsyncSession,
    target: Target,
    text: str,
    *,
    mentions: Iterable[int] = (),
    subject: str | None = None,
    reply_to: int | None = None,
    dedupe_key: str | None = None,
) -> list[OutboxMessage]:
    """Store a notification (split under QQ's limit) in the caller's transaction."""
    if target.kind == "private":
        mentions = ()  # no @ in a private chat
    rows = []
    for index, part in enumerate(split_text(text)):
        first = index == 0
        rows.append(
            OutboxMessage(
                target_kind=target.kind,
                target_id=target.id,
                segments=build_segments(part, mentions if first else (), reply_to if first else None),
                subject=subject,
                dedupe_key=dedupe_key if first else None,
            )
        )
    session.add_all(rows)
    session.info["outbox_written"] = True
    return rows


async def subject_of_message(session: AsyncSession, message_id: int) -> str | None:
    """Which order (or ticket) a bot message was about: quote-replies are traced through this."""
    return await session.scalar(
        select(OutboxMessage.subject)
        .where(OutboxMessage.message_id == message_id, OutboxMessage.subject.is_not(None))
        .limit(1)
    )


Send = Callable[[Target, list[dict[str, Any]]], Awaitable[int | None]]


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS))


class Deliverer:
    """Sends pending outbox messages; one per process, woken on commit and by a timer."""

    def __init__(self, db: Database, send: Send, poll_seconds: float = 1.0, ready: Callable[[], bool] = lambda: True):
        self.db = db
        self.send = send
        self.ready = ready  # False while QQ is not connected: nothing is tried, so no back-off builds up
        self.poll_seconds = poll_seconds
        self.owner = uuid.uuid4().hex
        self._wake = asyncio.Event()
        self._waiting = False
        self._task: asyncio.Task | None = None

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="xietong-outbox")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self.deliver_due()
            except Exception:  # the loop must outlive a database hiccup
                log.exception("outbox delivery round failed")
            try:
                await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
            except asyncio.TimeoutError:
                pass
            self._wake.clear()

    async def deliver_due(self) -> int:
        """Send until nothing is due; return how many messages went out."""
        if not self.ready():
            if not self._waiting:
                log.info("QQ is not connected: notifications wait until it is")
            self._waiting = True
            return 0
        self._waiting = False
        sent = 0
        while heads := await self._claim_heads():
            results = await asyncio.gather(*(self._deliver(row) for row in heads))
            sent += sum(results)
            if not any(results):
                break
        return sent

    async def _claim_heads(self) -> Sequence[OutboxMessage]:
        """Lease the oldest pending message of each target, when it is due and nobody else holds it."""
        at = clock.now()
        async with self.db.session() as session:
            oldest = (
                select(func.min(OutboxMessage.id))
                .where(OutboxMessage.status == "pending")
                .group_by(OutboxMessage.target_kind, OutboxMessage.target_id)
            )
            heads = (
                await session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(oldest)).order_by(OutboxMessage.id))
            ).all()
            return [row for row in heads if await self._lease(session, row, at)]

    async def _lease(self, session: AsyncSession, row: OutboxMessage, at: datetime) -> bool:
        if row.next_attempt_at > at:
            return False
        result = await session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == row.id,
                OutboxMessage.status == "pending",
                or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < at),
            )
            .values(lease_owner=self.owner, lease_until=at + LEASE)
        )
        return result.rowcount == 1

    async def _deliver(self, row: OutboxMessage | None) -> int:
        """Send a target's messages one after another, from its leased head, until it has none due or QQ
        refuses one; how many went out. Marking one sent and leasing the next is one transaction."""
        sent = 0
        while row is not None:
            target = Target(row.target_kind, row.target_id)
            try:
                message_id = await self.send(target, row.segments)
            except Exception as exc:  # QQ refused, timed out, or no bot: retry later
                attempts = row.attempts + 1
                log.warning("outbox #%s to %s failed (attempt %s): %r", row.id, target, attempts, exc)
                await self._finish(
                    row.id,
                    attempts=attempts,
                    last_error=repr(exc)[:500],
                    next_attempt_at=clock.now() + backoff(attempts),
                )
                return sent
            sent += 1
            row = await self._sent_and_next(row, message_id)
        return sent

    async def _sent_and_next(self, row: OutboxMessage, message_id: int | None) -> OutboxMessage | None:
        at = clock.now()
        async with self.db.session() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row.id, OutboxMessage.lease_owner == self.owner)
                .values(lease_owner=None, lease_until=None, status="sent", sent_at=at, message_id=message_id,
                        attempts=row.attempts + 1)
            )
            following = await session.scalar(
                select(OutboxMessage)
                .where(
                    OutboxMessage.status == "pending",
                    OutboxMessage.target_kind == row.target_kind,
                    OutboxMessage.target_id == row.target_id,
                )
                .order_by(OutboxMessage.id)
                .limit(1)
            )
            return following if following is not None and await self._lease(session, following, at) else None

    async def _finish(self, row_id: int, **values: Any) -> None:
        async with self.db.session() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id, OutboxMessage.lease_owner == self.owner)
                .values(lease_owner=None, lease_until=None, **values)
            )
