"""Incoming-event dedupe: an implementation may deliver the same message twice (reconnects, retries).

A message is known by its id together with the bot, the chat, the sender and the time: OneBot
implementations hash ids into 32 bits or number them afresh after a restart, so an id alone is
not a message. The chat layer drops a message handled before (:func:`seen`) and opens a :class:`Claim`
(:func:`begin`) in the handler that answers it. A state change records the claim in its
own transaction (:func:`claim_in`, called by ``work``), so a crash before the commit lets a
re-delivery through; an answer that changes nothing records it just before it is sent
(:func:`claim`), so a second process on the same database never answers twice. The marks of answers
ready at the same time are written together (:class:`Marks`): one transaction for many.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from . import clock, roster_cache
from .db import Database, database
from .models import ProcessedEvent

log = logging.getLogger("xietong.dedupe")

KEEP = timedelta(days=3)


_EVENTS = ProcessedEvent.__table__
# Core, built once: asked for every message, so no ORM execution set-up and a compiled-cache hit (BENCHMARKS.md).
# The roster's version rides along for the message's reads (roster_cache): no statement of its own.
_SEEN = select(select(_EVENTS.c.key).where(_EVENTS.c.key == bindparam("key")).scalar_subquery(),
               roster_cache.VERSION)
_MARK_ONE = insert(ProcessedEvent)
# Many marks in one statement (executemany as one multi-row INSERT); the keys returned are the new ones.
_MARK = {dialect: upsert(_EVENTS).on_conflict_do_nothing(index_elements=[_EVENTS.c.key]).returning(_EVENTS.c.key)
         for dialect, upsert in (("sqlite", sqlite.insert), ("postgresql", postgresql.insert))}


class AlreadyHandled(Exception):
    """Another delivery of this message (here or in another process) got there first: stay quiet."""


@dataclass
class Claim:
    key: str
    state: str = "open"  # open | claiming | done


_claim: ContextVar[Claim | None] = ContextVar("xietong_event_claim", default=None)


def event_key(self_id: int | str, message_type: str, chat: int | None, sender: int, message_id: int, at: int) -> str:
    return f"{self_id}:{message_type}:{chat or 0}:{sender}:{message_id}:{at}"


def key_of(self_id: int | str, event: Any) -> str:
    """The key of a OneBot message event (read by attribute: the domain knows no NoneBot)."""
    return event_key(self_id, event.message_type, getattr(event, "group_id", None), event.user_id,
                     event.message_id, event.time)


async def seen(key: str) -> bool:
    """Whether the message was handled before; notes the roster's version for the reads of its transaction."""
    db = database()
    async with db.read() as session:
        handled, version = (await session.execute(_SEEN, {"key": key})).one()
        roster_cache.note(session, db, version)
        return handled is not None


def begin(key: str) -> Claim:
    """The message now being handled (the claim is shared by every task that handles it)."""
    claim = Claim(key)
    _claim.set(claim)
    return claim


def current() -> Claim | None:
    return _claim.get()


async def claim_in(session: AsyncSession) -> Claim | None:
    """Record the message as handled in the caller's transaction; the claim to close after its commit."""
    claim = _claim.get()
    if claim is None or claim.state != "open":
        return None
    claim.state = "claiming"
    session.add(ProcessedEvent(key=claim.key))
    try:
        await session.flush()
    except IntegrityError as exc:
        claim.state = "done"
        raise AlreadyHandled(claim.key) from exc
    return claim


async def claim() -> bool:
    """Before an answer that changed nothing: record the message; False when it was handled already.
    When the database cannot be written, answer anyway (a reply beats silence)."""
    current_claim = _claim.get()
    if current_claim is None or current_claim.state != "open":
        return True
    db = database()
    if db.holds_write_turn():  # the writer would wait for this task's turn while this task waits for it
        log.warning("message %s answered from inside a write transaction: not recorded as handled", current_claim.key)
        return True
    current_claim.state = "claiming"
    await db.end_reads()  # the command has read all it answers with: its connection is free while it waits
    new = await Marks.of(db).mark(current_claim.key)
    if new is None:  # not written (logged by the writer)
        current_claim.state = "open"
        return True
    current_claim.state = "done"
    return new


class Marks:
    """The handled-marks of answers, written by one task: what arrives while a batch is written goes into
    the next one, in one transaction (on SQLite one turn of the write lock) and one INSERT. Idle, a mark is
    written at once. Each waiter learns whether its key was new (False: another delivery, here or in another
    process, got there first), or None when it could not be written."""

    _current: Marks | None = None

    def __init__(self, db: Database, loop: asyncio.AbstractEventLoop):
        self.db, self.loop = db, loop
        self.statement = _MARK[db.engine.dialect.name]
        self.waiting: list[tuple[str, object, asyncio.Future[bool | None]]] = []
        self.writer: asyncio.Task[None] | None = None

    @classmethod
    def of(cls, db: Database) -> Marks:
        """This database's writer on the running loop."""
        loop = asyncio.get_running_loop()
        marks = cls._current
        if marks is None or marks.db is not db or marks.loop is not loop:
            marks = cls._current = cls(db, loop)
        return marks

    async def mark(self, key: str) -> bool | None:
        future: asyncio.Future[bool | None] = self.loop.create_future()
        self.waiting.append((key, clock.now(), future))
        if self.writer is None or self.writer.done():
            # A context of its own: none of the first waiter's (its read session, its turn of the lock).
            self.writer = self.loop.create_task(self._write(), context=contextvars.Context())
        return await future

    async def settle(self) -> None:
        """Wait until what is waiting has been written (at shutdown, before the engine goes)."""
        if self.writer is not None and not self.writer.done():
            await self.writer

    async def _write(self) -> None:
        batch: list[tuple[str, object, asyncio.Future[bool | None]]] = []
        try:
            while self.waiting:
                batch, self.waiting = self.waiting, []
                new = await self._insert(batch)
                for key, _, future in batch:  # a key twice in a batch: only its first waiter is new
                    if not future.done():
                        future.set_result(None if new is None else key in new)
                    if new is not None:
                        new.discard(key)
        finally:  # cancelled (shutdown): nobody is left waiting; their answers go unmarked, as on a failure
            for _, _, future in (*batch, *self.waiting):
                if not future.done():
                    future.set_result(None)
            self.waiting = []

    async def _insert(self, batch: list[tuple[str, object, asyncio.Future[bool | None]]]) -> set[str] | None:
        rows = list({key: {"key": key, "at": at} for key, at, _ in batch}.values())
        try:
            async with self.db.connection() as connection:
                if len(rows) > 1:
                    return set((await connection.execute(self.statement, rows)).scalars())
                await connection.execute(_MARK_ONE, rows[0])  # alone: no RETURNING to fetch (BENCHMARKS.md)
                return {rows[0]["key"]}
        except IntegrityError:
            return set()
        except Exception:
            log.warning("could not record %d message(s) as handled: answered anyway", len(rows), exc_info=True)
            return None


async def forget_old() -> int:
    """Drop what is older than any re-delivery (run daily)."""
    async with database().session() as session:
        result = await session.execute(delete(ProcessedEvent).where(ProcessedEvent.at < clock.now() - KEEP))
        return result.rowcount
