"""Handing a file the bot made to QQ, the way ``XIETONG_FILE_MODE`` says (xietong/core/files.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from nonebot import get_plugin_config
from nonebot.adapters.onebot.v11 import Bot

from xietong.core import files
from xietong.core.outbox import Target
from xietong.core.settings import Settings

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
