"""/备份 and the daily SQLite backup (XIETONG_BACKUP_CRON), kept XIETONG_BACKUP_KEEP_DAYS days."""

from __future__ import annotations

import asyncio
from pathlib import Path

from nonebot import get_plugin_config, logger, require
from nonebot.adapters.onebot.v11 import MessageEvent

from xietong.core import backup, clock
from xietong.core import messages as msg
from xietong.core.cron import crontab_trigger
from xietong.core.db import database
from xietong.core.errors import DomainError
from xietong.core.settings import Settings

from .commands import command
from .superusers import is_superuser
from .uploads import shown

require("nonebot_plugin_apscheduler")
from nonebot_plugin_apscheduler import scheduler  # noqa: E402

settings = get_plugin_config(Settings)


async def make_backup() -> tuple[Path, int]:
    """Back up the SQLite database now and prune old copies; PostgreSQL is backed up with pg_dump."""
    db = database()
    if not db.is_sqlite or not db.url.database:
        raise DomainError(msg.BACKUP_POSTGRES)
    folder = Path(settings.xietong_data_dir) / "backups"
    path = await asyncio.to_thread(backup.backup_sqlite, Path(db.url.database), folder, clock.now())
    removed = await asyncio.to_thread(backup.prune, folder, settings.xietong_backup_keep_days, clock.now())
    return path, len(removed)


@command(msg.BACKUP)
async def backup_now(event: MessageEvent):
    if not is_superuser(event):
        raise DomainError(msg.SUPERUSERS_ONLY)
    path, removed = await make_backup()
    return msg.backed_up(shown(path), removed)


@scheduler.scheduled_job(crontab_trigger(settings.xietong_backup_cron),
                         id="xietong-backup", name=msg.BACKUP_JOB, misfire_grace_time=3600, coalesce=True)
async def daily_backup() -> None:
    try:
        path, removed = await make_backup()
    except DomainError:
        return  # PostgreSQL: pg_dump's job
    logger.info(f"daily backup {path} ({removed} old copies removed)")
