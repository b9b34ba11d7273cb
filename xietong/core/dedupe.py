"""Incoming-event dedupe: an implementation may deliver the same message twice (reconnects, retries).

A message is known by its id together with the bot, the chat, the sender and the time: OneBot
implementations hash ids into 32 bits or number them afresh after a restart, so an id alone is
not a message. The chat layer drops a message handled before (:func:`seen`) and opens a :class:`Claim`
(:func:`begin`) in the handler that answers it. A state change records the claim in its
own transaction (:func:`claim_in`, called by ``work``), so a crash before the commit lets a
re-delivery through; an answer that changes nothing records it just before it is sent
(:func:`claim`), so a second process on the same database never answers twice.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from . import clock
from .db import database
from .models import ProcessedEvent

log = logging.getLogger("xietong.dedupe")

KEEP = timedelta(days=3)


_MARK = insert(ProcessedEvent)
# Core, built once: asked for every message, so no ORM execution set-up and a compiled-cache hit (BENCHMARKS.md).
_SEEN = select(ProcessedEvent.__table__.c.key).where(ProcessedEvent.__table__.c.key == bindparam("key"))


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
    async with database().read() as session:
        return await session.scalar(_SEEN, {"key": key}) is not None


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
    current_claim.state = "claiming"
    try:
        async with database().connection() as connection:  # one INSERT: no unit of work (BENCHMARKS.md)
            await connection.execute(_MARK, {"key": current_claim.key, "at": clock.now()})
    except IntegrityError:
        current_claim.state = "done"
        return False
    except Exception:
        current_claim.state = "open"
        log.warning("could not record message %s as handled", current_claim.key, exc_info=True)
        return True
    current_claim.state = "done"
    return True


async def forget_old() -> int:
    """Drop what is older than any re-delivery (run daily)."""
    async with database().session() as session:
        result = await session.execute(delete(ProcessedEvent).where(ProcessedEvent.at < clock.now() - KEEP))
        return result.rowcount
