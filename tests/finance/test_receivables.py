"""/应收 against hand-computed books (injected clock), the SQL ageing against the pure one, the 逾期 flag,
and the finance and cs sections of /待办."""

import itertools
from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nonebug import App
from sqlalchemy import select

from tests.factories import CS, DIRECTOR, FINANCE, LOGISTICS, WORKSHOP, give_roles, group_msg, say, staff
from tests.finance.support import (
    COD,
    MONTHLY,
    add_shipment,
    answer,
    build_book,
    delivered,
    fix_clock,
    new_order,
    set_order,
    slipped,
)
from xietong.core import clock
from xietong.core.db import database
from xietong.core.roles import Role
from xietong.finance import receivables
from xietong.finance.ageing import Ageing, age
from xietong.orders.enums import PaymentMethod, Stage
from xietong.orders.models import Order
from xietong.parties.models import Customer

VP, GM = 20061, 20071

BOOK = (
    "应收账款（截至 11-26）：合计 35,000 元，6 单，2 家客户\n"
    "账龄：未到期 6,000 | 1-30 天 16,000 | 31-60 天 2,000 | 61-90 天 8,000 | 90+ 天 3,000\n"
    "逾期合计 29,000 元\n"
    "平均收款天数（近 90 天）：77 天（近 90 天开单 41,000 元）\n"
    "待收预付款（款到发货未开单，不算应收）：1 单 10,000 元\n"
    "按客户：\n"
    "  金陵建材 18,000 元（3 单；逾期 18,000 元，最长 31 天）\n"
    "  江宁五金 17,000 元（3 单；逾期 11,000 元，最长 117 天）"
)


async def test_receivables_of_the_whole_book(app: App):
    fix_clock(2026, 11, 26)
    await staff()
    await build_book()
    event = group_msg("/应收", FINANCE)
    await say(app, event, sends={event.message_id: BOOK})


async def test_receivables_of_one_customer(app: App):
    fix_clock(2026, 11, 26)
    await staff()
    book = await build_book()
    event = group_msg("/应收 江宁", CS)  # the archive finds 江宁五金
    await say(app, event, sends={event.message_id: (
        "江宁五金 应收 17,000 元，3 单（截至 11-26）\n"
        "账龄：未到期 6,000 | 1-30 天 0 | 31-60 天 0 | 61-90 天 8,000 | 90+ 天 3,000\n"
        f"  {book['D']}【已到货】未收 3,000 元，08-01 到期，逾期 117 天\n"
        f"  {book['C']}【已到货】未收 8,000 元，09-20 到期，逾期 67 天\n"
        f"  {book['E']}【已开单】未收 6,000 元，未定到期日"
    )})
    event = group_msg("/应收 金陵建材", DIRECTOR)
    text = await answer(app, event)
    assert text.split("\n")[2:] == [
        "待收预付款（款到发货未开单，不算应收）：1 单 10,000 元",
        f"  {book['I']}【已到货】未收 2,000 元，10-26 到期，逾期 31 天",
        f"  {book['H']}【已到货】未收 1,000 元，10-27 到期，逾期 30 天",
        f"  {book['B']}【已到货】未收 15,000 元，11-10 到期，逾期 16 天",
    ]


async def test_the_book_a_month_later(app: App):
    """The same rows aged 30 days more: every bucket moves, the total does not."""
    fixed = fix_clock(2026, 11, 26)
    await staff()
    await build_book()
    fixed.local(2026, 12, 26)
    summary = await _summary(date(2026, 12, 26))
    assert summary.ageing.amounts == (600_000, 0, 1_600_000, 200_000, 1_100_000)
    assert summary.total == 3_500_000


async def test_dso_counts_slips_of_the_last_90_days_only(app: App):
    fix_clock(2026, 11, 26)
    await staff()
    inside = await new_order(COD, 1_000_000)
    edge = await new_order(COD, 200_000)
    outside = await new_order(COD, 400_000)
    tz = clock.LOCAL_TZ
    slipped = Stage.slipped
    await set_order(inside, stage=slipped, slip_at=datetime(2026, 11, 26, 9, 59, tzinfo=tz))
    await set_order(edge, stage=slipped, slip_at=datetime(2026, 8, 29, 0, 0, tzinfo=tz))  # first instant of the 90 days
    await set_order(outside, stage=slipped, slip_at=datetime(2026, 8, 28, 23, 59, tzinfo=tz))
    summary = await _summary(date(2026, 11, 26))
    assert summary.sales_fen == 1_200_000
    assert summary.total == 1_600_000
    assert summary.dso == 120  # 16,000 / 12,000 × 90


async def test_receivables_when_nothing_is_owed(app: App):
    fix_clock(2026, 11, 26)
    await staff()
    number = await new_order(MONTHLY, 100_000, customer="栖霞贸易")
    await set_order(number, stage=Stage.slipped, slip_at=datetime(2026, 6, 1, 9, tzinfo=clock.LOCAL_TZ))
    book = group_msg("/应收", FINANCE)
    await say(app, book, sends={book.message_id: (
        "应收账款（截至 11-26）：合计 1,000 元，1 单，1 家客户\n"
        "账龄：未到期 1,000 | 1-30 天 0 | 31-60 天 0 | 61-90 天 0 | 90+ 天 0\n"
        "没有逾期。\n"
        "平均收款天数（近 90 天）：近 90 天没有开单，无法计算\n"
        "按客户：\n"
        "  栖霞贸易 1,000 元（1 单）"
    )})
    await set_order(number, paid_fen=100_000)
    again, one = group_msg("/应收", FINANCE), group_msg("/应收 栖霞贸易", FINANCE)
    await say(app, again, one, sends={
        again.message_id: "目前没有应收账款。",
        one.message_id: "栖霞贸易 目前没有应收账款。",
    })


async def test_receivables_refusals(app: App):
    await staff()
    await give_roles(VP, Role.vp)
    await give_roles(GM, Role.gm)
    by_workshop, by_logistics = group_msg("/应收", WORKSHOP), group_msg("/应收", LOGISTICS)
    unknown = group_msg("/应收 不存在公司", FINANCE)
    by_vp, by_gm = group_msg("/应收", VP), group_msg("/应收", GM)
    await say(app, by_workshop, by_logistics, unknown, by_vp, by_gm, sends={
        by_workshop.message_id: "这一步需要「财务、客服、主任、副总或总经理」岗位。",
        by_logistics.message_id: "这一步需要「财务、客服、主任、副总或总经理」岗位。",
        unknown.message_id: "客户档案里没有「不存在公司」。请写全名。",
        by_vp.message_id: "目前没有应收账款。",
        by_gm.message_id: "目前没有应收账款。",
    })


async def test_receivables_ambiguous_customer(app: App):
    await staff()
    await new_order(MONTHLY, customer="金陵建材")
    await new_order(MONTHLY, customer="金陵水泥")
    event = group_msg("/应收 金陵", FINANCE)
    await say(app, event, sends={event.message_id: "客户「金陵」对应不止一个档案，请写客户全名或订单号。"})  # archive stays confidential


async def test_overdue_flag_in_the_order_card_and_the_board(app: App):
    fix_clock(2026, 11, 26)
    await staff()
    late = await new_order(MONTHLY, 100_000)
    await delivered(late, date(2026, 10, 1), due=date(2026, 11, 25))
    due_today = await new_order(MONTHLY, 100_000)
    await delivered(due_today, date(2026, 10, 1), due=date(2026, 11, 26))
    card = await answer(app, group_msg(f"/订单 {late}", CS))
    assert card.split("\n")[0] == f"订单 {late}【已到货】 逾期"
    card = await answer(app, group_msg(f"/订单 {due_today}", CS))
    assert card.split("\n")[0] == f"订单 {due_today}【已到货】"
    board = await answer(app, group_msg("/看板", CS))
    assert f"  {late} 金陵建材 1,000元 [逾期]" in board.split("\n")
    assert f"  {due_today} 金陵建材 1,000元" in board.split("\n")
    await set_order(late, paid_fen=100_000, stage=Stage.settled)
    card = await answer(app, group_msg(f"/订单 {late}", CS))
    assert card.split("\n")[0] == f"订单 {late}【已结清】"


async def test_todo_sections_for_finance_and_cs(app: App):
    fix_clock(2026, 11, 26)
    await staff()
    cod = await new_order(COD, 1_000_000)
    await delivered(cod, date(2026, 11, 20))
    await add_shipment(cod, cod_collected_fen=1_000_000, cod_collected_at=clock.now(), freight_fen=80_000)
    late = await new_order(MONTHLY, 300_000, customer="江宁五金")
    await delivered(late, date(2026, 9, 1), due=date(2026, 10, 1))
    finance, cs = group_msg("/待办", FINANCE), group_msg("/待办", CS)
    await say(app, finance, cs, sends={
        finance.message_id: (
            f"【财务】\n  {cod} 金陵建材 财务 款项\n  {late} 江宁五金 财务 款项\n"
            f"  {cod} 代收 10,000 元待入账：/代收入账 {cod}\n  {cod} 运费 800 元待结算：/运费结算 {cod}"
        ),
        cs.message_id: (
            "【客服】\n"
            f"  {late} 江宁五金 逾期 56 天，未收 3,000 元：/催收 {late} 说明\n"
            f"  {cod} 金陵建材 逾期 6 天，未收 10,000 元：/催收 {cod} 说明"
        ),
    })


async def _summary(today: date) -> receivables.Summary:
    async with database().session() as session:
        return await receivables.summary(session, today)


_names = itertools.count()
rows = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=10**9),  # amount
        st.integers(min_value=0, max_value=10**9),  # paid (may exceed the amount: confirmed overpayment)
        st.one_of(st.none(), st.integers(min_value=-200, max_value=200)),  # due, days from today
        st.booleans(),  # cancelled
    ),
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=rows, today=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)))
async def test_sql_ageing_agrees_with_the_pure_arithmetic(rows, today):
    """The database's SUM(CASE …) and :func:`ageing.age` bucket every ledger alike, and sum to what is owed."""
    async with database().session() as session:
        customer = Customer(name=f"客户{next(_names)}")
        session.add(customer)
        await session.flush()
        for i, (amount, paid, offset, cancelled) in enumerate(rows):
            session.add(Order(
                number=f"H{customer.id:06d}-{i:03d}", customer_id=customer.id, customer_name=customer.name,
                amount_fen=amount, paid_fen=paid, payment=PaymentMethod.monthly, consignee="王工",
                phone="13800000000", address="南京", created_by=1,
                stage=Stage.cancelled if cancelled else Stage.delivered,
                receivable_due=None if offset is None else today - timedelta(days=offset),
            ))
        await session.flush()
        found = await receivables.by_customer(session, today, customer.id)
    live = [(None if o is None else today - timedelta(days=o), a - p) for a, p, o, c in rows if not c]
    expected = age(live, today)
    owed = sum(a - p for a, p, o, c in rows if not c and a > p)
    if owed == 0:
        assert found == []
        return
    [row] = found
    assert row.ageing == expected
    assert row.ageing.total == owed == sum(row.ageing.amounts)
    assert row.orders == sum(1 for a, p, o, c in rows if not c and a > p)
    assert isinstance(row.ageing, Ageing)


async def test_long_listings_stay_one_message(app: App):
    from xietong.core.text import QQ_TEXT_LIMIT

    fix_clock(2026, 11, 26)
    await staff()
    for i in range(24):
        await slipped(await new_order(MONTHLY, 100_000 + i, customer=f"第{i:02d}号" + "很长的客户名称" * 6))
    text = await answer(app, group_msg("/应收", FINANCE))
    assert len(text) <= QQ_TEXT_LIMIT
    shown = [line for line in text.split("\n") if "很长的客户名称" in line]
    assert 0 < len(shown) < 20
    assert text.endswith(f"  …另有 {24 - len(shown)} 家客户，/应收 客户名 看明细")
    for _ in range(27):
        await slipped(await new_order(MONTHLY, 100_000, customer="栖霞贸易"))
    text = await answer(app, group_msg("/应收 栖霞贸易", FINANCE))
    assert text.startswith("栖霞贸易 应收 27,000 元，27 单")
    assert text.endswith("  …另有 2 单") and len(text) <= QQ_TEXT_LIMIT


async def test_ageing_is_aggregated_in_sql_over_the_open_book(app: App):
    """The plan /应收 runs on a million orders: grouped SUM(CASE …) in the database, the open book found through
    the stage index (settled history costs nothing), never walked through the due-date or customer index."""
    import pytest
    from sqlalchemy import event

    if not database().is_sqlite:
        pytest.skip("the plan check reads SQLite's EXPLAIN QUERY PLAN")
    fix_clock(2026, 11, 26)
    await staff()
    await build_book()
    statements: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    engine = database().engine.sync_engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        summary = await _summary(date(2026, 11, 26))
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert summary.total == 3_500_000
    [(ageing, parameters)] = [(s, p) for s, p in statements if "GROUP BY" in s]
    assert ageing.count("sum(CASE") == 5
    async with database().engine.connect() as connection:
        rows = await connection.exec_driver_sql("EXPLAIN QUERY PLAN " + ageing, parameters)
        plan = " | ".join(row[-1] for row in rows)
    assert "ix_order_stage" in plan, plan
    assert "ix_sales_order_receivable_due" not in plan and "ix_sales_order_customer_id" not in plan, plan


# —— issue 14, item 2: what a receivable is ——


async def test_an_unpaid_prepaid_order_before_its_slip_waits_for_prepayment_and_is_never_overdue(app: App):
    """Registered on 10-01, unpaid, not slipped on 11-26: 待收预付款, not 逾期, out of ageing, DSO and the
    collection digest (today an unshipped 款到发货 order read as overdue and DSO as 34,389 days)."""
    from xietong.finance.review import overdue_by_customer

    fixed = fix_clock(2026, 10, 1)
    await staff()
    waiting = await new_order(PaymentMethod.prepaid, 1_000_000)
    small = await slipped(await new_order(MONTHLY, 100))  # a slip in the DSO period: 1 元 of sales
    fixed.local(2026, 11, 26)
    summary = await _summary(date(2026, 11, 26))
    assert (summary.total, summary.orders, summary.dso) == (100, 1, 90)
    card = await answer(app, group_msg(f"/订单 {waiting}", CS))
    assert card.split("\n")[0] == f"订单 {waiting}【处理中】"
    async with database().session() as session:
        assert await overdue_by_customer(session, date(2026, 11, 26)) == []
        assert await receivables.awaiting_prepayment(session) == (1, 1_000_000)
    text = await answer(app, group_msg("/应收 金陵建材", FINANCE))
    assert text.split("\n") == [
        "金陵建材 应收 1 元，1 单（截至 11-26）",
        "账龄：未到期 1 | 1-30 天 0 | 31-60 天 0 | 61-90 天 0 | 90+ 天 0",
        "待收预付款（款到发货未开单，不算应收）：1 单 10,000 元",
        f"  {small}【已开单】未收 1 元，未定到期日",
    ]


async def test_a_forced_slip_on_an_unpaid_prepaid_order_is_due_at_once(app: App):
    fixed = fix_clock(2026, 11, 26)
    await staff()
    number = await new_order(PaymentMethod.prepaid, 1_000_000)
    await say(app, group_msg(f"/强制开单 {number} 老客户，货款明天到", DIRECTOR))
    async with database().session() as session:
        order = await session.scalar(select(Order).where(Order.number == number))
    assert (order.stage, order.receivable_due) == (Stage.slipped, date(2026, 11, 26))
    assert (await _summary(date(2026, 11, 26))).total == 1_000_000
    fixed.local(2026, 11, 27)
    card = await answer(app, group_msg(f"/订单 {number}", CS))
    assert card.split("\n")[0] == f"订单 {number}【已开单】 逾期"


async def test_monthly_and_cod_receivables_start_at_the_slip_and_fall_due_from_delivery(app: App):
    """/开单 makes a 月结 order a receivable without a due date (未到期); /到货 sets delivery + credit days."""
    from tests.logistics.steps import ready_order

    fixed = fix_clock(2026, 11, 26)
    await staff()
    number = await ready_order(app, "月结")
    assert (await _summary(date(2026, 11, 26))).total == 0  # released, not slipped: no receivable yet
    await say(app, group_msg(f"/开单 {number}", CS))
    summary = await _summary(date(2026, 11, 26))
    assert (summary.total, summary.ageing.amounts[0]) == (1_260_000, 1_260_000)
    await say(app, group_msg(f"/派车 {number} 苏A12345 老周 13900000000", LOGISTICS))
    await say(app, group_msg(f"/发货 {number}", LOGISTICS))
    fixed.local(2026, 11, 28)
    await say(app, group_msg(f"/到货 {number}", LOGISTICS))
    async with database().session() as session:
        order = await session.scalar(select(Order).where(Order.number == number))
    assert order.receivable_due == date(2026, 12, 28)  # delivery + 30 credit days
