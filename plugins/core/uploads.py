"""Handing a file the bot made to QQ, the way ``XIETONG_FILE_MODE`` says (xietong/core/files.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from nonebot import get_bots, get_plugin_config
from nonebot.adapters.onebot.v11 import Bot

from xietong.core import files
from xietong.core.outbox import Target
from xietong.core.settings import Settings

from .delivery import NoBotConnected

settings = get_plugin_config(Settings)


def shown(path: str | Path) -> str:
    """The file as chat names it: data/… , never the server's absolute path."""
    return files.shown(path, settings.xietong_data_dir)


async def upload(bot: Bot, target: Target, path: Path, name: str) -> None:
    """Into a group's files or a private chat; raises what the adapter raises when QQ will not take it."""
    file = await asyncio.to_thread(files.for_qq, path, settings.xietong_file_mode)
    if target.kind == "group":
        await bot.upload_group_file(group_id=target.id, file=file, name=name)
    else:
        await bot.upload_private_file(user_id=target.id, file=file, name=name)


def group_uploader(bot: Bot | None = None) -> Callable[[int, Path, str], Awaitable[None]]:
    """``upload_group_file`` through ``bot``, or whichever bot is connected when the upload happens (the
    scheduler's monthly report has no event and so no bot of its own)."""

    async def upload_to_group(group_id: int, path: Path, name: str) -> None:
        target = bot
        if target is None:
            connected = [b for b in get_bots().values() if isinstance(b, Bot)]
            if not connected:
                raise NoBotConnected("no OneBot connection")
            target = connected[0]
        await upload(target, Target.group(group_id), path, name)

    return upload_to_group
