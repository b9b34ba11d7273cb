"""Escalations in working time: across lunch, evenings and weekends; once per step; two processes."""

import asyncio
from datetime import time, timedelta

from sqlalchemy import select

from tests.factories import CS, DIRECTOR, GROUP, LOGISTICS, WORKSHOP, last_outbox_id, queued, staff
from tests.scheduling.support import (
    claimed,
    complaint,
    fix_clock,
    local,
    make_order,
    runner,
    set_task,
    task_row,
)
from xietong.core.db import database
from xietong.core.models import AuditEvent
from xietong.customers.models import Complaint, ComplaintStatus
from xietong.orders.enums import Department, Stage, TaskState
from xietong.scheduling.escalate import Rules
from xietong.scheduling.workdays import WorkCalendar

WORKSHOP_HANDS = [WORKSHOP, WORKSHOP + 1]
ONLY_WORKSHOP = {Department.finance: TaskState.done, Department.logistics: TaskState.done}


async def round_at(fake, *at: int) -> list:
    """Set the clock, run one escalation round, return what it queued."""
    fake.set(*at)
    before = await last_outbox_id()
    await runner().escalate()
    return await queued(before)


async def test_a_task_is_escalated_after_two_working_hours_across_lunch_once():
    await staff()
    fake = fix_clock(2026, 11, 26, 11)
    order = await make_order("D261126-001", tasks=ONLY_WORKSHOP)
    assert await round_at(fake, 2026, 11, 26, 12, 30) == []  # lunch: 1 h so far
    assert await round_at(fake, 2026, 11, 26, 14, 29) == []
    [again] = await round_at(fake, 2026, 11, 26, 14, 30)
    assert again.target == ("group", GROUP) and again.subject == "D261126-001"
    assert again.mentions == WORKSHOP_HANDS
    assert again.text == (
        "【催办】订单 D261126-001（金陵建材）车间 备货已等 2 小时（工作时间）还没有回复，请尽快处理。\n"
        "请备货，备好后回复「备货完成」或 /备货完成 D261126-001；缺货请 /缺货 D261126-001 说明"
    )
    assert (await task_row(order, Department.workshop)).reminders == 1
    assert await round_at(fake, 2026, 11, 26, 14, 31) == []
    assert await round_at(fake, 2026, 11, 26, 15, 30) == []
    async with database().session() as session:
        audit = await session.scalar(select(AuditEvent).where(AuditEvent.action == "催办"))
    assert (audit.subject, audit.detail, audit.actor_qq) == ("D261126-001", "车间 备货", None)


async def test_a_task_asked_in_the_evening_waits_for_the_morning():
    await staff()
    fake = fix_clock(2026, 11, 26, 17)
    await make_order("D261126-001", tasks=ONLY_WORKSHOP)
    assert await round_at(fake, 2026, 11, 26, 21) == []
    assert await round_at(fake, 2026, 11, 27, 9, 29) == []
    [again] = await round_at(fake, 2026, 11, 27, 9, 30)
    assert again.mentions == WORKSHOP_HANDS


async def test_the_director_is_called_after_four_working_hours_across_a_weekend():
    await staff()
    fake = fix_clock(2026, 11, 27, 15)  # Friday afternoon
    order = await make_order("D261127-001", tasks=ONLY_WORKSHOP)
    [first] = await round_at(fake, 2026, 11, 27, 17, 0)
    assert first.mentions == WORKSHOP_HANDS
    assert await round_at(fake, 2026, 11, 28, 10) == []  # Saturday: not working time
    assert await round_at(fake, 2026, 11, 30, 9, 29) == []  # 3 h on Friday + 59 min on Monday
    [second] = await round_at(fake, 2026, 11, 30, 9, 30)
    assert second.mentions == [*WORKSHOP_HANDS, DIRECTOR]
    assert second.text.startswith(
        "【催办·请主任协调】订单 D261127-001（金陵建材）车间 备货已等 4 小时（工作时间）还没有回复。"
    )
    assert (await task_row(order, Department.workshop)).reminders == 2
    assert await round_at(fake, 2026, 12, 1, 10) == []  # no third step


async def test_a_step_reached_at_closing_time_is_raised_when_work_starts():
    await staff()
    fake = fix_clock(2026, 11, 27, 16)  # Friday: two working hours end exactly at 18:00
    await make_order("D261127-001", tasks=ONLY_WORKSHOP)
    assert await round_at(fake, 2026, 11, 27, 17, 59) == []
    assert await round_at(fake, 2026, 11, 27, 18, 0) == []  # closing time is not working time
    [first] = await round_at(fake, 2026, 11, 30, 8, 30)
    assert first.mentions == WORKSHOP_HANDS


async def test_after_downtime_past_both_steps_only_the_higher_one_is_posted():
    await staff()
    fake = fix_clock(2026, 11, 26, 10)
    await make_order("D261126-001", tasks=ONLY_WORKSHOP)
    [late] = await round_at(fake, 2026, 11, 27, 10)
    assert late.mentions == [*WORKSHOP_HANDS, DIRECTOR]
    assert "已等 8 小时（工作时间）" in late.text  # Thu 10:00-12:00, 13:30-18:00, Fri 08:30-10:00
    assert await claimed("escalate:") == ["escalate:D261126-001:车间:2:261126100000"]


async def test_every_department_is_escalated_to_its_own_people_and_finance_gets_its_payment_ask():
    await staff()
    fake = fix_clock(2026, 11, 26, 9)
    await make_order("D261126-001")
    out = await round_at(fake, 2026, 11, 26, 11)
    assert [q.mentions for q in out] == [WORKSHOP_HANDS, [20021], [LOGISTICS]]
    assert out[1].text.endswith("请查收货款，到账后 /到账 D261126-001 [金额]；未到请 /未到账 D261126-001 说明")


async def test_answered_shipped_and_cancelled_are_left_alone():
    await staff()
    fake = fix_clock(2026, 11, 26, 9)
    all_done = dict.fromkeys(Department, TaskState.done)
    await make_order("D261126-001", tasks=all_done)
    await make_order("D261126-002", stage=Stage.cancelled)
    await make_order("D261126-003", stage=Stage.shipped, shipped_at=local(2026, 11, 26, 9),
                     customer_notified_at=local(2026, 11, 26, 9))
    await make_order("D261126-004", tasks={**all_done, Department.workshop: TaskState.problem})
    assert await round_at(fake, 2026, 11, 27, 17) == []


async def test_a_task_asked_again_is_escalated_again():
    await staff()
    fake = fix_clock(2026, 11, 26, 9)
    order = await make_order("D261126-001", tasks=ONLY_WORKSHOP)
    assert len(await round_at(fake, 2026, 11, 26, 11)) == 1
    await set_task(order, Department.workshop, asked_at=local(2026, 11, 26, 14), reminders=0)  # /改单 re-opened it
    assert await round_at(fake, 2026, 11, 26, 15) == []
    assert len(await round_at(fake, 2026, 11, 26, 16)) == 1
    assert await claimed("escalate:") == [
        "escalate:D261126-001:车间:1:261126090000",
        "escalate:D261126-001:车间:1:261126140000",
    ]


async def test_two_processes_escalate_once():
    await staff()
    fake = fix_clock(2026, 11, 26, 9)
    await make_order("D261126-001", tasks=ONLY_WORKSHOP)
    await make_order("D261126-002", tasks=ONLY_WORKSHOP)
    fake.set(2026, 11, 26, 11)
    before = await last_outbox_id()
    a, b = runner(), runner()
    await asyncio.gather(a.escalate(), b.escalate(), a.escalate())
    assert [q.subject for q in await queued(before)] == ["D261126-001", "D261126-002"]


async def test_an_order_without_a_group_is_escalated_in_the_main_group():
    await staff()
    fake = fix_clock(2026, 11, 26, 9)
    await make_order("D261126-001", tasks=ONLY_WORKSHOP, group_id=None)
    [again] = await round_at(fake, 2026, 11, 26, 11)
    assert again.target == ("group", GROUP)


async def test_custom_thresholds_and_always_working_time():
    await staff()
    fake = fix_clock(2026, 11, 26, 22)
    await make_order("D261126-001", tasks=ONLY_WORKSHOP)
    always = runner(calendar=WorkCalendar(hours=((time(0), time.max),)),
                    rules=Rules(after=timedelta(minutes=30), director_after=timedelta(hours=1)))
    fake.set(2026, 11, 26, 22, 30)
    before = await last_outbox_id()
    await always.escalate()
    [first] = await queued(before)
    assert "已等 30 分钟" in first.text and first.mentions == WORKSHOP_HANDS


async def test_in_transit_too_long_calls_logistics_once():
    await staff()
    fake = fix_clock(2026, 11, 20, 10)
    await make_order("D261120-001", stage=Stage.shipped, shipped_at=local(2026, 11, 20, 10),
                     customer_notified_at=local(2026, 11, 20, 11), tasks=dict.fromkeys(Department, TaskState.done))
    assert await round_at(fake, 2026, 11, 25, 9, 59) == []
    [late] = await round_at(fake, 2026, 11, 25, 10, 0)
    assert late.mentions == [LOGISTICS]
    assert late.text == (
        "【催办】订单 D261120-001（金陵建材）11-20 10:00 发货，已超过 5 天还没有确认到货，"
        "请物流跟踪；到货后 /到货 D261120-001，有问题 /异常 D261120-001 说明。"
    )
    assert await round_at(fake, 2026, 11, 26, 10) == []


async def test_transit_reminder_waits_for_working_time():
    await staff()
    fake = fix_clock(2026, 11, 23, 9)
    await make_order("D261123-001", stage=Stage.shipped, shipped_at=local(2026, 11, 23, 9),
                     customer_notified_at=local(2026, 11, 23, 9), tasks=dict.fromkeys(Department, TaskState.done))
    assert await round_at(fake, 2026, 11, 28, 10) == []  # due on Saturday
    [late] = await round_at(fake, 2026, 11, 30, 8, 30)
    assert late.mentions == [LOGISTICS]


async def test_shipped_but_customer_not_told_calls_cs_once():
    await staff()
    fake = fix_clock(2026, 11, 26, 10)
    await make_order("D261126-001", stage=Stage.shipped, shipped_at=local(2026, 11, 26, 10),
                     tasks=dict.fromkeys(Department, TaskState.done))
    assert await round_at(fake, 2026, 11, 26, 12, 0) == []
    [notice] = await round_at(fake, 2026, 11, 26, 13, 30)
    assert notice.mentions == [CS]
    assert notice.text == (
        "【催办】订单 D261126-001（金陵建材）11-26 10:00 已发货，还没有记录通知客户。"
        "请客服告知客户后 /已通知 D261126-001。"
    )
    assert await round_at(fake, 2026, 11, 26, 15) == []


async def test_a_complaint_open_more_than_three_days_calls_cs_once():
    await staff()
    fake = fix_clock(2026, 11, 23, 10)
    await complaint("T261123-001", "送货晚了两天", local(2026, 11, 23, 10))
    await complaint("T261123-002", "已经处理好的", local(2026, 11, 23, 10))
    async with database().session() as session:
        handled = await session.scalar(select(Complaint).where(Complaint.number == "T261123-002"))
        handled.status = ComplaintStatus.closed
    assert await round_at(fake, 2026, 11, 26, 9, 59) == []
    [reminder] = await round_at(fake, 2026, 11, 26, 10)
    assert reminder.mentions == [CS] and reminder.subject == "T261123-001"
    assert reminder.text == (
        "【催办】投诉 T261123-001（金陵建材）11-23 10:00 登记，已超过 3 天未处理：送货晚了两天\n"
        "请客服处理后 /处理 T261123-001 结果。"
    )
    assert await round_at(fake, 2026, 11, 27, 10) == []


async def test_nothing_is_escalated_outside_working_time():
    await staff()
    fake = fix_clock(2026, 9, 30, 9)
    await make_order("D260930-001", tasks=ONLY_WORKSHOP)
    await complaint("T260920-001", "送货晚了", local(2026, 9, 20, 10))
    assert await round_at(fake, 2026, 10, 1, 10) == []  # National Day
    assert await round_at(fake, 2026, 9, 30, 12, 30) == []  # lunch
    out = await round_at(fake, 2026, 9, 30, 13, 30)
    assert sorted(q.subject for q in out) == ["D260930-001", "T260920-001"]
