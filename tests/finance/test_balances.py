"""Issue 14, item 1: money received on a cancelled order never disappears. It becomes the customer's balance
(预收余额) until finance refunds it (/退款) or applies it to another order (/转单); the cancellation notice
says so to finance, /应收 客户 shows it, and /月报 keeps it apart from 回款 on sales."""

from nonebug import App

from tests.factories import CS, FINANCE, LOGISTICS, WORKSHOP, group_msg, say, staff
from tests.finance.support import answer, entries, fix_clock, new_order, order_row, run
from tests.logistics.steps import register
from xietong.core.db import database
from xietong.finance import balances, review
from xietong.finance.models import EntryKind
from xietong.orders.enums import Stage
from xietong.reports.monthly import Month, figures

NOVEMBER = Month(2026, 11)


async def position(number: str) -> balances.Position:
    order = await order_row(number)
    async with database().session() as session:
        return await balances.position(session, order.customer_id)


async def month_figures():
    async with database().session() as session:
        return await figures(session, NOVEMBER)


async def cancelled_with_money(app: App) -> str:
    """/到账 8000 on a 款到发货 order, then /撤单: the story of the issue."""
    number = await register(app, "款到发货")
    await run(app, group_msg(f"/到账 {number} 8000", FINANCE))
    await run(app, group_msg(f"/撤单 {number} 客户改买别家", CS))
    return number


async def test_cancelling_an_order_with_money_tells_finance_and_keeps_the_money_as_a_balance(app: App):
    fix_clock(2026, 11, 26)
    await staff()
    number = await register(app, "款到发货")
    await run(app, group_msg(f"/到账 {number} 8000", FINANCE))
    notice, reply = await run(app, group_msg(f"/撤单 {number} 客户改买别家", CS))
    assert notice.text == (
        f"订单 {number}（金陵建材）已撤单：客户改买别家。请停止处理。\n"
        f"已收 8,000 元转为客户预收余额，请财务退款（/退款 {number} 金额 说明）或转到新单（/转单 {number} 新单号）。"
    )
    assert FINANCE in notice.mentions and CS not in notice.mentions
    assert reply.text == f"订单 {number} 已撤单。"
    assert await position(number) == balances.Position(received=800_000, applied=0, balance=800_000, refunded=0)
    text = await answer(app, group_msg("/应收 金陵建材", FINANCE))
    assert text == "金陵建材 目前没有应收账款。\n预收余额（撤单或多收，待退款或转单）：8,000 元"
    month = await month_figures()
    assert (month.collected_fen, month.collections, month.to_balance_fen, month.balance_end_fen) == (0, 0, 800_000, 800_000)
    async with database().session() as session:  # the weekly brief and the digest read the same 回款
        assert await review.collected_in_month(session, 2026, 11) == 0


async def test_refund_pays_back_part_of_the_balance(app: App):
    fix_clock(2026, 11, 26)
    await staff()
    number = await cancelled_with_money(app)
    [reply] = await run(app, group_msg(f"/退款 {number} 3000 客户要求退回 工行转账", FINANCE))
    refund = (await entries(number))[-1]
    assert (refund.kind, refund.amount_fen, refund.note) == (EntryKind.refund, -300_000, "客户要求退回 工行转账")
    assert reply.text == (
        f"订单 {number}【已取消】 退款 3,000 元（第2笔）：客户要求退回 工行转账。金陵建材 预收余额还有 5,000 元。"
    )
    assert (await order_row(number)).paid_fen == 500_000
    assert await position(number) == balances.Position(received=800_000, applied=0, balance=500_000, refunded=300_000)
    month = await month_figures()
    assert (month.collected_fen, month.refunded_fen, month.balance_end_fen) == (0, 300_000, 500_000)
    ledger = await answer(app, group_msg(f"/收款记录 {number}", FINANCE))
    assert "第2笔 11-26 10:00 退款 -3,000 元" in ledger


async def test_refund_refusals(app: App):
    await staff()
    number = await cancelled_with_money(app)
    live = await register(app, "月结")
    events = {
        "by_cs": (group_msg(f"/退款 {number} 3000 退回", CS), "这一步需要「财务」岗位。"),
        "by_workshop": (group_msg(f"/退款 {number} 3000 退回", WORKSHOP), "这一步需要「财务」岗位。"),
        "too_much": (group_msg(f"/退款 {number} 9000 退回", FINANCE),
                     f"订单 {number}【已取消】可退的预收余额是 8,000 元，不能多退。"),
        "no_amount": (group_msg(f"/退款 {number}", FINANCE), f"请写上金额和说明，例如：/退款 {number} 8000 客户撤单退回"),
        "no_note": (group_msg(f"/退款 {number} 3000", FINANCE), f"请写上金额和说明，例如：/退款 {number} 8000 客户撤单退回"),
        "bad_amount": (group_msg(f"/退款 {number} 3块5毛 退回", FINANCE), None),
        "zero": (group_msg(f"/退款 {number} 0 退回", FINANCE),
                 f"金额 必须大于 0：0。金额按元写，最多两位小数，例如：/退款 {number} 8000 说明"),
        "nothing_spare": (group_msg(f"/退款 {live} 100 退回", FINANCE), f"订单 {live}【处理中】没有可退的预收余额。"),
    }
    for event, expected in events.values():
        if expected:
            await say(app, event, sends={event.message_id: expected})
    bad = await answer(app, events["bad_amount"][0])
    assert bad.startswith("金额 看不懂：3块5毛") and f"/退款 {number} 8000 说明" in bad
    assert [e.kind for e in await entries(number)] == [EntryKind.payment]


async def test_transfer_applies_the_balance_to_a_new_order_of_the_same_customer(app: App):
    fix_clock(2026, 11, 26)
    await staff()
    old = await cancelled_with_money(app)
    new = await register(app, "款到发货")
    before = await position(old)
    [reply] = await run(app, group_msg(f"/转单 {old} {new}", FINANCE))
    assert reply.text == (
        f"已把订单 {old} 的 8,000 元转到 {new}【处理中】。已收 8,000 / 12,600 元，还差 4,600 元。金陵建材 预收余额还有 0 元。"
    )
    out, into = (await entries(old))[-1], (await entries(new))[-1]
    assert (out.kind, out.amount_fen, into.kind, into.amount_fen) == (
        EntryKind.transfer_out, -800_000, EntryKind.transfer_in, 800_000
    )
    assert into.counterpart_id == out.id
    assert ((await order_row(old)).paid_fen, (await order_row(new)).paid_fen) == (0, 800_000)
    after = await position(old)
    assert (after.received, after.applied, after.balance, after.refunded) == (before.received, 800_000, 0, 0)
    month = await month_figures()
    assert (month.collected_fen, month.to_balance_fen, month.balance_end_fen) == (800_000, 0, 0)

    # the whole transfer is undone by reversing either leg; the money goes back to the balance
    [undone] = await run(app, group_msg(f"/冲销 {new} 1 转错了单", FINANCE))  # the new order's 1st entry
    assert undone.text == f"已冲销转单：8,000 元从 {new} 退回 {old}。已收 0 / 12,600 元，还差 12,600 元。"
    assert ((await order_row(old)).paid_fen, (await order_row(new)).paid_fen) == (800_000, 0)
    assert (await position(old)).balance == 800_000


async def test_a_transfer_takes_only_what_the_new_order_owes_and_opens_its_gate(app: App):
    await staff()
    old = await cancelled_with_money(app)
    small = await new_order(amount_fen=500_000)  # 款到发货 5,000 of the same customer
    await say(app, group_msg(f"/备货完成 {small}", WORKSHOP))
    out = await run(app, group_msg(f"/转单 {old} {small}", FINANCE))
    gate, reply = out
    assert gate.mentions == [CS] and "已满足开单条件" in gate.text
    assert reply.text.endswith("款已收齐（5,000 元）。金陵建材 预收余额还有 3,000 元。")
    assert (await order_row(small)).stage == Stage.ready


async def test_transfer_refusals(app: App):
    await staff()
    old = await cancelled_with_money(app)
    other = await new_order(customer="江宁五金")
    mine = await register(app, "月结")
    empty = await register(app, "月结")
    await run(app, group_msg(f"/撤单 {empty} 不要了", CS))
    events = [
        (group_msg(f"/转单 {old} {mine}", CS), "这一步需要「财务」岗位。"),
        (group_msg(f"/转单 {old} {mine}", LOGISTICS), "这一步需要「财务」岗位。"),
        (group_msg(f"/转单 {old}", FINANCE), f"请写上新单号，例如：/转单 {old} D261129-002"),
        (group_msg(f"/转单 {old} 新单", FINANCE), f"请写上新单号，例如：/转单 {old} D261129-002"),
        (group_msg(f"/转单 {old} {old}", FINANCE), "原单号和新单号是同一张单。写法：/转单 原单号 新单号"),
        (group_msg(f"/转单 {old} {other}", FINANCE),
         f"订单 {old} 是 金陵建材 的，{other} 是 江宁五金 的：只能转到同一客户的订单。"),
        (group_msg(f"/转单 {old} {empty}", FINANCE), f"订单 {empty} 已取消，不能转入。"),
        (group_msg(f"/转单 {mine} {old}", FINANCE), f"订单 {old} 已取消，不能转入。"),
        (group_msg(f"/转单 {empty} {mine}", FINANCE), f"订单 {empty}【已取消】没有可转的预收余额。"),
    ]
    await say(app, *(e for e, _ in events), sends={e.message_id: text for e, text in events})
    assert (await order_row(old)).paid_fen == 800_000 and (await order_row(mine)).paid_fen == 0


async def test_a_reversal_never_takes_an_order_below_zero(app: App):
    """8,000 received, 3,000 refunded: reversing the 8,000 would leave −3,000 on the order. Refused: the
    refund must be reversed first."""
    await staff()
    number = await cancelled_with_money(app)
    await run(app, group_msg(f"/退款 {number} 3000 退回", FINANCE))
    assert [e.kind for e in await entries(number)] == [EntryKind.payment, EntryKind.refund]
    event = group_msg(f"/冲销 {number} 1 记错了", FINANCE)  # entries are counted per order
    await say(app, event, sends={event.message_id: (
        f"订单 {number} 现有 5,000 元，不够冲销第1笔（8,000 元）：钱已退款或转单转出，"
        f"请先冲销那几笔（/收款记录 {number} 查是第几笔）。"
    )})
    await run(app, group_msg(f"/冲销 {number} 2 退款没有成功", FINANCE))
    await run(app, group_msg(f"/冲销 {number} 1 记错了", FINANCE))
    assert (await order_row(number)).paid_fen == 0
    assert await position(number) == balances.Position(received=0, applied=0, balance=0, refunded=0)


async def test_statement_functions_see_the_balance_move_through_time(app: App):
    """What /对账 builds on: the balance at a moment, and what moved in a period, line by line."""
    from datetime import datetime

    from xietong.core import clock

    fixed = fix_clock(2026, 11, 26)
    await staff()
    old = await cancelled_with_money(app)
    customer_id = (await order_row(old)).customer_id
    fixed.local(2026, 11, 28)
    await run(app, group_msg(f"/退款 {old} 3000 退回一部分", FINANCE))
    fixed.local(2026, 12, 2)
    new = await register(app, "款到发货")
    await run(app, group_msg(f"/转单 {old} {new}", FINANCE))

    def day(month: int, d: int) -> datetime:
        return datetime(2026, month, d, tzinfo=clock.LOCAL_TZ)

    async with database().session() as session:
        held = [await balances.balance_at(session, customer_id, day(m, d)) for m, d in ((11, 26), (11, 27),
                                                                                      (11, 29), (12, 3))]
        november = await balances.movements(session, customer_id, day(11, 1), day(12, 1))
        december = await balances.movements(session, customer_id, day(12, 1), day(12, 31))
        lines = await balances.lines(session, customer_id, day(12, 1), day(12, 31))
    assert held == [0, 800_000, 500_000, 0]
    assert november == balances.Movements(received=800_000, refunded=300_000, applied=0)
    assert december == balances.Movements(received=0, refunded=0, applied=500_000)
    assert [(line.order_number, line.kind, line.amount_fen) for line in lines] == [
        (old, EntryKind.transfer_out, -500_000), (new, EntryKind.transfer_in, 500_000),
    ]
