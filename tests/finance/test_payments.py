"""The 财务 款项 task through NoneBot: /到账 (款到发货), /未到账, /放行 (货到付款, 月结), quote-replies."""

import pytest
from nonebug import App

from tests.factories import CS, DIRECTOR, FINANCE, NEEDS_NUMBER, WORKSHOP, group_msg, private_msg, say, staff
from tests.finance.support import (
    COD,
    MONTHLY,
    PREPAID,
    answer,
    entries,
    finance_task,
    mark_sent,
    new_order,
    order_row,
    run,
    set_customer,
    set_order,
    slipped,
    stock_done,
)
from xietong.core import clock
from xietong.orders.enums import Stage, TaskState


async def test_partial_payments_add_up_and_the_last_one_opens_the_gate_with_a_notice_to_cs(app: App):
    await staff()
    number = await new_order(PREPAID, 1_260_000)
    await stock_done(number)

    first = group_msg(f"/到账 {number} 5000", FINANCE)
    [reply] = await run(app, first)
    [_e1] = await entries(number)
    assert reply.text == (
        f"订单 {number}【处理中】 到账 5,000 元（第1笔）。已收 5,000 / 12,600 元，还差 7,600 元。请客服联系客户补齐。"
    )
    assert (reply.mentions, reply.reply_to, reply.subject) == ([CS], first.message_id, number)
    assert (await order_row(number)).paid_fen == 500_000
    assert (await finance_task(number)).state == TaskState.pending

    second = group_msg(f"/到账 {number.lower()} 2,600.50", FINANCE)
    [reply] = await run(app, second)
    assert "已收 7,600.50 / 12,600 元，还差 4,999.50 元" in reply.text

    last = group_msg(f"/到账 {number[1:]}", FINANCE)  # no amount: everything still owed
    notice, reply = await run(app, last)
    e3 = (await entries(number))[-1]
    assert e3.amount_fen == 499_950
    assert notice.mentions == [CS]
    assert notice.text == f"订单 {number}（金陵建材）已满足开单条件，请客服开销售单：/开单 {number}"
    assert reply.text == f"订单 {number}【可开单】 到账 4,999.50 元（第3笔）。款已收齐（12,600 元）。"
    assert reply.mentions == []
    order = await order_row(number)
    assert (order.stage, order.paid_fen) == (Stage.ready, 1_260_000)
    assert order.paid_fen == sum(e.amount_fen for e in await entries(number))
    task = await finance_task(number)
    assert (task.state, task.actor_qq) == (TaskState.done, FINANCE)


async def test_full_payment_before_the_goods_are_ready_says_what_the_gate_still_waits_for(app: App):
    await staff()
    number = await new_order(PREPAID, 1_260_000)
    [reply] = await run(app, group_msg(f"/到账 {number}", FINANCE))
    assert reply.text.endswith("款已收齐（12,600 元）。开单还等：车间未完成备货。")
    assert (await order_row(number)).stage == Stage.processing
    assert (await finance_task(number)).state == TaskState.done


async def test_confirm_payment_refused_for_other_roles(app: App):
    await staff()
    number = await new_order(PREPAID)
    by_cs, by_director = group_msg(f"/到账 {number} 100", CS), group_msg(f"/到账 {number}", DIRECTOR)
    await say(app, by_cs, by_director, sends={
        by_cs.message_id: "这一步需要「财务」岗位。",
        by_director.message_id: "这一步需要「财务」岗位。",
    })
    assert await entries(number) == []


@pytest.mark.parametrize(("typed", "problem"), [
    ("abc", "金额 看不懂：abc"),
    ("-5", "金额 必须大于 0：-5"),
    ("0", "金额 必须大于 0：0"),
    ("1.005", "金额 最多两位小数：1.005"),
])
async def test_confirm_payment_bad_amounts_change_nothing(app: App, typed: str, problem: str):
    await staff()
    number = await new_order(PREPAID)
    event = group_msg(f"/到账 {number} {typed}", FINANCE)
    await say(app, event, sends={
        event.message_id: f"{problem}。金额按元写，最多两位小数，例如：/到账 {number} 3000",
    })
    assert (await order_row(number)).paid_fen == 0
    assert await entries(number) == []


async def test_confirm_payment_beyond_what_is_owed_needs_confirmation(app: App):
    await staff()
    number = await new_order(PREPAID, 1_000_000)
    over = group_msg(f"/到账 {number} 10500", FINANCE)
    await say(app, over, sends={
        over.message_id: f"订单 {number} 还差 10,000 元，这笔 10,500 元多了 500 元。确实多收的话，请在命令末尾加「确认」再发一次。",
    })
    assert await entries(number) == []
    [reply] = await run(app, group_msg(f"/到账 {number} 10500 确认", FINANCE))
    assert "已收 10,500 元，多收 500 元。" in reply.text
    assert (await order_row(number)).paid_fen == 1_050_000
    again = group_msg(f"/到账 {number}", FINANCE)
    await say(app, again, sends={again.message_id: f"订单 {number} 的款已收齐（10,500 元），无需再登记。"})


async def test_confirm_payment_refused_on_other_payment_methods_and_cancelled_orders(app: App):
    await staff()
    cod = await new_order(COD)
    monthly = await new_order(MONTHLY)
    cancelled = await new_order(PREPAID)
    await set_order(cancelled, stage=Stage.cancelled)
    on_cod = group_msg(f"/到账 {cod} 100", FINANCE)
    on_monthly = group_msg(f"/到账 {monthly}", FINANCE)
    on_cancelled = group_msg(f"/到账 {cancelled}", FINANCE)
    no_number = group_msg("/到账", FINANCE)
    unknown = group_msg("/到账 D991231-999", FINANCE)
    await say(app, on_cod, on_monthly, on_cancelled, no_number, unknown, sends={
        on_cod.message_id: f"订单 {cod} 是货到付款，不用 /到账：财务核对后请 /放行 {cod}；收到货款请 /收款 {cod} 金额。",
        on_monthly.message_id: f"订单 {monthly} 是月结，不用 /到账：财务核对后请 /放行 {monthly}；收到货款请 /收款 {monthly} 金额。",
        on_cancelled.message_id: f"订单 {cancelled} 已取消，不能再登记款项。",
        no_number.message_id: NEEDS_NUMBER,
        unknown.message_id: "没有订单 D991231-999。",
    })
    for number in (cod, monthly, cancelled):
        assert await entries(number) == []


async def test_missing_payment_is_a_problem_for_cs(app: App):
    await staff()
    number = await new_order(PREPAID)
    [notice] = await run(app, group_msg(f"/未到账 {number} 客户说下周一打款", FINANCE))
    assert notice.mentions == [CS]
    assert notice.text == f"订单 {number}：财务 款项有问题——客户说下周一打款。请客服跟进。"
    task = await finance_task(number)
    assert (task.state, task.note) == (TaskState.problem, "客户说下周一打款")
    [notice] = await run(app, group_msg(f"/未到账 {number}", FINANCE))
    assert "款项未到账" in notice.text


async def test_missing_payment_refusals(app: App):
    await staff()
    number = await new_order(PREPAID)
    by_cs = group_msg(f"/未到账 {number} 没看到", CS)
    no_number = group_msg("/未到账 没看到", FINANCE)
    await say(app, by_cs, no_number, sends={
        by_cs.message_id: "这一步需要「财务」岗位。",
        no_number.message_id: NEEDS_NUMBER,
    })
    assert (await finance_task(number)).state == TaskState.pending


async def test_release_cash_on_delivery_opens_the_gate(app: App):
    await staff()
    number = await new_order(COD)
    await stock_done(number)
    notice, reply = await run(app, group_msg(f"/放行 {number} 老客户", FINANCE))
    assert notice.mentions == [CS] and "已满足开单条件" in notice.text
    assert reply.text == f"订单 {number}【可开单】 货到付款，财务已放行。"
    task = await finance_task(number)
    assert (task.state, task.note, task.actor_qq) == (TaskState.done, "老客户", FINANCE)
    [repeat] = await run(app, group_msg(f"/放行 {number}", FINANCE))
    assert repeat.text.startswith(f"订单 {number}：财务 款项已由李会计在 ") and repeat.text.endswith("完成，无需重复。")


async def test_release_monthly_shows_balance_and_credit_limit(app: App):
    await staff()
    older = await new_order(MONTHLY, 2_000_000)
    await set_order(older, paid_fen=500_000, stage=Stage.slipped, slip_at=clock.now())  # owes 15,000
    number = await new_order(MONTHLY, 1_260_000)
    await set_customer("金陵建材", credit_limit_fen=5_000_000, credit_days=45)
    [reply] = await run(app, group_msg(f"/放行 {number}", FINANCE))
    assert reply.text == (
        f"订单 {number}【处理中】 月结，财务已放行。\n"
        "客户 金陵建材 未结清 27,600 元（含本单 12,600 元），信用额度 50,000 元，账期 45 天。"
    )
    assert reply.mentions == []


async def test_release_monthly_warns_over_the_credit_limit(app: App):
    await staff()
    older = await slipped(await new_order(MONTHLY, 2_000_000))
    number = await new_order(MONTHLY, 1_260_000)
    await set_customer("金陵建材", credit_limit_fen=3_000_000)
    [reply] = await run(app, group_msg(f"/放行 {number}", FINANCE))
    assert reply.text == (
        f"订单 {number}【处理中】 月结，财务已放行。\n"
        "客户 金陵建材 未结清 32,600 元（含本单 12,600 元），信用额度 30,000 元，账期 30 天。\n"
        "⚠ 超出信用额度 2,600 元，请客服抓紧回款、主任留意。"
    )
    assert reply.mentions == [CS, DIRECTOR]
    assert (await finance_task(number)).state == TaskState.done  # a warning, not a refusal
    assert older != number


async def test_release_monthly_without_a_credit_limit(app: App):
    await staff()
    number = await new_order(MONTHLY, 1_260_000)
    [reply] = await run(app, group_msg(f"/放行 {number}", FINANCE))
    assert reply.text.endswith("客户 金陵建材 未结清 12,600 元（含本单 12,600 元），信用额度 未设定，账期 30 天。")
    assert reply.mentions == []


async def test_release_refusals(app: App):
    await staff()
    prepaid = await new_order(PREPAID)
    monthly = await new_order(MONTHLY)
    on_prepaid = group_msg(f"/放行 {prepaid}", FINANCE)
    by_workshop = group_msg(f"/放行 {monthly}", WORKSHOP)
    bad_number = group_msg("/放行 12345", FINANCE)
    await say(app, on_prepaid, by_workshop, bad_number, sends={
        on_prepaid.message_id: f"订单 {prepaid} 是款到发货，不能放行，要等款到：到账后请 /到账 {prepaid} [金额]。",
        by_workshop.message_id: "这一步需要「财务」岗位。",
        bad_number.message_id: NEEDS_NUMBER,
    })
    assert (await finance_task(prepaid)).state == TaskState.pending
    assert (await finance_task(monthly)).state == TaskState.pending


async def test_release_in_private_answers_privately(app: App):
    await staff()
    number = await new_order(COD)
    [reply] = await run(app, private_msg(f"/放行 {number}", FINANCE))
    assert reply.target == ("private", FINANCE)
    assert (await finance_task(number)).state == TaskState.done


async def test_quote_replies_to_the_finance_instruction(app: App):
    await staff()
    prepaid = await new_order(PREPAID, 1_260_000)
    monthly = await new_order(MONTHLY, 1_260_000)
    await mark_sent(prepaid, 88001)
    await mark_sent(monthly, 88002)

    [reply] = await run(app, group_msg("到账了 5000 元", FINANCE, reply_to=88001))
    assert "到账 5,000 元" in reply.text and "还差 7,600 元" in reply.text
    [reply] = await run(app, group_msg(f"{prepaid} 已到账", FINANCE, reply_to=88001))  # the number is no amount
    assert "到账 7,600 元" in reply.text and "款已收齐（12,600 元）" in reply.text
    assert (await finance_task(prepaid)).state == TaskState.done

    [reply] = await run(app, group_msg("放行", FINANCE, reply_to=88002))
    assert reply.text.startswith(f"订单 {monthly}【处理中】 月结，财务已放行。")


async def test_quote_replies_that_say_no(app: App):
    from xietong.finance.messages import FINANCE_ASK as ASK

    await staff()
    number = await new_order(PREPAID, 1_260_000)
    await mark_sent(number, 88003)
    [notice] = await run(app, group_msg("还没到账，客户说明天", FINANCE, reply_to=88003))
    assert notice.text == f"订单 {number}：财务 款项有问题——还没到账，客户说明天。请客服跟进。"
    assert notice.mentions == [CS]
    hold = group_msg("先别放行", FINANCE, reply_to=88003)
    by_cs = group_msg("已到账", CS, reply_to=88003)  # plain words from cs are conversation: no answer
    bad = group_msg("已到账 1.005", FINANCE, reply_to=88003)
    await say(app, hold, by_cs, bad, sends={
        hold.message_id: ASK.format(number=number),
        bad.message_id: ASK.format(number=number),
    })
    assert await entries(number) == []
    assert (await finance_task(number)).state == TaskState.problem


async def test_help_lists_finance_commands_for_finance_only(app: App):
    await staff()
    text = await answer(app, group_msg("/帮助", FINANCE))
    assert "财务：/到账 /未到账 /放行 /收款 /代收入账 /冲销 /收款记录 /应收 /运费结算" in text
    assert "/催收" not in text  # cs's
    text = await answer(app, group_msg("/帮助", WORKSHOP))
    assert "/到账" not in text and "/应收" not in text


async def test_missing_payment_refused_once_the_money_is_in(app: App):
    await staff()
    number = await new_order(PREPAID, 100_000)
    await run(app, group_msg(f"/到账 {number}", FINANCE))
    event = group_msg(f"/未到账 {number} 没看到", FINANCE)
    await say(app, event, sends={event.message_id: (
        f"订单 {number} 已登记收款 1,000 元，款已收齐。如有记错，请先 /冲销 {number} 第几笔 原因（/收款记录 {number} 查看各笔）。"
    )})
    assert (await finance_task(number)).state == TaskState.done


async def test_quote_reply_amounts_are_whole_words_only(app: App):
    await staff()
    number = await new_order(PREPAID, 1_260_000)
    await mark_sent(number, 88004)
    [reply] = await run(app, group_msg("到账了3,000元", FINANCE, reply_to=88004))
    assert "到账 3,000 元" in reply.text
    [reply] = await run(app, group_msg("已到账，11月20日到的", FINANCE, reply_to=88004))  # a date is no amount
    assert "到账 9,600 元" in reply.text and "款已收齐" in reply.text


async def test_a_quote_of_the_same_message_id_in_another_chat_does_nothing(app: App):
    """QQ message ids are per chat: a quote in private of a message with the group message's id is not about
    our order."""
    await staff()
    number = await new_order(PREPAID, 1_260_000)
    await mark_sent(number, 88004)  # sent in group 9001
    assert await run(app, private_msg("已到账", FINANCE, reply_to=88004)) == []
    assert (await finance_task(number)).state == TaskState.pending
