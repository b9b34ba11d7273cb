"""Issue 18, item 2: Order field changes are audited by one hook in the unit of work (xietong.core.tracking), as
Odoo tracks fields; services state only why, and the /订单 timeline reads as it did with hand-written strings."""

import pytest
from nonebug import App
from sqlalchemy import select

from tests.factories import CS, DIRECTOR, FINANCE, LOGISTICS, group_msg, staff
from tests.finance.support import fix_clock, new_order, run
from tests.logistics.steps import audit_trail, direct_reply, ready_order
from xietong.core.db import database
from xietong.core.models import AuditEvent
from xietong.core.tracking import DEFAULT_ACTION
from xietong.core.work import Actor, work
from xietong.orders import queries, service
from xietong.orders.enums import PaymentMethod, Stage


async def events(number: str) -> list[AuditEvent]:
    async with database().session() as session:
        return list(
            (await session.scalars(select(AuditEvent).where(AuditEvent.subject == number).order_by(AuditEvent.id))).all()
        )


async def events_after(number: str, before: int) -> list[AuditEvent]:
    return (await events(number))[before:]


async def card_timeline(number: str) -> list[str]:
    async with database().session() as session:
        card = await queries.order_card(session, number)
    return [line.split(" ", 3)[3] for line in card.split("—— 经过 ——\n")[1].split("\n")]


async def test_a_tracked_change_nobody_explained_is_audited_all_the_same():
    """Before the hook, a service that forgot its w.audit left no trace of the change."""
    await staff()
    number = await new_order(PaymentMethod.prepaid, amount_fen=1_260_000)
    before = len(await events(number))
    async with work(Actor(CS)) as w:
        order = await service.load(w.session, number)
        order.amount_fen, order.note = 1_300_000, "加急"
    [event] = await events_after(number, before)
    assert (event.actor_qq, event.action, event.detail) == (CS, DEFAULT_ACTION, "")
    assert event.changes == [
        {"field": "amount_fen", "label": "金额", "old": "12,600 元", "new": "13,000 元"},
        {"field": "note", "label": "备注", "old": None, "new": "加急"},
    ]
    assert (await card_timeline(number))[-1] == f"{DEFAULT_ACTION}：金额：12,600 元 → 13,000 元；备注：— → 加急"


async def test_a_stage_moved_without_a_reason_is_named_by_its_new_stage():
    await staff()
    number = await new_order()
    before = len(await events(number))
    async with work(Actor(DIRECTOR)) as w:
        (await service.load(w.session, number)).stage = Stage.ready
    [event] = await events_after(number, before)
    assert (event.action, event.changes) == (
        Stage.ready.value, [{"field": "stage", "label": "阶段", "old": "处理中", "new": "可开单"}]
    )
    assert (await card_timeline(number))[-1] == Stage.ready.value  # the stage is the event's word, not repeated


async def test_a_field_not_tracked_is_not_audited():
    await staff()
    number = await new_order()
    before = len(await events(number))
    async with work(Actor(FINANCE)) as w:
        order = await service.load(w.session, number)
        service.apply_payment(order, 100)  # paid_fen and updated_at: the ledger and the clock record those
    assert await events_after(number, before) == []


async def test_a_change_stated_by_its_service_is_audited_once():
    """/改单 states its reason: the hook writes one 改单 event, no second unexplained one for the same change."""
    await staff()
    number = await new_order(customer="金陵建材")
    before = len(await events(number))
    async with work(Actor(CS)) as w:
        # a new customer is created in a savepoint in the middle of the change: a flush inside the reason
        await service.change(w, number, {"customer": "江北五金店", "amount_fen": 1_300_000, "phone": "13900000000"})
    [event] = await events_after(number, before)
    assert (event.action, event.actor_qq) == ("改单", CS)
    assert [c["field"] for c in event.changes] == ["customer_name", "amount_fen", "phone"]
    assert (await card_timeline(number))[-1] == (
        "改单：客户：金陵建材 → 江北五金店；金额：12,600 元 → 13,000 元；电话：13800000000 → 13900000000"
    )


async def test_an_outer_reason_holds_for_the_moves_inside_it():
    """撤单 sets its reason and moves the stage (move() states a reason of its own): one 撤单 event."""
    await staff()
    number = await new_order()
    before = len(await events(number))
    async with work(Actor(CS)) as w:
        await service.cancel(w, number, "客户不要了")
    [event] = await events_after(number, before)
    assert (event.action, event.detail) == ("撤单", "客户不要了")
    assert {c["field"] for c in event.changes} == {"stage", "cancelled_reason"}
    assert (await card_timeline(number))[-1] == "撤单：客户不要了"


async def test_a_rolled_back_change_leaves_no_audit():
    await staff()
    number = await new_order()
    before = len(await events(number))
    with pytest.raises(RuntimeError):
        async with work(Actor(CS)) as w:
            order = await service.load(w.session, number)
            with w.because(order, "改单"):
                order.amount_fen = 1
            await w.session.flush()  # the event is written in the transaction, then goes with it
            raise RuntimeError("boom")
    assert await events_after(number, before) == []


async def test_intake_is_recorded_with_the_order_as_created():
    await staff()
    number = await new_order(PaymentMethod.monthly)
    [event] = await events(number)
    assert (event.action, event.actor_qq) == ("接单", CS)
    created = {c["field"]: c["new"] for c in event.changes}
    assert created["items"] == "水泥 30吨" and created["payment"] == "月结" and created["stage"] == "处理中"
    assert await card_timeline(number) == ["接单"]


async def test_rows_written_before_tracking_read_as_before():
    """Older rows have their words in ``detail`` and no ``changes``."""
    await staff()
    number = await new_order()
    async with database().session() as session:
        session.add(AuditEvent(actor_qq=CS, action="改单", subject=number, detail="金额：12,600 元 → 13,000 元"))
        session.add(AuditEvent(actor_qq=LOGISTICS, action="异常解除", subject=number, detail="封路 → 已通行"))
    assert (await card_timeline(number))[-2:] == ["改单：金额：12,600 元 → 13,000 元", "异常解除：封路 → 已通行"]


# —— the timeline reads as before, path by path (the same words the hand-written strings had) ——


async def test_timeline_of_change_slip_shipping_delivery_and_exceptions(app: App):
    fix_clock(2026, 11, 26)
    await staff()
    number = await ready_order(app, "月结")
    for text, who in [
        (f"/改单 {number}\n备注：加急\n交期：2026-12-01", CS),
        (f"/派车 {number} 皖A12345 李师傅 13900000000", LOGISTICS),
        (f"/开单 {number}", CS),
        (f"/发货 {number} 30件", LOGISTICS),
        (f"/异常 {number} 高速封路", LOGISTICS),
        (f"/异常 {number} 高速封路", LOGISTICS),  # the same report again is recorded again
        (f"/异常 {number} 改走国道", CS),
        (f"/异常解除 {number} 已到服务区", DIRECTOR),
        (f"/异常 {number} 卸货慢", LOGISTICS),
        (f"/异常解除 {number}", DIRECTOR),
        (f"/到货 {number}", LOGISTICS),
    ]:
        await run(app, group_msg(text, who))
    trail = await audit_trail(number)
    assert trail[-11:] == [
        ("改单", "交期：2026-12-05 → 2026-12-01；备注：— → 加急"),
        ("派车", "皖A12345 李师傅 13900000000"),
        ("开单", "XS261126-001 月结"),
        ("发货", "皖A12345 30件"),
        ("异常", "高速封路"),
        ("异常", "高速封路"),
        ("异常", "改走国道"),
        ("异常解除", "改走国道 → 已到服务区"),
        ("异常", "卸货慢"),
        ("异常解除", "卸货慢"),
        ("到货", ""),
    ]
    card = await direct_reply(app, group_msg(f"/订单 {number}", CS))
    assert card.split("—— 经过 ——\n")[1].split("\n")[0].endswith(" 接单")
    assert [e.action for e in await events(number)].count("修改") == 0  # every change had its reason
