"""/催收 (cs) and /运费结算 (finance) through NoneBot."""

from datetime import date

from nonebug import App
from sqlalchemy import select

from tests.factories import CS, DIRECTOR, FINANCE, LOGISTICS, NEEDS_NUMBER, Like, group_msg, say, staff
from tests.finance.support import (
    COD,
    MONTHLY,
    add_shipment,
    answer,
    delivered,
    fix_clock,
    mark_sent,
    new_order,
    order_row,
    run,
    set_order,
    shipment,
    slipped,
)
from xietong.core.db import database
from xietong.core.models import AuditEvent
from xietong.finance.models import CollectionAttempt
from xietong.orders.enums import Stage


async def attempts() -> list[CollectionAttempt]:
    async with database().session() as session:
        return list((await session.scalars(select(CollectionAttempt).order_by(CollectionAttempt.id))).all())


async def test_collection_on_an_order_is_logged_and_shows_in_its_timeline(app: App):
    fix_clock(2026, 11, 26)
    await staff()
    number = await new_order(MONTHLY, 1_260_000)
    await delivered(number, date(2026, 10, 1), due=date(2026, 10, 31))
    event = group_msg(f"/催收 {number} 已电话联系财务，答应月底前付", CS)
    [reply] = await run(app, event)
    assert reply.text == f"已记录催收：{number}（金陵建材），未收 12,600 元，其中逾期 12,600 元（最长 26 天）。已电话联系财务，答应月底前付"
    assert (reply.reply_to, reply.subject) == (event.message_id, number)
    [attempt] = await attempts()
    order = await order_row(number)
    assert (attempt.order_id, attempt.customer_id, attempt.actor_qq) == (order.id, order.customer_id, CS)
    assert attempt.note == "已电话联系财务，答应月底前付"
    card = await answer(app, group_msg(f"/订单 {number}", CS))
    assert " 王客服 催收：已电话联系财务，答应月底前付" in card


async def test_collection_by_quote_reply_to_a_message_about_the_order(app: App):
    fix_clock(2026, 11, 26)
    await staff()
    number = await new_order(MONTHLY, 100_000)
    await mark_sent(number, 88100)
    [reply] = await run(app, group_msg("/催收 发了对账单", CS, reply_to=88100))
    assert reply.text == f"已记录催收：{number}（金陵建材），未收 1,000 元。发了对账单"


async def test_collection_on_a_customer_covers_every_open_order(app: App):
    fix_clock(2026, 11, 26)
    await staff()
    late = await new_order(MONTHLY, 300_000, customer="江宁五金")
    await delivered(late, date(2026, 9, 1), due=date(2026, 10, 1))
    fresh = await slipped(await new_order(MONTHLY, 200_000, customer="江宁五金"))
    paid = await new_order(MONTHLY, 100_000, customer="江宁五金")
    await set_order(paid, paid_fen=100_000)
    other = await new_order(MONTHLY, 100_000)
    [reply] = await run(app, group_msg("/催收 江宁五金 上门拜访，下周三付一半", CS))
    assert reply.text == "已记录催收：江宁五金，未收 2 单 5,000 元，其中逾期 3,000 元（最长 56 天）。上门拜访，下周三付一半"
    [attempt] = await attempts()
    assert attempt.order_id is None
    async with database().session() as session:
        subjects = set((await session.scalars(select(AuditEvent.subject).where(AuditEvent.action == "催收"))).all())
    assert subjects == {late, fresh, f"customer:{attempt.customer_id}"}
    assert paid not in subjects and other not in subjects


async def test_the_director_organises_collection(app: App):
    """Issue 14 / regulation: 主任 organises collection, so /催收 is open to the director too."""
    fix_clock(2026, 11, 26)
    await staff()
    late = await new_order(MONTHLY, 300_000)
    await delivered(late, date(2026, 9, 1), due=date(2026, 10, 1))
    [reply] = await run(app, group_msg(f"/催收 {late} 主任亲自打了电话", DIRECTOR))
    assert reply.text.startswith(f"已记录催收：{late}（金陵建材），未收 3,000 元")
    [attempt] = await attempts()
    assert attempt.actor_qq == DIRECTOR


async def test_collection_refusals(app: App):
    await staff()
    number = await new_order(MONTHLY, 100_000)
    paid_up = await new_order(MONTHLY, 100_000)
    await set_order(paid_up, paid_fen=100_000)
    cancelled = await new_order(COD, 100_000)
    await set_order(cancelled, stage=Stage.cancelled)
    by_finance = group_msg(f"/催收 {number} 打了电话", FINANCE)
    empty = group_msg("/催收", CS)
    no_note = group_msg(f"/催收 {number}", CS)
    nobody = group_msg("/催收 不存在公司 打了电话", CS)
    settled = group_msg(f"/催收 {paid_up} 打了电话", CS)
    gone = group_msg(f"/催收 {cancelled} 打了电话", CS)
    owes_nothing = group_msg("/催收 金陵 打了电话", CS)
    await set_order(number, paid_fen=100_000)  # now the customer owes nothing at all
    await say(app, by_finance, empty, no_note, nobody, settled, gone, owes_nothing, sends={
        by_finance.message_id: "这一步需要「客服或主任」岗位。",
        empty.message_id: Like(r"请写上单号或客户，以及这次催收的情况，例如：/催收 D\d{6}-\d{3} 已电话联系，答应月底付"),
        no_note.message_id: f"请写上这次催收的情况，例如：/催收 {number} 已电话联系，答应月底付",
        nobody.message_id: "客户档案里没有「不存在公司」。请写全名，或写单号：/催收 单号 说明",
        settled.message_id: f"订单 {paid_up} 的款已收齐，无需催收。",
        gone.message_id: f"订单 {cancelled} 已取消，无需催收。",
        owes_nothing.message_id: "金陵建材 目前没有未收的款，无需催收。",
    })
    assert await attempts() == []


async def test_freight_settlement(app: App):
    await staff()
    number = await new_order(COD, 1_000_000)
    await add_shipment(number, freight_fen=80_000)
    [reply] = await run(app, group_msg(f"/运费结算 {number}", FINANCE))
    assert reply.text == f"订单 {number} 运费 800 元已结算。"
    assert (await shipment(number)).freight_settled_at is not None
    again = await answer(app, group_msg(f"/运费结算 {number}", FINANCE))
    assert again.startswith(f"订单 {number} 的运费已于 ") and again.endswith(" 结算，无需重复。")
    card = await answer(app, group_msg(f"/订单 {number}", FINANCE))
    assert " 李会计 运费结算：800 元" in card


async def test_freight_settlement_refusals(app: App):
    await staff()
    no_shipment = await new_order(COD)
    no_freight = await new_order(COD)
    await add_shipment(no_freight)
    priced = await new_order(COD)
    await add_shipment(priced, freight_fen=50_000)
    a, b = group_msg(f"/运费结算 {no_shipment}", FINANCE), group_msg(f"/运费结算 {no_freight}", FINANCE)
    by_logistics, no_number = group_msg(f"/运费结算 {priced}", LOGISTICS), group_msg("/运费结算", FINANCE)
    await say(app, a, b, by_logistics, no_number, sends={
        a.message_id: f"订单 {no_shipment} 还没有登记运费（物流 /运费 {no_shipment} 金额），无法结算。",
        b.message_id: f"订单 {no_freight} 还没有登记运费（物流 /运费 {no_freight} 金额），无法结算。",
        by_logistics.message_id: "这一步需要「财务」岗位。",
        no_number.message_id: NEEDS_NUMBER,
    })
    assert (await shipment(priced)).freight_settled_at is None
