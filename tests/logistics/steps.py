"""Steps of an order's life shared by the slip and logistics tests: register, prepare, pay or release, and
readers of the rows they leave behind."""

from __future__ import annotations

from nonebot.adapters.onebot.v11 import Bot
from nonebug import App
from sqlalchemy import select

from tests.factories import (
    CS,
    FINANCE,
    INTAKE_TEXT,
    WORKSHOP,
    Capture,
    group_msg,
    last_outbox_id,
    queued,
    say,
)
from xietong.core.db import database
from xietong.core.work import Actor, work
from xietong.logistics.models import Shipment
from xietong.orders import queries, service
from xietong.orders.enums import Department, PaymentMethod, TaskState
from xietong.orders.models import Order

PLATE, DRIVER, DRIVER_PHONE = "皖A12345", "李师傅", "13900000000"


async def register(app: App, payment: str = "款到发货", user: int = CS) -> str:
    """An order from the usual text; 确认 at the end: a test registers it several times on purpose."""
    before = await last_outbox_id()
    await say(app, group_msg(INTAKE_TEXT.format(payment=payment) + "\n确认", user))
    replies = [q for q in await queued(before) if q.text.startswith("已登记订单")]
    assert replies, "intake did not register"
    return replies[0].subject


async def stock_done(app: App, number: str) -> None:
    await say(app, group_msg(f"/备货完成 {number}", WORKSHOP))


async def pay(number: str, fen: int | None = None) -> None:
    """款到发货: what finance's /到账 leaves behind, reduced to paid_fen and the gate refresh."""
    async with work(Actor(FINANCE)) as w:
        order = await service.load(w.session, number)
        order.paid_fen = order.amount_fen if fen is None else fen
        await service.refresh_stage(w, await service.view(w.session, order))


async def release(number: str) -> None:
    """货到付款 / 月结: finance's /放行, reduced to the service call the gate depends on."""
    async with work(Actor(FINANCE)) as w:
        await service.answer_task(w, number, Department.finance, state=TaskState.done, action="放行")


async def finance_clears(number: str) -> None:
    order = await order_row(number)
    if order.payment == PaymentMethod.prepaid:
        await pay(number)
    else:
        await release(number)


async def ready_order(app: App, payment: str = "款到发货") -> str:
    """An order at 可开单: goods prepared and the money side cleared."""
    number = await register(app, payment)
    await stock_done(app, number)
    await finance_clears(number)
    return number


async def order_row(number: str) -> Order:
    async with database().session() as session:
        return await session.scalar(select(Order).where(Order.number == number))


async def shipment_row(number: str) -> Shipment | None:
    async with database().session() as session:
        return await session.scalar(
            select(Shipment).join(Order, Order.id == Shipment.order_id).where(Order.number == number)
        )


async def audit_trail(number: str) -> list[tuple[str, str]]:
    """(action, detail) of the order's events as its timeline words them."""
    async with database().session() as session:
        return [(action, detail) for _, _, action, detail in await queries.timeline(session, number)]


async def direct_reply(app: App, event) -> str:
    """The one direct (read-only or refusal) reply an event gets, whatever its length."""
    sent: list[str] = []
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_send(event, Capture(sent), None)
    return sent[0]


async def outbox_after(app: App, *events) -> list:
    """Feed events that answer through the outbox; return what they queued."""
    before = await last_outbox_id()
    await say(app, *events)
    return await queued(before)
