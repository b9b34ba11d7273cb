"""/补发 (resend a set-aside message) and /状态 (is the bot well), superusers only; daily housekeeping."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path

from nonebot import get_driver, get_plugin_config, logger, require
from nonebot.adapters.onebot.v11 import MessageEvent
from nonebot.params import CommandArg

from xietong.core import clock, dedupe, setaside, status
from xietong.core import messages as msg
from xietong.core.db import database
from xietong.core.errors import DomainError
from xietong.core.settings import Settings
from xietong.core.work import work

from .chat import actor, plain_words
from .commands import command
from .delivery import connected
from .superusers import is_superuser

require("nonebot_plugin_apscheduler")
from nonebot_plugin_apscheduler import scheduler  # noqa: E402

settings = get_plugin_config(Settings)
STARTED = clock.now()
HOUSEKEEPING = ("xietong-escalate", "xietong-forget-events")  # every minute / every night: not announcements


@command(msg.RESEND)
async def resend(event: MessageEvent, arg=CommandArg()):
    if not is_superuser(event):
        raise DomainError(msg.SUPERUSERS_ONLY)
    words_ = plain_words(arg)
    number = msg.resend_number(words_[0]) if len(words_) == 1 else None
    if number is None:
        raise DomainError(msg.RESEND_USAGE)
    async with work(actor(event)) as w:
        await setaside.resend(w, number)
    return None


def version() -> str:
    try:
        return package_version("xietong")
    except PackageNotFoundError:
        return msg.UNKNOWN_VERSION


def upcoming() -> tuple[tuple[str, object], ...]:
    """The scheduled announcements (and the backup), soonest first."""
    jobs = [job for job in scheduler.get_jobs() if job.id.startswith("xietong-") and job.id not in HOUSEKEEPING]
    due = [(job.name, job.next_run_time) for job in jobs if getattr(job, "next_run_time", None)]
    return tuple(sorted(due, key=lambda item: item[1]))


@command(msg.STATUS)
async def show_status(event: MessageEvent, arg=CommandArg()):
    if not is_superuser(event):
        raise DomainError(msg.SUPERUSERS_ONLY)
    if arg.extract_plain_text().strip():
        raise DomainError(msg.STATUS_NO_ARGUMENTS)
    db = database()
    runtime = status.Runtime(
        version=version(),
        started_at=STARTED,
        database=db,
        connected=tuple(int(bot.self_id) for bot in connected()),
        backups=Path(settings.xietong_data_dir) / "backups" if db.is_sqlite else None,
        upcoming=upcoming(),
    )
    async with db.read() as session:
        return await status.report(session, runtime)


async def forget_processed_events() -> None:
    """Incoming messages are remembered three days (longer than any re-delivery), then forgotten."""
    try:
        logger.info(f"forgot {await dedupe.forget_old()} processed events")
    except Exception:
        logger.exception("pruning processed events failed")


@get_driver().on_startup
async def _daily_housekeeping() -> None:
    if settings.xietong_delivery:  # the timers run with the delivery worker (the tests turn both off)
        scheduler.add_job(forget_processed_events, "cron", hour=3, minute=40, id="xietong-forget-events",
                          name=msg.FORGET_EVENTS_JOB, replace_existing=True, coalesce=True, misfire_grace_time=86400)
