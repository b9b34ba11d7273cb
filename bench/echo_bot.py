"""The framework's own limit: NoneBot2, the OneBot v11 adapter and one command that replies.

Started exactly like bot.py (same driver, settings and reverse WebSocket): ``/echo text`` answers ``text``.
"""

import nonebot
from nonebot import on_command
from nonebot.adapters.onebot.v11 import Adapter, Message
from nonebot.params import CommandArg

nonebot.init()
nonebot.get_driver().register_adapter(Adapter)

echo = on_command("echo", block=True)


@echo.handle()
async def _echo(arg: Message = CommandArg()) -> None:
    await echo.finish(arg)


if __name__ == "__main__":
    nonebot.run()
