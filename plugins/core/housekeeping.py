"""The daily pruning of transient data (xietong.core.housekeeping), after the night's backup."""

from __future__ import annotations

from datetime import timedelta

from apscheduler.triggers.cron import CronTrigger
from nonebot import get_driver, get_plugin_config, logger, require

from xietong.core import clock
from xietong.core.clock import LOCAL_TZ
from xietong.core.db import database
from xietong.core.housekeeping import prune_outbox
from xietong.core.settings import Settings

require("nonebot_plugin_apscheduler")
from nonebot_plugin_apscheduler import scheduler  # noqa: E402

settings = get_plugin_config(Settings)
PRUNE_JOB = "xietong-prune"


async def prune() -> int:
    """One round: sent messages older than XIETONG_OUTBOX_KEEP_DAYS, period keys kept."""
    async with database().session() as session:
        removed = await prune_outbox(session, clock.now(), timedelta(days=settings.xietong_outbox_keep_days))
    if removed:
        logger.info(f"pruned {removed} old sent messages")
    return removed


async def prune_job() -> None:
    try:
        await prune()
    except Exception:
        logger.exception("pruning failed")


@get_driver().on_startup
async def _schedule() -> None:
    if settings.xietong_delivery:
        scheduler.add_job(prune_job, CronTrigger(hour=3, minute=30, timezone=LOCAL_TZ), id=PRUNE_JOB,
                          replace_existing=True, coalesce=True, misfire_grace_time=6 * 3600)
