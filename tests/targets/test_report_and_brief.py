"""Targets and the organisation in the monthly report (summary, sheets, native charts) and the weekly brief."""

from datetime import date, timedelta
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from tests.customers.support import GM, VP, add_entry, add_order, utc
from tests.factories import DIRECTOR, give_roles, last_outbox_id, queued, staff
from tests.targets.support import organisation
from xietong.core import clock
from xietong.core.db import database
from xietong.core.roles import Role
from xietong.logistics.models import Shipment
from xietong.publishing import monthly as service
from xietong.reports.monthly import Month
from xietong.scheduling import messages as words
from xietong.scheduling.brief import brief_text
from xietong.targets.models import SalesTarget

NOW = utc(2026, 12, 28, 1)  # 09:00 on 2026-12-28


async def freight(order_id: int, fen: int) -> None:
    async with database().session() as session:
        session.add(Shipment(order_id=order_id, plate="苏A12345", driver="老王", driver_phone="13900000000",
                             dispatched_by=20031, freight_fen=fen))


async def target(scope: str, fen: int, **ids: int) -> None:
    async with database().session() as session:
        session.add(SalesTarget(month="2026-12", scope=scope, amount_fen=fen, set_by=DIRECTOR, **ids))


async def december() -> dict[str, int]:
    await staff()
    await give_roles(VP, Role.vp, name="孙副总")
    await give_roles(GM, Role.gm, name="钱总")
    clock.set_clock(lambda: NOW)
    ids = await organisation()
    south = await add_order("D261201-001", ids["金陵建材"], 6_000_000, slip_at=utc(2026, 12, 1, 2),
                            receivable_due=date(2026, 12, 10), paid_fen=1_000_000)
    north = await add_order("D261202-001", ids["淮安商贸"], 4_000_000, slip_at=utc(2026, 12, 2, 2))
    await add_order("D261203-001", ids["散户"], 1_000_000, slip_at=utc(2026, 12, 3, 2))
    november = await add_order("D261101-001", ids["淮安商贸"], 2_000_000, slip_at=utc(2026, 11, 1, 2), paid_fen=2_000_000)
    await freight(south, 120_000)
    await freight(north, 200_000)
    await add_entry(south, 1_000_000, utc(2026, 12, 5, 2))
    await add_entry(november, 2_000_000, utc(2026, 11, 20, 2))
    await target("company", 20_000_000)
    await target(f"region:{ids['苏南']}", 8_000_000, region_id=ids["苏南"])
    await target(f"person:{ids['李四']}", 3_000_000, person_id=ids["李四"])
    return ids


async def test_monthly_report_shows_freight_regions_target_and_draws_native_charts(tmp_path: Path):
    await december()
    mark = await last_outbox_id()
    posted = await service.post_monthly_report(Month(2026, 12), 9001, _upload, data_dir=tmp_path)
    [summary] = await queued(mark)
    lines = summary.text.split("\n")
    assert "运费：3,200 元，占销售 2.9%；苏南 1,200 元（2.0%）；苏北 2,000 元（5.0%）" in lines
    assert "区域：苏南 销售 60,000 回款 10,000 逾期 50,000；苏北 销售 40,000 回款 0 逾期 0；未分区域 销售 10,000 回款 0 逾期 0" in lines
    assert "目标：完成 110,000 / 目标 200,000 元，完成率 55.0%" in lines
    book = load_workbook(posted.path)
    assert book.sheetnames[-4:] == ["按区域", "按业务员", "目标", "近12月"]
    regions = [[c.value for c in row] for row in book["按区域"].iter_rows(min_row=2)]
    assert regions[0][:9] == ["苏南", 1, 60000, 10000, 50000, 1200, 0.02, 80000, 0.75]
    assert [r[0] for r in regions] == ["苏南", "苏北", "未分区域", "合计"]
    people = [[c.value for c in row][:2] for row in book["按业务员"].iter_rows(min_row=2)]
    assert people == [["张三", 1], ["李四", 1], ["未指定业务员", 1], ["合计", 3]]
    goals = [[c.value for c in row] for row in book["目标"].iter_rows(min_row=2)]
    assert [row[:3] for row in goals] == [["公司", 200000, 110000], ["区域 苏南", 80000, 60000], ["业务员 李四", 30000, 40000]]
    assert [round(row[3], 4) for row in goals] == [0.55, 0.75, 1.3333]
    trend = [[c.value for c in row] for row in book["近12月"].iter_rows(min_row=2)]
    assert trend[0][0] == "2026-01" and trend[-2:] == [["2026-11", 20000, 20000], ["2026-12", 110000, 10000]]
    charts = {name: [type(c).__name__ for c in book[name]._charts] for name in ("按区域", "目标", "近12月")}
    assert charts == {"按区域": ["BarChart"], "目标": ["BarChart"], "近12月": ["LineChart"]}


async def _upload(group_id, path, name):
    return None


async def test_brief_states_the_target_and_how_far_behind_pace_the_month_is():
    await december()
    async with database().session() as session:
        late = await brief_text(session, date(2026, 12, 28), words.brief_head(NOW))
        early = await brief_text(session, date(2026, 12, 5), words.brief_head(NOW))
    assert ("12 月目标：完成 110,000 / 目标 200,000 元，完成率 55.0%，时间已过 90%。"
            "进度落后，还差 70,645.16 元才跟上时间进度，请主任安排。") in late
    assert "12 月目标：完成 110,000 / 目标 200,000 元，完成率 55.0%，时间已过 16%。" in early


async def test_mid_month_check_tells_the_director_once_when_the_month_lags():
    from tests.scheduling.support import CALENDAR, claimed, local
    from xietong.core.outbox import Target
    from xietong.scheduling.periods import Period, Schedule
    from xietong.scheduling.runner import Runner

    ids = await december()
    pace = Schedule("pace", "月中目标进度", "XIETONG_PACE_CRON", "0 9 15 * *", Period.month, +1)
    runner = Runner(schedules=[pace], calendar=CALENDAR, rules=None, catchup=timedelta(hours=12),
                    target=Target.group(9001))
    assert pace.due_instants(local(2026, 11, 1), local(2026, 12, 31), CALENDAR) == [
        local(2026, 11, 16, 9), local(2026, 12, 15, 9)]  # 11-15 is a Sunday
    clock.set_clock(lambda: utc(2026, 12, 15, 1))
    assert not (await runner.announce("pace", local(2026, 12, 15, 9))).posted  # 55% done, 48% gone: on pace
    assert await claimed() == []
    async with database().session() as session:
        for target_row in (await session.scalars(select(SalesTarget))).all():
            if target_row.scope in ("company", f"region:{ids['苏南']}"):
                target_row.amount_fen = target_row.amount_fen * 2 if target_row.scope == "company" else 20_000_000
    mark = await last_outbox_id()
    assert (await runner.announce("pace", local(2026, 12, 15, 10))).posted
    assert not (await runner.announce("pace", local(2026, 12, 15, 11))).posted
    [post] = await queued(mark)
    assert post.mentions == [DIRECTOR]
    assert post.text == (
        "【目标进度】12 月时间已过 48%，销售完成 110,000 / 目标 400,000 元，完成率 27.5%，还差 83,548.39 元才跟上进度，"
        "请主任安排。\n"
        "  · 区域 苏南：完成 60,000 / 目标 200,000 元，完成率 30.0%，落后于时间进度"
    )
    assert await claimed() == ["pace:2026-12"]
