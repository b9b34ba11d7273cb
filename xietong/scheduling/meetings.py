"""The quarterly regional managers' meeting (季度大区经理工作会议) and the monthly coordination meeting
(业务协调制度: 每月必须研究、汇总货款的回收情况; 财务、生产、物流人员参加), announced like the weekly meeting.

Region managers are archive entries, not QQ posts: the quarterly announcement @-mentions the director, cs,
assistants and logistics, who bring them in. It carries last quarter's sales by region against the sum of
its monthly targets, and the collection summary. The coordination announcement @-mentions finance, the
workshop and logistics with the month's collections, overdue money by customer, COD not handed to finance
and freight not settled.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core import roster
from xietong.core.clock import LOCAL_TZ
from xietong.core.roles import Role
from xietong.finance.review import collected_between, collection_review
from xietong.logistics.models import Shipment
from xietong.orders.enums import Stage
from xietong.orders.models import Order
from xietong.reports.monthly import Month
from xietong.targets.service import progress

from . import messages as msg
from .announce import Post
from .brief import ATTENDEES

QUARTER_ATTENDEES = ATTENDEES  # director, cs, logistics, assistants
COORDINATION_ATTENDEES = (Role.finance, Role.workshop, Role.logistics)


def quarter_months(day: date) -> list[Month]:
    """The three months of the quarter before the one ``day`` is in."""
    first = Month(day.year, (day.month - 1) // 3 * 3 + 1).previous()
    return [first.previous().previous(), first.previous(), first]


async def _quarter_sales(session: AsyncSession, months: list[Month], today: date) -> list[str]:
    company = target = 0
    regions: dict[str, list[int]] = {}
    for month in months:
        p = await progress(session, month, today)
        company += p.company_fen
        target += p.company_target_fen or 0
        for row in p.regions:
            sums = regions.setdefault(row.label, [0, 0])
            sums[0] += row.sales_fen
            sums[1] += row.target_fen or 0
    label = msg.last_quarter(months[0].key, months[-1].key)
    lines = [msg.quarter_regions_head(label, company, target)]
    lines += [f"  · {msg.quarter_region_line(name, s, t)}" for name, (s, t) in regions.items()]
    if not regions:
        lines[-1] = msg.without_regions(lines[-1])
    return lines


async def quarter_posts(session: AsyncSession, due: datetime) -> list[Post]:
    attendees = await roster.holders(session, *QUARTER_ATTENDEES)
    if not attendees:
        return []
    today = due.astimezone(LOCAL_TZ).date()
    months = quarter_months(today)
    lines = [msg.quarter_head(due, today.year, (today.month - 1) // 3 + 1)]
    lines += await _quarter_sales(session, months, today)
    review = await collection_review(session, today)
    start, end = months[0].bounds()[0], months[-1].bounds()[1]
    lines.append(msg.collection_summary(
        msg.LAST_QUARTER, await collected_between(session, start, end), review.outstanding_fen, len(review.overdue),
        sum(o.amount_fen for o in review.overdue),
    ))
    return [Post("\n".join(lines), tuple(attendees))]


async def freight_unsettled(session: AsyncSession) -> list[tuple[str, int]]:
    rows = await session.execute(
        select(Order.number, Shipment.freight_fen)
        .join(Shipment, Shipment.order_id == Order.id)
        .where(Shipment.freight_fen.is_not(None), Shipment.freight_settled_at.is_(None), Order.stage != Stage.cancelled)
        .order_by(Order.id)
    )
    return [(number, int(fen)) for number, fen in rows]


async def coordination_posts(session: AsyncSession, due: datetime) -> list[Post]:
    attendees = await roster.holders(session, *COORDINATION_ATTENDEES)
    if not attendees:
        return []
    today = due.astimezone(LOCAL_TZ).date()
    review = await collection_review(session, today)
    sections = [
        msg.Section(msg.coordination_head(due)),
        msg.Section(
            msg.money_head(review.month, review.collected_fen, review.outstanding_fen, len(review.overdue)),
            tuple(msg.overdue_line(o.customer, o.orders, o.amount_fen, o.max_days) for o in review.overdue),
        ),
    ]
    if review.cod_unbooked:
        sections.append(msg.Section(msg.cod_waiting(review.cod_unbooked),
                                    tuple(msg.order_amount_line(*row) for row in review.cod_unbooked)))
    freight = await freight_unsettled(session)
    if freight:
        sections.append(msg.Section(msg.freight_waiting(freight), tuple(msg.order_amount_line(*row) for row in freight)))
    return [Post(msg.fit(sections), tuple(attendees))]
