"""The weekly brief (SPEC §6): read for the Monday meeting and on /周报, short enough for one QQ message.

Last week is the previous ISO week (Monday 00:00 to Monday 00:00, local time) of the day the brief is
for: orders registered (cancelled ones not counted), shipped and delivered in it; /周报 adds this week so
far (本周至今, Monday 00:00 until now), so on a Friday the week's orders are not missing. The rest is the state
now: open orders by stage, open shipping exceptions, open complaints, money collected this month and
outstanding with the overdue customers (:mod:`xietong.finance.review`), and the open points of last
week's minutes (:func:`xietong.meetings.minutes.open_points`). Lists are trimmed
with 「…等 N 项」 so that the whole brief stays within 1,500 characters.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core import roster
from xietong.core.clock import LOCAL_TZ
from xietong.core.roles import Role
from xietong.customers.complaints import open_complaints
from xietong.customers.followups import dormant
from xietong.finance.review import collection_review
from xietong.meetings.minutes import open_points
from xietong.orders.enums import Stage
from xietong.orders.models import Order
from xietong.orders.stages import OPEN_STAGES
from xietong.reports.monthly import Month
from xietong.targets import messages as target_words
from xietong.targets.service import progress

from . import messages as msg
from .announce import Post
from .periods import week_key, week_start

ATTENDEES = (Role.director, Role.cs, Role.logistics, Role.assistant)
DORMANT_DAYS = 60  # XIETONG_DORMANT_DAYS, set by the runner from the settings


def last_week_bounds(today: date) -> tuple[datetime, datetime]:
    """Local midnight of last week's Monday and of this week's Monday."""
    this_monday = datetime.combine(week_start(today), time(0), LOCAL_TZ)
    return this_monday - timedelta(days=7), this_monday


async def _count(session: AsyncSession, column, start: datetime, end: datetime, *extra) -> tuple[int, int]:
    row = (
        await session.execute(
            select(func.count(Order.id), func.coalesce(func.sum(Order.amount_fen), 0)).where(
                column >= start, column < end, *extra
            )
        )
    ).one()
    return int(row[0]), int(row[1])


async def _week(session: AsyncSession, start: datetime, end: datetime) -> tuple[int, int, int, int]:
    """Orders registered (not cancelled since, with their amount), shipped and delivered in [start, end)."""
    new, new_fen = await _count(session, Order.created_at, start, end, Order.stage != Stage.cancelled)
    shipped, _ = await _count(session, Order.shipped_at, start, end)
    delivered, _ = await _count(session, Order.delivered_at, start, end)
    return new, new_fen, shipped, delivered


async def sections(
    session: AsyncSession, today: date, head: str, now: datetime | None = None, dormant_days: int = DORMANT_DAYS
) -> list[msg.Section]:
    """With ``now`` (/周报 on any day) this week so far follows last week; the Monday meeting shows last week."""
    start, end = last_week_bounds(today)
    last = await _week(session, start, end)
    weeks = [msg.Section(msg.last_week(start.date(), (end - timedelta(days=1)).date(), *last))]
    if now is not None:
        weeks.append(msg.Section(msg.this_week(end.date(), today, *await _week(session, end, now))))
    by_stage = dict(
        (
            await session.execute(
                select(Order.stage, func.count(Order.id)).where(Order.stage.in_(OPEN_STAGES)).group_by(Order.stage)
            )
        ).all()
    )
    stages = [(stage.value, int(by_stage[stage])) for stage in OPEN_STAGES if by_stage.get(stage)]
    exceptions = (
        await session.execute(
            select(Order.number, Order.customer_name, Order.exception_note)
            .where(Order.exception_note.is_not(None), Order.stage != Stage.cancelled)
            .order_by(Order.id)
        )
    ).all()
    complaints = await open_complaints(session)
    review = await collection_review(session, today)
    points = await open_points(session, week_key(today - timedelta(days=7)))
    pace = await progress(session, Month.of(today), today)
    quiet = await dormant(session, today, dormant_days)
    out = [
        msg.Section(head),
        *weeks,
        msg.Section(msg.open_orders(sum(n for _, n in stages), stages)),
        msg.Section(
            msg.items_head(msg.EXCEPTIONS, len(exceptions)),
            tuple(msg.exception_line(*row) for row in exceptions),
            empty=msg.NONE,
        ),
        msg.Section(
            msg.complaints_head(len(complaints)),
            tuple(msg.complaint_line(c.number, c.customer_name, c.content) for c in complaints),
            empty=msg.NONE,
        ),
        msg.Section(
            msg.money_head(review.month, review.collected_fen, review.outstanding_fen, len(review.overdue)),
            tuple(msg.overdue_line(o.customer, o.orders, o.amount_fen, o.max_days) for o in review.overdue),
        ),
        *([msg.Section(target_words.brief_line(pace.month.key, pace.company_fen, pace.company_target_fen, pace.elapsed))]
          if pace.company_target_fen else []),
        *([msg.Section(msg.dormant_head(len(quiet), dormant_days), tuple(quiet))] if quiet else []),
        msg.Section(
            msg.items_head(msg.OPEN_POINTS, len(points)),
            tuple(msg.clip(point) for point in points),
            empty=msg.NONE,
        ),
    ]
    return out


async def brief_text(
    session: AsyncSession, today: date, head: str, now: datetime | None = None, dormant_days: int = DORMANT_DAYS
) -> str:
    return msg.fit(await sections(session, today, head, now, dormant_days))


async def meeting_posts(session: AsyncSession, due: datetime, dormant_days: int = DORMANT_DAYS) -> list[Post]:
    """The meeting announcement: @ director, cs, logistics and assistants (who follow up the dormant
    customers it names), with the brief.

    Nobody on the roster to call: nothing is posted (a bot nobody has set up yet stays quiet)."""
    attendees = await roster.holders(session, *ATTENDEES)
    if not attendees:
        return []
    text = await brief_text(session, due.astimezone(LOCAL_TZ).date(), msg.meeting_head(due), dormant_days=dormant_days)
    return [Post(text, tuple(attendees))]
