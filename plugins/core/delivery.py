"""The outbox's chat side: sends stored notifications through whichever bot is connected."""

from __future__ import annotations

from typing import Any

from nonebot import get_bots
from nonebot.adapters.onebot.v11 import Bot, Message, MessageSegment

from xietong.core.db import Database
from xietong.core.outbox import Deliverer, Target


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
    if target.kind == "group":
        result = await bot.send_group_msg(group_id=target.id, message=message)
    else:
        result = await bot.send_private_msg(user_id=target.id, message=message)
    message_id = (result or {}).get("message_id") if isinstance(result, dict) else None
    return int(message_id) if message_id is not None else None


_deliverer: Deliverer | None = None


def start_delivery(database: Database) -> Deliverer:
    global _deliverer
    _deliverer = Deliverer(database, send, ready=lambda: bool(connected()))
    _deliverer.start()
    return _deliverer


async def stop_delivery() -> None:
    if _deliverer is not None:
        await _deliverer.stop()


def wake() -> None:
    if _deliverer is not None:
        _deliverer.wake()
