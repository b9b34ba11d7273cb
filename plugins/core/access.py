"""Who may reach a command at all (SPEC §9 Access), checked in one place before any command runs.

People with no post (not on the roster, or with every post withdrawn) may use only the commands
declared ``open_to_all`` (/帮助, /岗位, /投诉); any other known command gets one line telling them to
ask a superuser for a post, before its handler reads anything. Unknown commands are not answered
here. What each post may do is checked by the commands themselves. The command router asks this
gate (:func:`plugins.core.commands.before_commands`) instead of a matcher of its own ahead of the
router: one matcher check less for every message (BENCHMARKS.md).
"""

from __future__ import annotations

from nonebot.adapters.onebot.v11 import MessageEvent

from xietong.core import messages, roster
from xietong.core.db import database

from .commands import CommandDoc, before_commands
from .superusers import is_superuser


@before_commands
async def no_post(doc: CommandDoc, event: MessageEvent) -> str | None:
    """The refusal for someone with no post asking for a command that is not open to all."""
    if doc.open_to_all or is_superuser(event):
        return None
    async with database().read() as session:
        return None if await roster.roles_of(session, event.user_id) else messages.NO_POST
