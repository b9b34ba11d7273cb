"""Logistics through NoneBot: the whole life of an order for each payment method, and every refusal."""

from datetime import date, datetime, timezone

import pytest
from nonebug import App
from sqlalchemy import select, update

from tests.factories import (
    CS,
    DIRECTOR,
    FINANCE,
    LOGISTICS,
    NEEDS_NUMBER,
    WORKSHOP,
    group_msg,
    say,
    staff,
)
from tests.logistics.steps import (
    audit_trail,
    direct_reply,
    order_row,
    outbox_after,
    ready_order,
    register,
    shipment_row,
    stock_done,
)
from xietong.core import clock
from xietong.core.db import database
from xietong.logistics.models import Shipment
from xietong.orders.enums import Department, Stage, TaskState
from xietong.orders.models import Order, OrderTask
from xietong.parties.models import Customer

REGISTERED = datetime(2026, 11, 26, 2, 0, tzinfo=timezone.utc)  # 11-26 10:00 in Shanghai
SHIPPED = datetime(2026, 11, 27, 1, 30, tzinfo=timezone.utc)  # 11-27 09:30
DELIVERED = datetime(2026, 11, 28, 23, 0, tzinfo=timezone.utc)  # 11-29 07:00 in Shanghai, still 11-28 in UTC


def at(moment: datetime) -> None:
    clock.set_clock(lambda: moment)


async def logistics_task(number: str) -> OrderTask:
    async with database().session() as session:
        return await session.scalar(
            select(OrderTask)
            .join(Order, Order.id == OrderTask.order_id)
            .where(Order.number == number, OrderTask.department == Department.logistics)
        )


async def slipped_with_vehicle(app: App, payment: str) -> str:
    number = await ready_order(app, payment)
    await say(
        app,
        group_msg(f"/派车 {number} 皖A12345 李师傅 13900000000", LOGISTICS),
        group_msg(f"/开单 {number}", CS),
    )
    return number


async def shipped_order(app: App, payment: str) -> str:
    number = await slipped_with_vehicle(app, payment)
    await say(app, group_msg(f"/发货 {number}", LOGISTICS))
    return number


# ---------------------------------------------------------------- whole lifecycles


async def test_prepaid_order_from_intake_to_settled(app: App):
    at(REGISTERED)
    await staff()
    number = await ready_order(app, "款到发货")
    assert (await order_row(number)).stage == Stage.ready

    [dispatched] = await outbox_after(
        app, group_msg(f"/派车 {number} 皖a·12345 李师傅 139-0000-0000 800元", LOGISTICS)
    )
    assert dispatched.text == (
        f"订单 {number} 已派车：皖A12345，司机 李师傅 13900000000，运费 800 元。\n现在「可开单」，等客服开销售单后再发货。"
    )
    task = await logistics_task(number)
    assert (task.state, task.actor_qq, task.note) == (
        TaskState.done,
        LOGISTICS,
        "皖A12345 李师傅 13900000000 运费800元",
    )

    await say(app, group_msg(f"/开单 {number}", CS))
    at(SHIPPED)
    event = group_msg(f"/发货 {number} 30件 sf1234567890", LOGISTICS)
    notice, reply = await outbox_after(app, event)
    assert notice.mentions == [CS] and notice.subject == number
    assert notice.text == (
        f"订单 {number}（金陵建材）已发货：皖A12345，司机 李师傅 13900000000，30 件，运单号 SF1234567890。\n"
        f"请客服通知客户（收货人 王工 13800000000），通知后 /已通知 {number}"
    )
    assert reply.reply_to == event.message_id
    assert reply.text == f"订单 {number} 已发货，现在「已发货」。已通知客服告知客户。\n送到后 /到货 {number}"
    order, shipment = await order_row(number), await shipment_row(number)
    assert (order.stage, order.shipped_at) == (Stage.shipped, SHIPPED)
    assert (shipment.packages, shipment.waybill, shipment.freight_fen) == (30, "SF1234567890", 80_000)

    await say(app, group_msg(f"/已通知 {number}", CS))
    at(DELIVERED)
    notice, reply = await outbox_after(app, group_msg(f"/到货 {number}", LOGISTICS))
    assert notice.mentions == [CS]
    assert (
        notice.text
        == f"订单 {number}（金陵建材）已到货（11-29 07:00），货款 12,600 元已付清，订单「已结清」。"
    )
    assert reply.text == f"订单 {number} 已确认到货，现在「已结清」。"
    order = await order_row(number)
    assert (order.stage, order.delivered_at, order.settled_at) == (Stage.settled, DELIVERED, DELIVERED)
    assert order.receivable_due == date(2026, 11, 26)  # 款到发货: due from intake, unchanged
    actions = [action for action, _ in await audit_trail(number)]
    assert actions == ["接单", "备货完成", "可开单", "派车", "开单", "发货", "已通知客户", "到货", "结清"]


async def test_cod_order_from_intake_to_cash_collected(app: App):
    at(REGISTERED)
    await staff()
    number = await ready_order(app, "货到付款")
    await say(app, group_msg(f"/开单 {number}", CS))
    [dispatched] = await outbox_after(
        app, group_msg(f"/派车 {number} 苏B12345D 张师傅 0550-3012345", LOGISTICS)
    )
    assert dispatched.text.endswith(
        f"销售单 {(await order_row(number)).slip_number} 已开，提货后 /发货 {number} [件数] [运单号]"
    )

    at(SHIPPED)
    notice, reply = await outbox_after(app, group_msg(f"/发货 {number}", LOGISTICS))
    assert "货到付款 12,600 元，由司机代收。" in notice.text
    assert reply.text.endswith(f"/代收 {number} 金额")

    at(DELIVERED)
    notice, reply = await outbox_after(app, group_msg(f"/到货 {number}", LOGISTICS))
    assert (
        notice.text
        == f"订单 {number}（金陵建材）已到货（11-29 07:00），货到付款未收 12,600 元，由物流代收后交财务。"
    )
    assert reply.text == f"订单 {number} 已确认到货，现在「已到货」。\n收到货款后 /代收 {number} 金额"
    order = await order_row(number)
    assert (order.stage, order.receivable_due) == (
        Stage.delivered,
        date(2026, 11, 29),
    )  # the local delivery day

    todo = await direct_reply(app, group_msg("/待办", LOGISTICS))
    assert f"  {number} 金陵建材 货到付款待代收 12,600 元：/代收 {number} 金额" in todo

    notice, reply = await outbox_after(app, group_msg(f"/代收 {number} 1.26万", LOGISTICS))
    assert notice.mentions == [FINANCE]
    assert notice.text == (
        f"订单 {number}（金陵建材）货到付款已由物流代收 12,600 元。\n请财务收到交款后入账：/代收入账 {number} 12600"
    )
    assert reply.text == f"已登记订单 {number} 代收 12,600 元，已通知财务入账，请尽快交款。"
    shipment = await shipment_row(number)
    assert (shipment.cod_collected_fen, shipment.cod_collected_at, shipment.cod_booked_at) == (
        1_260_000,
        DELIVERED,
        None,
    )

    todo = await direct_reply(app, group_msg("/待办", LOGISTICS))
    assert f"  {number} 金陵建材 代收 12,600 元（11-29 07:00）待交财务入账" in todo
    assert "待代收" not in todo
    async with database().session() as session:  # finance's /代收入账, as its rows would read
        await session.execute(
            update(Shipment).where(Shipment.id == shipment.id).values(cod_booked_at=clock.now())
        )
    todo = await direct_reply(app, group_msg("/待办", LOGISTICS))
    assert "待交财务入账" not in todo


@pytest.mark.parametrize(("credit_days", "due"), [(None, date(2026, 12, 29)), (45, date(2027, 1, 13))])
async def test_monthly_order_falls_due_after_the_credit_days(app: App, credit_days, due):
    at(REGISTERED)
    await staff()
    number = await ready_order(app, "月结")
    async with database().session() as session:
        await session.execute(update(Customer).values(credit_days=credit_days))
    await say(
        app,
        group_msg(f"/开单 {number}", CS),
        group_msg(f"/派车 {number} 皖A12345 李师傅 13900000000", LOGISTICS),
        group_msg(f"/发货 {number} 三十箱", LOGISTICS),
    )
    assert (await shipment_row(number)).packages == 30
    at(DELIVERED)
    notice, _reply = await outbox_after(app, group_msg(f"/到货 {number}", LOGISTICS))
    assert notice.text == (
        f"订单 {number}（金陵建材）已到货（11-29 07:00），月结未收 12,600 元，到期日 {due:%Y-%m-%d}，请客服跟进回款。"
    )
    order = await order_row(number)
    assert (order.stage, order.receivable_due, order.settled_at) == (Stage.delivered, due, None)


async def test_forced_prepaid_slip_delivered_unpaid_stays_open(app: App):
    at(REGISTERED)
    await staff()
    number = await register(app, "款到发货")
    await stock_done(app, number)
    await say(
        app,
        group_msg(f"/强制开单 {number} 老客户先发货", DIRECTOR),
        group_msg(f"/派车 {number} 皖A12345 李师傅 13900000000", LOGISTICS),
        group_msg(f"/发货 {number}", LOGISTICS),
    )
    notice, _ = await outbox_after(app, group_msg(f"/到货 {number}", LOGISTICS))
    assert notice.text.endswith("款到发货但未收 12,600 元（应于 2026-11-26 前付清），请客服催收。")
    assert (await order_row(number)).stage == Stage.delivered


# ---------------------------------------------------------------- vehicle


async def test_dispatch_before_the_slip_and_a_change_of_vehicle(app: App):
    await staff()
    number = await register(app, "月结")
    await say(app, group_msg(f"/派车 {number} 皖A 12345 李师傅 13900000000", LOGISTICS))
    [changed] = await outbox_after(
        app, group_msg(f"/派车 {number} 皖AD12345 王师傅 13700000000 600", LOGISTICS)
    )
    assert changed.text == (
        f"订单 {number} 已改派：皖AD12345，司机 王师傅 13700000000，运费 600 元"
        "（原 皖A12345，司机 李师傅 13900000000）。\n现在「处理中」，等客服开销售单后再发货。"
    )
    shipment = await shipment_row(number)
    assert (shipment.plate, shipment.driver, shipment.driver_phone, shipment.freight_fen) == (
        "皖AD12345",
        "王师傅",
        "13700000000",
        60_000,
    )
    assert (await logistics_task(number)).note == "皖AD12345 王师傅 13700000000 运费600元"
    assert [a for a, _ in await audit_trail(number)][-2:] == ["派车", "改派"]
    async with database().session() as session:
        from sqlalchemy import func

        assert await session.scalar(select(func.count()).select_from(Shipment)) == 1


async def test_dispatch_bad_input_names_every_problem_and_changes_nothing(app: App):
    await staff()
    number = await register(app, "月结")
    usage = f"用法：/派车 单号 车牌 司机 电话 [运费]，如 /派车 {number} 皖A12345 李师傅 13900000000 800"
    both = group_msg(f"/派车 {number} 皖A1234 李师傅 139000", LOGISTICS)
    swapped = group_msg(f"/派车 {number} 皖A12345 13900000000 李师傅", LOGISTICS)
    freight = group_msg(f"/派车 {number} 皖A12345 李师傅 13900000000 -5", LOGISTICS)
    short = group_msg(f"/派车 {number} 皖A12345 李师傅", LOGISTICS)
    no_number = group_msg("/派车 皖A12345 李师傅 13900000000", LOGISTICS)
    await say(
        app,
        both,
        swapped,
        freight,
        short,
        no_number,
        sends={
            both.message_id: (
                "没有派车，请改正：\n· 车牌 格式不对：皖A1234（如 皖A12345，新能源 皖AD12345）\n"
                "· 电话 格式不对：139000（手机 11 位，座机带区号，如 0550-3012345）\n" + usage
            ),
            swapped.message_id: (
                "没有派车，请改正：\n· 司机 请写姓名（30 字以内）：13900000000\n"
                "· 电话 格式不对：李师傅（手机 11 位，座机带区号，如 0550-3012345）\n" + usage
            ),
            freight.message_id: "没有派车，请改正：\n· 运费 必须大于 0：-5\n" + usage,
            short.message_id: "请写全派车信息：" + usage.removeprefix("用法："),
            no_number.message_id: NEEDS_NUMBER,
        },
    )
    assert await shipment_row(number) is None
    assert (await logistics_task(number)).state == TaskState.pending


# ---------------------------------------------------------------- shipping and delivery refusals


async def test_ship_needs_the_slip_and_the_vehicle(app: App):
    await staff()
    number = await register(app, "月结")
    neither = group_msg(f"/发货 {number}", LOGISTICS)
    await say(
        app,
        neither,
        sends={
            neither.message_id: (
                f"订单 {number} 还不能发货：还没开销售单（现在是「处理中」）；还没派车（/派车 {number} 车牌 司机 电话）。"
            )
        },
    )
    await say(app, group_msg(f"/派车 {number} 皖A12345 李师傅 13900000000", LOGISTICS))
    no_slip = group_msg(f"/发货 {number}", LOGISTICS)
    await say(
        app,
        no_slip,
        sends={no_slip.message_id: f"订单 {number} 还不能发货：还没开销售单（现在是「处理中」）。"},
    )

    other = await ready_order(app, "月结")
    await say(app, group_msg(f"/开单 {other}", CS))
    no_vehicle = group_msg(f"/发货 {other}", LOGISTICS)
    await say(
        app,
        no_vehicle,
        sends={
            no_vehicle.message_id: (f"订单 {other} 还不能发货：还没派车（/派车 {other} 车牌 司机 电话）。")
        },
    )
    assert (await order_row(number)).stage == Stage.processing
    assert (await order_row(other)).stage == Stage.slipped


async def test_delivery_needs_shipping_and_neither_happens_twice(app: App):
    at(SHIPPED)
    await staff()
    number = await slipped_with_vehicle(app, "月结")
    early = group_msg(f"/到货 {number}", LOGISTICS)
    await say(
        app, early, sends={early.message_id: f"订单 {number} 还没发货（现在是「已开单」），不能确认到货。"}
    )
    await say(app, group_msg(f"/发货 {number}", LOGISTICS))
    ship_again = group_msg(f"/发货 {number}", LOGISTICS)
    redispatch = group_msg(f"/派车 {number} 皖A54321 王师傅 13700000000", LOGISTICS)
    await say(
        app,
        ship_again,
        redispatch,
        sends={
            ship_again.message_id: f"订单 {number} 已在 11-27 09:30 发货，现在是「已发货」。",
            redispatch.message_id: f"订单 {number} 已发货（11-27 09:30 发货），不能再派车。",
        },
    )
    at(DELIVERED)
    await say(app, group_msg(f"/到货 {number}", LOGISTICS))
    again = group_msg(f"/到货 {number}", LOGISTICS)
    await say(
        app, again, sends={again.message_id: f"订单 {number} 已在 11-29 07:00 确认到货，现在是「已到货」。"}
    )
    assert (await shipment_row(number)).plate == "皖A12345"


async def test_ship_extras_in_either_order_and_bad_ones(app: App):
    await staff()
    number = await slipped_with_vehicle(app, "月结")
    usage = f"用法：/发货 单号 [件数] [运单号]，如 /发货 {number} 30件 SF1234567890"
    zero = group_msg(f"/发货 {number} 0件", LOGISTICS)
    bad_waybill = group_msg(f"/发货 {number} 30件 顺丰#1", LOGISTICS)
    extra = group_msg(f"/发货 {number} 3 SF1 4", LOGISTICS)
    await say(
        app,
        zero,
        bad_waybill,
        extra,
        sends={
            zero.message_id: "没有发货，请改正：\n· 件数 不对：0件（1 到 99999）\n" + usage,
            bad_waybill.message_id: "没有发货，请改正：\n· 运单号 只能是字母、数字和横线：顺丰#1\n" + usage,
            extra.message_id: "没有发货，请改正：\n· 多写了：4\n" + usage,
        },
    )
    assert (await order_row(number)).stage == Stage.slipped
    await say(app, group_msg(f"/发货 {number} yt-7730123456789 12箱", LOGISTICS))
    shipment = await shipment_row(number)
    assert (shipment.packages, shipment.waybill) == (12, "YT-7730123456789")


async def test_a_cancelled_order_refuses_every_logistics_command(app: App):
    await staff()
    number = await slipped_with_vehicle(app, "货到付款")
    await say(app, group_msg(f"/撤单 {number} 客户退单", CS))
    commands = [
        (f"/派车 {number} 皖A12345 李师傅 13900000000", LOGISTICS),
        (f"/发货 {number}", LOGISTICS),
        (f"/到货 {number}", LOGISTICS),
        (f"/异常 {number} 车坏了", LOGISTICS),
        (f"/代收 {number} 100", LOGISTICS),
        (f"/运费 {number} 100", LOGISTICS),
        (f"/已通知 {number}", CS),
    ]
    events = [group_msg(text, who) for text, who in commands]
    await say(app, *events, sends={e.message_id: f"订单 {number} 已取消。" for e in events})
    order, shipment = await order_row(number), await shipment_row(number)
    assert (order.stage, order.exception_note, order.shipped_at) == (Stage.cancelled, None, None)
    assert (shipment.freight_fen, shipment.cod_collected_fen) == (None, None)


async def test_every_logistics_command_refused_for_the_wrong_role(app: App):
    await staff()
    number = await slipped_with_vehicle(app, "货到付款")
    need_logistics = "这一步需要「物流」岗位。"
    cases = [
        (group_msg(f"/派车 {number} 皖A54321 王师傅 13700000000", CS), need_logistics),
        (group_msg(f"/发货 {number}", CS), need_logistics),
        (group_msg(f"/到货 {number}", WORKSHOP), need_logistics),
        (group_msg(f"/代收 {number} 12600", FINANCE), need_logistics),
        (group_msg(f"/运费 {number} 800", DIRECTOR), need_logistics),
        (group_msg(f"/异常 {number} 车坏了", WORKSHOP), "这一步需要「物流或客服」岗位。"),
        (group_msg(f"/异常解除 {number}", FINANCE), "这一步需要「物流、客服或主任」岗位。"),
    ]
    await say(app, *(e for e, _ in cases), sends={e.message_id: text for e, text in cases})
    order, shipment = await order_row(number), await shipment_row(number)
    assert (order.stage, order.exception_note) == (Stage.slipped, None)
    assert (shipment.plate, shipment.freight_fen) == ("皖A12345", None)


# ---------------------------------------------------------------- exceptions


async def test_exception_flags_the_order_until_cleared(app: App):
    await staff()
    number = await shipped_order(app, "月结")
    notice, reply = await outbox_after(app, group_msg(f"/异常 {number} 高速封路，预计晚一天", LOGISTICS))
    assert notice.mentions == [CS, DIRECTOR]
    assert notice.text == (
        f"订单 {number}（金陵建材，已发货）出现异常：高速封路，预计晚一天\n"
        f"报告人：赵物流。请客服、主任跟进，处理完 /异常解除 {number}"
    )
    assert reply.text == f"已记录订单 {number} 的异常，已通知客服和主任。"
    card = await direct_reply(app, group_msg(f"/订单 {number}", FINANCE))
    assert card.startswith(f"订单 {number}【已发货】 异常\n") and "异常：高速封路，预计晚一天" in card
    board = await direct_reply(app, group_msg("/看板", CS))
    assert f"  {number} 金陵建材 12,600元 [异常]" in board
    todo = await direct_reply(app, group_msg("/待办", CS))
    assert f"  {number}（已发货）异常：高速封路，预计晚一天，处理完 /异常解除 {number}" in todo

    notice, _ = await outbox_after(app, group_msg(f"/异常 {number} 改走国道，明早到", CS))
    assert notice.text.startswith(
        f"订单 {number}（金陵建材，已发货）异常有更新：改走国道，明早到\n报告人：王客服。"
    )

    [cleared] = await outbox_after(app, group_msg(f"/异常解除 {number} 已到服务区", DIRECTOR))
    assert cleared.text == f"订单 {number}（已发货）的异常已解除：改走国道，明早到"
    assert (await order_row(number)).exception_note is None
    assert ("异常解除", "改走国道，明早到 → 已到服务区") in await audit_trail(number)
    card = await direct_reply(app, group_msg(f"/订单 {number}", FINANCE))
    assert card.startswith(f"订单 {number}【已发货】\n")


async def test_exception_bad_input(app: App):
    await staff()
    number = await shipped_order(app, "月结")
    no_note = group_msg(f"/异常 {number}", LOGISTICS)
    nothing_open = group_msg(f"/异常解除 {number}", CS)
    too_long = group_msg(f"/异常 {number} {'堵' * 501}", CS)
    await say(
        app,
        no_note,
        nothing_open,
        too_long,
        sends={
            no_note.message_id: f"请写上异常说明，例如：/异常 {number} 高速封路，预计晚一天到",
            nothing_open.message_id: f"订单 {number} 没有未解除的异常。",
            too_long.message_id: "说明太长了（最多 500 字）。",
        },
    )
    assert (await order_row(number)).exception_note is None


async def test_an_exception_left_on_a_cancelled_order_can_be_cleared(app: App):
    await staff()
    number = await slipped_with_vehicle(app, "月结")
    await say(
        app, group_msg(f"/异常 {number} 司机联系不上", LOGISTICS), group_msg(f"/撤单 {number} 改期", CS)
    )
    await say(app, group_msg(f"/异常解除 {number}", LOGISTICS))
    assert (await order_row(number)).exception_note is None


# ---------------------------------------------------------------- cash on delivery and freight


async def test_cod_refusals_and_correction(app: App):
    await staff()
    monthly = await shipped_order(app, "月结")
    number = await slipped_with_vehicle(app, "货到付款")
    not_cod = group_msg(f"/代收 {monthly} 12600", LOGISTICS)
    early = group_msg(f"/代收 {number} 12600", LOGISTICS)
    await say(
        app,
        not_cod,
        early,
        sends={
            not_cod.message_id: f"订单 {monthly} 是「月结」，不是货到付款，无需代收。",
            early.message_id: f"订单 {number} 还没发货（现在是「已开单」），不能登记代收。",
        },
    )
    await say(app, group_msg(f"/发货 {number}", LOGISTICS))
    bad = group_msg(f"/代收 {number} 一些钱", LOGISTICS)
    zero = group_msg(f"/代收 {number} 0", LOGISTICS)
    missing = group_msg(f"/代收 {number}", LOGISTICS)
    too_much = group_msg(f"/代收 {number} 13000", LOGISTICS)
    await say(
        app,
        bad,
        zero,
        missing,
        too_much,
        sends={
            bad.message_id: "代收金额 看不懂：一些钱",
            zero.message_id: "代收金额 必须大于 0：0",
            missing.message_id: f"请写上金额，例如：/代收 {number} 12600",
            too_much.message_id: "代收 13,000 元超过订单未收的 12,600 元，请核对。",
        },
    )
    assert (await shipment_row(number)).cod_collected_at is None

    await say(app, group_msg(f"/代收 {number} 12000", LOGISTICS))
    notice, _ = await outbox_after(app, group_msg(f"/代收 {number} 12,600元", LOGISTICS))
    assert notice.text.startswith(
        f"订单 {number}（金陵建材）货到付款已由物流代收 12,600 元，更正原登记的 12,000 元。"
    )
    assert (await shipment_row(number)).cod_collected_fen == 1_260_000

    async with database().session() as session:  # finance booked it
        await session.execute(
            update(Shipment).where(Shipment.cod_collected_at.is_not(None)).values(cod_booked_at=clock.now())
        )
    late = group_msg(f"/代收 {number} 12000", LOGISTICS)
    reply = await direct_reply(app, late)
    assert reply.startswith(f"订单 {number} 的代收款 12,600 元已于 ") and reply.endswith(
        "由财务入账，不能再改。"
    )


async def test_freight(app: App):
    await staff()
    number = await register(app, "月结")
    early = group_msg(f"/运费 {number} 800", LOGISTICS)
    await say(
        app,
        early,
        sends={early.message_id: f"订单 {number} 还没派车，请先 /派车 {number} 车牌 司机 电话 [运费]。"},
    )
    await say(app, group_msg(f"/派车 {number} 皖A12345 李师傅 13900000000", LOGISTICS))
    [first] = await outbox_after(app, group_msg(f"/运费 {number} 800", LOGISTICS))
    [second] = await outbox_after(app, group_msg(f"/运费 {number} 1,200元", LOGISTICS))
    assert first.text == f"已登记订单 {number} 运费 800 元。"
    assert second.text == f"已登记订单 {number} 运费 1,200 元（原 800 元）。"
    assert (await shipment_row(number)).freight_fen == 120_000
    bad = group_msg(f"/运费 {number} 800.555", LOGISTICS)
    await say(app, bad, sends={bad.message_id: "运费 最多两位小数：800.555"})

    async with database().session() as session:  # finance's /运费结算
        await session.execute(update(Shipment).values(freight_settled_at=clock.now()))
    settled = group_msg(f"/运费 {number} 900", LOGISTICS)
    reply = await direct_reply(app, settled)
    assert reply.startswith(f"订单 {number} 的运费 1,200 元已于 ") and reply.endswith("结算，不能再改。")
    assert (await shipment_row(number)).freight_fen == 120_000


# ---------------------------------------------------------------- /待办


async def test_logistics_todo_shows_slips_to_collect_and_shipments_in_transit(app: App):
    at(SHIPPED)
    await staff()
    no_vehicle = await ready_order(app, "月结")
    await say(app, group_msg(f"/开单 {no_vehicle}", CS))
    waiting = await slipped_with_vehicle(app, "月结")
    moving = await shipped_order(app, "货到付款")
    await say(app, group_msg(f"/异常 {moving} 爆胎", LOGISTICS))
    slip_of = {n: (await order_row(n)).slip_number for n in (no_vehicle, waiting)}
    todo = await direct_reply(app, group_msg("/待办", LOGISTICS))
    assert todo.split("\n") == [
        "【物流】",
        f"  {no_vehicle} 金陵建材 物流 派车",  # the department task, from orders
        f"  {no_vehicle} 金陵建材 已开单 {slip_of[no_vehicle]}，还没派车：/派车 {no_vehicle} 车牌 司机 电话",
        f"  {waiting} 金陵建材 已开单 {slip_of[waiting]}，待取单发货：/发货 {waiting}",
        f"  {moving} 金陵建材 在途（11-27 09:30 发货 皖A12345），到货后 /到货 {moving} [异常：爆胎]",
    ]
