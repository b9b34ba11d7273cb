"""/假期 (superuser): the working calendar's years and the days declared by hand; changes apply at once."""

from __future__ import annotations

from nonebot.adapters.onebot.v11 import MessageEvent
from nonebot.params import CommandArg

from plugins.core.chat import actor, plain_words
from plugins.core.commands import command
from plugins.core.superusers import is_superuser
from xietong.core import clock
from xietong.core.db import database
from xietong.core.errors import Forbidden
from xietong.core.messages import SUPERUSERS_ONLY
from xietong.core.work import work
from xietong.scheduling import holidays
from xietong.scheduling import messages as msg

from .jobs import reload_calendar


@command(msg.HOLIDAYS)
async def working_calendar(event: MessageEvent, arg=CommandArg()):
    if not is_superuser(event):
        raise Forbidden(SUPERUSERS_ONLY)
    plain = plain_words(arg)
    today = clock.local(clock.now()).date()
    if not plain:
        async with database().session() as session:
            return await holidays.listing(session, today)
    request = holidays.parse(plain)
    async with work(actor(event)) as w:
        await holidays.apply(w, request, today)
    await reload_calendar()
    return None
