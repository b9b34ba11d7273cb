"""Chat side of meetings: /纪要 appends to this week's minutes, or shows a week's."""

from nonebot.adapters.onebot.v11 import MessageEvent
from nonebot.matcher import Matcher
from nonebot.params import CommandArg

from plugins.core.chat import actor
from plugins.core.commands import command
from xietong.core import clock
from xietong.core.db import database
from xietong.core.text import split_text
from xietong.core.work import work
from xietong.meetings import messages as msg
from xietong.meetings import minutes


@command(msg.MINUTES)
async def meeting_minutes(matcher: Matcher, event: MessageEvent, arg=CommandArg()):
    text = arg.extract_plain_text().strip()
    day = minutes.parse_day(text, clock.today()) if text else clock.today()
    if day is None:  # not a date: minutes to record
        async with work(actor(event)) as w:
            await minutes.add_note(w, text)
        return None
    async with database().read() as session:
        shown = await minutes.week_text(session, day)
    *first, last = split_text(shown)  # a long week goes out in several messages
    for part in first:
        await matcher.send(part)
    return last
