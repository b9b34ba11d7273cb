"""The ledger through NoneBot: /收款, /代收入账, /冲销, /收款记录; append-only; settlement and re-opening."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nonebug import App
from sqlalchemy import select

from tests.factories import CS, FINANCE, LOGISTICS, NEEDS_NUMBER, WORKSHOP, give_roles, group_msg, say, staff
from tests.finance.support import (
    COD,
    MONTHLY,
    PREPAID,
    add_shipment,
    answer,
    delivered,
    entries,
    finance_task,
    new_order,
    order_row,
    run,
    shipment,
    stock_done,
)
from xietong.core import clock
from xietong.core.db import database
from xietong.core.errors import DomainError
from xietong.core.roles import Role
from xietong.core.work import Actor, work
from xietong.finance import ledger
from xietong.finance.models import EntryKind, LedgerEntry
from xietong.orders.enums import Stage, TaskState

VP = 20061


async def test_partial_payments_on_a_delivered_order_add_up_and_settle_it(app: App):
    await staff()
    number = await new_order(MONTHLY, 1_260_000)
    await delivered(number, date(2026, 11, 20), due=date(2026, 12, 20))
    first = group_msg(f"/收款 {number} 5000 银行转账", FINANCE)
    [reply] = await run(app, first)
    [e1] = await entries(number)
    assert (e1.kind, e1.amount_fen, e1.note, e1.actor_qq) == (EntryKind.payment, 500_000, "银行转账", FINANCE)
    assert reply.text == f"订单 {number}【已到货】 收款 5,000 元（第1笔）。已收 5,000 / 12,600 元，还差 7,600 元。"
    assert (reply.mentions, reply.reply_to) == ([], first.message_id)
    [reply] = await run(app, group_msg(f"/收款 {number} 7600", FINANCE))
    assert reply.text == f"订单 {number}【已结清】 收款 7,600 元（第2笔）。款已收齐（12,600 元）。"
    order = await order_row(number)
    assert (order.stage, order.paid_fen) == (Stage.settled, 1_260_000)
    assert order.settled_at is not None


async def test_a_payment_before_delivery_does_not_settle(app: App):
    await staff()
    number = await new_order(COD, 1_000_000)
    [reply] = await run(app, group_msg(f"/收款 {number} 10000 预付", FINANCE))
    assert reply.text.startswith(f"订单 {number}【处理中】 收款 10,000 元")
    order = await order_row(number)
    assert (order.stage, order.paid_fen) == (Stage.processing, 1_000_000)
    assert (await finance_task(number)).state == TaskState.pending  # 货到付款 still needs /放行


async def test_payment_on_a_prepaid_order_counts_for_the_gate_too(app: App):
    await staff()
    number = await new_order(PREPAID, 1_000_000)
    await stock_done(number)
    notice, reply = await run(app, group_msg(f"/收款 {number} 1万 电汇", FINANCE))
    assert notice.mentions == [CS] and "已满足开单条件" in notice.text
    assert reply.text.startswith(f"订单 {number}【可开单】 收款 10,000 元") and reply.mentions == []
    assert (await order_row(number)).stage == Stage.ready
    assert (await finance_task(number)).state == TaskState.done


@pytest.mark.parametrize(("typed", "problem"), [
    ("abc", "金额 看不懂：abc"),
    ("-5", "金额 必须大于 0：-5"),
    ("0", "金额 必须大于 0：0"),
    ("1.005", "金额 最多两位小数：1.005"),
])
async def test_payment_bad_amounts_change_nothing(app: App, typed: str, problem: str):
    await staff()
    number = await new_order(MONTHLY)
    event = group_msg(f"/收款 {number} {typed}", FINANCE)
    await say(app, event, sends={
        event.message_id: f"{problem}。金额按元写，最多两位小数，例如：/收款 {number} 3000 [说明]",
    })
    assert await entries(number) == []


async def test_payment_refusals(app: App):
    await staff()
    number = await new_order(MONTHLY, 1_000_000)
    by_cs = group_msg(f"/收款 {number} 100", CS)
    no_amount = group_msg(f"/收款 {number}", FINANCE)
    over = group_msg(f"/收款 {number} 10000.01", FINANCE)
    await say(app, by_cs, no_amount, over, sends={
        by_cs.message_id: "这一步需要「财务」岗位。",
        no_amount.message_id: f"请写上金额，例如：/收款 {number} 3000 [说明]",
        over.message_id: f"订单 {number} 还差 10,000 元，这笔 10,000.01 元多了 0.01 元。确实多收的话，请在命令末尾加「确认」再发一次。",
    })
    assert await entries(number) == []
    assert (await order_row(number)).paid_fen == 0


async def test_overpayment_with_confirmation_is_recorded_as_such(app: App):
    await staff()
    number = await new_order(MONTHLY, 1_000_000)
    await delivered(number, date(2026, 11, 20))
    [reply] = await run(app, group_msg(f"/收款 {number} 10,200 确认 含运费", FINANCE))
    assert reply.text.endswith("已收 10,200 元，多收 200 元。")
    [entry] = await entries(number)
    assert (entry.amount_fen, entry.note) == (1_020_000, "含运费")
    order = await order_row(number)
    assert (order.paid_fen, order.stage) == (1_020_000, Stage.settled)


async def test_cod_is_booked_after_logistics_collected_it(app: App):
    await staff()
    number = await new_order(COD, 1_260_000)
    await delivered(number, date(2026, 11, 20))
    await add_shipment(number, cod_collected_fen=1_260_000, cod_collected_at=clock.now())
    event = group_msg(f"/代收入账 {number}", FINANCE)
    [reply] = await run(app, event)
    [entry] = await entries(number)
    assert (entry.kind, entry.amount_fen, entry.note) == (EntryKind.cod, 1_260_000, "物流代收 12,600 元")
    assert reply.text == f"订单 {number}【已结清】 代收货款入账 12,600 元（第1笔）。款已收齐（12,600 元）。"
    assert (await shipment(number)).cod_booked_at == entry.at
    again = group_msg(f"/代收入账 {number}", FINANCE)
    text = await answer(app, again)
    assert text.startswith(f"订单 {number} 的代收货款已于 ") and text.endswith(" 入账，无需重复。")
    assert len(await entries(number)) == 1


async def test_cod_booked_for_less_than_collected_shows_both(app: App):
    await staff()
    number = await new_order(COD, 1_260_000)
    await delivered(number, date(2026, 11, 20))
    await add_shipment(number, cod_collected_fen=1_260_000, cod_collected_at=clock.now())
    [reply] = await run(app, group_msg(f"/代收入账 {number} 12000", FINANCE))
    assert "代收货款入账 12,000 元（物流代收 12,600 元）" in reply.text
    assert "还差 600 元" in reply.text
    assert (await order_row(number)).stage == Stage.delivered


async def test_cod_booking_refusals(app: App):
    await staff()
    nothing = await new_order(COD)
    dispatched = await new_order(COD)
    await add_shipment(dispatched)  # vehicle arranged, nothing collected yet
    collected = await new_order(COD, 1_000_000)
    await add_shipment(collected, cod_collected_fen=1_000_000, cod_collected_at=clock.now())
    no_shipment = group_msg(f"/代收入账 {nothing}", FINANCE)
    not_collected = group_msg(f"/代收入账 {dispatched}", FINANCE)
    too_much = group_msg(f"/代收入账 {collected} 10001", FINANCE)
    bad = group_msg(f"/代收入账 {collected} 十块五毛", FINANCE)
    by_logistics = group_msg(f"/代收入账 {collected}", LOGISTICS)
    await say(app, no_shipment, not_collected, too_much, bad, by_logistics, sends={
        no_shipment.message_id: f"订单 {nothing} 物流还没有登记代收货款（/代收 {nothing} 金额），暂时无法入账。",
        not_collected.message_id: f"订单 {dispatched} 物流还没有登记代收货款（/代收 {dispatched} 金额），暂时无法入账。",
        too_much.message_id: f"订单 {collected} 物流代收的是 10,000 元，入账金额不能比它多。",
        bad.message_id: f"金额 看不懂：十块五毛。金额按元写，最多两位小数，例如：/代收入账 {collected} 3000",
        by_logistics.message_id: "这一步需要「财务」岗位。",
    })
    assert (await shipment(collected)).cod_booked_at is None
    assert await entries(collected) == []


async def test_reversal_reopens_a_settled_order_and_both_entries_stay(app: App):
    await staff()
    number = await new_order(MONTHLY, 1_000_000)
    await delivered(number, date(2026, 11, 1), due=date(2026, 12, 1))
    await run(app, group_msg(f"/收款 {number} 6000", FINANCE))
    await run(app, group_msg(f"/收款 {number} 4000", FINANCE))
    assert (await order_row(number)).stage == Stage.settled
    _first, second = await entries(number)

    which = group_msg(f"/冲销 {number} 记错了", FINANCE)
    text = await answer(app, which)
    assert text.startswith(f"订单 {number} 有 2 笔可冲销，请写明第几笔，如：/冲销 {number} 第1笔 原因\n")
    assert "  第1笔 " in text and "  第2笔 " in text and "#" not in text

    [reply] = await run(app, group_msg(f"/冲销 {number} 第2笔 这笔是别的单的款", FINANCE))
    rows = await entries(number)
    assert len(rows) == 3
    reversal = rows[-1]
    assert (reversal.kind, reversal.amount_fen, reversal.reverses_id) == (EntryKind.reversal, -400_000, second.id)
    assert reply.text == (
        f"订单 {number}【已到货】 已冲销第2笔（收款 4,000 元），冲销记为第3笔：这笔是别的单的款。"
        "已收 6,000 / 10,000 元，还差 4,000 元。"
    )
    order = await order_row(number)
    assert (order.stage, order.paid_fen, order.settled_at) == (Stage.delivered, 600_000, None)

    # with one reversible entry left, the number may be left out
    [reply] = await run(app, group_msg(f"/冲销 {number} 也错了", FINANCE))
    assert "已冲销第1笔" in reply.text
    assert (await order_row(number)).paid_fen == 0
    card = await answer(app, group_msg(f"/订单 {number}", FINANCE))
    assert " 李会计 冲销：第2笔 4,000 元，冲销记为第3笔" in card and "重新挂账" in card


async def test_reversal_of_a_prepaid_payment_closes_the_gate_again(app: App):
    await staff()
    number = await new_order(PREPAID, 1_000_000)
    await stock_done(number)
    await run(app, group_msg(f"/到账 {number}", FINANCE))
    assert (await order_row(number)).stage == Stage.ready
    [_entry] = await entries(number)
    notice, reply = await run(app, group_msg(f"/冲销 {number} 1 银行退票", FINANCE))
    assert notice.mentions == [CS]
    assert notice.text == f"订单 {number} 不再满足开单条件：财务未确认到账，已到 0 / 10,000 元。"
    assert reply.text.startswith(f"订单 {number}【处理中】 已冲销第1笔")
    assert (await finance_task(number)).state == TaskState.pending
    assert (await order_row(number)).stage == Stage.processing


async def test_reversal_refusals(app: App):
    await staff()
    number = await new_order(MONTHLY, 1_000_000)
    empty = await new_order(MONTHLY)
    await run(app, group_msg(f"/收款 {number} 100", FINANCE))
    [_entry] = await entries(number)
    await run(app, group_msg(f"/冲销 {number} 第1笔 录错", FINANCE))
    twice = group_msg(f"/冲销 {number} #1 再冲一次", FINANCE)
    of_reversal = group_msg(f"/冲销 {number} 第2笔 撤回冲销", FINANCE)
    unknown = group_msg(f"/冲销 {number} 第9笔 录错", FINANCE)
    no_reason = group_msg(f"/冲销 {number} 1", FINANCE)
    nothing = group_msg(f"/冲销 {empty} 录错", FINANCE)
    by_cs = group_msg(f"/冲销 {number} 1 录错", CS)
    await say(app, twice, of_reversal, unknown, no_reason, nothing, by_cs, sends={
        twice.message_id: AlreadyReversed(1, 2),
        of_reversal.message_id: "第2笔 本身就是冲销，不能再冲销；如需恢复，请重新登记收款。",
        unknown.message_id: f"订单 {number} 没有第9笔。发送 /收款记录 {number} 查看各笔。",
        no_reason.message_id: "请写上冲销原因：/冲销 单号 [第几笔] 原因",
        nothing.message_id: f"订单 {empty} 没有可冲销的款项。",
        by_cs.message_id: "这一步需要「财务」岗位。",
    })
    assert len(await entries(number)) == 2
    assert (await order_row(number)).paid_fen == 0


class AlreadyReversed:
    def __init__(self, entry_id: int, by_id: int):
        self.head, self.tail = f"第{entry_id}笔 已于 ", f" 被第{by_id}笔冲销，每笔只能冲销一次。"

    def __eq__(self, other):
        return str(other).startswith(self.head) and str(other).endswith(self.tail)


async def test_reversing_a_cod_booking_lets_it_be_booked_again(app: App):
    await staff()
    number = await new_order(COD, 1_000_000)
    await delivered(number, date(2026, 11, 20))
    await add_shipment(number, cod_collected_fen=1_000_000, cod_collected_at=clock.now())
    await run(app, group_msg(f"/代收入账 {number} 9000", FINANCE))
    [_entry] = await entries(number)
    await run(app, group_msg(f"/冲销 {number} 第1笔 金额录错", FINANCE))
    assert (await shipment(number)).cod_booked_at is None
    [reply] = await run(app, group_msg(f"/代收入账 {number}", FINANCE))
    assert "代收货款入账 10,000 元" in reply.text and "【已结清】" in reply.text
    assert [e.amount_fen for e in await entries(number)] == [900_000, -900_000, 1_000_000]


async def test_ledger_listing_names_every_entry(app: App):
    await staff()
    await give_roles(VP, Role.vp, name="孙副总")
    number = await new_order(MONTHLY, 1_000_000)
    await run(app, group_msg(f"/收款 {number} 3000 第一笔", FINANCE))
    await run(app, group_msg(f"/收款 {number} 2000", FINANCE))
    await run(app, group_msg(f"/冲销 {number} 第2笔 重复登记", FINANCE))
    text = await answer(app, group_msg(f"/收款记录 {number}", VP))
    lines = text.split("\n")
    assert lines[0] == f"订单 {number}【处理中】 金陵建材 金额 10,000 元（月结）"
    assert lines[1].startswith("第1笔 ") and lines[1].endswith("收款 3,000 元 李会计：第一笔")
    assert lines[2].startswith("第2笔 ") and lines[2].endswith("收款 2,000 元 李会计（已被第3笔冲销）")
    assert lines[3].startswith("第3笔 ") and lines[3].endswith("冲销 -2,000 元 李会计 冲销第2笔：重复登记")
    assert lines[4] == "已收 3,000 / 10,000 元，还差 7,000 元。"
    empty = await new_order(MONTHLY, 1_000_000)
    by_cs = group_msg(f"/收款记录 {empty}", CS)
    by_workshop = group_msg(f"/收款记录 {number}", WORKSHOP)
    no_number = group_msg("/收款记录", CS)
    await say(app, by_cs, by_workshop, no_number, sends={
        by_cs.message_id: f"订单 {empty}【处理中】 金陵建材 金额 10,000 元（月结）\n还没有收款记录。\n已收 0 / 10,000 元，还差 10,000 元。",
        by_workshop.message_id: "这一步需要「财务、客服、主任、副总或总经理」岗位。",
        no_number.message_id: NEEDS_NUMBER,
    })


async def test_ledger_entries_cannot_be_edited_or_deleted(app: App):
    await staff()
    number = await new_order(MONTHLY, 1_000_000)
    await run(app, group_msg(f"/收款 {number} 3000", FINANCE))
    with pytest.raises(RuntimeError, match="append-only"):
        async with database().session() as session:
            entry = await session.scalar(select(LedgerEntry))
            entry.amount_fen = 1
    with pytest.raises(RuntimeError, match="append-only"):
        async with database().session() as session:
            await session.delete(await session.scalar(select(LedgerEntry)))
    [entry] = await entries(number)
    assert entry.amount_fen == 300_000


attempts = st.lists(
    st.tuples(st.integers(min_value=1, max_value=1_500_000), st.booleans()), min_size=1, max_size=6
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amount=st.integers(min_value=1, max_value=1_000_000), tries=attempts)
async def test_payments_through_the_service_follow_the_rule(amount, tries):
    """Against a model: a payment is taken iff it is within what is still owed or says 确认; ``paid_fen`` is
    always the sum of the ledger; without 确认 it never passes the amount."""
    await give_roles(FINANCE, Role.finance)
    await give_roles(CS, Role.cs)
    number = await new_order(MONTHLY, amount)
    expected = 0
    for pay, confirmed in tries:
        should_take = pay <= max(amount - expected, 0) or confirmed
        try:
            async with work(Actor(FINANCE)) as w:
                await ledger.record_payment(w, number, pay, confirmed=confirmed)
            taken = True
        except DomainError:
            taken = False
        assert taken == should_take
        expected += pay if taken else 0
        order = await order_row(number)
        assert order.paid_fen == expected == sum(e.amount_fen for e in await entries(number))
        if not any(c for p, c in tries):
            assert order.paid_fen <= amount
