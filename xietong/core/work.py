"""One transaction per state change: the new state, its audit event and its notifications."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import AbstractContextManager, asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from . import dedupe, outbox, storage, tracking
from .db import database
from .models import AuditEvent
from .outbox import Target


@dataclass(frozen=True)
class Actor:
    """Who asked, and from where: replies go back to ``origin``, quoting ``message_id``."""

    qq: int
    name: str = ""
    origin: Target | None = None
    message_id: int | None = None
    superuser: bool = False

    @property
    def display(self) -> str:
        return self.name or str(self.qq)


class Work:
    """The handle a service gets for one state change."""

    def __init__(self, session: AsyncSession, actor: Actor | None):
        self.session = session
        self.actor = actor
        session.info.setdefault(tracking.ACTOR, self._qq)

    @property
    def _qq(self) -> int | None:
        return self.actor.qq if self.actor else None

    def audit(self, action: str, subject: str, detail: str = "") -> None:
        """An event that is not a field change (a reminder, a complaint, a task's answer): field changes of a
        tracked model are recorded on flush by :mod:`xietong.core.tracking`."""
        self.session.add(AuditEvent(actor_qq=self._qq, action=action, subject=subject, detail=detail))

    def because(
        self, obj: object, action: str, note: str = "", *, always: bool = False
    ) -> AbstractContextManager[tracking.Reason]:
        """``with w.because(order, "改单"):`` the tracked fields changed in the block are audited as ``action``.

        ``always`` records the event even when nothing tracked changed; the block's :class:`tracking.Reason`
        takes old and new of a tracked name that is not a column (``reason.state("items", old, new)``)."""
        return tracking.because(self.session.sync_session, obj, action, note, actor_qq=self._qq, always=always)

    def notify(
        self,
        target: Target,
        text: str,
        *,
        mentions: Iterable[int] = (),
        subject: str | None = None,
        dedupe_key: str | None = None,
    ) -> None:
        """Post ``text``, @-mentioning who must act: never the person who just acted (they know)."""
        if self.actor is not None:
            mentions = [qq for qq in mentions if qq != self.actor.qq]
        outbox.enqueue(self.session, target, text, mentions=mentions, subject=subject, dedupe_key=dedupe_key)

    def reply(self, text: str, *, mentions: Iterable[int] = (), subject: str | None = None) -> None:
        """Answer the caller where they asked, quoting their message."""
        if self.actor is None or self.actor.origin is None:
            return
        outbox.enqueue(
            self.session,
            self.actor.origin,
            text,
            mentions=mentions,
            subject=subject,
            reply_to=self.actor.message_id,
        )


_after_commit: list[Callable[[set[Target] | None], None]] = []


def on_outbox_commit(callback: Callable[[set[Target] | None], None]) -> None:
    """The delivery worker asks to be woken when a transaction has written notifications, with the targets
    they went to (None: anywhere)."""
    _after_commit.append(callback)


@asynccontextmanager
async def work(actor: Actor | None = None) -> AsyncIterator[Work]:
    """The message being handled is marked handled in this same transaction: a crash before the commit
    lets its re-delivery through, a re-delivery racing it ends in :class:`dedupe.AlreadyHandled`."""
    claim = None
    try:
        async with database().session() as session:
            claim = await dedupe.claim_in(session)
            yield Work(session, actor)
    except BaseException:
        if claim is not None and claim.state == "claiming":
            claim.state = "open"
        raise
    if claim is not None:
        claim.state = "done"
    storage.health.wrote()  # writes work (again): a new trouble is news again
    if session.info.get(outbox.WRITTEN):
        for callback in _after_commit:
            callback(outbox.written(session))
