"""The archive's monthly summary (档案…分别报营销中心主任、营销副总、总经理): sent in private chat to the
director, VP and GM with the monthly report, never to the group. Counts only; the details stay behind
/客户 and /区域, where every view is audited."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core.roles import Role
from xietong.parties.models import Customer, FieldPerson, PersonKind, Region

from . import messages as msg
from .followups import dormant
from .models import FollowUp

RECIPIENTS = (Role.director, Role.vp, Role.gm)


async def archive_summary(session: AsyncSession, month: str, start: datetime, end: datetime, today: date,
                          dormant_days: int) -> str:
    """``month`` (YYYY-MM) is [start, end): the customers filed and followed up in it; the rest is now."""
    total = await session.scalar(select(func.count()).select_from(Customer))
    new = await session.scalar(
        select(func.count()).select_from(Customer).where(Customer.created_at >= start, Customer.created_at < end))
    regions = (await session.execute(
        select(Region.name, func.count(Customer.id)).outerjoin(Customer, Customer.region_id == Region.id)
        .group_by(Region.name).order_by(Region.name)
    )).all()
    unassigned = await session.scalar(select(func.count()).select_from(Customer).where(Customer.region_id.is_(None)))
    people = dict((await session.execute(select(FieldPerson.kind, func.count()).group_by(FieldPerson.kind))).all())
    follows = await session.scalar(
        select(func.count()).select_from(FollowUp).where(FollowUp.at >= start, FollowUp.at < end))
    quiet = await dormant(session, today, dormant_days)
    return msg.archive_summary(
        month, int(total or 0), int(new or 0), [(n, int(c)) for n, c in regions], int(unassigned or 0),
        int(people.get(PersonKind.salesperson, 0)), int(people.get(PersonKind.manager, 0)), int(follows or 0),
        len(quiet), dormant_days,
    )
