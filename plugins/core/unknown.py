"""An unknown ``/命令`` from someone with a post: say so and suggest the nearest command; from anyone else, quiet.

Last in line (a low priority): a known command, a quote-reply and every other matcher have had their turn.
"""

from __future__ import annotations

from nonebot import on_message
from nonebot.adapters.onebot.v11 import MessageEvent
from nonebot.typing import T_State

from xietong.core import messages as msg
from xietong.core import roster
from xietong.core.db import database
from xietong.core.nearest import nearest, typed_word

from .commands import all_docs, apologising
from .superusers import is_superuser

_STARTS = ("/", "／")
_TYPED = "unknown_command"


async def _unknown(event: MessageEvent, state: T_State) -> bool:
    text = event.get_plaintext().strip()
    if not text.startswith(_STARTS):
        return False
    word = typed_word(text[1:])
    if not word or any(word.startswith(name) for doc in all_docs() for name in (doc.name, *doc.aliases)):
        return False
    state[_TYPED] = word
    return True


matcher = on_message(rule=_unknown, priority=90, block=True)


@matcher.handle()
@apologising
async def _suggest(event: MessageEvent, state: T_State) -> None:
    superuser = is_superuser(event)
    async with database().read() as session:
        held = await roster.roles_of(session, event.user_id)
    if not held and not superuser:
        return  # people with no post: the bot is not for them, say nothing
    usable = [doc for doc in all_docs() if doc.allowed(held, superuser)]
    best = nearest(state[_TYPED], [(name, doc.name) for doc in usable for name in (doc.name, *doc.aliases)])
    await matcher.finish(msg.unknown_command(state[_TYPED], best))
