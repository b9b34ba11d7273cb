"""/目标: director, vp, gm set company, region and salesperson targets; everyone with a post reads progress."""

from nonebug import App

from tests.core.test_access import NO_POST
from tests.customers.support import GM, VP, add_order, audits, utc
from tests.factories import (
    CS,
    DIRECTOR,
    WORKSHOP,
    give_roles,
    group_msg,
    last_outbox_id,
    private_msg,
    queued,
    say,
    staff,
)
from tests.targets.support import organisation
from xietong.core import clock
from xietong.core.roles import Role
from xietong.orders.enums import Stage

NOW = utc(2026, 12, 15, 2)  # 10:00 on 2026-12-15 in Shanghai: 15 of 31 days begun


async def december() -> None:
    await staff()
    await give_roles(VP, Role.vp, name="孙副总")
    await give_roles(GM, Role.gm, name="钱总")
    clock.set_clock(lambda: NOW)
    ids = await organisation()
    await add_order("D261201-001", ids["金陵建材"], 60_000_000, slip_at=utc(2026, 12, 1, 2))
    await add_order("D261202-001", ids["淮安商贸"], 40_000_000, slip_at=utc(2026, 12, 2, 2))
    await add_order("D261203-001", ids["散户"], 10_000_000, slip_at=utc(2026, 12, 3, 2))
    # not counted: cancelled, no slip, slipped in November
    await add_order("D261204-001", ids["金陵建材"], 99_000_000, stage=Stage.cancelled, slip_at=utc(2026, 12, 4, 2))
    await add_order("D261205-001", ids["金陵建材"], 99_000_000, stage=Stage.processing)
    await add_order("D261130-001", ids["金陵建材"], 99_000_000, slip_at=utc(2026, 11, 30, 15, 59))


PROGRESS = (
    "【销售目标】2026-12，时间已过 48%\n"
    "公司：完成 1,100,000 / 目标 5,000,000 元，完成率 22.0%，落后于时间进度\n"
    "区域：\n"
    "  苏南：完成 600,000 / 目标 2,000,000 元，完成率 30.0%，落后于时间进度\n"
    "  苏北：完成 400,000 元（未设目标）\n"
    "  未分区域：完成 100,000 元（未设目标）\n"
    "业务员：\n"
    "  张三：完成 600,000 / 目标 800,000 元，完成率 75.0%\n"
    "  李四：完成 400,000 元（未设目标）\n"
    "  未指定业务员：完成 100,000 元（未设目标）"
)


async def test_director_vp_and_gm_set_targets_and_anyone_with_a_post_reads_progress(app: App):
    await december()
    mark = await last_outbox_id()
    await say(app, group_msg("/目标 2026-12 500万", DIRECTOR), group_msg("/目标 2026-12 苏南 200万", VP),
              private_msg("/目标 2026-12 业务员 张三 80万", GM))
    assert [q.text for q in await queued(mark)] == [
        "已设定 2026-12 公司销售目标：5,000,000 元。查看：/目标 2026-12",
        "已设定 2026-12 苏南区域销售目标：2,000,000 元。查看：/目标 2026-12",
        "已设定 2026-12 业务员张三销售目标：800,000 元。查看：/目标 2026-12",
    ]
    reading, by_month = group_msg("/目标", WORKSHOP), private_msg("/目标 2026-12", CS)
    await say(app, reading, by_month, sends={reading.message_id: PROGRESS, by_month.message_id: PROGRESS})
    mark = await last_outbox_id()
    await say(app, group_msg("/目标 2026-12 600万", DIRECTOR))
    assert [q.text for q in await queued(mark)] == [
        "已设定 2026-12 公司销售目标：6,000,000 元（原为 5,000,000 元）。查看：/目标 2026-12"]
    assert [detail for _, _, detail in await audits("设目标")][-1] == "公司 600000000 分（原 500000000 分）"


async def test_a_month_without_targets_says_how_to_set_one(app: App):
    await december()
    ask = group_msg("/目标 2027-01", WORKSHOP)
    await say(app, ask, sends={ask.message_id: "2027-01 还没有设定销售目标。设定：/目标 2027-01 500万（主任、副总、总经理）"})


async def test_only_director_vp_gm_set_and_people_without_a_post_read_nothing(app: App):
    await december()
    by_cs, stranger = group_msg("/目标 2026-12 500万", CS), group_msg("/目标", 29999)
    await say(app, by_cs, stranger, sends={
        by_cs.message_id: "这一步需要「主任、副总或总经理」岗位。",
        stranger.message_id: NO_POST,  # no post: the access gate answers before /目标 does
    })
    assert await audits("设目标") == []


async def test_bad_month_amount_region_or_person_is_named(app: App):
    await december()
    events = {
        "/目标 2026-13 500万": "月份写法不对：2026-13（如 /目标 2026-12 500万）",
        "/目标 2026-12 很多": "目标金额 看不懂：很多",
        "/目标 2026-12 0": "目标金额 必须大于 0：0",
        "/目标 2026-12 苏中 200万": "没有区域「苏中」（苏北、苏南）。新区域请先 /区域 新增 苏中",
        "/目标 2026-12 业务员 赵六 80万": "没有业务员「赵六」的档案。请先 /区域 业务员 赵六 区域",
    }
    sent = [group_msg(text, DIRECTOR) for text in events]
    await say(app, *sent, sends={e.message_id: reply for e, reply in zip(sent, events.values(), strict=True)})
    usage = group_msg("/目标 下个月", DIRECTOR)
    await say(app, usage, sends={usage.message_id: (
        "销售目标：\n/目标 — 本月完成情况\n/目标 2026-12 — 某月完成情况\n"
        "/目标 2026-12 500万 — 公司目标\n/目标 2026-12 苏南 200万 — 区域目标\n"
        "/目标 2026-12 业务员 张三 80万 — 业务员目标"
    )})
    assert await audits("设目标") == []
