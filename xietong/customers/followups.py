"""Customer follow-up (营销助理: 协助客户服务经理跟单；定期统计客户名单及客户的跟进程度).

``/跟进`` records and shows follow-ups, in private chat like the archive. The follow-up list (name, region,
salesperson, last order, last follow-up, count) is a deliberate exception to the archive rule: assistants may
see it too, and every view is audited. The confidential card (contacts, phones, credit) stays with
director, cs, vp and gm. Dormant customers — with orders, but neither an order nor a follow-up for
``XIETONG_DORMANT_DAYS`` — are named (names only) in the weekly brief; archive-only customers never are.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core import roster
from xietong.core.clock import LOCAL_TZ
from xietong.core.errors import DomainError, NotFound
from xietong.core.work import Work
from xietong.orders.models import Order
from xietong.parties import archive
from xietong.parties.access import gate
from xietong.parties.messages import not_found
from xietong.parties.models import Customer

from . import messages as msg
from .access import HISTORY_ROLES, RECORD_ROLES
from .models import FollowUp

CONTENT_MAX = 500
HISTORY_SHOWN = 20
LIST_LIMIT = 60


async def _customer(w: Work, typed: str) -> Customer:
    customer = await archive.find(w.session, typed)
    if customer is None:
        raise NotFound(not_found(typed.strip()))
    return customer


async def record(w: Work, typed: str, content: str) -> FollowUp:
    """/跟进 客户 内容."""
    await gate(w, RECORD_ROLES)
    content = " ".join(content.split())
    if len(content) > CONTENT_MAX:
        raise DomainError(msg.follow_up_too_long(CONTENT_MAX))
    customer = await _customer(w, typed)
    follow = FollowUp(customer_id=customer.id, content=content, actor_qq=w.actor.qq if w.actor else 0)
    w.session.add(follow)
    await w.session.flush()
    count = await w.session.scalar(select(func.count()).select_from(FollowUp).where(FollowUp.customer_id == customer.id))
    w.audit("跟进", f"customer:{customer.id}", content)
    w.reply(msg.followed(customer.name, int(count or 0)))
    return follow


async def history(w: Work, typed: str) -> str:
    """/跟进 客户: the latest follow-ups, newest first."""
    await gate(w, HISTORY_ROLES)
    customer = await _customer(w, typed)
    rows = (
        await w.session.execute(
            select(FollowUp.at, FollowUp.actor_qq, FollowUp.content)
            .where(FollowUp.customer_id == customer.id).order_by(FollowUp.at.desc(), FollowUp.id.desc())
        )
    ).all()
    names = await roster.names(w.session, {qq for _, qq, _ in rows})
    w.audit("查看跟进", f"customer:{customer.id}", f"{len(rows)} 条")
    return msg.follow_history(customer.name, [(at, names.get(qq, str(qq)), text) for at, qq, text in rows], HISTORY_SHOWN)


def _last_order():
    return (select(Order.customer_id, func.max(Order.created_at).label("at"))
            .group_by(Order.customer_id).subquery())


def _follow_stats():
    return (select(FollowUp.customer_id, func.max(FollowUp.at).label("at"), func.count().label("n"))
            .group_by(FollowUp.customer_id).subquery())


async def follow_list(w: Work) -> str:
    """/跟进 (列表): every customer's region, salesperson, last order, last follow-up and count; audited."""
    await gate(w, HISTORY_ROLES)
    orders, follows = _last_order(), _follow_stats()
    rows = (
        await w.session.execute(
            select(Customer.name, Customer.region, Customer.salesman, orders.c.at, follows.c.at, follows.c.n)
            .outerjoin(orders, orders.c.customer_id == Customer.id)
            .outerjoin(follows, follows.c.customer_id == Customer.id)
            .order_by(Customer.name)
        )
    ).all()
    w.audit("查看客户", "customer:follow-list", f"跟进列表，{len(rows)} 家")
    return msg.follow_list([tuple(row) for row in rows], LIST_LIMIT)


async def dormant(session: AsyncSession, today: date, days: int) -> list[str]:
    """Customers that have ordered, with neither an order nor a follow-up in the last ``days`` days."""
    cutoff = datetime.combine(today - timedelta(days=days), time(0), LOCAL_TZ)
    orders, follows = _last_order(), _follow_stats()
    rows = await session.scalars(
        select(Customer.name)
        .join(orders, orders.c.customer_id == Customer.id)
        .outerjoin(follows, follows.c.customer_id == Customer.id)
        .where(orders.c.at < cutoff, or_(follows.c.at.is_(None), follows.c.at < cutoff))
        .order_by(orders.c.at, Customer.name)
    )
    return list(rows)
