"""Fake OneBot events and readers of what the bot queued, for nonebug tests."""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from nonebot.adapters.onebot.v11 import Bot, GroupMessageEvent, Message, PrivateMessageEvent
from nonebot.adapters.onebot.v11.event import Reply, Sender
from nonebug import App
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core import roster
from xietong.core.db import database
from xietong.core.models import OutboxMessage
from xietong.core.roles import Role
from xietong.core.work import Actor, work

GROUP = 9001
SUPERUSER = 10001
SELF_ID = "42"
_message_ids = itertools.count(5000)


def _reply(message_type: str, reply_to: int | None) -> Reply | None:
    if reply_to is None:
        return None
    return Reply(
        time=int(time.time()), message_type=message_type, message_id=reply_to, real_id=reply_to,
        sender=Sender(user_id=int(SELF_ID)), message=Message("…"),
    )


def group_msg(
    message: str | Message,
    user_id: int = 20001,
    *,
    group_id: int = GROUP,
    card: str = "",
    reply_to: int | None = None,
    message_id: int | None = None,
) -> GroupMessageEvent:
    """A group message as the adapter would hand it over (CQ codes in a str are parsed)."""
    msg = Message(message)
    return GroupMessageEvent(
        time=int(time.time()), self_id=int(SELF_ID), post_type="message", sub_type="normal",
        user_id=user_id, message_type="group", message_id=message_id or next(_message_ids),
        message=msg, original_message=msg, raw_message=str(msg), font=0,
        sender=Sender(user_id=user_id, nickname=card or f"用户{user_id}", card=card),
        to_me=False, reply=_reply("group", reply_to), group_id=group_id,
    )


def private_msg(message: str | Message, user_id: int = 20001, *, reply_to: int | None = None) -> PrivateMessageEvent:
    msg = Message(message)
    return PrivateMessageEvent(
        time=int(time.time()), self_id=int(SELF_ID), post_type="message", sub_type="friend",
        user_id=user_id, message_type="private", message_id=next(_message_ids),
        message=msg, original_message=msg, raw_message=str(msg), font=0,
        sender=Sender(user_id=user_id, nickname=f"用户{user_id}"), to_me=True, reply=_reply("private", reply_to),
    )


async def give_roles(qq: int, *roles: Role, name: str = "") -> None:
    """Put a member on the roster directly (tests of other commands need people in place)."""
    async with work(Actor(SUPERUSER, superuser=True)) as w:
        await roster.assign(w, {qq: name or f"成员{qq}"}, list(roles))


@dataclass(frozen=True)
class Queued:
    target: tuple[str, int]
    text: str
    mentions: list[int]
    subject: str | None
    reply_to: int | None


async def last_outbox_id() -> int:
    async with database().session() as session:
        return await session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()).limit(1)) or 0


async def queued(after: int = 0) -> list[Queued]:
    """Notifications the outbox holds after id ``after``, decoded."""
    async with database().session() as session:
        rows = (
            await session.scalars(select(OutboxMessage).where(OutboxMessage.id > after).order_by(OutboxMessage.id))
        ).all()
    out = []
    for row in rows:
        text = "".join(s["data"]["text"] for s in row.segments if s["type"] == "text").strip()
        mentions = [int(s["data"]["qq"]) for s in row.segments if s["type"] == "at"]
        reply = next((int(s["data"]["id"]) for s in row.segments if s["type"] == "reply"), None)
        out.append(Queued((row.target_kind, row.target_id), text, mentions, row.subject, reply))
    return out


INTAKE_TEXT = """/接单
客户：金陵建材
品名：水泥
数量：30吨
单价：420
付款方式：{payment}
收货人：王工
电话：13800000000
地址：南京市江宁区天元路1号
包装：吨袋
交期：2026-12-05"""

CS, WORKSHOP, FINANCE, LOGISTICS, DIRECTOR, ASSISTANT = 20001, 20011, 20021, 20031, 20041, 20051


async def staff() -> None:
    """A marketing center with one person in each post (and a second workshop hand)."""
    await give_roles(CS, Role.cs, name="王客服")
    await give_roles(WORKSHOP, Role.workshop, name="老张")
    await give_roles(WORKSHOP + 1, Role.workshop, name="小刘")
    await give_roles(FINANCE, Role.finance, name="李会计")
    await give_roles(LOGISTICS, Role.logistics, name="赵物流")
    await give_roles(DIRECTOR, Role.director, name="陈主任")
    await give_roles(ASSISTANT, Role.assistant, name="周助理")


async def say(app: App, *events, sends: dict | None = None) -> None:
    """Feed events; ``sends`` maps an event's message id to the direct reply it must get."""
    sends = sends or {}
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        for event in events:
            ctx.receive_event(bot, event)
            if event.message_id in sends:
                ctx.should_call_send(event, sends[event.message_id], None)


class Capture:
    """Stands for a reply too long to spell out; keeps it for the assertions that follow."""

    def __init__(self, into: list):
        self.into = into

    def __eq__(self, other):
        self.into.append(str(other))
        return True


class NeedsNumber:
    """The hint for a missing number: its example is the person's own latest number, so any real one matches."""

    def __init__(self, prefix: str = "D"):
        self.pattern = re.compile(rf"请写上单号（如 {prefix}\d{{6}}-\d{{3}}），或直接回复机器人关于它的消息。")

    def __eq__(self, other):
        return bool(self.pattern.fullmatch(str(other)))

    def __repr__(self):
        return f"NeedsNumber({self.pattern.pattern})"


NEEDS_NUMBER, NEEDS_TICKET = NeedsNumber(), NeedsNumber("T")


class Like:
    """A reply matching a regular expression: for hints whose example is the person's own latest number."""

    def __init__(self, pattern: str):
        self.pattern = re.compile(pattern)

    def __eq__(self, other):
        return bool(self.pattern.fullmatch(str(other)))

    def __repr__(self):
        return f"Like({self.pattern.pattern})"


class Statements:
    """The SQL statements a database runs meanwhile (as bench/calls.py counts them): ``with Statements(db) as seen``."""

    def __init__(self, db=None):
        self.engine, self.seen = (db or database()).engine.sync_engine, []

    def _record(self, _conn, _cursor, statement, *_):
        self.seen.append(statement)

    def __enter__(self) -> list[str]:
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self.seen

    def __exit__(self, *_):
        event.remove(self.engine, "before_cursor_execute", self._record)


async def read_counting(query: Callable[[AsyncSession], Awaitable[object]]) -> tuple[object, list[str]]:
    """What ``query`` returns in a read session, and the SQL statements it ran (its transaction's BEGIN not
    among them): for tests that pin how many statements a view costs."""
    async with database().read() as session:
        await session.connection()
        with Statements() as statements:
            result = await query(session)
    return result, statements
