"""The collection digest (SPEC §7, ``XIETONG_COLLECTION_CRON``): overdue receivables, one line per
customer, for cs; cash on delivery collected but not booked, for logistics and finance. Each part is
posted only when it has something to say, and nothing at all when neither has."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core import roster
from xietong.core.clock import LOCAL_TZ
from xietong.core.roles import Role
from xietong.finance.review import cod_not_booked, overdue_by_customer

from . import messages as msg
from .announce import Post


async def collection_posts(session: AsyncSession, due: datetime) -> list[Post]:
    today = due.astimezone(LOCAL_TZ).date()
    posts: list[Post] = []
    overdue = await overdue_by_customer(session, today)
    if overdue:
        lines = [msg.overdue_digest(sum(o.amount_fen for o in overdue), len(overdue))]
        lines += [msg.overdue_digest_line(o.customer, o.orders, o.amount_fen, o.max_days) for o in overdue]
        lines.append(msg.OVERDUE_DIGEST_TAIL)
        posts.append(Post("\n".join(lines), tuple(await roster.holders(session, Role.cs))))
    cod = await cod_not_booked(session)
    if cod:
        handlers = await roster.holders(session, Role.logistics) + await roster.holders(session, Role.finance)
        posts.append(Post(msg.cod_digest(cod), tuple(dict.fromkeys(handlers))))
    return posts
