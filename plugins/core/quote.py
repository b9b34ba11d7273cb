"""Quote-replies: answering a bot message about an order acts on that order, no number typed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nonebot import on_message
from nonebot.adapters.onebot.v11 import MessageEvent
from nonebot.matcher import Matcher
from nonebot.typing import T_State

from xietong.core.db import database
from xietong.core.outbox import subject_of_message

from .commands import answering

SUBJECT = "quoted_subject"
PHRASE = "quoted_phrase"


async def quoted_subject(event: MessageEvent) -> str | None:
    """The order (or ticket) the quoted bot message was about."""
    if event.reply is None:
        return None
    async with database().session() as session:
        return await subject_of_message(session, int(event.reply.message_id))


def on_quote(phrases: tuple[str, ...], *, prefix: str = "D", priority: int = 20) -> Callable[..., type[Matcher]]:
    """A matcher for a quote-reply to a bot message about a ``prefix`` subject containing one of ``phrases``.

    The handler finds the subject and the phrase in ``state[SUBJECT]`` / ``state[PHRASE]``.
    """

    async def rule(event: MessageEvent, state: T_State) -> bool:
        if event.reply is None:
            return False
        text = event.get_plaintext().strip()
        phrase = next((p for p in phrases if p in text), None)
        if phrase is None:
            return False
        subject = await quoted_subject(event)
        if not subject or not subject.startswith(prefix):
            return False
        state[SUBJECT], state[PHRASE] = subject, phrase
        return True

    def register(fn: Callable[..., Awaitable[str | None]]) -> type[Matcher]:
        matcher = on_message(rule=rule, priority=priority, block=True, _depth=1)
        matcher.handle()(answering(fn))
        return matcher

    return register
