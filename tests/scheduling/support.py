"""Shared pieces of the scheduling tests: an injected clock in local time, rows made directly."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from tests.factories import GROUP
from xietong.core import clock
from xietong.core.clock import LOCAL_TZ
from xietong.core.db import database
from xietong.core.models import OutboxMessage
from xietong.core.outbox import Target
from xietong.customers.models import Complaint
from xietong.finance.models import EntryKind, LedgerEntry
from xietong.logistics.models import Shipment
from xietong.orders.enums import Department, PaymentMethod, Stage, TaskState
from xietong.orders.models import Order, OrderTask
from xietong.parties.models import Customer
from xietong.scheduling.escalate import Rules
from xietong.scheduling.periods import Period, Schedule
from xietong.scheduling.runner import Runner
from xietong.scheduling.workdays import WorkCalendar


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=LOCAL_TZ)


class Clock:
    """The injected clock: set it to a local time, move it on."""

    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at.astimezone(timezone.utc)

    def set(self, *args: int) -> datetime:
        self.at = local(*args)
        return self.at

    def advance(self, **delta: float) -> datetime:
        self.at += timedelta(**delta)
        return self.at


def fix_clock(*args: int) -> Clock:
    fake = Clock(local(*args))
    clock.set_clock(fake)
    return fake


MEETING = Schedule("meeting", "周例会通知", "XIETONG_MEETING_CRON", "30 8 * * mon", Period.week, +1)
COLLECTION = Schedule("collection", "回款提醒", "XIETONG_COLLECTION_CRON", "0 9 * * mon-fri", Period.day, 0)
REPORT = Schedule("report", "月销量报表", "XIETONG_REPORT_CRON", "0 9 28 * *", Period.month, -1)
CALENDAR = WorkCalendar()


def runner(catchup: timedelta = timedelta(hours=12), calendar: WorkCalendar = CALENDAR, rules: Rules = Rules()) -> Runner:
    """What one bot process runs (two of these on one database are two processes)."""
    return Runner(
        schedules=[MEETING, COLLECTION, REPORT],
        calendar=calendar,
        rules=rules,
        catchup=catchup,
        target=Target.group(GROUP),
    )


async def claimed(prefix: str = "") -> list[str]:
    """Dedupe keys in the outbox (the periods and escalations claimed so far)."""
    async with database().session() as session:
        keys = await session.scalars(
            select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.is_not(None)).order_by(OutboxMessage.id)
        )
        return [k for k in keys if k.startswith(prefix)]


async def customer_id(session, name: str) -> int:
    found = await session.scalar(select(Customer).where(Customer.name == name))
    if found is None:
        found = Customer(name=name)
        session.add(found)
        await session.flush()
    return found.id


async def make_order(
    number: str,
    *,
    customer: str = "金陵建材",
    amount_fen: int = 1_260_000,
    paid_fen: int = 0,
    stage: Stage = Stage.processing,
    payment: PaymentMethod = PaymentMethod.prepaid,
    created_at: datetime | None = None,
    asked_at: datetime | None = None,
    tasks: dict[Department, TaskState] | None = None,
    shipped_at: datetime | None = None,
    delivered_at: datetime | None = None,
    customer_notified_at: datetime | None = None,
    receivable_due: date | None = None,
    exception_note: str | None = None,
    group_id: int | None = GROUP,
) -> int:
    """An order as the services would have left it, with its three department tasks."""
    created_at = created_at or clock.now()
    async with database().session() as session:
        order = Order(
            number=number, customer_id=await customer_id(session, customer), customer_name=customer,
            amount_fen=amount_fen, paid_fen=paid_fen, payment=payment, consignee="王工", phone="13800000000",
            address="南京市江宁区天元路1号", stage=stage, group_id=group_id, created_by=20001,
            created_at=created_at, updated_at=created_at, shipped_at=shipped_at, delivered_at=delivered_at,
            customer_notified_at=customer_notified_at, receivable_due=receivable_due, exception_note=exception_note,
        )
        session.add(order)
        await session.flush()
        states = tasks or {}
        for department in Department:
            state = states.get(department, TaskState.pending)
            session.add(OrderTask(
                order_id=order.id, department=department, state=state, asked_at=asked_at or created_at,
                answered_at=None if state == TaskState.pending else created_at,
            ))
        return order.id


async def pay(order_id: int, amount_fen: int, at: datetime) -> None:
    async with database().session() as session:
        session.add(LedgerEntry(order_id=order_id, kind=EntryKind.payment, amount_fen=amount_fen, at=at))


async def cod_collected(order_id: int, amount_fen: int, at: datetime) -> None:
    async with database().session() as session:
        session.add(Shipment(
            order_id=order_id, plate="苏A12345", driver="老周", driver_phone="13900000000", dispatched_by=20031,
            dispatched_at=at, cod_collected_fen=amount_fen, cod_collected_at=at,
        ))


async def complaint(number: str, content: str, opened_at: datetime, customer: str = "金陵建材",
                    group_id: int | None = GROUP) -> None:
    async with database().session() as session:
        session.add(Complaint(
            number=number, customer_id=await customer_id(session, customer), customer_name=customer,
            content=content, opened_by=20001, opened_at=opened_at, group_id=group_id,
        ))


async def task_row(order_id: int, department: Department) -> OrderTask:
    async with database().session() as session:
        return await session.scalar(
            select(OrderTask).where(OrderTask.order_id == order_id, OrderTask.department == department)
        )


async def set_task(order_id: int, department: Department, **fields) -> None:
    async with database().session() as session:
        task = await session.scalar(
            select(OrderTask).where(OrderTask.order_id == order_id, OrderTask.department == department)
        )
        for name, value in fields.items():
            setattr(task, name, value)
