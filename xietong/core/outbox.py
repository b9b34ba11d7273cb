"""The outbox: notifications stored with their cause, delivered in order per target, never lost.

Writers call :func:`enqueue` inside the transaction of the state change. The delivery loop
(:class:`Deliverer`) is handed a ``send`` coroutine by the chat layer. A timeout or a lost
connection leaves the message pending, retried with back-off for as long as it takes. QQ
*refusing* a message (:class:`Refused`: some contents it never takes) is retried for
``give_up``; then it is tried once as plain text in parts, and if QQ still refuses it is set
aside (status ``aside``, resent by /补发) so that the messages behind it flow again.

Within one target the oldest pending message blocks the later ones, so a group reads the
notifications in the order they were caused. A target's next few messages are leased together and
sent back to back (one transaction records them, and leases the next ones after a full batch); a lease
names the process that holds it and keeps a second bot process on the same database from sending them
too; a restarted process releases the leases of its dead predecessor at once.

"In order" means commit order. On PostgreSQL an id is drawn at INSERT, not at commit, so a transaction that
drew a lower id but commits later would let a later message overtake one that was caused before it; the
transactions that write notifications therefore take one lock from their first notification to their commit
(:func:`_ids_in_commit_order`). SQLite already runs one writer at a time.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Integer, and_, bindparam, column, event, exists, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from . import clock
from .db import Database
from .models import OutboxMessage
from .text import split_text

log = logging.getLogger("xietong.outbox")

LEASE = timedelta(seconds=60)
BATCH = 8  # a target's messages leased at once: /接单's instructions and answer go out without a transaction between
MAX_BACKOFF_SECONDS = 120
PLAIN_PART_LIMIT = 300  # the last try of a refused message: plain text in parts this long
ASIDE_NOTICE = "aside:"  # dedupe-key prefix of the notices about a set-aside message (never noticed again)


_COLUMNS = OutboxMessage.__table__.c
# Built once (the delivery of every notification runs them): a compiled-cache hit, no statement built a message.
_TARGETS = (
    select(_COLUMNS.target_kind, _COLUMNS.target_id)
    .where(_COLUMNS.status == "pending")
    .group_by(_COLUMNS.target_kind, _COLUMNS.target_id)
    .order_by(func.min(_COLUMNS.id))
)


def _queued(rows: Any) -> Any:
    """The target's pending messages (``rows``: the columns of the table or of an alias of it)."""
    return and_(rows.status == "pending", rows.target_kind == bindparam("kind"), rows.target_id == bindparam("target"))


_HEAD, _BEFORE = (OutboxMessage.__table__.alias(name) for name in ("head", "before"))
# How many of the target's pending messages are ahead of a row (written out: SQLAlchemy drops the alias of a
# subquery's columns inside SQLite's RETURNING).
_AHEAD_OF_IT = (
    text("SELECT count(*) FROM outbox_message AS ahead WHERE ahead.status = 'pending' AND ahead.target_kind = :kind"
         " AND ahead.target_id = :target AND ahead.id < outbox_message.id")
    .columns(column("ahead", Integer))
    .scalar_subquery()
)
# One UPDATE leases a target's next messages, without a read before it: of its first BATCH pending messages,
# those that are due and free (nobody holds them, or we do: the rest of our own batch, after a set-aside) with
# no message before them that waits (not due, or another process's). RETURNING gives each its rank among the
# target's pending messages as the statement saw them; ``_lease_next`` keeps the run of ranks 0, 1, 2, …: on
# PostgreSQL a row another process took while the statement ran is skipped on its re-check, and what is behind
# it must not go out before it.
_LEASE = (
    update(OutboxMessage)
    .where(
        _COLUMNS.id.in_(select(_HEAD.c.id).where(_queued(_HEAD.c)).order_by(_HEAD.c.id).limit(BATCH)),
        _queued(_COLUMNS),  # again for the row itself: PostgreSQL re-checks it when another process changed it
        _COLUMNS.next_attempt_at <= bindparam("at"),
        or_(_COLUMNS.lease_until.is_(None), _COLUMNS.lease_until < bindparam("at"),
            _COLUMNS.lease_owner == bindparam("me")),
        ~exists().where(_queued(_BEFORE.c), _BEFORE.c.id < _COLUMNS.id,
                        or_(_BEFORE.c.next_attempt_at > bindparam("at"),
                            and_(_BEFORE.c.lease_until >= bindparam("at"), _BEFORE.c.lease_owner != bindparam("me")))),
    )
    .values(lease_owner=bindparam("me"), lease_until=bindparam("until", type_=_COLUMNS.lease_until.type))
    .returning(OutboxMessage, _AHEAD_OF_IT)
    .execution_options(synchronize_session=False)
)
_RELEASE = (
    update(OutboxMessage.__table__)
    .where(_COLUMNS.id.in_(bindparam("ids", expanding=True)), _COLUMNS.lease_owner == bindparam("me"))
    .values(lease_owner=None, lease_until=None)
)
# The batch that went out, recorded by one statement run for each of its rows (one executemany).
_SENT = (
    update(OutboxMessage.__table__)
    .where(_COLUMNS.id == bindparam("row_id"), _COLUMNS.status == "pending")
    .values(status="sent", lease_owner=None, lease_until=None,
            sent_at=bindparam("sent", type_=_COLUMNS.sent_at.type), message_id=bindparam("qq_message"),
            attempts=bindparam("tries"))
)


class Refused(Exception):
    """QQ answered and refused the message (a retcode), as opposed to a timeout or a lost connection."""


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
    _written_to(session, target)
    return rows


WRITTEN = "outbox_written"  # session.info: the set of targets a transaction wrote to; True: it did not say which


def _written_to(session: AsyncSession, target: Target) -> None:
    written = session.info.setdefault(WRITTEN, set())
    if isinstance(written, set):  # True stays True: the round after the commit looks everywhere
        written.add(target)


def written(session: AsyncSession) -> set[Target] | None:
    """After a commit that wrote notifications: the targets they went to; ``None`` for anywhere, when a writer
    marked the session without naming its targets (``session.info[WRITTEN] = True``, as /补发 does)."""
    targets = session.info.get(WRITTEN)
    return set(targets) if isinstance(targets, set) else None


COMMIT_ORDER_LOCK = 0x78746F62  # PostgreSQL advisory-lock key of the outbox writers ("xtob")


@event.listens_for(Session, "before_flush")
def _ids_in_commit_order(session: Session, _context: object, _instances: object) -> None:
    """Before a transaction's first notification is inserted on PostgreSQL, wait for the other writers of
    notifications to commit: ids are then drawn in commit order, which the delivery order relies on.
    Services lock the rows they change first and notify last: a transaction that notified and then waited
    for a row held by one waiting here would deadlock (PostgreSQL ends one of them with an error)."""
    if not session.info.get(WRITTEN) or session.info.get("outbox_locked"):
        return
    if session.get_bind().dialect.name != "postgresql":
        return
    session.connection().execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": COMMIT_ORDER_LOCK})
    session.info["outbox_locked"] = True


@event.listens_for(Session, "after_transaction_end")
def _lock_released(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the advisory lock ends with the database transaction
        session.info.pop("outbox_locked", None)


# Messages of a batch that QQ has taken but whose sending is not recorded yet (it is recorded with the rest of
# the batch): a quote-reply to one of them in the meantime still finds its order.
_sent_unrecorded: dict[tuple[str, int, int], str] = {}
# A read that began before a batch was recorded (a command's one read transaction, ``Database.reads``) does
# not see the record: the memory answers for the batch's messages a while longer than any command reads.
RECORDED_GRACE_SECONDS = 60


async def subject_of_message(session: AsyncSession, chat: Target, message_id: int) -> str | None:
    """Which order (or ticket) a bot message in ``chat`` was about: quote-replies are traced through this.
    Keyed by chat and id: QQ message ids are not unique across chats, and a reused id elsewhere must
    never act on an order."""
    if (subject := _sent_unrecorded.get((chat.kind, chat.id, message_id))) is not None:
        return subject
    return await session.scalar(
        select(OutboxMessage.subject)
        .where(
            OutboxMessage.message_id == message_id,
            OutboxMessage.target_kind == chat.kind,
            OutboxMessage.target_id == chat.id,
            OutboxMessage.subject.is_not(None),
        )
        .limit(1)
    )


Send = Callable[[Target, list[dict[str, Any]]], Awaitable[int | None]]
SetAside = Callable[[AsyncSession, OutboxMessage], Awaitable[None]]


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS))


def plain_parts(segments: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The message as plain text (no quote, no @) in short parts: what QQ refused whole may pass so."""
    text = "".join(seg["data"].get("text", "") for seg in segments if seg["type"] == "text").strip()
    return [[{"type": "text", "data": {"text": part}}] for part in split_text(text, PLAIN_PART_LIMIT) if part]


HOST = socket.gethostname()[:32]


def process_identity() -> str:
    """``host:pid:token``: who holds a lease, so that a restart can tell its dead predecessor's leases."""
    return f"{HOST}:{os.getpid()}:{uuid.uuid4().hex[:16]}"


def _alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill would terminate it there: assume alive, the lease expires anyway
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stale_owner(owner: str, me: str) -> bool:
    """A lease holder that is certainly gone: a dead process on this host, an earlier run under our own
    pid (a container restarts as pid 1), or a holder from before leases named their process."""
    host, _, rest = owner.partition(":")
    pid, _, _token = rest.partition(":")
    if not pid.isdigit():
        return True
    if owner == me or host != HOST:
        return False
    return int(pid) == os.getpid() or not _alive(int(pid))


def _remember_sent(row: OutboxMessage, message_id: int | None) -> None:
    if message_id is not None and row.subject is not None:
        _sent_unrecorded[(row.target_kind, row.target_id, message_id)] = row.subject


class Deliverer:
    """Sends pending outbox messages; one per process, woken on commit and by a timer.

    A round looks at every target with pending messages (one SELECT), except after wakes that all named their
    targets (each commit names those it wrote to): that round leases those targets only, each from its first
    pending message, so everything the commits wrote goes out in order. What else is due — a retry after its
    back-off, another process's notifications — waits for the next round that looks everywhere: the timer's,
    a wake that names no target, or the first round after ``poll_seconds`` without one."""

    def __init__(
        self,
        db: Database,
        send: Send,
        poll_seconds: float = 1.0,
        ready: Callable[[], bool] = lambda: True,
        *,
        give_up: timedelta = timedelta(seconds=60),
        on_set_aside: SetAside | None = None,
    ):
        self.db = db
        self.send = send
        self.ready = ready  # False while QQ is not connected: nothing is tried, so no back-off builds up
        self.poll_seconds = poll_seconds
        self.give_up = give_up
        self.on_set_aside = on_set_aside
        self.owner = process_identity()
        self._wake = asyncio.Event()
        self._woken: dict[Target, None] | None = {}  # targets named by the wakes since the last round; None: any
        self._looked_everywhere = -float("inf")  # the loop's time of the last round that did
        self._waiting = False
        self._task: asyncio.Task | None = None

    def wake(self, targets: Iterable[Target] | None = None) -> None:
        """Something was committed: to ``targets``, or anywhere (None)."""
        if targets is None or self._woken is None:
            self._woken = None
        else:
            self._woken.update(dict.fromkeys(targets))
        self._wake.set()

    def _where(self) -> list[Target] | None:
        """The targets this round is for (the wakes since the last round); None: every target with messages."""
        woken, self._woken = self._woken, {}
        self._wake.clear()
        if not woken or asyncio.get_running_loop().time() - self._looked_everywhere >= self.poll_seconds:
            return None
        return list(woken)

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
        reclaimed = False
        while True:
            try:
                if not reclaimed:
                    await self.reclaim()
                    reclaimed = True
                await self.deliver_due()
            except Exception:  # the loop must outlive a database hiccup
                log.exception("outbox delivery round failed")
            try:
                await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
            except asyncio.TimeoutError:
                pass

    async def reclaim(self) -> int:
        """At start-up: release the leases of processes that are gone and make every pending message due
        now, so what waited goes out as soon as QQ connects; how many leases were released."""
        async with self.db.session() as session:
            owners = (
                await session.scalars(
                    select(OutboxMessage.lease_owner)
                    .where(OutboxMessage.status == "pending", OutboxMessage.lease_owner.is_not(None))
                    .distinct()
                )
            ).all()
            stale = [owner for owner in owners if stale_owner(owner, self.owner)]
            released = 0
            if stale:
                result = await session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.lease_owner.in_(stale))
                    .values(lease_owner=None, lease_until=None)
                )
                released = result.rowcount
                log.info("released %s outbox lease(s) of a process that is gone", released)
        await self.retry_now()
        return released

    async def retry_now(self) -> None:
        """QQ is (back) there: what waits out a back-off is tried at once."""
        at = clock.now()
        async with self.db.session() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at > at)
                .values(next_attempt_at=at)
            )
        self.wake()

    async def deliver_due(self) -> int:
        """Send what is due; return how many messages went out. A full batch's recording leases what follows
        it, so another round is only for what was committed meanwhile (each commit wakes us, naming its targets):
        without a wake, no transaction is spent finding nothing."""
        where = self._where()  # only before a claim: a commit after it is seen by the claim or wakes us again
        if not self.ready():  # (cleared all the same: the loop waits for the next wake or tick, never spins)
            if not self._waiting:
                log.info("QQ is not connected: notifications wait until it is")
            self._waiting = True
            return 0
        self._waiting = False
        sent = 0
        while True:
            batches = await self._claim_heads(where)
            results = await asyncio.gather(*(self._deliver(batch) for batch in batches))
            sent += sum(results)
            if not any(results) or not self._wake.is_set():
                return sent
            where = self._where()

    async def _claim_heads(self, targets: Iterable[Target] | None = None) -> list[list[OutboxMessage]]:
        """Lease the oldest pending messages of each of ``targets`` (None: of every target with pending messages),
        up to ``BATCH`` in order, when the first is due and nobody else holds it."""
        at = clock.now()
        async with self.db.session() as session:
            if targets is None:
                self._looked_everywhere = asyncio.get_running_loop().time()
                targets = [Target(kind, target_id) for kind, target_id in (await session.execute(_TARGETS)).all()]
            batches = [await self._lease_next(session, target.kind, target.id, at) for target in targets]
            return [batch for batch in batches if batch]

    async def _lease_next(self, session: AsyncSession, kind: str, target_id: int, at: datetime) -> list[OutboxMessage]:
        """The target's next pending messages, leased in order from its oldest: up to ``BATCH``, stopping at one
        that is not due or that another process holds (so nothing is sent past a message that waits)."""
        taken = sorted((await session.execute(_LEASE, {"kind": kind, "target": target_id, "at": at, "me": self.owner,
                                                       "until": at + LEASE})).all(), key=lambda taken: taken[0].id)
        leased = []
        for rank, (row, ahead) in enumerate(taken):  # in order from the target's first, up to a gap
            if ahead != rank:
                break
            leased.append(row)
        if len(leased) < len(taken):  # a row another process took meanwhile: what we took behind it is let go
            await session.execute(_RELEASE, {"ids": [row.id for row, _ in taken[len(leased):]], "me": self.owner})
        return leased

    async def _deliver(self, batch: list[OutboxMessage]) -> int:
        """Send a target's leased messages one after another until it has none due or one has to wait; how many
        went out. The messages of a batch go out back to back; recording them sent (or set aside) and leasing
        the next batch is one transaction, retried until the database takes it: a message QQ accepted is never
        sent again because recording it failed."""
        sent = 0
        while batch:
            done: list[tuple[OutboxMessage, int | None]] = []
            aside: tuple[OutboxMessage, Exception] | None = None
            for index, row in enumerate(batch):
                target = Target(row.target_kind, row.target_id)
                try:
                    done.append((row, await self.send(target, row.segments)))
                    _remember_sent(*done[-1])
                    continue
                except Refused as exc:
                    at = clock.now()
                    since = row.refused_since or at
                    if at - since < self.give_up:
                        until = min(at + backoff(row.attempts + 1), since + self.give_up)
                        return sent + await self._stop_at(done, batch[index:], exc, until, since)
                    try:
                        done.append((row, await self._send_plain(target, row)))
                        _remember_sent(*done[-1])
                        continue
                    except Refused as last:
                        log.warning("outbox #%s to %s refused for %s: set aside", row.id, target, at - since)
                        aside = (row, last)
                        break
                    except Exception as other:
                        return sent + await self._stop_at(done, batch[index:], other, at + backoff(row.attempts + 1),
                                                          since)
                except Exception as exc:  # timed out, or no bot: not a refusal, so no give-up; retry later
                    until = clock.now() + backoff(row.attempts + 1)
                    return sent + await self._stop_at(done, batch[index:], exc, until, row.refused_since)
            sent += len(done)
            # A batch shorter than BATCH held all the target had due: what is committed from now on wakes us
            # (or waits for the timer's round, from another process), so no statement looks for more.
            follow = aside is not None or len(batch) == BATCH
            batch = await self._until_recorded(lambda d=done, a=aside, f=follow: self._record(d, a, follow=f))
            if aside is not None:
                self.wake()  # the notices about it
        return sent

    async def _stop_at(self, done: list[tuple[OutboxMessage, int | None]], rest: list[OutboxMessage],
                       exc: Exception, until: datetime, refused_since: datetime | None) -> int:
        """The first of ``rest`` has to wait: record what went out before it, let go of the others' leases."""
        await self._until_recorded(lambda: self._record(done, release=rest[1:]))
        await self._wait(rest[0], exc, until, refused_since)
        return len(done)

    async def _send_plain(self, target: Target, row: OutboxMessage) -> int | None:
        """The last try of a refused message; the id of its first part."""
        first: int | None = None
        for index, part in enumerate(plain_parts(row.segments)):
            message_id = await self.send(target, part)
            first = message_id if index == 0 else first
        return first

    async def _wait(self, row: OutboxMessage, exc: Exception, until: datetime, refused_since: datetime | None) -> None:
        attempts = row.attempts + 1
        log.warning("outbox #%s to %s failed (attempt %s): %r", row.id, row.target_id, attempts, exc)
        await self._finish(row.id, attempts=attempts, last_error=repr(exc)[:500], next_attempt_at=until,
                           refused_since=refused_since)

    async def _until_recorded(self, record: Callable[[], Awaitable[list[OutboxMessage]]]) -> list[OutboxMessage]:
        delay = 0.2
        while True:
            try:
                return await record()
            except Exception:
                log.exception("recording an outbox result failed; retrying in %.1fs", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def _record(
        self,
        done: list[tuple[OutboxMessage, int | None]],
        aside: tuple[OutboxMessage, Exception] | None = None,
        release: Sequence[OutboxMessage] | None = None,
        *,
        follow: bool = False,
    ) -> list[OutboxMessage]:
        """One transaction: the messages that went out marked sent with their QQ ids, the one QQ kept refusing
        set aside (and the superusers told), then the leases of ``release`` let go, or, to ``follow`` the batch,
        the target's next batch leased and returned."""
        following = await self._record_in_one(done, aside, release, clock.now(), follow)
        forget = asyncio.get_running_loop().call_later
        for row, message_id in done:  # recorded: the table answers for them, to reads begun from now on
            forget(RECORDED_GRACE_SECONDS, _sent_unrecorded.pop, (row.target_kind, row.target_id, message_id or 0), None)
        return following

    async def _record_in_one(self, done: list[tuple[OutboxMessage, int | None]],
                             aside: tuple[OutboxMessage, Exception] | None,
                             release: Sequence[OutboxMessage] | None, at: datetime,
                             follow: bool) -> list[OutboxMessage]:
        async with self.db.session() as session:
            if done:
                await session.execute(_SENT, [{"row_id": row.id, "sent": at, "qq_message": message_id,
                                               "tries": row.attempts + 1} for row, message_id in done])
            if aside is not None:
                row, exc = aside
                await self._close(session, row, status="aside", attempts=row.attempts + 1, last_error=repr(exc)[:500])
                if self.on_set_aside is not None and not (row.dedupe_key or "").startswith(ASIDE_NOTICE):
                    await self.on_set_aside(session, row)
            if release:  # one of the batch waits: nothing behind it is leased now
                await session.execute(_RELEASE, {"ids": [r.id for r in release], "me": self.owner})
            last = aside[0] if aside is not None else done[-1][0] if done else None
            if not follow or last is None:
                return []
            return await self._lease_next(session, last.target_kind, last.target_id, at)

    @staticmethod
    async def _close(session: AsyncSession, row: OutboxMessage, **values: Any) -> None:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row.id, OutboxMessage.status == "pending")
            .values(lease_owner=None, lease_until=None, **values)
        )

    async def _finish(self, row_id: int, **values: Any) -> None:
        async with self.db.session() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id, OutboxMessage.lease_owner == self.owner)
                .values(lease_owner=None, lease_until=None, **values)
            )
