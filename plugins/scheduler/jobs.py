"""The timers: one APScheduler job per announcement (its cron with the working-day rule), one job
every minute for escalations, and the catch-up whenever QQ connects.

The jobs only run when the outbox worker does (``XIETONG_DELIVERY``): the test suite turns both off
and runs the same functions by hand, with an injected clock.
"""

from __future__ import annotations

from pathlib import Path

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from nonebot import get_driver, get_plugin_config, logger
from nonebot_plugin_apscheduler import scheduler

from plugins.core import uploads
from plugins.core.superusers import superusers
from xietong.core import clock, roster
from xietong.core.clock import LOCAL_TZ
from xietong.core.db import database
from xietong.core.errors import DomainError
from xietong.core.settings import Settings
from xietong.publishing import monthly as publishing
from xietong.publishing.messages import NO_GROUP
from xietong.reports.monthly import parse_month
from xietong.scheduling import holidays
from xietong.scheduling import messages as words
from xietong.scheduling.periods import WorkdayTrigger
from xietong.scheduling.runner import Runner

settings = get_plugin_config(Settings)
runner = Runner.from_settings(settings)


async def post_monthly_report(month: str, dedupe_key: str, *, with_archive_summary: bool = False) -> publishing.Posted:
    """The monthly report of ``month`` (``2026-11``) into the main group, through whichever bot is connected;
    ``with_archive_summary``: the archive's monthly summary also goes to the director, VP and GM privately."""
    group = settings.primary_group
    if group is None:
        raise DomainError(NO_GROUP)
    return await publishing.post_monthly_report(
        parse_month(month, clock.today()), group, uploads.group_uploader(),
        data_dir=Path(settings.xietong_data_dir), dedupe_key=dedupe_key,
        archive_dormant_days=settings.xietong_dormant_days if with_archive_summary else None,
    )


async def post_report(due, key: str) -> bool:
    """The monthly report of the month it falls due in, under our key.
    Nobody holds vp or gm: nothing is posted (as the meeting needs someone to call)."""
    async with database().session() as session:
        if not await roster.holders(session, *publishing.TELL):
            return False
    await post_monthly_report(f"{clock.local(due):%Y-%m}", key, with_archive_summary=True)
    return True


runner.self_posting["report"] = post_report

ESCALATION_JOB = "xietong-escalate"
CALENDAR_JOB = "xietong-calendar"


def job_id(name: str) -> str:
    return f"xietong-{name}"


async def run_announcement(name: str) -> None:
    try:
        outcome = await runner.announce(name)
    except Exception:  # a job must not die with one bad round; the next run or the catch-up retries
        logger.exception(f"scheduled {name} failed")
        return
    if outcome is not None and outcome.posted:
        logger.info(f"posted {outcome.key}")


async def run_escalation() -> None:
    try:
        keys = await runner.escalate()
    except Exception:
        logger.exception("escalation round failed")
        return
    if keys:
        logger.info(f"escalated: {', '.join(keys)}")


async def remind_calendar() -> None:
    try:
        keys = await holidays.remind(clock.now(), superusers())
    except Exception:
        logger.exception("calendar reminder failed")
        return
    if keys:
        logger.info(f"calendar reminders: {', '.join(keys)}")


async def reload_calendar(target: BaseScheduler | None = None) -> None:
    """Load the declared days and move every announcement job to its recomputed next run time."""
    async with database().session() as session:
        await holidays.load(session)
    target = target if target is not None else scheduler
    now = clock.now()
    for job in target.get_jobs():
        if isinstance(job.trigger, WorkdayTrigger) and job.next_run_time is not None:
            due = job.trigger.get_next_fire_time(None, now)
            if due is None:
                job.remove()
            else:
                job.modify(next_run_time=due)


def install(target: BaseScheduler, of: Runner = runner) -> None:
    """Add the jobs (again: replacing them) to an APScheduler scheduler."""
    grace = max(int(of.catchup.total_seconds()), 1)
    for schedule in of.announced:
        target.add_job(
            run_announcement,
            WorkdayTrigger(schedule, of.calendar),
            args=[schedule.name],
            id=job_id(schedule.name),
            name=schedule.label,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=grace,
        )
    target.add_job(
        run_escalation,
        IntervalTrigger(minutes=1, timezone=LOCAL_TZ),
        id=ESCALATION_JOB,
        name=words.ESCALATION_JOB,
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=60,
    )
    target.add_job(
        remind_calendar,
        CronTrigger(hour=9, minute=0, timezone=LOCAL_TZ),
        id=CALENDAR_JOB,
        name=words.CALENDAR_JOB,
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=3600,
    )


@get_driver().on_startup
async def _start() -> None:
    async with database().session() as session:
        await holidays.load(session)  # before any schedule is computed
    if settings.xietong_delivery:
        install(scheduler)


@get_driver().on_bot_connect
async def _catch_up() -> None:
    """Announcements missed while the bot (or QQ) was away, once QQ is there to take them (the monthly
    report uploads its workbook, which needs a connection). The period keys keep this once only."""
    if not settings.xietong_delivery:
        return
    await remind_calendar()
    for outcome in await runner.catch_up():
        if outcome.posted:
            logger.info(f"caught up on {outcome.key} (due {outcome.due})")
