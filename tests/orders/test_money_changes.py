"""Issue 14, items 3-5: /改单 of 付款方式 and of 单价/金额 keep due dates, the finance task and the items true;
cancelling after the slip voids it in words and on file; after shipping /撤单 says what to do instead."""

from nonebug import App
from openpyxl import load_workbook
from sqlalchemy import select

from tests.factories import CS, FINANCE, LOGISTICS, WORKSHOP, group_msg, say, staff
from tests.finance.support import answer, finance_task, fix_clock, order_row, run
from tests.logistics.steps import ready_order, register
from xietong.core.db import database
from xietong.orders import slip, slip_file
from xietong.orders.enums import Stage, TaskState
from xietong.orders.models import OrderItem


async def items_of(number: str) -> list[OrderItem]:
    order = await order_row(number)
    async with database().session() as session:
        return list((await session.scalars(select(OrderItem).where(OrderItem.order_id == order.id))).all())


# —— item 3: /改单 付款方式 ——


async def test_changing_prepaid_to_monthly_leaves_no_due_date_and_asks_finance_to_release(app: App):
    """An order changed from 款到发货 to 月结 was shown 逾期 three days later: its due date from intake stayed."""
    fixed = fix_clock(2026, 11, 20)
    await staff()
    number = await register(app, "款到发货")
    fixed.local(2026, 11, 23)
    out = await run(app, group_msg(f"/改单 {number}\n付款方式：月结", CS))
    [to_finance] = [q for q in out if q.mentions == [FINANCE]]
    assert to_finance.text.endswith(f"月结客户，请核对额度后 /放行 {number}")
    order = await order_row(number)
    assert (order.payment.value, order.receivable_due) == ("月结", None)
    assert (await finance_task(number)).state == TaskState.pending
    card = await answer(app, group_msg(f"/订单 {number}", CS))
    assert card.split("\n")[0] == f"订单 {number}【处理中】"


async def test_changing_to_prepaid_when_already_paid_marks_the_finance_task_done(app: App):
    fix_clock(2026, 11, 20)
    await staff()
    number = await register(app, "月结")
    await run(app, group_msg(f"/收款 {number} 12600 预付", FINANCE))
    out = await run(app, group_msg(f"/改单 {number}\n付款方式：款到发货", CS))
    [to_finance] = [q for q in out if q.mentions == [FINANCE]]
    assert "/到账" not in to_finance.text  # the money is in: nothing to ask
    assert (await finance_task(number)).state == TaskState.done


# —— item 4: /改单 单价 / 金额 ——


async def test_changing_the_unit_price_updates_the_items_and_the_amount(app: App):
    await staff()
    number = await register(app, "月结")
    [reply] = [q for q in await run(app, group_msg(f"/改单 {number}\n单价：450", CS)) if q.mentions == []]
    assert reply.text == (
        f"订单 {number} 已修改：品名数量：水泥 30吨 ×420元 → 水泥 30吨 ×450元；金额：12,600 元 → 13,500 元"
    )
    [item] = await items_of(number)
    assert (item.unit_price_fen, (await order_row(number)).amount_fen) == (45_000, 1_350_000)
    card = await answer(app, group_msg(f"/订单 {number}", CS))
    assert "×450" in card and "13,500" in card


async def test_changing_the_amount_alone_must_agree_with_the_unit_prices(app: App):
    await staff()
    number = await register(app, "月结")
    wrong, by_workshop = group_msg(f"/改单 {number}\n金额：13000", CS), group_msg(f"/改单 {number}\n单价：450", WORKSHOP)
    await say(app, by_workshop, sends={by_workshop.message_id: "这一步需要「客服或主任」岗位。"})
    assert "金额 13,000 和 单价合计 12,600 对不上：改金额请同时写上新的 单价" in await answer(app, wrong)
    assert (await order_row(number)).amount_fen == 1_260_000
    same = await answer(app, group_msg(f"/改单 {number}\n金额：12600", CS))
    assert same == f"订单 {number} 没有变化。"


# —— item 5: cancelling after the slip ——


async def test_cancelling_after_the_slip_voids_it_in_words_and_on_file(app: App, data_dir):
    await staff()
    number = await ready_order(app, "月结")
    await run(app, group_msg(f"/开单 {number}", CS))
    slip_number = (await order_row(number)).slip_number
    notice, reply = await run(app, group_msg(f"/撤单 {number} 客户不要了", CS))
    assert notice.text == f"订单 {number}（金陵建材）已撤单：客户不要了。请停止处理。\n销售单 {slip_number} 作废。"
    assert LOGISTICS in notice.mentions
    assert reply.text == f"订单 {number} 已撤单。销售单 {slip_number} 作废。"
    card = await answer(app, group_msg(f"/销售单 {slip_number}", CS))
    assert card.split("\n")[0] == f"销售单 {slip_number} 作废【已取消】"
    async with database().session() as session:
        made = await slip.load_slip(session, number)
    path = await slip_file.export(made, data_dir)
    assert path.name == f"销售单-{slip_number}-作废.xlsx"
    sheet = load_workbook(path).active
    assert sheet["A1"].value == "销售单（作废）"


async def test_cancel_after_shipping_says_what_to_do_instead(app: App):
    fix_clock(2026, 11, 26)
    await staff()
    number = await ready_order(app, "月结")
    await run(app, group_msg(f"/开单 {number}", CS))
    await run(app, group_msg(f"/派车 {number} 苏A12345 老周 13900000000", LOGISTICS))
    await run(app, group_msg(f"/发货 {number}", LOGISTICS))
    refused = group_msg(f"/撤单 {number} 客户不要了", CS)
    await say(app, refused, sends={refused.message_id: (
        f"订单 {number} 已发货，不能撤单：货已离开。请用 /异常 {number} 说明情况，并和客户商定退货。"
    )})
    assert (await order_row(number)).stage == Stage.shipped
