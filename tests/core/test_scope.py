"""Scope, dedupe and errors: what the bot ignores, handles once, and never shows."""

import pytest
from nonebot.adapters.onebot.v11 import Bot
from nonebug import App

from tests.factories import SUPERUSER, give_roles, group_msg, private_msg
from xietong.core.roles import Role


async def test_other_groups_are_ignored_silently(app: App):
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, group_msg("/岗位", 20002, group_id=1234))
        # no send is expected: nonebug fails the test on an unexpected call


async def test_private_chat_only_from_the_roster(app: App):
    await give_roles(20002, Role.cs, name="王客服")
    stranger = private_msg("/帮助", 30009)
    member = private_msg("/岗位", 20002)
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, stranger)
        ctx.receive_event(bot, member)
        ctx.should_call_send(
            member, "主任：—\n客服：王客服\n物流：—\n助理：—\n车间：—\n财务：—\n副总：—\n总经理：—", None
        )


async def test_the_same_message_twice_is_handled_once(app: App):
    event = group_msg("/岗位", 20002, message_id=777)
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_send(event, "主任：—\n客服：—\n物流：—\n助理：—\n车间：—\n财务：—\n副总：—\n总经理：—\n"
                             "（还没有成员，主任可用 /设岗 @成员 岗位 添加）", None)
        ctx.receive_event(bot, group_msg("/岗位", 20002, message_id=777))


async def test_a_reused_message_id_from_another_sender_or_time_is_a_new_message(app: App):
    """NapCat hashes ids into 32 bits and a restarted implementation numbers afresh: an id alone is no message."""
    empty = ("主任：—\n客服：—\n物流：—\n助理：—\n车间：—\n财务：—\n副总：—\n总经理：—\n"
             "（还没有成员，主任可用 /设岗 @成员 岗位 添加）")
    first = group_msg("/岗位", 20002, message_id=778)
    other_sender = group_msg("/岗位", 20003, message_id=778)
    later = group_msg("/岗位", 20002, message_id=778)
    later.time = first.time + 3600
    repeat = group_msg("/岗位", 20002, message_id=778)
    repeat.time = first.time
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        for event in (first, other_sender, later):
            ctx.receive_event(bot, event)
            ctx.should_call_send(event, empty, None)
        ctx.receive_event(bot, repeat)  # the same id, sender, chat and time: a true repeat, not answered


async def test_a_state_change_marks_its_message_handled_in_its_own_transaction():
    from xietong.core import dedupe
    from xietong.core.work import work

    dedupe.begin("42:group:9001:20001:5:1700000000")
    with pytest.raises(RuntimeError):
        async with work() as w:
            w.audit("测试", "x")
            raise RuntimeError("crash before the commit")
    assert not await dedupe.seen("42:group:9001:20001:5:1700000000")  # a re-delivery gets through
    async with work() as w:
        w.audit("测试", "x")
    assert await dedupe.seen("42:group:9001:20001:5:1700000000")
    dedupe.begin("42:group:9001:20001:5:1700000000")  # the re-delivery racing it, in another process
    with pytest.raises(dedupe.AlreadyHandled):
        async with work() as w:
            w.audit("测试", "x")
    dedupe.begin("42:group:9001:20001:5:1700000000")
    assert not await dedupe.claim()  # nor does a read-only answer go out twice


async def test_processed_events_are_pruned_after_three_days():
    from datetime import datetime, timedelta, timezone

    from xietong.core import clock, dedupe

    start = datetime(2026, 11, 26, 2, 0, tzinfo=timezone.utc)
    clock.set_clock(lambda: start)
    for key in ("old", "new"):
        dedupe.begin(key)
        assert await dedupe.claim()
        clock.set_clock(lambda: start + timedelta(days=2))
    clock.set_clock(lambda: start + timedelta(days=3, hours=1))
    assert await dedupe.forget_old() == 1
    assert not await dedupe.seen("old") and await dedupe.seen("new")


async def test_an_unexpected_error_is_logged_and_answered_with_an_apology(app: App):
    from plugins.core import _apologise
    from plugins.core.roster_commands import show_roles

    assert show_roles.plugin_name == "core"
    event = group_msg("/岗位", SUPERUSER)
    async with app.test_api() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.should_call_send(event, "抱歉，处理时出了点问题，已记录。请稍后再试，或联系管理员。", None)
        await _apologise(bot, event, show_roles(), RuntimeError("disk on fire"))
        await _apologise(bot, event, show_roles(), None)  # a clean run says nothing more


async def test_a_heartbeat_is_recorded_by_the_one_event_preprocessor(app: App):
    """Heartbeats and messages share one preprocessor (plugins/core/__init__.py): QQ's heartbeat still marks
    the connection as heard from, for /状态 and manage.py check."""
    import time

    from nonebot.adapters.onebot.v11 import HeartbeatMetaEvent
    from nonebot.adapters.onebot.v11.event import Status
    from nonebot.message import handle_event

    from xietong.core import presence
    from xietong.core.db import database

    presence.presence._written.clear()
    heartbeat = HeartbeatMetaEvent(time=int(time.time()), self_id=42, post_type="meta_event",
                                   meta_event_type="heartbeat", status=Status(online=True, good=True), interval=5000)
    async with app.test_api() as ctx:
        await handle_event(ctx.create_bot(base=Bot, self_id="42"), heartbeat)
    async with database().read() as session:
        row = await presence.latest(session)
    assert row is not None and row.self_id == 42


async def test_a_message_handled_before_a_restart_stays_quiet_command_or_not(app: App):
    """Dedupe is durable: a message marked handled in the database (before a restart, or by another process)
    is not answered again. A command's mark is checked by its router, in the command's read transaction
    (plugins/core/commands.py); any other message's by the preprocessor."""
    from sqlalchemy import func, select

    from tests.factories import CS, INTAKE_TEXT, staff
    from xietong.core import dedupe
    from xietong.core.db import database
    from xietong.core.models import ProcessedEvent
    from xietong.orders.models import Order

    await staff()
    command = group_msg(INTAKE_TEXT.format(payment="款到发货"), CS)
    unknown = group_msg("/不存在的命令", CS)
    async with database().session() as session:
        for event in (command, unknown):
            session.add(ProcessedEvent(key=dedupe.key_of("42", event)))
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, command)
        ctx.receive_event(bot, unknown)  # would get "did you mean" from plugins/core/unknown.py
    async with database().read() as session:
        assert await session.scalar(select(func.count()).select_from(Order)) == 0
