"""Orders, shipments and a settable clock for the finance tests.

Orders are registered through the orders service (not the /接单 parser) and moved along by writing the
rows directly: the slip and logistics commands are another engineer's, so these tests set up what those
commands would leave behind (stage, delivery, due date, Shipment rows).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from nonebot.adapters.onebot.v11 import Bot
from nonebug import App
from sqlalchemy import select

from tests.factories import CS, GROUP, LOGISTICS, WORKSHOP, Capture, last_outbox_id, queued, say
from xietong.core import clock
from xietong.core.db import database
from xietong.core.outbox import Target
from xietong.core.work import Actor, work
from xietong.finance.models import LedgerEntry
from xietong.logistics.models import Shipment
from xietong.orders import service
from xietong.orders.enums import Department, PaymentMethod, Stage, TaskState
from xietong.orders.intake import Item, OrderDraft
from xietong.orders.models import Order, OrderTask
from xietong.parties.models import Customer

PREPAID, COD, MONTHLY = PaymentMethod.prepaid, PaymentMethod.cod, PaymentMethod.monthly


class FixedClock:
    """The product's clock, held still; ``local(...)`` sets it to a Shanghai wall time."""

    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def local(self, year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> None:
        self.at = datetime(year, month, day, hour, minute, tzinfo=clock.LOCAL_TZ).astimezone(timezone.utc)


def fix_clock(year: int = 2026, month: int = 11, day: int = 26, hour: int = 10) -> FixedClock:
    fixed = FixedClock(datetime(year, month, day, hour, tzinfo=clock.LOCAL_TZ).astimezone(timezone.utc))
    clock.set_clock(fixed)
    return fixed


async def new_order(payment: PaymentMethod = PREPAID, amount_fen: int = 1_260_000, customer: str = "金陵建材") -> str:
    draft = OrderDraft(
        customer=customer, items=(Item("水泥", Decimal(30), "吨"),), amount_fen=amount_fen, payment=payment,
        consignee="王工", phone="13800000000", address="南京市江宁区天元路1号",
    )
    async with work(Actor(CS, origin=Target.group(GROUP), message_id=1)) as w:
        return (await service.register(w, draft, GROUP, confirmed=True)).order.number


async def order_row(number: str) -> Order:
    async with database().session() as session:
        return await session.scalar(select(Order).where(Order.number == number))


async def set_order(number: str, **fields) -> None:
    async with database().session() as session:
        order = await session.scalar(select(Order).where(Order.number == number))
        for name, value in fields.items():
            setattr(order, name, value)


async def finance_task(number: str) -> OrderTask:
    async with database().session() as session:
        return await session.scalar(
            select(OrderTask).join(Order, Order.id == OrderTask.order_id)
            .where(Order.number == number, OrderTask.department == Department.finance)
        )


async def entries(number: str) -> list[LedgerEntry]:
    async with database().session() as session:
        return list((await session.scalars(
            select(LedgerEntry).join(Order, Order.id == LedgerEntry.order_id)
            .where(Order.number == number).order_by(LedgerEntry.id)
        )).all())


async def stock_done(number: str) -> None:
    async with work(Actor(WORKSHOP)) as w:
        await service.answer_task(w, number, Department.workshop, state=TaskState.done, action="备货完成", quiet=True)


async def delivered(number: str, on: date, due: date | None = None) -> None:
    """What /到货 leaves behind (logistics' command): 已到货, delivered_at, the receivable's due date."""
    at = datetime.combine(on, time(15), tzinfo=clock.LOCAL_TZ)
    await set_order(number, stage=Stage.delivered, shipped_at=at - timedelta(days=1), delivered_at=at,
                    slip_at=at - timedelta(days=2), receivable_due=due or on)


async def slipped(number: str, at: datetime | None = None) -> str:
    """What /开单 leaves behind: 已开单 with its slip time (the receivable starts here)."""
    await set_order(number, stage=Stage.slipped, slip_at=at or clock.now())
    return number


async def add_shipment(number: str, **fields) -> None:
    """A Shipment row as /派车, /代收 and /运费 would leave it."""
    order = await order_row(number)
    async with database().session() as session:
        session.add(Shipment(order_id=order.id, plate="苏A12345", driver="老周", driver_phone="13900000000",
                             dispatched_by=LOGISTICS, **fields))


async def shipment(number: str) -> Shipment:
    async with database().session() as session:
        return await session.scalar(
            select(Shipment).join(Order, Order.id == Shipment.order_id).where(Order.number == number)
        )


async def set_customer(name: str, **fields) -> None:
    async with database().session() as session:
        customer = await session.scalar(select(Customer).where(Customer.name == name))
        for key, value in fields.items():
            setattr(customer, key, value)


async def run(app: App, event) -> list:
    """Feed one event that answers through the outbox; return what it queued."""
    before = await last_outbox_id()
    await say(app, event)
    return await queued(before)


async def answer(app: App, event) -> str:
    """Feed one event that answers directly (read-only, or refused); return the answer."""
    sent: list[str] = []
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_send(event, Capture(sent), None)
    return sent[0]


async def mark_sent(number: str, message_id: int) -> None:
    """The delivery worker sent the order's first message (the instructions) and QQ numbered it."""
    from xietong.core.models import OutboxMessage

    async with database().session() as session:
        row = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.subject == number).order_by(OutboxMessage.id).limit(1)
        )
        row.status, row.message_id = "sent", message_id



async def build_book() -> dict[str, str]:
    """The receivables of the hand-computed tests, on 2026-11-26 (call :func:`fix_clock` first).

    ==  ========  ======  ======  ==========  ==========  ====  =======  ==========
        customer  method  amount  paid        due         days  bucket   slip
    ==  ========  ======  ======  ==========  ==========  ====  =======  ==========
    A   金陵建材  款到    10,000  0           not slipped: 待收预付款, no receivable         —
    B   金陵建材  月结    20,000  5,000       11-10       16    1-30     10-09
    H   金陵建材  月结     1,000  0           10-27       30    1-30     09-25
    I   金陵建材  月结     2,000  0           10-26       31    31-60    09-24
    C   江宁五金  到付     8,000  0           09-20       67    61-90    09-18
    D   江宁五金  月结     3,000  0           08-01       117   90+      06-30 (before the DSO period)
    E   江宁五金  月结     6,000  0           —           —     未到期   11-20 (not delivered yet)
    F   江宁五金  到付    50,000  —           cancelled: never counts, not even its slip of 11-01
    G   江宁五金  到付     4,000  4,000       11-20       settled: owes nothing; slip 11-18 counts
    ==  ========  ======  ======  ==========  ==========  ====  =======  ==========

    金陵建材 18,000 (3 orders, overdue 18,000, oldest 31 days); 江宁五金 17,000 (3, overdue 11,000, 117 days).
    Buckets 6,000 | 16,000 | 2,000 | 8,000 | 3,000 = 35,000. DSO period 08-29 … 11-26: sales B+H+I+C+G+E
    = 41,000, DSO = 35,000 / 41,000 × 90 = 76.8 → 77 days.
    """
    book = {
        "A": await new_order(PREPAID, 1_000_000),
        "B": await new_order(MONTHLY, 2_000_000),
        "H": await new_order(MONTHLY, 100_000),
        "I": await new_order(MONTHLY, 200_000),
        "C": await new_order(COD, 800_000, customer="江宁五金"),
        "D": await new_order(MONTHLY, 300_000, customer="江宁五金"),
        "E": await new_order(MONTHLY, 600_000, customer="江宁五金"),
        "F": await new_order(COD, 5_000_000, customer="江宁五金"),
        "G": await new_order(COD, 400_000, customer="江宁五金"),
    }
    await delivered(book["B"], date(2026, 10, 11), due=date(2026, 11, 10))
    await set_order(book["B"], paid_fen=500_000)
    await delivered(book["H"], date(2026, 9, 27), due=date(2026, 10, 27))
    await delivered(book["I"], date(2026, 9, 26), due=date(2026, 10, 26))
    await delivered(book["C"], date(2026, 9, 20))
    await delivered(book["D"], date(2026, 7, 2), due=date(2026, 8, 1))
    await set_order(book["F"], stage=Stage.cancelled,
                    slip_at=datetime(2026, 11, 1, 9, tzinfo=clock.LOCAL_TZ), receivable_due=date(2026, 11, 1))
    await set_order(book["E"], stage=Stage.slipped, slip_at=datetime(2026, 11, 20, 9, tzinfo=clock.LOCAL_TZ))
    await delivered(book["G"], date(2026, 11, 20))
    await set_order(book["G"], paid_fen=400_000, stage=Stage.settled)
    return book
