"""Who may reach a command at all (SPEC §9 Access), checked in one place before any command runs.

People with no post (not on the roster, or with every post withdrawn) may use only the commands
declared ``open_to_all`` (/帮助, /岗位, /投诉); any other known command gets one line telling them to
ask a superuser for a post, before its handler reads anything. Unknown commands are not answered
here. What each post may do is checked by the commands themselves.
"""

from __future__ import annotations

from functools import cache

from nonebot import on_message
from nonebot.adapters.onebot.v11 import Bot, MessageEvent
from nonebot.consts import CMD_KEY, PREFIX_KEY
from nonebot.matcher import Matcher
from nonebot.typing import T_State

from xietong.core import dedupe, messages, roster
from xietong.core.db import database

from .commands import CommandDoc, all_docs
from .superusers import is_superuser

BEFORE_COMMANDS = 1  # the command routers run at 10 and later


@cache
def _docs_by_name() -> dict[str, CommandDoc]:
    """Asked at the first command, when every plugin is loaded."""
    return {name: doc for doc in all_docs() for name in (doc.name, *doc.aliases)}


async def has_no_post(event: MessageEvent, state: T_State) -> bool:
    command = state.get(PREFIX_KEY, {}).get(CMD_KEY)
    doc = _docs_by_name().get(command[0]) if command else None
    if doc is None or doc.open_to_all or is_superuser(event):
        return False
    async with database().read() as session:
        return not await roster.roles_of(session, event.user_id)


async def _refuse(bot: Bot, event: MessageEvent, matcher: Matcher) -> None:
    dedupe.begin(dedupe.key_of(bot.self_id, event))  # a second delivery of the message stays quiet
    await matcher.finish(messages.NO_POST)


on_message(rule=has_no_post, priority=BEFORE_COMMANDS, block=True).handle()(_refuse)
