"""From a OneBot event to the domain's words: the actor, the people @-mentioned, the chat."""

from __future__ import annotations

from nonebot.adapters.onebot.v11 import Message, MessageEvent

from xietong.core import roster
from xietong.core.db import database
from xietong.core.errors import DomainError
from xietong.core.hints import own_number
from xietong.core.messages import TOO_OLD_TO_TRACE, need_number
from xietong.core.refs import parse_number, split_glued
from xietong.core.roles import Role
from xietong.core.text import clean

from .people import actor, origin, person_name  # noqa: F401  (the helpers every matcher imports from here)
from .quote import quoted_subject, quoted_too_old


def clean_event(event: MessageEvent) -> None:
    """The one place where text from QQ is cleaned (control characters, bidi overrides), before any
    command reads, stores or echoes it: the message's text and the sender's names."""
    for segment in event.message:
        if segment.type == "text":
            segment.data["text"] = clean(segment.data.get("text", ""))
    event.raw_message = clean(event.raw_message)
    if event.sender:
        event.sender.card = event.sender.card and clean(event.sender.card)
        event.sender.nickname = event.sender.nickname and clean(event.sender.nickname)


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
    """The text of a message split into words, ignoring @-mentions; an order number glued to what follows by
    a comma ("D261126-001，水泥只有20吨") is a word of its own."""
    words = "".join(seg.data.get("text", "") for seg in message if seg.type == "text").split()
    return split_glued(words[0]) + words[1:] if words else words


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
    raise DomainError(need_number(await own_example(event, prefix)))


async def own_example(event: MessageEvent, prefix: str = "D") -> str:
    """The number to show in a hint: the one this person last worked on (see ``xietong.core.hints``)."""
    async with database().read() as session:
        return await own_number(session, event.user_id, prefix)


async def require_roles(event: MessageEvent, *roles: Role) -> None:
    """Refuse early, before judging the input: a refusal by role says nothing about the text."""
    async with database().read() as session:
        await roster.require(session, actor(event), *roles)
