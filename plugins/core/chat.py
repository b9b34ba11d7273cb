"""From a OneBot event to the domain's words: the actor, the people @-mentioned, the chat."""

from __future__ import annotations

from nonebot import get_driver
from nonebot.adapters.onebot.v11 import GroupMessageEvent, Message, MessageEvent

from xietong.core import roster
from xietong.core.db import database
from xietong.core.errors import DomainError
from xietong.core.outbox import Target
from xietong.core.refs import parse_number
from xietong.core.roles import Role
from xietong.core.work import Actor

from .messages import TOO_OLD_TO_TRACE
from .quote import quoted_subject, quoted_too_old


def origin(event: MessageEvent) -> Target:
    if isinstance(event, GroupMessageEvent):
        return Target.group(event.group_id)
    return Target.private(event.user_id)


def is_superuser(event: MessageEvent) -> bool:
    superusers = get_driver().config.superusers
    return str(event.user_id) in superusers or f"onebot:{event.user_id}" in superusers


def actor(event: MessageEvent) -> Actor:
    sender = event.sender
    name = (sender.card or sender.nickname or "") if sender else ""
    return Actor(
        qq=event.user_id,
        name=name,
        origin=origin(event),
        message_id=event.message_id,
        superuser=is_superuser(event),
    )


def mentioned(message: Message, self_id: str | None = None) -> list[int]:
    """QQ ids @-mentioned in a message, in order, without the bot itself and @全体成员."""
    found: list[int] = []
    for segment in message:
        if segment.type == "at":
            qq = str(segment.data.get("qq", ""))
            if qq.isdigit() and qq != self_id and int(qq) not in found:
                found.append(int(qq))
    return found


def plain_words(message: Message) -> list[str]:
    """The text of a message split into words, ignoring @-mentions."""
    return "".join(seg.data.get("text", "") for seg in message if seg.type == "text").split()


async def subject_ref(event: MessageEvent, words: list[str], prefix: str = "D") -> tuple[str, list[str]]:
    """The number a command is about: typed first (any case, with or without the letter), or the
    subject of the quoted bot message. Returns it with the remaining words."""
    if words and (number := parse_number(words[0], prefix)):
        return number, words[1:]
    subject = await quoted_subject(event)
    if subject and subject.startswith(prefix):
        return subject, words
    if subject is None and quoted_too_old(event):
        raise DomainError(TOO_OLD_TO_TRACE)
    example = {"D": "D261126-001", "XS": "XS261126-001", "T": "T261126-001"}.get(prefix, prefix)
    raise DomainError(f"请写上单号（如 {example}），或直接回复机器人关于它的消息。")


async def require_roles(event: MessageEvent, *roles: Role) -> None:
    """Refuse early, before judging the input: a refusal by role says nothing about the text."""
    async with database().read() as session:
        await roster.require(session, actor(event), *roles)
