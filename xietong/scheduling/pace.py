"""The mid-month target check (根据销售预算进行过程控制): on ``XIETONG_PACE_CRON`` (the 15th, 09:00, or the
next working day), when the month's sales lag the share of the month gone by, one line @-mentions the
director with the gap, and the regions and salespeople behind. On pace, or no target set: nothing is posted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core import roster
from xietong.core.clock import LOCAL_TZ
from xietong.core.roles import Role
from xietong.reports.monthly import Month
from xietong.targets import messages as target_words
from xietong.targets.service import progress

from . import messages as msg
from .announce import Post

TELL = (Role.director,)


async def pace_posts(session: AsyncSession, due: datetime) -> list[Post]:
    today = due.astimezone(LOCAL_TZ).date()
    p = await progress(session, Month.of(today), today)
    if not p.behind:
        return []
    lines = [target_words.pace_head(p.month.key, p.company_fen, p.company_target_fen, p.elapsed)]
    lagging = [(kind, r) for kind, rows in zip(msg.LAGGING_KINDS, (p.regions, p.salespeople), strict=True)
               for r in rows if r.target_fen and r.sales_fen / r.target_fen < p.elapsed]
    lines += [msg.lagging_line(kind, target_words.progress_line(r.label, r.sales_fen, r.target_fen, p.elapsed))
              for kind, r in lagging]
    return [Post("\n".join(lines), tuple(await roster.holders(session, *TELL)))]
