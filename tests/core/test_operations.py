"""/补发 and /状态 through NoneBot (nonebug): superusers only, with the input explained."""

import re

from nonebot.adapters.onebot.v11 import Bot
from nonebug import App
from sqlalchemy import select, update

from tests.factories import (
    DIRECTOR,
    SUPERUSER,
    give_roles,
    group_msg,
    last_outbox_id,
    private_msg,
    queued,
    say,
)
from xietong.core.db import database
from xietong.core.models import OutboxMessage
from xietong.core.outbox import Target
from xietong.core.roles import Role
from xietong.core.work import work


async def a_set_aside_message() -> int:
    async with work() as w:
        w.notify(Target.group(9001), "QQ 不收的话")
    async with database().session() as session:
        number = await session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()).limit(1))
        await session.execute(update(OutboxMessage).where(OutboxMessage.id == number).values(status="aside"))
    return number


async def status_of(number: int) -> str:
    async with database().read() as session:
        return (await session.get(OutboxMessage, number)).status


async def test_superuser_resends_a_set_aside_message(app: App):
    number = await a_set_aside_message()
    before = await last_outbox_id()
    await say(app, private_msg(f"/补发 {number}", SUPERUSER))
    assert await status_of(number) == "pending"
    [reply] = await queued(before)
    assert reply.target == ("private", SUPERUSER) and f"第 {number} 条消息已重新排队" in reply.text


async def test_resend_is_refused_to_the_director(app: App):
    await give_roles(DIRECTOR, Role.director)
    number = await a_set_aside_message()
    event = group_msg(f"/补发 {number}", DIRECTOR)
    await say(app, event, sends={event.message_id: "这一步只有超级用户可以做。"})
    assert await status_of(number) == "aside"


async def test_resend_explains_bad_input(app: App):
    number = await a_set_aside_message()
    missing = group_msg("/补发", SUPERUSER)
    words = group_msg("/补发 那条", SUPERUSER)
    unknown = group_msg(f"/补发 {number + 100}", SUPERUSER)
    await say(app, missing, words, unknown, sends={
        missing.message_id: "请写上要补发的消息编号，例如：/补发 12",
        words.message_id: "请写上要补发的消息编号，例如：/补发 12",
        unknown.message_id: f"没有第 {number + 100} 条消息。",
    })


async def test_an_unwritable_database_gets_one_line_and_the_superusers_are_told_once(app: App):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from plugins.core import _apologise
    from plugins.core.roster_commands import set_role
    from xietong.core import storage
    from xietong.core.messages import STORAGE_TROUBLE, STORAGE_TROUBLE_ADMIN

    full = OperationalError("INSERT INTO member_role …", {}, sqlite3.OperationalError("database or disk is full"))
    storage.health.wrote()
    first, second = group_msg("/设岗 [CQ:at,qq=20002] 客服", DIRECTOR), group_msg("/岗位", 20002)
    async with app.test_api() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.should_call_send(first, STORAGE_TROUBLE, None)
        ctx.should_call_api("send_private_msg", {"user_id": SUPERUSER, "message": STORAGE_TROUBLE_ADMIN}, {})
        ctx.should_call_send(second, STORAGE_TROUBLE, None)  # the superusers were told already
        await _apologise(bot, first, set_role(), full)
        await _apologise(bot, second, set_role(), full)
    assert STORAGE_TROUBLE == "数据库暂时无法写入，已通知管理员，请稍后重试。"
    async with work() as w:  # space came back: the next trouble is news again
        w.audit("测试", "x")
    assert not storage.health.told


async def test_status_tells_a_superuser_how_the_bot_is(app: App):
    from tests.factories import Capture

    await a_set_aside_message()
    async with work() as w:
        w.notify(Target.group(9001), "还在等的消息")
    answer: list[str] = []
    await say(app, event := private_msg("/状态", SUPERUSER), sends={event.message_id: Capture(answer)})
    [text] = answer
    assert text.startswith("协同运行状态\n版本 ")
    assert "已运行" in text and "数据库：" in text and "结构是最新的" in text
    assert "QQ：" in text
    assert re.search(r"数据库大小：\d+\.\d MB；最早的消息记录：\d", text)
    assert "待发消息 1 条" in text and "搁置 1 条" in text and "/补发" in text
    assert "备份：" in text or "最近备份" in text
    assert "定时公告" in text or "数据库备份" in text


async def test_status_is_refused_to_the_director_and_takes_no_words(app: App):
    await give_roles(DIRECTOR, Role.director)
    refused = group_msg("/状态", DIRECTOR)
    wordy = group_msg("/状态 详细", SUPERUSER)
    await say(app, refused, wordy, sends={
        refused.message_id: "这一步只有超级用户可以做。",
        wordy.message_id: "/状态 后面不用写别的，直接发 /状态 就行。",
    })


async def test_status_sections_can_be_added_by_other_features():
    from datetime import datetime, timezone

    from xietong.core import status

    @status.add_section
    async def storage_facts(session, runtime):
        return ["数据库大小：1 MB"]

    try:
        runtime = status.Runtime(version="t", started_at=datetime(2026, 11, 26, tzinfo=timezone.utc),
                                 database=database())
        async with database().read() as session:
            text = await status.report(session, runtime)
        assert text.endswith("数据库大小：1 MB") and "QQ：未连接，从没连上过" in text
    finally:
        status._sections.remove(storage_facts)
