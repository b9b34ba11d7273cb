"""Complaints (SPEC §5): anyone on the roster opens a ticket ``T``+``YYMMDD-NNN`` about an order or a customer,
cs is @-mentioned, cs or the director closes it with the result.

The ticket's notices go to the group where it was raised (from a private chat: the main group). The scheduler
reminds cs of tickets left open too long with :func:`complaints_needing_reminder`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core import clock, roster, sequence
from xietong.core.errors import DomainError, NotFound
from xietong.core.messages import A_COLLEAGUE, SYSTEM
from xietong.core.outbox import Target
from xietong.core.roles import Role
from xietong.core.work import Work
from xietong.orders.messages import no_order
from xietong.orders.models import Order
from xietong.parties import archive

from . import messages as msg
from .access import CLOSE_ROLES
from .models import Complaint, ComplaintStatus

REMIND_AFTER = timedelta(days=3)
CONTENT_MAX = 1000
RESULT_MAX = 1000


def _origin_group(w: Work) -> int | None:
    origin = w.actor.origin if w.actor else None
    return origin.id if origin is not None and origin.kind == "group" else None


async def _who(w: Work) -> str:
    """The caller as the roster knows them (their group card when they are not on it)."""
    if w.actor is None:
        return SYSTEM
    return (await roster.names(w.session, [w.actor.qq])).get(w.actor.qq) or w.actor.display


async def open_complaint(
    w: Work,
    content: str,
    *,
    order_number: str | None = None,
    customer: str | None = None,
    group_id: int | None = None,
) -> Complaint:
    """/投诉 单号|客户 内容: the ticket, its audit (also on the order's timeline) and the @cs notice."""
    content = content.strip()
    if not content:
        raise DomainError(msg.need_complaint(order_number or (customer or "").strip()))
    if len(content) > CONTENT_MAX:
        raise DomainError(msg.complaint_too_long(CONTENT_MAX))
    order = None
    if order_number:
        order = await w.session.scalar(select(Order).where(Order.number == order_number))
        if order is None:
            raise NotFound(no_order(order_number))
        customer_id, customer_name = order.customer_id, order.customer_name
    elif customer and customer.strip():
        found = await archive.find(w.session, customer)
        if found is None:
            raise NotFound(msg.no_customer_for_complaint(customer.strip()))
        customer_id, customer_name = found.id, found.name
    else:
        raise DomainError(msg.NEED_COMPLAINT_SUBJECT)
    number = await sequence.daily_number(w.session, "T", clock.today())
    complaint = Complaint(
        number=number,
        customer_id=customer_id,
        customer_name=customer_name,
        order_id=order.id if order else None,
        order_number=order.number if order else None,
        content=content,
        group_id=group_id,
        opened_by=w.actor.qq if w.actor else 0,
    )
    w.session.add(complaint)
    await w.session.flush()
    w.audit("投诉", number, content)
    if order is not None:
        w.audit("投诉", order.number, f"{number}：{content}")
    cs = await roster.holders(w.session, Role.cs)
    mentions = cs or await roster.holders(w.session, Role.director)
    notice = msg.complaint_opened(complaint, await _who(w), cs_missing=not cs)
    if group_id is not None and group_id == _origin_group(w):
        w.reply(notice, mentions=mentions, subject=number)  # raised in the group: one message, quoting it
    else:
        if group_id is not None:
            w.notify(Target.group(group_id), notice, mentions=mentions, subject=number)
        w.reply(msg.complaint_registered(complaint, group_known=group_id is not None), subject=number)
    return complaint


async def load(session: AsyncSession, number: str, *, lock: bool = True) -> Complaint:
    query = select(Complaint).where(Complaint.number == number)
    if lock:
        query = query.with_for_update()
    complaint = await session.scalar(query)
    if complaint is None:
        raise NotFound(msg.no_complaint(number))
    return complaint


async def close_complaint(w: Work, number: str, result: str) -> Complaint:
    """/处理 T号 结果: closes the ticket; a second answer is refused, naming the first."""
    await roster.require(w.session, w.actor, *CLOSE_ROLES)
    result = result.strip()
    complaint = await load(w.session, number)
    if complaint.status == ComplaintStatus.closed:
        who = (await roster.names(w.session, [complaint.closed_by])).get(complaint.closed_by, A_COLLEAGUE) \
            if complaint.closed_by else A_COLLEAGUE
        raise DomainError(msg.complaint_already_closed(complaint, who))
    if not result:
        raise DomainError(msg.need_result(number))
    if len(result) > RESULT_MAX:
        raise DomainError(msg.result_too_long(RESULT_MAX))
    complaint.status = ComplaintStatus.closed
    complaint.result = result
    complaint.closed_by = w.actor.qq if w.actor else None
    complaint.closed_at = clock.now()
    w.audit("处理投诉", number, result)
    if complaint.order_number:
        w.audit("处理投诉", complaint.order_number, f"{number}：{result}")
    text = msg.complaint_closed(complaint, await _who(w))
    w.reply(text, subject=number)
    if complaint.group_id is not None and complaint.group_id != _origin_group(w):
        w.notify(Target.group(complaint.group_id), text, subject=number)  # the group that raised it hears too
    return complaint


async def open_complaints(session: AsyncSession) -> list[Complaint]:
    """Every open ticket, oldest first (for /投诉 列表 and the weekly brief)."""
    rows = await session.scalars(
        select(Complaint).where(Complaint.status == ComplaintStatus.open).order_by(Complaint.opened_at, Complaint.id)
    )
    return list(rows.all())


async def complaints_needing_reminder(
    session: AsyncSession, now: datetime, older_than: timedelta = REMIND_AFTER
) -> list[Complaint]:
    """Open tickets raised at least ``older_than`` before ``now``, oldest first (the scheduler @-mentions cs)."""
    rows = await session.scalars(
        select(Complaint)
        .where(Complaint.status == ComplaintStatus.open, Complaint.opened_at <= now - older_than)
        .order_by(Complaint.opened_at, Complaint.id)
    )
    return list(rows.all())


async def listing(session: AsyncSession) -> str:
    """/投诉 列表."""
    complaints = await open_complaints(session)
    names = await roster.names(session, {c.opened_by for c in complaints})
    return msg.complaint_list([(c, names.get(c.opened_by, str(c.opened_by))) for c in complaints], clock.today())


async def card(session: AsyncSession, number: str) -> str:
    """/投诉 T号: one ticket, with its result once handled."""
    complaint = await load(session, number, lock=False)
    qqs = [q for q in (complaint.opened_by, complaint.closed_by) if q]
    names = await roster.names(session, qqs)
    closer = names.get(complaint.closed_by, str(complaint.closed_by)) if complaint.closed_by else None
    return msg.complaint_card(complaint, names.get(complaint.opened_by, str(complaint.opened_by)), closer)
