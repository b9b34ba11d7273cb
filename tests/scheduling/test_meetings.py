"""The quarterly regional managers' meeting and the monthly coordination meeting: when they fall, what they
say and to whom, exactly once with catch-up; the archive's monthly summary in private with the report."""

from datetime import date, timedelta
from pathlib import Path

from tests.customers.support import GM, VP, add_entry, add_order, utc
from tests.factories import (
    ASSISTANT,
    CS,
    DIRECTOR,
    FINANCE,
    GROUP,
    LOGISTICS,
    WORKSHOP,
    give_roles,
    last_outbox_id,
    queued,
    staff,
)
from tests.scheduling.support import CALENDAR, claimed, cod_collected, fix_clock, local, make_order
from tests.targets.support import organisation
from xietong.core.db import database
from xietong.core.outbox import Target
from xietong.core.roles import Role
from xietong.customers.models import FollowUp
from xietong.logistics.models import Shipment
from xietong.orders.enums import Stage
from xietong.publishing import monthly as service
from xietong.reports.monthly import Month
from xietong.scheduling.periods import Period, Schedule
from xietong.scheduling.runner import Runner
from xietong.scheduling.workdays import WorkCalendar
from xietong.targets.models import SalesTarget

QUARTER = Schedule("quarter", "季度大区经理工作会议", "XIETONG_QUARTER_MEETING_CRON", "0 9 * 1,4,7,10 mon",
                   Period.quarter, 0, first_only=True)
COORDINATION = Schedule("coordination", "月度工作协调会", "XIETONG_COORDINATION_CRON", "0 15 25 * *", Period.month, -1)


def meetings_runner(catchup: timedelta = timedelta(hours=12)) -> Runner:
    return Runner(schedules=[QUARTER, COORDINATION], calendar=CALENDAR, rules=None, catchup=catchup,
                  target=Target.group(GROUP))


def test_quarter_meeting_is_the_first_working_monday_and_coordination_moves_before_a_day_off():
    year = (local(2026, 1, 1), local(2026, 12, 31, 23, 59))
    assert QUARTER.due_instants(*year, CALENDAR) == [
        local(2026, 1, 5, 9), local(2026, 4, 13, 9), local(2026, 7, 6, 9), local(2026, 10, 12, 9)]  # 4-6, 10-5 off
    assert [QUARTER.key(d) for d in QUARTER.due_instants(*year, CALENDAR)] == [
        "quarter:2026-Q1", "quarter:2026-Q2", "quarter:2026-Q3", "quarter:2026-Q4"]
    # the second Monday of a quarter is no due instant when the first was a working day
    assert QUARTER.due_instants(local(2026, 7, 7), local(2026, 7, 31), CALENDAR) == []
    assert QUARTER.next_due(local(2026, 7, 7), CALENDAR) == local(2026, 10, 12, 9)
    autumn = COORDINATION.due_instants(local(2026, 10, 1), local(2026, 12, 31), CALENDAR)
    assert autumn == [local(2026, 10, 23, 15), local(2026, 11, 25, 15), local(2026, 12, 25, 15)]  # 10-25 is a Sunday
    every_day = WorkCalendar(workdays_only=False)
    assert QUARTER.due_instants(local(2026, 10, 1), local(2026, 10, 31), every_day) == [local(2026, 10, 5, 9)]


async def test_quarter_meeting_calls_the_center_with_last_quarters_regions_against_target():
    await staff()
    await give_roles(GM, Role.gm, name="钱总")
    fix_clock(2026, 10, 12, 9)
    ids = await organisation()
    august = await add_order("D260801-001", ids["金陵建材"], 30_000_000, slip_at=utc(2026, 8, 1, 2), paid_fen=10_000_000,
                    receivable_due=date(2026, 9, 1))
    await add_order("D260901-001", ids["淮安商贸"], 10_000_000, slip_at=utc(2026, 9, 1, 2))
    await add_order("D261001-001", ids["淮安商贸"], 99_000_000, slip_at=utc(2026, 10, 8, 2))  # this quarter
    await add_entry(august, 10_000_000, utc(2026, 8, 20, 2))
    async with database().session() as session:
        for month in ("2026-07", "2026-08", "2026-09"):
            session.add(SalesTarget(month=month, scope="company", amount_fen=20_000_000, set_by=DIRECTOR))
            session.add(SalesTarget(month=month, scope=f"region:{ids['苏南']}", region_id=ids["苏南"],
                                    amount_fen=10_000_000, set_by=DIRECTOR))
    mark = await last_outbox_id()
    outcome = await meetings_runner().announce("quarter", local(2026, 10, 12, 9))
    assert outcome.posted and outcome.key == "quarter:2026-Q4"
    [post] = await queued(mark)
    assert post.target == ("group", GROUP)
    assert set(post.mentions) == {DIRECTOR, CS, LOGISTICS, ASSISTANT}
    assert post.text == (
        "【季度大区经理工作会议】10-12（周一）09:00 召开 2026 年第四季度大区经理工作会议，请准时参加。\n"
        "上季度（2026-07 至 2026-09）销售：完成 400,000 / 目标 600,000 元，完成率 66.7%；各区域：\n"
        "  · 苏南 完成 300,000 / 目标 300,000 元，完成率 100.0%\n"
        "  · 苏北 完成 100,000 元（未设目标）\n"
        "回款：上季度回款 100,000 元；现未收 1,290,000 元，其中逾期 1 家 200,000 元。"
    )


async def test_coordination_meeting_calls_finance_workshop_and_logistics_with_the_money_matters():
    await staff()
    fix_clock(2026, 10, 23, 15)
    late = await make_order("D260801-001", stage=Stage.delivered, created_at=local(2026, 8, 1, 10),
                            receivable_due=date(2026, 9, 1))
    await add_entry(late, 200_000, utc(2026, 10, 9, 2))
    cod = await make_order("D261020-001", customer="淮安商贸", stage=Stage.delivered, amount_fen=420_000)
    await cod_collected(cod, 420_000, local(2026, 10, 21, 10))
    async with database().session() as session:
        session.add(Shipment(order_id=late, plate="苏A12345", driver="老周", driver_phone="13900000000",
                             dispatched_by=LOGISTICS, freight_fen=35_000))
    mark = await last_outbox_id()
    outcome = await meetings_runner().announce("coordination", local(2026, 10, 23, 15))
    assert outcome.posted and outcome.key == "coordination:2026-10"
    [post] = await queued(mark)
    assert set(post.mentions) == {FINANCE, WORKSHOP, WORKSHOP + 1, LOGISTICS}
    assert post.text == (
        "【月度工作协调会】10-23（周五）15:00 召开，请财务、车间、物流参加，研究汇总货款回收情况。\n"
        "回款：10 月已收 2,000 元，未收 16,800 元；逾期 1 家：\n"
        "  · 金陵建材 12,600 元（1 单，最长逾期 52 天）\n"
        "代收货款未交财务 1 单，共 4,200 元：\n"
        "  · D261020-001：4,200 元\n"
        "运费未结算 1 单，共 350 元：\n"
        "  · D260801-001：350 元"
    )


async def test_each_meeting_is_posted_once_and_caught_up_within_the_window_only():
    await staff()
    fix_clock(2026, 10, 12, 15)
    first = meetings_runner()
    assert [o.key for o in await first.catch_up(local(2026, 10, 12, 15)) if o.posted] == ["quarter:2026-Q4"]
    assert [o.posted for o in await meetings_runner().catch_up(local(2026, 10, 12, 16))] == [False]
    assert await meetings_runner().announce("coordination", local(2026, 10, 24, 4)) is None  # 13 h late: too late
    assert await claimed() == ["quarter:2026-Q4"]
    assert (await meetings_runner().announce("coordination", local(2026, 10, 24, 2))).posted  # 11 h late
    assert await claimed() == ["quarter:2026-Q4", "coordination:2026-10"]


async def test_nobody_to_call_posts_nothing():
    fix_clock(2026, 10, 12, 9)
    outcome = await meetings_runner().announce("quarter", local(2026, 10, 12, 9))
    assert not outcome.posted and await claimed() == []


async def test_scheduled_report_sends_the_archive_summary_privately_to_director_vp_and_gm(tmp_path: Path):
    await staff()
    await give_roles(VP, Role.vp, name="孙副总")
    await give_roles(GM, Role.gm, name="钱总")
    fix_clock(2026, 12, 28, 9)
    ids = await organisation()
    await add_order("D260901-001", ids["金陵建材"], 1_000_000, created_at=utc(2026, 9, 1, 2))
    async with database().session() as session:
        session.add(FollowUp(customer_id=ids["淮安商贸"], content="回访", actor_qq=ASSISTANT, at=utc(2026, 12, 3, 2)))
    mark = await last_outbox_id()

    async def upload(group_id, path, name):
        return None

    await service.post_monthly_report(Month(2026, 12), GROUP, upload, data_dir=tmp_path,
                                      dedupe_key="report:2026-12", archive_dormant_days=60)
    sent = await queued(mark)
    assert [q.target for q in sent] == [("group", GROUP), ("private", DIRECTOR), ("private", VP), ("private", GM)]
    assert sent[1].text == sent[2].text == sent[3].text == (
        "【客户档案月报】2026-12（保密，仅发主任、副总、总经理）\n"
        "客户 3 家，本月新建 3 家；按区域：苏北 1 家、苏南 1 家、未分区域 1 家\n"
        "业务员 2 人，区域经理 1 人\n"
        "本月跟进 1 次；60 天没有下单也没有跟进的客户 1 家\n"
        "明细请私聊 /客户 列表、/区域、/跟进 列表"
    )
    assert await claimed() == ["report:2026-12", "report:2026-12#archive:20041", "report:2026-12#archive:20061",
                               "report:2026-12#archive:20071"]
    mark = await last_outbox_id()
    await service.post_monthly_report(Month(2026, 12), GROUP, upload, data_dir=tmp_path)  # /月报 by hand
    assert [q.target for q in await queued(mark)] == [("group", GROUP)]
