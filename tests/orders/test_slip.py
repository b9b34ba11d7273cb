"""The sales slip through NoneBot: the gate in use (/开单, /强制开单), /销售单 as text and as a printable
workbook uploaded to the group, slip numbers under concurrency, and the CS follow-up (/已通知)."""

import asyncio
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from nonebot.adapters.onebot.v11 import ActionFailed, Bot, NetworkError
from nonebug import App
from openpyxl import load_workbook
from sqlalchemy import select

from tests.factories import (
    CS,
    DIRECTOR,
    FINANCE,
    LOGISTICS,
    NEEDS_NUMBER,
    WORKSHOP,
    Capture,
    group_msg,
    last_outbox_id,
    private_msg,
    queued,
    say,
    staff,
)
from tests.logistics.steps import (
    audit_trail,
    direct_reply,
    order_row,
    outbox_after,
    pay,
    ready_order,
    register,
    release,
    stock_done,
)
from xietong.core import clock
from xietong.core.db import database
from xietong.core.models import OutboxMessage
from xietong.core.work import Actor, work
from xietong.orders import slip
from xietong.orders.enums import PaymentMethod, Stage
from xietong.orders.models import Order

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=timezone.utc)  # 10:00 in Shanghai


@pytest.fixture
def slips(data_dir: Path) -> Path:
    """Where the bot saves slip workbooks (XIETONG_DATA_DIR/slips), as the absolute path it uploads."""
    return data_dir.resolve() / "slips"


@pytest.fixture
def fixed_clock():
    clock.set_clock(lambda: NOW)
    return NOW


async def test_slip_refused_before_the_gate_lists_every_unmet_condition(app: App, fixed_clock):
    await staff()
    number = await register(app, "款到发货")
    await pay(number, 400_000)
    event = group_msg(f"/开单 {number}", CS)
    await say(
        app,
        event,
        sends={
            event.message_id: (
                f"订单 {number} 还不能开单（处理中）：车间未完成备货；财务未确认到账，已到 4,000 / 12,600 元。\n"
                f"如确需先开单，请主任 /强制开单 {number} 原因"
            )
        },
    )
    order = await order_row(number)
    assert (order.stage, order.slip_number) == (Stage.processing, None)

    await stock_done(app, number)  # still short of money: one condition left, in plain words
    event = group_msg(f"/开单 {number}", CS)
    reply = await direct_reply(app, event)
    assert reply.startswith(f"订单 {number} 还不能开单（处理中）：财务未确认到账，已到 4,000 / 12,600 元。")

    await pay(number)  # no number was used up by the refusals
    await say(app, group_msg(f"/开单 {number}", CS))
    assert (await order_row(number)).slip_number == "XS261126-001"


@pytest.mark.parametrize("payment", ["月结", "货到付款"])
async def test_slip_for_cod_and_monthly_waits_for_finance_release(app: App, payment):
    await staff()
    number = await register(app, payment)
    await stock_done(app, number)
    event = group_msg(f"/开单 {number}", CS)
    reply = await direct_reply(app, event)
    assert reply.startswith(f"订单 {number} 还不能开单（处理中）：财务未放行。")
    await release(number)
    await say(app, group_msg(f"/开单 {number}", CS))
    assert (await order_row(number)).stage == Stage.slipped


async def test_issue_slip_states_payment_and_mentions_logistics(app: App, fixed_clock):
    await staff()
    number = await ready_order(app, "货到付款")
    event = group_msg(f"/开单 {number.lower()}", CS)
    notice, reply = await outbox_after(app, event)
    assert notice.mentions == [LOGISTICS]
    assert notice.subject == number and notice.target == ("group", 9001)
    assert notice.text == (
        f"销售单 XS261126-001 已开出（订单 {number}，金陵建材，已开单）\n"
        "金额：12,600 元\n付款方式：货到付款\n收货：王工 13800000000 南京市江宁区天元路1号\n"
        f"还没派车：请物流先 /派车 {number} 车牌 司机 电话 [运费]，发货后 /发货 {number} [件数] [运单号]"
    )
    assert reply.reply_to == event.message_id and reply.mentions == []
    assert (
        reply.text
        == f"已开销售单 XS261126-001：订单 {number}，货到付款，现在「已开单」。已通知物流取单发货。"
    )
    order = await order_row(number)
    assert (order.stage, order.slip_number, order.slip_at, order.slip_forced_reason) == (
        Stage.slipped,
        "XS261126-001",
        NOW,
        None,
    )
    assert ("开单", "XS261126-001 货到付款") in await audit_trail(number)


async def test_slip_after_the_vehicle_asks_logistics_to_collect_and_ship(app: App):
    await staff()
    number = await ready_order(app, "款到发货")
    await say(app, group_msg(f"/派车 {number} 皖A12345 李师傅 13900000000", LOGISTICS))
    notice, _reply = await outbox_after(app, group_msg(f"/开单 {number}", CS))
    assert notice.text.endswith(f"请物流取单、提货发货，发货后 /发货 {number} [件数] [运单号]")
    assert "付款方式：款到发货" in notice.text


async def test_slip_says_when_nobody_holds_logistics(app: App):
    from tests.factories import give_roles
    from xietong.core.roles import Role

    await give_roles(CS, Role.cs)
    await give_roles(WORKSHOP, Role.workshop)
    await give_roles(FINANCE, Role.finance)
    number = await ready_order(app, "月结")
    notice, reply = await outbox_after(app, group_msg(f"/开单 {number}", CS))
    assert notice.mentions == []  # posted in the group all the same
    assert reply.text.endswith("物流还没有成员，通知无人接收：请主任 /设岗 @成员 物流")


async def test_slip_refusals_by_role_state_and_input(app: App):
    await staff()
    number = await ready_order(app, "月结")
    by_director = group_msg(f"/开单 {number}", DIRECTOR)
    by_logistics = group_msg(f"/开单 {number}", LOGISTICS)
    no_number = group_msg("/开单", CS)
    unknown = group_msg("/开单 D991231-999", CS)
    await say(
        app,
        by_director,
        by_logistics,
        no_number,
        unknown,
        sends={
            by_director.message_id: "这一步需要「客服」岗位。",
            by_logistics.message_id: "这一步需要「客服」岗位。",
            no_number.message_id: NEEDS_NUMBER,
            unknown.message_id: "没有订单 D991231-999。",
        },
    )
    assert (await order_row(number)).stage == Stage.ready

    await say(app, group_msg(f"/开单 {number}", CS))
    slip_number = (await order_row(number)).slip_number
    again = group_msg(f"/开单 {number}", CS)
    reply = await direct_reply(app, again)
    assert reply.startswith(f"订单 {number} 已开过销售单 {slip_number}（")
    assert reply.endswith(f"现在是「已开单」。查看：/销售单 {number}")
    assert (await order_row(number)).slip_number == slip_number


async def test_slip_refused_on_a_cancelled_order(app: App):
    await staff()
    number = await ready_order(app, "月结")
    await say(app, group_msg(f"/撤单 {number} 客户不要了", CS))
    issue = group_msg(f"/开单 {number}", CS)
    force = group_msg(f"/强制开单 {number} 老板同意", DIRECTOR)
    await say(
        app,
        issue,
        force,
        sends={
            issue.message_id: f"订单 {number} 已取消。",
            force.message_id: f"订单 {number} 已取消。",
        },
    )
    order = await order_row(number)
    assert (order.stage, order.slip_number) == (Stage.cancelled, None)


async def test_slip_by_quote_reply_to_the_gate_notice(app: App):
    await staff()
    number = await register(app, "货到付款")
    await release(number)
    await stock_done(app, number)
    async with database().session() as session:
        gate_notice = await session.scalar(
            select(OutboxMessage)
            .where(OutboxMessage.subject == number)
            .order_by(OutboxMessage.id.desc())
            .limit(1)
        )
        assert "已满足开单条件" in gate_notice.segments[-1]["data"]["text"]
        gate_notice.status, gate_notice.message_id = "sent", 77001  # as the delivery worker records it
    await say(app, group_msg("/开单", CS, reply_to=77001))
    assert (await order_row(number)).stage == Stage.slipped


async def test_forced_slip_keeps_the_reason_on_the_slip_and_in_the_audit_trail(app: App, fixed_clock):
    await staff()
    number = await register(app, "款到发货")
    event = group_msg(f"/强制开单 {number} 老客户，货款明天到", DIRECTOR)
    notice, reply = await outbox_after(app, event)
    assert notice.mentions == [LOGISTICS]
    assert "主任强制开单：老客户，货款明天到" in notice.text
    assert reply.text.startswith("已开销售单 XS261126-001：")
    order = await order_row(number)
    assert (order.stage, order.slip_forced_reason) == (Stage.slipped, "老客户，货款明天到")
    assert (
        "强制开单",
        "XS261126-001 老客户，货款明天到（当时未满足：车间未完成备货；财务未确认到账，已到 0 / 12,600 元）",
    ) in await audit_trail(number)
    card = await direct_reply(app, group_msg(f"/订单 {number}", CS))
    assert "销售单：XS261126-001（11-26 10:00，强制：老客户，货款明天到）" in card


async def test_forced_slip_when_the_gate_holds_is_an_ordinary_slip(app: App):
    await staff()
    number = await ready_order(app, "月结")
    _notice, reply = await outbox_after(app, group_msg(f"/强制开单 {number} 赶时间", DIRECTOR))
    assert reply.text.endswith("开单条件本已满足，按正常开单处理（不记为强制）。")
    order = await order_row(number)
    assert (order.stage, order.slip_forced_reason) == (Stage.slipped, None)
    assert ("开单", f"{order.slip_number} 月结；主任要求开单：赶时间") in await audit_trail(number)


async def test_forced_slip_refusals(app: App):
    await staff()
    number = await register(app, "月结")
    by_cs = group_msg(f"/强制开单 {number} 急", CS)
    no_reason = group_msg(f"/强制开单 {number}", DIRECTOR)
    too_long = group_msg(f"/强制开单 {number} {'急' * 201}", DIRECTOR)
    await say(
        app,
        by_cs,
        no_reason,
        too_long,
        sends={
            by_cs.message_id: "这一步需要「主任」岗位。",
            no_reason.message_id: f"请写上强制开单的原因，例如：/强制开单 {number} 老客户，货款明天到",
            too_long.message_id: "原因太长了（最多 200 字），请精简后再发。",
        },
    )
    order = await order_row(number)
    assert (order.stage, order.slip_number) == (Stage.processing, None)


async def test_slip_as_text_by_order_or_slip_number(app: App, fixed_clock):
    await staff()
    number = await ready_order(app, "款到发货")
    await say(app, group_msg(f"/开单 {number}", CS))
    expected = (
        "销售单 XS261126-001【已开单】\n"
        f"日期：2026-11-26　订单：{number}\n"
        "客户：金陵建材\n"
        "付款方式：款到发货\n"
        "明细：\n"
        "  1. 水泥 30吨 × 420 元 = 12,600 元\n"
        "合计：12,600 元（大写：壹万贰仟陆佰元整）\n"
        "收货：王工 13800000000 南京市江宁区天元路1号\n"
        "包装：吨袋\n"
        "交期：2026-12-05\n"
        f"打印用表格：/销售单 {number} 文件"
    )
    by_order = group_msg(f"/销售单 {number}", WORKSHOP)
    by_slip = group_msg("/销售单 xs261126-001", LOGISTICS)
    missing = group_msg("/销售单 XS261126-009", LOGISTICS)
    await say(
        app,
        by_order,
        by_slip,
        missing,
        sends={
            by_order.message_id: expected,
            by_slip.message_id: expected,
            missing.message_id: "没有销售单 XS261126-009。",
        },
    )


async def test_slip_before_it_is_issued(app: App):
    await staff()
    number = await register(app, "月结")
    event = group_msg(f"/销售单 {number} 文件", CS)
    await say(app, event, sends={event.message_id: f"订单 {number} 还没开销售单（现在是「处理中」）。"})


async def test_long_slip_text_stays_under_the_qq_limit(app: App):
    from xietong.core.text import QQ_TEXT_LIMIT

    await staff()
    items = "；".join(f"规格{i:03d}型钢材配件 {i}件 {i}.5元" for i in range(1, 121))
    text = (
        f"/接单\n客户：金陵建材\n明细：{items}\n付款方式：月结\n收货人：王工\n电话：13800000000\n地址：南京"
    )
    before = await last_outbox_id()
    await say(app, group_msg(text, CS))
    number = next(q.subject for q in await queued(before) if q.text.startswith("已登记订单"))
    await stock_done(app, number)
    await release(number)
    await say(app, group_msg(f"/开单 {number}", CS))
    card = await direct_reply(app, group_msg(f"/销售单 {number}", CS))
    assert len(card) <= QQ_TEXT_LIMIT
    assert f"……共 120 项，完整内容请 /销售单 {number} 文件" in card
    assert "合计：" in card and card.endswith(f"/销售单 {number} 文件")


def cell_right_of(ws, label: str):
    """The value written to the right of a label in column A or D."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == label:
                return ws.cell(row=cell.row, column=cell.column + 1).value
    raise AssertionError(f"no {label!r} on the sheet")


async def upload(app: App, event, path: Path, *, exception: Exception | None = None) -> str:
    sent: list[str] = []
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_api(
            "upload_group_file",
            {"group_id": 9001, "file": str(path), "name": path.name},
            result=None,
            exception=exception,
        )
        ctx.should_call_send(event, Capture(sent), None)
    return sent[0]


async def test_slip_file_is_uploaded_and_reads_back(app: App, fixed_clock, slips: Path):
    await staff()
    number = await ready_order(app, "款到发货")
    await say(app, group_msg(f"/开单 {number}", CS))
    path = slips / "销售单-XS261126-001.xlsx"
    reply = await upload(app, group_msg(f"/销售单 {number} 文件", CS), path)
    assert reply == "已上传销售单文件：销售单-XS261126-001.xlsx"

    ws = load_workbook(path).active
    assert ws["A1"].value == "销售单"
    assert cell_right_of(ws, "单号") == "XS261126-001"
    assert cell_right_of(ws, "开单日期") == "2026-11-26"
    assert cell_right_of(ws, "订单号") == number
    assert cell_right_of(ws, "客户") == "金陵建材"
    assert cell_right_of(ws, "付款方式") == "款到发货"
    assert ws["B4"].font.bold and ws["B4"].font.sz >= 16  # the payment method stands out
    assert [c.value for c in ws[6]] == ["序号", "品名", "数量", "单位", "单价（元）", "金额（元）"]
    assert [c.value for c in ws[7]] == [1, "水泥", 30, "吨", 420, 12600]
    assert cell_right_of(ws, "合计（元）") is None  # merged label: the figure is in column F
    total_row = next(r for r in ws.iter_rows() if r[0].value == "合计（元）")
    assert total_row[5].value == 12600 and total_row[5].number_format == "#,##0.00"
    assert cell_right_of(ws, "大写") == "人民币壹万贰仟陆佰元整"
    assert cell_right_of(ws, "收货人") == "王工"
    assert cell_right_of(ws, "电话") == "13800000000"
    assert cell_right_of(ws, "地址") == "南京市江宁区天元路1号"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.print_area == "'销售单'!$A$1:$F$16"
    assert not list(path.parent.glob("*.part"))


async def test_slip_file_of_a_forced_slip_with_cents_and_several_items(app: App, slips: Path):
    await staff()
    text = (
        "/接单\n客户：金陵建材\n明细：水泥 10吨 420.5元；黄沙 3吨 80.17元\n付款方式：货到付款\n"
        "收货人：王工\n电话：13800000000\n地址：南京"
    )
    before = await last_outbox_id()
    await say(app, group_msg(text, CS))
    number = next(q.subject for q in await queued(before) if q.text.startswith("已登记订单"))
    await say(app, group_msg(f"/强制开单 {number} 客户急用", DIRECTOR))
    order = await order_row(number)
    assert order.amount_fen == 420_500 + 24_051
    path = slips / f"销售单-{order.slip_number}.xlsx"
    await upload(app, group_msg(f"/销售单 {order.slip_number} 表格", CS), path)
    ws = load_workbook(path).active
    assert cell_right_of(ws, "付款方式") == "货到付款"
    assert [c.value for c in ws[8]] == [2, "黄沙", 3, "吨", 80.17, 240.51]
    total_row = next(r for r in ws.iter_rows() if r[0].value == "合计（元）")
    assert total_row[5].value == 4445.51
    assert cell_right_of(ws, "大写") == "人民币肆仟肆佰肆拾伍元伍角壹分"
    assert cell_right_of(ws, "强制开单") == "客户急用"


@pytest.mark.parametrize(
    "failure", [ActionFailed(retcode=1200, msg="upload failed"), NetworkError("timeout")]
)
async def test_slip_upload_failure_names_the_saved_file(app: App, slips: Path, failure):
    await staff()
    number = await ready_order(app, "月结")
    await say(app, group_msg(f"/开单 {number}", CS))
    slip_number = (await order_row(number)).slip_number
    path = slips / f"销售单-{slip_number}.xlsx"
    reply = await upload(app, group_msg(f"/销售单 {number} 文件", CS), path, exception=failure)
    assert reply == (
        f"销售单文件没能发到 QQ，已保存在服务器上：{slips.parent.name}/slips/{path.name}\n"
        f"可在服务器上打印，或稍后再发 /销售单 {number} 文件"
    )
    assert cell_right_of(load_workbook(path).active, "单号") == slip_number


async def test_slip_file_in_private_chat_goes_to_the_asker(app: App, slips: Path):
    await staff()
    number = await ready_order(app, "月结")
    await say(app, group_msg(f"/开单 {number}", CS))
    slip_number = (await order_row(number)).slip_number
    path = slips / f"销售单-{slip_number}.xlsx"
    event = private_msg(f"/销售单 {number} 文件", DIRECTOR)
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_api(
            "upload_private_file", {"user_id": DIRECTOR, "file": str(path), "name": path.name}
        )
        ctx.should_call_send(event, f"已上传销售单文件：{path.name}", None)


async def test_slip_numbers_stay_unique_when_slips_race(app: App, fixed_clock):
    await staff()
    numbers = [await ready_order(app, payment) for payment in ("月结", "货到付款", "款到发货") * 2]

    async def issue(number: str) -> str:
        async with work(Actor(CS)) as w:
            return (await slip.issue(w, number)).order.slip_number

    slips = await asyncio.gather(*(issue(n) for n in numbers))
    assert sorted(slips) == [f"XS261126-{i:03d}" for i in range(1, 7)]
    for number, slip_number in zip(numbers, slips, strict=True):
        order = await order_row(number)
        assert (order.slip_number, order.stage) == (slip_number, Stage.slipped)


async def test_slip_numbering_restarts_each_local_day(app: App):
    await staff()
    clock.set_clock(lambda: datetime(2026, 11, 26, 15, 59, tzinfo=timezone.utc))  # 23:59 in Shanghai
    first = await ready_order(app, "月结")
    await say(app, group_msg(f"/开单 {first}", CS))
    clock.set_clock(lambda: datetime(2026, 11, 26, 16, 1, tzinfo=timezone.utc))  # 00:01 the next day
    second = await ready_order(app, "月结")
    await say(app, group_msg(f"/开单 {second}", CS))
    assert (await order_row(first)).slip_number == "XS261126-001"
    assert (await order_row(second)).slip_number == "XS261127-001"


# ---------------------------------------------------------------- CS follow-up


async def shipped_order(app: App, payment: str = "货到付款") -> str:
    number = await ready_order(app, payment)
    await say(
        app,
        group_msg(f"/派车 {number} 皖A12345 李师傅 13900000000", LOGISTICS),
        group_msg(f"/开单 {number}", CS),
        group_msg(f"/发货 {number}", LOGISTICS),
    )
    assert (await order_row(number)).stage == Stage.shipped
    return number


async def test_customer_notice_is_recorded_once_after_shipping(app: App, fixed_clock):
    await staff()
    number = await ready_order(app, "月结")
    early = group_msg(f"/已通知 {number}", CS)
    await say(
        app,
        early,
        sends={early.message_id: f"订单 {number} 还没发货（现在是「可开单」），发货后再通知客户。"},
    )
    await say(
        app,
        group_msg(f"/派车 {number} 皖A12345 李师傅 13900000000", LOGISTICS),
        group_msg(f"/开单 {number}", CS),
        group_msg(f"/发货 {number}", LOGISTICS),
    )
    [reply] = await outbox_after(app, group_msg(f"/已通知 {number} 电话告知王工", CS))
    assert reply.text == f"已记录：订单 {number}（已发货）已通知客户。" and reply.mentions == []
    assert (await order_row(number)).customer_notified_at == NOW
    assert ("已通知客户", "电话告知王工") in await audit_trail(number)
    [again] = await outbox_after(app, group_msg(f"/已通知 {number}", CS))
    assert again.text == f"订单 {number} 已在 11-26 10:00 记录通知过客户，无需重复。"
    assert [a for a, _ in await audit_trail(number)].count("已通知客户") == 1


async def test_customer_notice_refusals(app: App):
    await staff()
    number = await shipped_order(app)
    by_logistics = group_msg(f"/已通知 {number}", LOGISTICS)
    no_number = group_msg("/已通知", CS)
    await say(
        app,
        by_logistics,
        no_number,
        sends={
            by_logistics.message_id: "这一步需要「客服」岗位。",
            no_number.message_id: NEEDS_NUMBER,
        },
    )
    assert (await order_row(number)).customer_notified_at is None
    cancelled = await register(app, "月结")
    await say(app, group_msg(f"/撤单 {cancelled} 不要了", CS))
    late = group_msg(f"/已通知 {cancelled}", CS)
    await say(app, late, sends={late.message_id: f"订单 {cancelled} 已取消。"})


async def test_cs_todo_lists_shipped_orders_whose_customer_was_not_told(app: App):
    await staff()
    number = await shipped_order(app)
    todo = await direct_reply(app, group_msg("/待办", CS))
    assert f"  {number} 金陵建材 " in todo
    assert f"已发货，待通知客户：通知后 /已通知 {number}" in todo
    await say(app, group_msg(f"/已通知 {number}", CS))
    todo = await direct_reply(app, group_msg("/待办", CS))
    assert "待通知客户" not in todo


def shipped(at: datetime | None, notified: datetime | None = None, stage: Stage = Stage.shipped) -> Order:
    return Order(
        number="D261126-001",
        customer_id=1,
        customer_name="金陵建材",
        amount_fen=100,
        payment=PaymentMethod.cod,
        consignee="王工",
        phone="13800000000",
        address="南京",
        created_by=1,
        stage=stage,
        shipped_at=at,
        customer_notified_at=notified,
    )


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (shipped(NOW - timedelta(hours=3)), True),
        (shipped(NOW - timedelta(hours=2)), False),  # exactly the grace: not yet
        (shipped(NOW - timedelta(minutes=30)), False),
        (shipped(NOW - timedelta(hours=3), notified=NOW - timedelta(hours=1)), False),
        (shipped(NOW - timedelta(days=2), stage=Stage.delivered), False),  # delivered: the customer knows
        (shipped(None, stage=Stage.slipped), False),
        (shipped(NOW - timedelta(days=1), stage=Stage.cancelled), False),
    ],
)
def test_needs_customer_notice(order, expected):
    assert slip.needs_customer_notice(order, NOW, timedelta(hours=2)) is expected


@pytest.mark.parametrize(
    ("fen", "words"),
    [
        (1_260_000, "壹万贰仟陆佰元整"),
        (1_020_050, "壹万零贰佰元伍角"),
        (1_000_005, "壹万元零伍分"),
        (5, "伍分"),
        (10_000_000_000, "壹亿元整"),
    ],
)
def test_amount_in_capital_numerals(fen, words):
    assert slip.amount_in_words(fen) == words
