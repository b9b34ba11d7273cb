"""The outbox's chat side: sends stored notifications through whichever bot is connected."""

from __future__ import annotations

from typing import Any

from nonebot import get_bots
from nonebot.adapters.onebot.v11 import ActionFailed, Bot, Message, MessageSegment
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core import setaside
from xietong.core.db import Database
from xietong.core.models import OutboxMessage
from xietong.core.outbox import Deliverer, Refused, Target
from xietong.core.settings import Settings

from .superusers import superusers


class NoBotConnected(RuntimeError):
    """QQ is not connected: the message stays pending until it is."""


def to_message(segments: list[dict[str, Any]]) -> Message:
    return Message(MessageSegment(seg["type"], dict(seg["data"])) for seg in segments)


def connected() -> list[Bot]:
    return [bot for bot in get_bots().values() if isinstance(bot, Bot)]


async def send(target: Target, segments: list[dict[str, Any]]) -> int | None:
    bots = connected()
    if not bots:
        raise NoBotConnected("no OneBot connection")
    bot = bots[0]
    message = to_message(segments)
    try:
        if target.kind == "group":
            result = await bot.send_group_msg(group_id=target.id, message=message)
        else:
            result = await bot.send_private_msg(user_id=target.id, message=message)
    except ActionFailed as exc:  # QQ answered no; a timeout or a dropped connection is something else
        raise Refused(str(exc)) from exc
    message_id = (result or {}).get("message_id") if isinstance(result, dict) else None
    return int(message_id) if message_id is not None else None


_deliverer: Deliverer | None = None


def start_delivery(database: Database, settings: Settings) -> Deliverer:
    global _deliverer

    async def tell(session: AsyncSession, row: OutboxMessage) -> None:
        await setaside.tell(session, row, superusers(), settings.primary_group)

    _deliverer = Deliverer(
        database, send, ready=lambda: bool(connected()), give_up=settings.xietong_send_give_up, on_set_aside=tell
    )
    _deliverer.start()
    return _deliverer


async def connected_again() -> None:
    """QQ (re)connected: what waited goes out now, not after its back-off."""
    if _deliverer is not None:
        await _deliverer.retry_now()


async def stop_delivery() -> None:
    if _deliverer is not None:
        await _deliverer.stop()


def wake(targets: set[Target] | None = None) -> None:
    if _deliverer is not None:
        _deliverer.wake(targets)
