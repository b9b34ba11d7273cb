"""Quote-replies: answering a bot message about an order acts on that order, no number typed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from nonebot import get_plugin_config, on_message
from nonebot.adapters.onebot.v11 import Message, MessageEvent
from nonebot.adapters.onebot.v11.event import Reply, Sender
from nonebot.matcher import Matcher
from nonebot.typing import T_State

from xietong.core import clock, roster
from xietong.core.db import database
from xietong.core.housekeeping import quoted_at, too_old_to_trace
from xietong.core.messages import TOO_OLD_TO_TRACE
from xietong.core.outbox import subject_of_message
from xietong.core.roles import Role
from xietong.core.settings import Settings
from xietong.core.utterance import Verdict, Vocabulary, read

from .commands import answering, apologising
from .people import origin
from .superusers import is_superuser

settings = get_plugin_config(Settings)

SUBJECT = "quoted_subject"
READING = "quoted_reading"


async def recover_reply(event: MessageEvent) -> None:
    """When QQ could not answer the adapter's ``get_msg``, the reply segment stays in the message and
    ``event.reply`` is empty: the quote-reply would be lost and a quoted command not recognised. If
    the quoted message is one of ours (the outbox knows its id), fill in the reply and strip the
    segment (and QQ's automatic @bot after it) as the adapter would have."""
    message = event.message
    index = next((i for i, seg in enumerate(message) if seg.type == "reply"), None)
    if event.reply is not None or index is None:
        return
    quoted = int(message[index].data.get("id", 0) or 0)
    async with database().read() as session:
        if await subject_of_message(session, origin(event), quoted) is None:
            return
    event.reply = Reply(
        time=event.time, message_type=event.message_type, message_id=quoted, real_id=quoted,
        sender=Sender(user_id=event.self_id), message=Message(),
    )
    event.to_me = True
    del message[index]
    if len(message) > index and message[index].type == "at" and message[index].data.get("qq") == str(event.self_id):
        del message[index]
    if len(message) > index and message[index].type == "text":
        message[index].data["text"] = message[index].data["text"].lstrip()


async def quoted_subject(event: MessageEvent) -> str | None:
    """The order (or ticket) the quoted bot message was about."""
    if event.reply is None:
        return None
    async with database().read() as session:
        return await subject_of_message(session, origin(event), int(event.reply.message_id))


def quoted_too_old(event: MessageEvent) -> bool:
    """The quoted message is one of ours, older than sent messages are kept: its order is gone from it."""
    reply = event.reply
    if reply is None or reply.sender.user_id != event.self_id:
        return False
    keep = timedelta(days=settings.xietong_outbox_keep_days)
    return too_old_to_trace(quoted_at(reply.time), clock.now(), keep)


async def _too_old(matcher: Matcher, state: T_State) -> None:
    if state.get(SUBJECT) is None:
        await matcher.finish(TOO_OLD_TO_TRACE)


async def _holds(event: MessageEvent, roles: tuple[Role, ...]) -> bool:
    if is_superuser(event):
        return True
    async with database().read() as session:
        return bool(await roster.roles_of(session, event.user_id) & set(roles))


def on_quote(
    vocabulary: Vocabulary, *, roles: tuple[Role, ...], prefix: str = "D", priority: int = 20
) -> Callable[..., type[Matcher]]:
    """A matcher for a quote-reply to a bot message about a ``prefix`` subject, from someone holding one of
    ``roles``, whose plain words mean something in ``vocabulary`` (``xietong.core.utterance.read``).

    Plain words are not commands: from anyone else they are conversation, and the bot stays quiet
    (a workshop hand's "备好了，可以放行" is not finance releasing the order); so are questions and
    acknowledgements ("到账了吗？", "收到"). The handler finds the subject and the reading (act, record the
    problem, or ask for the exact command) in ``state[SUBJECT]`` / ``state[READING]``.
    """

    async def rule(event: MessageEvent, state: T_State) -> bool:
        if event.reply is None:
            return False
        reading = read(event.get_plaintext(), vocabulary)
        if reading.verdict is Verdict.quiet:
            return False
        subject = await quoted_subject(event)
        if not subject and quoted_too_old(event):  # pruned: the holder is told to name the order
            subject = None
        elif not subject or not subject.startswith(prefix):
            return False
        if not await _holds(event, roles):
            return False
        state[SUBJECT], state[READING] = subject, reading
        return True

    def register(fn: Callable[..., Awaitable[str | None]]) -> type[Matcher]:
        matcher = on_message(rule=rule, priority=priority, block=True, _depth=1)
        matcher.handle()(apologising(_too_old))
        matcher.handle()(apologising(answering(fn)))
        return matcher

    return register
