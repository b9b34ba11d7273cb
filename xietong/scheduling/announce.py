"""Posting each announcement exactly once per period, with catch-up after downtime.

An announcement claims its period key in ``OutboxMessage.dedupe_key`` (unique) in the same
transaction that stores its message: either both are written or neither. So

* a restart never posts it again: the key is there;
* a second bot process on the same database never posts it too: on SQLite the transactions queue up
  (``BEGIN IMMEDIATE``) and the second one sees the key; on PostgreSQL both may build the message,
  and the second insert fails on the unique key (``IntegrityError``), which means someone else has
  posted it — fine, nothing is written;
* one missed while the bot was down is posted at start-up when its due instant lies within
  ``XIETONG_CATCHUP`` of now and its key is still unclaimed.

When there is nothing to say (an empty digest, nobody on the roster to call to the meeting) nothing is
stored and the period stays unclaimed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core.db import database
from xietong.core.models import OutboxMessage
from xietong.core.outbox import Target
from xietong.core.work import Work, work

from .periods import Schedule
from .workdays import WorkCalendar

log = logging.getLogger("xietong.scheduling")


@dataclass(frozen=True)
class Post:
    """One message of an announcement: its text and exactly who must act on it."""

    text: str
    mentions: tuple[int, ...] = ()
    subject: str | None = None
    target: Target | None = None  # None: the announcement's target


Build = Callable[[Work], Awaitable[Sequence[Post]]]
"""Makes the posts inside the claiming transaction (it may also write audit events there)."""


@dataclass(frozen=True)
class Outcome:
    key: str
    due: datetime | None
    posted: bool
    posts: tuple[Post, ...] = field(default=())


async def is_claimed(session: AsyncSession, key: str) -> bool:
    return await session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)) is not None


async def claimed_keys(session: AsyncSession, keys: Sequence[str]) -> set[str]:
    """Which of ``keys`` are claimed already (one query, so a round skips them without a transaction each)."""
    if not keys:
        return set()
    rows = await session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(list(keys))))
    return set(rows)


def _enqueue(w: Work, key: str, target: Target, posts: Sequence[Post]) -> None:
    for index, post in enumerate(posts):
        w.notify(
            post.target or target,
            post.text,
            mentions=post.mentions,
            subject=post.subject,
            dedupe_key=key if index == 0 else f"{key}#{index + 1}",
        )


async def post_once(key: str, target: Target, build: Build) -> tuple[Post, ...] | None:
    """Claim ``key`` and store the posts ``build`` makes, in one transaction.

    Returns the posts stored, or None when the key was already claimed (by us earlier, or by another
    process just now) or there was nothing to say.
    """
    try:
        async with work() as w:
            if await is_claimed(w.session, key):
                return None
            posts = tuple(await build(w))
            if not posts:
                return None
            _enqueue(w, key, target, posts)
            await w.session.flush()  # the unique key speaks here, inside the transaction
    except IntegrityError:
        log.info("announcement %s was posted by another process", key)
        return None
    log.info("announcement %s queued (%d message(s))", key, len(posts))
    return posts


async def announce_due(
    schedule: Schedule,
    now: datetime,
    *,
    within: timedelta,
    calendar: WorkCalendar,
    target: Target,
    build: Callable[[AsyncSession, datetime], Awaitable[Sequence[Post]]],
) -> Outcome | None:
    """Post the schedule's latest due period if it is due within ``within`` of ``now`` and unclaimed.

    The same call serves the timer (fired at the due instant) and the start-up catch-up.
    """
    due = schedule.latest_due(now, within, calendar)
    if due is None:
        return None
    key = schedule.key(due)
    posts = await post_once(key, target, lambda w: build(w.session, due))
    return Outcome(key, due, posts is not None, posts or ())


SelfPosting = Callable[[datetime, str], Awaitable[bool]]
"""An announcement that stores its own message (the monthly report uploads a file first): called with the
due instant and the period key, which it must pass on as the ``dedupe_key`` of its outbox message;
returns whether it posted (False: nothing to say, the period stays unclaimed)."""


async def announce_self_posting(
    schedule: Schedule, now: datetime, *, within: timedelta, calendar: WorkCalendar, post: SelfPosting
) -> Outcome | None:
    """Like :func:`announce_due` for an announcement that posts itself: skipped when its period is
    claimed; a unique-key failure inside it means another process claimed the period first."""
    due = schedule.latest_due(now, within, calendar)
    if due is None:
        return None
    key = schedule.key(due)
    async with database().session() as session:
        if await is_claimed(session, key):
            return Outcome(key, due, False)
    try:
        posted = await post(due, key)
    except IntegrityError:
        log.info("announcement %s was posted by another process", key)
        return Outcome(key, due, False)
    return Outcome(key, due, bool(posted))
