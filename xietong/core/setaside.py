"""Messages QQ refused for good: who is told, and /补发 (resend) by a superuser."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from . import clock, roster
from . import messages as msg
from .errors import DomainError, NotFound
from .models import OutboxMessage
from .outbox import ASIDE_NOTICE, WRITTEN, Target, enqueue
from .roles import Role
from .work import Work


def where(row: OutboxMessage) -> str:
    return msg.to_group(row.target_id) if row.target_kind == "group" else msg.to_person(row.target_id)


async def tell(session: AsyncSession, row: OutboxMessage, superusers: Iterable[int], group: int | None) -> None:
    """In the transaction that sets ``row`` aside: one line to each superuser in private, and one to the
    director in the group it was meant for (or the main group). These notices are never noticed again, and
    they do not quote the message: what QQ refused, it would refuse in the notice too."""
    line = msg.set_aside(row.id, clock.fmt_local(row.created_at), where(row), row.subject)
    for qq in dict.fromkeys(superusers):
        enqueue(session, Target.private(qq), line, dedupe_key=_notice_key(row, f"p{qq}"))
    group = row.target_id if row.target_kind == "group" else group
    if group is not None:
        directors = await roster.holders(session, Role.director)
        enqueue(session, Target.group(group), line, mentions=directors, dedupe_key=_notice_key(row, f"g{group}"))


def _notice_key(row: OutboxMessage, to: str) -> str:
    return f"{ASIDE_NOTICE}{row.id}:{to}:{uuid.uuid4().hex[:8]}"  # a second set-aside is told again


async def resend(w: Work, number: int) -> OutboxMessage:
    """Put a set-aside message back at the head of its chat's queue (superusers only)."""
    if w.actor is None or not w.actor.superuser:
        raise DomainError(msg.SUPERUSERS_ONLY)
    row = await w.session.get(OutboxMessage, number, with_for_update=True)
    if row is None:
        raise NotFound(msg.no_such_message(number))
    if row.status != "aside":
        raise DomainError(msg.not_set_aside(number, row.status))
    row.status = "pending"
    row.attempts = 0
    row.refused_since = None
    row.last_error = ""
    row.lease_owner = row.lease_until = None
    row.next_attempt_at = row.created_at  # due now, whatever the clock says
    w.session.info[WRITTEN] = True  # wake the worker after commit, to look everywhere
    w.audit("补发", f"#{number}", where(row))
    w.reply(msg.resent(number, where(row)))
    return row
