"""/补发 (resend a set-aside message) and /状态 (is the bot well), superusers only; daily housekeeping."""

from __future__ import annotations

from nonebot import logger, require
from nonebot.adapters.onebot.v11 import MessageEvent
from nonebot.params import CommandArg

from xietong.core import dedupe, setaside
from xietong.core import messages as words
from xietong.core.errors import DomainError
from xietong.core.work import work

from . import messages as msg
from .chat import actor, is_superuser, plain_words
from .commands import command

require("nonebot_plugin_apscheduler")
from nonebot_plugin_apscheduler import scheduler  # noqa: E402


@command(msg.RESEND)
async def resend(event: MessageEvent, arg=CommandArg()):
    if not is_superuser(event):
        raise DomainError(msg.SUPERUSERS_ONLY)
    words_ = plain_words(arg)
    if len(words_) != 1 or not words_[0].lstrip("#第").rstrip("条").isdigit():
        raise DomainError(words.RESEND_USAGE)
    async with work(actor(event)) as w:
        await setaside.resend(w, int(words_[0].lstrip("#第").rstrip("条")))
    return None


@scheduler.scheduled_job("cron", hour=3, minute=40, id="xietong-forget-events", coalesce=True, misfire_grace_time=86400)
async def forget_processed_events() -> None:
    """Incoming messages are remembered three days (longer than any re-delivery), then forgotten."""
    try:
        logger.info(f"forgot {await dedupe.forget_old()} processed events")
    except Exception:
        logger.exception("pruning processed events failed")
