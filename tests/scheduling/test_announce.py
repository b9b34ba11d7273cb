"""Exactly once, with catch-up: restarts, downtime windows, two processes on one database, days off."""

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from tests.factories import ASSISTANT, CS, DIRECTOR, FINANCE, GROUP, LOGISTICS, last_outbox_id, queued, staff
from tests.scheduling.support import claimed, cod_collected, fix_clock, local, make_order, runner
from xietong.core.db import database
from xietong.core.models import OutboxMessage
from xietong.core.outbox import Target
from xietong.orders.enums import Stage
from xietong.scheduling import announce
from xietong.scheduling.announce import Post, post_once


async def outbox_count() -> int:
    async with database().session() as session:
        return await session.scalar(select(func.count(OutboxMessage.id)))


async def overdue_order(number: str = "D260801-001", customer: str = "金陵建材") -> int:
    """An order past due since 2026-09-01, delivered and unpaid."""
    return await make_order(
        number, customer=customer, stage=Stage.delivered, created_at=local(2026, 8, 1, 10),
        receivable_due=local(2026, 9, 1).date(),
    )


# ------------------------------------------------------------------ the claim


async def test_a_period_is_posted_once_and_its_key_is_the_first_message():
    fix_clock(2026, 11, 26, 9)

    async def build(w):
        return [Post("第一条", (CS,)), Post("第二条", (LOGISTICS,))]

    target = Target.group(GROUP)
    assert await post_once("collection:2026-11-26", target, build) is not None
    assert await post_once("collection:2026-11-26", target, build) is None
    assert await claimed() == ["collection:2026-11-26", "collection:2026-11-26#2"]
    assert [(q.text, q.mentions) for q in await queued()] == [("第一条", [CS]), ("第二条", [LOGISTICS])]


async def test_nothing_to_say_posts_nothing_and_leaves_the_period_unclaimed():
    async def build(w):
        return []

    assert await post_once("collection:2026-11-26", Target.group(GROUP), build) is None
    assert await outbox_count() == 0


async def test_losing_the_race_on_the_unique_key_is_fine(monkeypatch):
    """PostgreSQL: both processes see the key free, both build; the second insert hits the unique key."""
    fix_clock(2026, 11, 26, 9)

    async def never_claimed(session, key):
        return False

    monkeypatch.setattr(announce, "is_claimed", never_claimed)

    async def build(w):
        w.audit("公告", "collection:2026-11-26")
        return [Post("回款提醒")]

    first = await post_once("collection:2026-11-26", Target.group(GROUP), build)
    second = await post_once("collection:2026-11-26", Target.group(GROUP), build)
    assert first is not None and second is None
    assert await outbox_count() == 1  # the loser wrote nothing, its audit event included
    async with database().session() as session:
        from xietong.core.models import AuditEvent

        assert await session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "公告")) == 1


async def test_two_processes_at_the_same_instant_post_once():
    await staff()
    fake = fix_clock(2026, 11, 30, 8, 30)
    a, b = runner(), runner()
    outcomes = await asyncio.gather(a.announce("meeting"), b.announce("meeting"), a.announce("meeting"))
    assert sorted(o.posted for o in outcomes) == [False, False, True]
    assert await claimed() == ["meeting:2026-W49"]
    fake.advance(minutes=1)
    assert all(not o.posted for o in await b.catch_up())
    assert await claimed() == ["meeting:2026-W49"]


async def test_two_processes_racing_past_the_pre_check_still_post_once(monkeypatch):
    await staff()
    fix_clock(2026, 11, 30, 8, 30)

    async def never_claimed(session, key):
        return False

    monkeypatch.setattr(announce, "is_claimed", never_claimed)
    outcomes = await asyncio.gather(runner().announce("meeting"), runner().announce("meeting"))
    assert sorted(o.posted for o in outcomes) == [False, True]
    assert await claimed() == ["meeting:2026-W49"]


# ------------------------------------------------------------------ catch-up


async def test_restart_just_before_the_meeting_posts_it_at_its_time_once():
    await staff()
    fake = fix_clock(2026, 11, 30, 8, 29)
    process = runner()
    assert [o for o in await process.catch_up() if o.posted] == []  # last week's is long past
    fake.set(2026, 11, 30, 8, 30)  # the timer fires
    outcome = await process.announce("meeting")
    assert outcome.posted and outcome.key == "meeting:2026-W49"
    fake.advance(seconds=30)  # a late duplicate fire, or a restart a minute later
    assert not (await process.announce("meeting")).posted
    assert all(not o.posted for o in await runner().catch_up())
    [meeting] = await queued()
    assert meeting.text.startswith("【周例会】11-30（周一）08:30 开周例会")
    assert set(meeting.mentions) == {DIRECTOR, CS, LOGISTICS, ASSISTANT}


async def test_down_over_the_meeting_time_posts_it_at_start_up_once():
    await staff()
    fix_clock(2026, 11, 30, 8, 45)  # down from 08:00 to 08:45
    outcomes = await runner().catch_up()
    assert [(o.key, o.posted, o.due) for o in outcomes] == [("meeting:2026-W49", True, local(2026, 11, 30, 8, 30))]
    assert all(not o.posted for o in await runner().catch_up())
    assert len(await queued()) == 1


async def test_down_until_nine_in_the_evening_catches_up_within_twelve_hours_only():
    await staff()
    await overdue_order()
    fake = fix_clock(2026, 11, 30, 21, 0)  # the digest (09:00) is exactly 12 h late, the meeting (08:30) 12.5 h
    outcomes = {o.key: o.posted for o in await runner().catch_up()}
    assert outcomes == {"collection:2026-11-30": True}
    assert await claimed() == ["collection:2026-11-30"]
    fake.set(2026, 12, 1, 21, 0, 1)  # the next day, one second beyond
    assert await runner().catch_up() == []
    assert await claimed() == ["collection:2026-11-30"]


async def test_a_longer_catch_up_window_reaches_further():
    await staff()
    fix_clock(2026, 11, 30, 21, 0)
    outcomes = await runner(catchup=timedelta(hours=13)).catch_up()
    assert [o.key for o in outcomes if o.posted] == ["meeting:2026-W49"]  # no overdue money: no digest


async def test_start_up_on_a_holiday_posts_nothing():
    await staff()
    await overdue_order()
    fix_clock(2026, 10, 5, 10)  # National Day holiday, Monday
    assert await runner().catch_up() == []
    assert await outbox_count() == 0


async def test_the_holiday_monday_meeting_is_posted_on_the_first_working_day_of_the_week():
    await staff()
    fake = fix_clock(2026, 10, 5, 8, 30)
    process = runner()
    assert await process.announce("meeting") is None
    fake.set(2026, 10, 8, 8, 30)
    outcome = await process.announce("meeting")
    assert outcome.posted and outcome.key == "meeting:2026-W41"
    [meeting] = await queued()
    assert meeting.text.startswith("【周例会】10-08（周四）08:30 开周例会")


async def test_the_collection_digest_goes_out_on_an_adjusted_saturday_but_not_on_a_holiday():
    await staff()
    await overdue_order()
    fake = fix_clock(2026, 10, 1, 9)
    assert await runner().announce("collection") is None
    fake.set(2026, 10, 10, 9)
    outcome = await runner().announce("collection")
    assert outcome.posted and outcome.key == "collection:2026-10-10"
    fake.set(2026, 10, 17, 9)  # an ordinary Saturday
    assert await runner().announce("collection") is None


async def test_nobody_to_call_to_the_meeting_means_no_announcement():
    fix_clock(2026, 11, 30, 8, 30)
    outcome = await runner().announce("meeting")
    assert outcome is not None and not outcome.posted
    assert await claimed() == []


async def test_an_empty_digest_is_not_posted_and_a_later_one_still_can_be():
    await staff()
    fake = fix_clock(2026, 11, 26, 9)
    assert not (await runner().announce("collection")).posted
    order_id = await make_order("D261120-001", stage=Stage.delivered, created_at=local(2026, 11, 20, 10))
    await cod_collected(order_id, 300_000, local(2026, 11, 25, 16))
    fake.advance(minutes=30)  # a restart at 09:30 finds the period unclaimed and something to say
    before = await last_outbox_id()
    [outcome] = [o for o in await runner().catch_up() if o.posted]
    assert outcome.key == "collection:2026-11-26"
    [cod] = await queued(before)
    assert cod.mentions == [LOGISTICS, FINANCE]


async def test_without_a_group_nothing_is_posted():
    await staff()
    fix_clock(2026, 11, 30, 8, 30)
    process = runner()
    process.target = None
    assert await process.announce("meeting") is None
    assert await process.catch_up() == []
    assert await outbox_count() == 0
