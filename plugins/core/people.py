"""Who sent a message and from where: the actor of a state change and the chat its answer goes to.
Below chat, quote and commands, which all need it (no import cycle between them)."""

from __future__ import annotations

from nonebot.adapters.onebot.v11 import GroupMessageEvent, MessageEvent

from xietong.core.outbox import Target
from xietong.core.text import clean
from xietong.core.work import Actor

from .superusers import is_superuser

NAME_MAX = 64  # Member.name


def person_name(card: str | None, nickname: str | None = None) -> str:
    """A QQ group card or nickname as the roster and our messages show it: cleaned, bounded."""
    return clean(card or nickname or "")[:NAME_MAX]


def origin(event: MessageEvent) -> Target:
    """The chat a message came from (and where a reply to it goes)."""
    if isinstance(event, GroupMessageEvent):
        return Target.group(event.group_id)
    return Target.private(event.user_id)


def actor(event: MessageEvent) -> Actor:
    sender = event.sender
    name = person_name(sender.card, sender.nickname) if sender else ""
    return Actor(
        qq=event.user_id,
        name=name,
        origin=origin(event),
        message_id=event.message_id,
        superuser=is_superuser(event),
    )
