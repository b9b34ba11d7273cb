"""/周报 and /提醒: read-only, answered directly."""

from __future__ import annotations

from datetime import timedelta

from nonebot import get_plugin_config
from nonebot.adapters.onebot.v11 import MessageEvent
from nonebot.params import CommandArg

from plugins.core.commands import CommandDoc, command
from xietong.core import clock
from xietong.core.db import database
from xietong.core.errors import DomainError
from xietong.core.settings import Settings
from xietong.scheduling import messages as msg
from xietong.scheduling.brief import brief_text
from xietong.scheduling.periods import cron_instants, cron_trigger

from .jobs import runner

settings = get_plugin_config(Settings)
_YEAR = timedelta(days=400)


def _no_arguments(doc: CommandDoc, arg) -> None:
    if arg.extract_plain_text().strip():
        raise DomainError(msg.NO_ARGUMENTS.format(usage=doc.usage))


@command(msg.BRIEF)
async def weekly_brief(event: MessageEvent, arg=CommandArg()):
    async with database().read() as session:
        _no_arguments(msg.BRIEF, arg)
        now = clock.now()
        return await brief_text(
            session, clock.local(now).date(), msg.brief_head(now), now, settings.xietong_dormant_days
        )


@command(msg.SCHEDULES)
async def schedules(arg=CommandArg()):
    _no_arguments(msg.SCHEDULES, arg)
    now = clock.now()
    lines = [
        msg.schedule_line(s.label, s.cron, nxt, msg.holiday_rule(s.period.value, s.shift, runner.calendar.workdays_only))
        for s, nxt in runner.next_runs(now)
    ]
    backup = next(cron_instants(cron_trigger(settings.xietong_backup_cron), now, now + _YEAR), None)
    lines.append(msg.schedule_line(msg.DAILY_BACKUP, settings.xietong_backup_cron, backup))
    lines += msg.escalation_lines(
        runner.rules.after, runner.rules.director_after, runner.rules.transit_days, runner.rules.complaint_after
    )
    return msg.overview(lines, runner.calendar.describe(), runner.catchup, settings.primary_group)
