"""Rows for customer, complaint and report tests, written straight to the database."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy import select

from tests.factories import GROUP
from xietong.core.db import database
from xietong.core.models import AuditEvent
from xietong.finance.models import CollectionAttempt, EntryKind, LedgerEntry
from xietong.orders.enums import PaymentMethod, Stage
from xietong.orders.models import Order, OrderItem
from xietong.parties.models import Customer

VP, GM = 20061, 20071


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


async def add_customer(name: str, **fields: object) -> int:
    async with database().session() as session:
        customer = Customer(name=name, **fields)
        session.add(customer)
        await session.flush()
        return customer.id


async def add_order(
    number: str,
    customer_id: int,
    amount_fen: int,
    *,
    payment: PaymentMethod = PaymentMethod.monthly,
    stage: Stage = Stage.slipped,
    paid_fen: int = 0,
    receivable_due: date | None = None,
    slip_at: datetime | None = None,
    created_at: datetime | None = None,
    items: tuple[tuple[str, str, str, int | None], ...] = (("水泥", "30", "吨", None),),
) -> int:
    """An order with its items ``(name, quantity, unit, unit price in fen)``."""
    async with database().session() as session:
        customer = await session.get(Customer, customer_id)
        order = Order(
            number=number, customer_id=customer_id, customer_name=customer.name, amount_fen=amount_fen,
            payment=payment, consignee="王工", phone="13800000000", address="南京市江宁区天元路1号",
            stage=stage, paid_fen=paid_fen, receivable_due=receivable_due, slip_at=slip_at,
            slip_number=("XS" + number[1:]) if slip_at else None, group_id=GROUP, created_by=20001,
            **({"created_at": created_at} if created_at else {}),
        )
        session.add(order)
        await session.flush()
        session.add_all(
            OrderItem(order_id=order.id, line=i, name=name, quantity=Decimal(quantity), unit=unit, unit_price_fen=price)
            for i, (name, quantity, unit, price) in enumerate(items, start=1)
        )
        return order.id


async def add_entry(order_id: int, amount_fen: int, at: datetime, kind: EntryKind = EntryKind.payment,
                    reverses: int | None = None) -> int:
    async with database().session() as session:
        entry = LedgerEntry(order_id=order_id, kind=kind, amount_fen=amount_fen, at=at, reverses_id=reverses)
        session.add(entry)
        await session.flush()
        return entry.id


async def add_attempt(customer_id: int, order_id: int | None, note: str, actor_qq: int, at: datetime) -> None:
    async with database().session() as session:
        session.add(CollectionAttempt(customer_id=customer_id, order_id=order_id, note=note, actor_qq=actor_qq, at=at))


async def audits(action: str) -> list[tuple[int | None, str, str]]:
    """(actor, subject, detail) of every audit event of ``action``, in order."""
    async with database().session() as session:
        rows = await session.execute(
            select(AuditEvent.actor_qq, AuditEvent.subject, AuditEvent.detail)
            .where(AuditEvent.action == action)
            .order_by(AuditEvent.id)
        )
        return [tuple(row) for row in rows]


async def customer_named(name: str) -> Customer | None:
    async with database().session() as session:
        return await session.scalar(select(Customer).where(Customer.name == name))
