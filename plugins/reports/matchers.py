"""Chat side of reports: /月报 and /目标."""

from __future__ import annotations

from pathlib import Path

from nonebot import get_plugin_config
from nonebot.adapters.onebot.v11 import Bot, GroupMessageEvent, MessageEvent
from nonebot.params import CommandArg

from plugins.core import uploads
from plugins.core.chat import actor, require_roles
from plugins.core.commands import command
from xietong.core import clock
from xietong.core.db import database
from xietong.core.errors import DomainError
from xietong.core.settings import Settings
from xietong.core.work import work
from xietong.publishing import messages as msg
from xietong.publishing import monthly as service
from xietong.reports.monthly import parse_month
from xietong.targets import messages as target_words
from xietong.targets import service as targets

settings = get_plugin_config(Settings)


@command(msg.MONTHLY)
async def monthly(bot: Bot, event: MessageEvent, arg=CommandArg()):
    await require_roles(event, *service.REPORT_ROLES)
    month = parse_month(arg.extract_plain_text(), clock.today())
    group = event.group_id if isinstance(event, GroupMessageEvent) else settings.primary_group
    if group is None:
        raise DomainError(msg.NO_GROUP)
    await service.post_monthly_report(
        month, group, uploads.group_uploader(bot), data_dir=Path(settings.xietong_data_dir), actor=actor(event)
    )


@command(target_words.TARGET)
async def target(event: MessageEvent, arg=CommandArg()):
    words = arg.extract_plain_text().split()
    if len(words) <= 1:
        month = targets.parse_month_word(words[0]) if words else None
        if words and month is None:
            raise DomainError(target_words.USAGE)
        async with database().read() as session:
            return await targets.read(session, actor(event), month)
    await require_roles(event, *targets.SET_ROLES)
    request = targets.parse_set(words)
    async with work(actor(event)) as w:
        await targets.set_target(w, request)
