"""Chat side of reports: /月报, and the entry point the scheduler calls."""

from __future__ import annotations

from pathlib import Path

from nonebot import get_bots, get_plugin_config
from nonebot.adapters.onebot.v11 import Bot, GroupMessageEvent, MessageEvent
from nonebot.params import CommandArg

from plugins.core import uploads
from plugins.core.chat import actor, require_roles
from plugins.core.commands import command
from plugins.core.delivery import NoBotConnected
from xietong.core import clock
from xietong.core.db import database
from xietong.core.errors import DomainError
from xietong.core.outbox import Target
from xietong.core.settings import Settings
from xietong.core.work import work
from xietong.publishing import monthly as service
from xietong.reports.monthly import parse_month
from xietong.targets import messages as target_words
from xietong.targets import service as targets

from . import messages as msg

settings = get_plugin_config(Settings)


def group_uploader(bot: Bot | None) -> service.Upload:
    """``upload_group_file`` through ``bot``, or whichever bot is connected when the upload happens."""

    async def upload(group_id: int, path: Path, name: str) -> None:
        target = bot
        if target is None:
            connected = [b for b in get_bots().values() if isinstance(b, Bot)]
            if not connected:
                raise NoBotConnected("no OneBot connection")
            target = connected[0]
        await uploads.upload(target, Target.group(group_id), path, name)

    return upload


async def post_monthly_report(
    month: str | None = None, group_id: int | None = None, bot: Bot | None = None, *, dedupe_key: str | None = None,
    with_archive_summary: bool = False,
) -> service.Posted:
    """The scheduler's entry point (see the plugin's docstring); ``with_archive_summary``: the archive's monthly
    summary also goes to the director, VP and GM in private chat."""
    group = group_id or settings.primary_group
    if group is None:
        raise DomainError(msg.NO_GROUP)
    return await service.post_monthly_report(
        parse_month(month or "", clock.today()), group, group_uploader(bot),
        data_dir=Path(settings.xietong_data_dir), dedupe_key=dedupe_key,
        archive_dormant_days=settings.xietong_dormant_days if with_archive_summary else None,
    )


@command(msg.MONTHLY)
async def monthly(bot: Bot, event: MessageEvent, arg=CommandArg()):
    await require_roles(event, *service.REPORT_ROLES)
    month = parse_month(arg.extract_plain_text(), clock.today())
    group = event.group_id if isinstance(event, GroupMessageEvent) else settings.primary_group
    if group is None:
        raise DomainError(msg.NO_GROUP)
    await service.post_monthly_report(
        month, group, group_uploader(bot), data_dir=Path(settings.xietong_data_dir), actor=actor(event)
    )


@command(msg.TARGET)
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
