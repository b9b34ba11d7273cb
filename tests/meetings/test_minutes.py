"""Meeting minutes: weeks, dates as typed, open points, /纪要 to write and to read."""

from datetime import date, datetime, timedelta, timezone

import pytest
from nonebot.adapters.onebot.v11 import Bot
from nonebug import App
from sqlalchemy import select

from tests.factories import (
    ASSISTANT,
    CS,
    DIRECTOR,
    WORKSHOP,
    Capture,
    group_msg,
    last_outbox_id,
    private_msg,
    queued,
    say,
    staff,
)
from xietong.core import clock
from xietong.core.db import database
from xietong.core.errors import DomainError
from xietong.meetings.minutes import open_points, open_points_in, parse_day, week_days, week_key
from xietong.meetings.models import MeetingNote

MONDAY = datetime(2026, 11, 23, 0, 45, tzinfo=timezone.utc)  # 08:45 on Monday 2026-11-23 in Shanghai
TODAY = date(2026, 11, 25)


def at(moment: datetime) -> None:
    clock.set_clock(lambda: moment)


@pytest.mark.parametrize(
    ("day", "key"),
    [
        (date(2026, 11, 23), "2026-W48"),
        (date(2026, 11, 29), "2026-W48"),
        (date(2026, 11, 30), "2026-W49"),
        (date(2026, 12, 31), "2026-W53"),
        (date(2027, 1, 3), "2026-W53"),
        (date(2027, 1, 4), "2027-W01"),
        (date(2025, 12, 29), "2026-W01"),
    ],
)
def test_week_key_is_the_iso_week(day: date, key: str):
    assert week_key(day) == key
    monday, sunday = week_days(key)
    assert monday <= day <= sunday and monday.weekday() == 0 and sunday - monday == timedelta(days=6)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-11-18", date(2026, 11, 18)),
        ("2026/11/18", date(2026, 11, 18)),
        ("2026年11月18日", date(2026, 11, 18)),
        ("11-18", date(2026, 11, 18)),
        ("11/18", date(2026, 11, 18)),
        ("11月18号", date(2026, 11, 18)),
        ("１１月１８日", date(2026, 11, 18)),
        ("12-20", date(2025, 12, 20)),  # no year: the latest such day up to today
        ("今天", TODAY),
        ("昨天", date(2026, 11, 24)),
        ("上周", date(2026, 11, 18)),
        ("本周", TODAY),
        ("2026-W47", date(2026, 11, 16)),
        ("W47", date(2026, 11, 16)),
        ("第47周", date(2026, 11, 16)),
        ("本周重点：回款", None),
        ("1. 待办：催金陵建材回款", None),
        ("下午开会", None),
    ],
)
def test_parse_day(text: str, day: date | None):
    assert parse_day(text, TODAY) == day


@pytest.mark.parametrize("text", ["2026-13-01", "2026-02-30", "11-31", "W60", "2026年"])
def test_parse_day_refuses_what_looks_like_a_date_but_is_none(text: str):
    with pytest.raises(DomainError, match=f"日期写法不对：{text}"):
        parse_day(text, TODAY)


def test_open_points_in_text():
    text = (
        "本周重点：金陵建材回款\n待办：周三前催金陵建材回款\n1. 跟进 江宁水泥投诉\n- [ ] 更新价目表\n［ ］整理客户档案\n"
        "[x] 已完成的事\n运费标准待定\n  2、待办：联系车队\n备注：无"
    )
    assert open_points_in(text) == [
        "待办：周三前催金陵建材回款", "跟进 江宁水泥投诉", "[ ] 更新价目表", "［ ］整理客户档案", "运费标准待定", "待办：联系车队",
    ]


async def notes() -> list[MeetingNote]:
    async with database().session() as session:
        return list((await session.scalars(select(MeetingNote).order_by(MeetingNote.id))).all())


async def test_assistant_and_director_append_to_this_weeks_minutes(app: App):
    await staff()
    at(MONDAY)
    before = await last_outbox_id()
    first = group_msg("/纪要 本周重点：金陵建材回款\n待办：周三前催款\n运费标准待定", ASSISTANT)
    await say(app, first)
    at(MONDAY + timedelta(minutes=30))
    await say(app, private_msg("/纪要 主任：月底前清理逾期应收", DIRECTOR))
    reply, second = await queued(before)
    assert (reply.target, reply.reply_to) == (("group", 9001), first.message_id)
    assert reply.text == "已记入第48周（11-23—11-29）纪要（本周第 1 条，其中待办/待定 2 条）。"
    assert (second.target, second.text) == (("private", DIRECTOR), "已记入第48周（11-23—11-29）纪要（本周第 2 条）。")
    saved = await notes()
    assert [(n.week_key, n.author_qq) for n in saved] == [("2026-W48", ASSISTANT), ("2026-W48", DIRECTOR)]
    assert saved[0].text == "本周重点：金陵建材回款\n待办：周三前催款\n运费标准待定"


async def test_anyone_reads_this_week_or_the_week_of_a_date(app: App):
    await staff()
    at(MONDAY - timedelta(days=7))
    await say(app, group_msg("/纪要 上周：待办：联系车队", ASSISTANT))
    at(MONDAY)
    await say(app, group_msg("/纪要 本周重点：金陵建材回款", ASSISTANT))
    at(MONDAY + timedelta(days=1, hours=1))
    await say(app, group_msg("/纪要 主任：月底前清理逾期应收", DIRECTOR))
    this_week, last_week, by_date, empty = (
        group_msg("/纪要", WORKSHOP), group_msg("/纪要 上周", CS), private_msg("/纪要 11月18日", CS),
        group_msg("/纪要 2026-11-02", WORKSHOP),
    )
    await say(app, this_week, last_week, by_date, empty, sends={
        this_week.message_id: (
            "本周纪要 第48周（11-23—11-29），共 2 条：\n【11-23 08:45 周助理】\n本周重点：金陵建材回款\n"
            "【11-24 09:45 陈主任】\n主任：月底前清理逾期应收"
        ),
        last_week.message_id: "纪要 第47周（11-16—11-22），共 1 条：\n【11-16 08:45 周助理】\n上周：待办：联系车队",
        by_date.message_id: "纪要 第47周（11-16—11-22），共 1 条：\n【11-16 08:45 周助理】\n上周：待办：联系车队",
        empty.message_id: "纪要 第45周（11-02—11-08）：还没有记录。",
    })


async def test_an_empty_week(app: App):
    await staff()
    at(MONDAY)
    event = group_msg("/纪要", CS)
    await say(app, event, sends={
        event.message_id: "本周纪要 第48周（11-23—11-29）：还没有记录。\n助理或主任可用 /纪要 内容 记录。",
    })


async def test_a_long_week_is_sent_in_several_messages(app: App):
    await staff()
    at(MONDAY)
    for i in range(5):
        await say(app, group_msg(f"/纪要 第{i}条：" + "记" * 600, ASSISTANT))
    event = group_msg("/纪要", CS)
    parts: list[str] = []
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        for _ in range(3):
            ctx.should_call_send(event, Capture(parts), None)
    assert all(len(part) <= 1500 for part in parts)
    assert len(parts) == 3
    assert sum(part.count("【11-23 08:45 周助理】") for part in parts) == 5


async def test_writing_is_refused_to_other_roles(app: App):
    await staff()
    at(MONDAY)
    by_cs, by_ws = group_msg("/纪要 我也记一条", CS), private_msg("/纪要 我也记一条", WORKSHOP)
    await say(app, by_cs, by_ws, sends={
        by_cs.message_id: "这一步需要「助理或主任」岗位。", by_ws.message_id: "这一步需要「助理或主任」岗位。",
    })
    assert await notes() == []


async def test_bad_input(app: App):
    await staff()
    at(MONDAY)
    bad_date, too_long = group_msg("/纪要 2026-13-01", CS), group_msg("/纪要 " + "长" * 2001, ASSISTANT)
    await say(app, bad_date, too_long, sends={
        bad_date.message_id: "日期写法不对：2026-13-01（如 /纪要 11-23、/纪要 上周）",
        too_long.message_id: "一条纪要最多 2000 字，请分几条记。",
    })
    assert await notes() == []


async def test_open_points_of_a_week_in_the_order_written(app: App):
    await staff()
    at(MONDAY - timedelta(days=7))
    await say(app, group_msg("/纪要 待办：上周的事", ASSISTANT))
    at(MONDAY)
    await say(app, group_msg("/纪要 本周重点：回款\n待办：催金陵建材", ASSISTANT))
    await say(app, group_msg("/纪要 [ ] 更新价目表\n运费待定", DIRECTOR))
    async with database().session() as session:
        assert await open_points(session, "2026-W48") == ["待办：催金陵建材", "[ ] 更新价目表", "运费待定"]
        assert await open_points(session, "2026-W47") == ["待办：上周的事"]
        assert await open_points(session, "2026-W46") == []
