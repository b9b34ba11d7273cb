"""The collection review that the weekly meeting brief and the collection digest read.

This is a contract other modules code against: keep the names, fields and meanings stable.
Amounts are fen; "overdue" means past ``Order.receivable_due`` with money still owed, on an order that is
not cancelled (see :mod:`xietong.finance.receivables` for which orders are receivables).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core import clock
from xietong.logistics import shipments
from xietong.logistics.models import Shipment
from xietong.orders.enums import Stage
from xietong.orders.models import Order
from xietong.parties.models import Customer

from . import balances
from .ageing import days_past_due
from .models import LedgerEntry
from .receivables import CUSTOMER_KEY, DUE, OUTSTANDING, outstanding_total, overdue_condition


@dataclass(frozen=True)
class Overdue:
    customer: str
    orders: tuple[str, ...]  # order numbers
    amount_fen: int
    max_days: int  # days past due of the oldest


@dataclass(frozen=True)
class CollectionReview:
    month: str  # "2026-11"
    collected_fen: int  # 回款 on sales (net of reversals) dated in the month, local time: see collected_between
    outstanding_fen: int  # now, all open receivables
    overdue: tuple[Overdue, ...]  # by customer, largest first
    cod_unbooked: tuple[tuple[str, int], ...]  # (order number, collected fen) collected but not booked


async def overdue_by_customer(session: AsyncSession, today: date) -> list[Overdue]:
    """Overdue receivables grouped by customer, largest amount first (ties: by name); each customer's order
    numbers in number order, i.e. by intake. One grouped pass over the open book."""
    grouped = (
        select(
            CUSTOMER_KEY,
            func.sum(OUTSTANDING).label("amount"),
            func.min(DUE).label("oldest"),
            func.aggregate_strings(Order.number, ",").label("numbers"),
        )
        .where(overdue_condition(today))
        .group_by(CUSTOMER_KEY)
        .subquery()
    )
    rows = await session.execute(
        select(Customer.name, grouped.c.amount, grouped.c.oldest, grouped.c.numbers).join(
            grouped, grouped.c.customer_key == Customer.id
        )
    )
    result = [
        Overdue(
            customer=name,
            orders=tuple(sorted(numbers.split(","))),
            amount_fen=int(amount),
            max_days=days_past_due(oldest, today) or 0,
        )
        for name, amount, oldest, numbers in rows
    ]
    result.sort(key=lambda o: (-o.amount_fen, o.customer))
    return result


async def cod_not_booked(session: AsyncSession) -> list[tuple[str, int]]:
    """Cash on delivery logistics collected that finance has not booked yet, oldest collection first."""
    rows = await session.execute(shipments.cod_unbooked().order_by(Shipment.cod_collected_at, Shipment.order_id))
    return [(number, int(fen)) for number, fen in rows]


async def collected_between(session: AsyncSession, start: datetime, end: datetime) -> int:
    """回款 on sales dated in [start, end), as /月报 counts it: payments, COD bookings and transfers on orders
    that are not cancelled, net of their reversals. Money kept as a balance and refunds are not 回款."""
    original, kind = balances.effective_kind()
    on_sales = and_(kind.in_(balances.MOVED), Order.stage != Stage.cancelled)
    total = await session.scalar(
        select(func.coalesce(func.sum(case((on_sales, LedgerEntry.amount_fen), else_=0)), 0))
        .select_from(LedgerEntry)
        .join(Order, Order.id == LedgerEntry.order_id)
        .outerjoin(original, original.id == LedgerEntry.reverses_id)
        .where(LedgerEntry.at >= start, LedgerEntry.at < end)
    )
    return int(total or 0)


async def collected_in_month(session: AsyncSession, year: int, month: int) -> int:
    return await collected_between(session, *clock.month_bounds(year, month))


async def collection_review(session: AsyncSession, today: date) -> CollectionReview:
    """The month of ``today``: what came in, what is owed now, who is late, which COD waits for finance."""
    return CollectionReview(
        month=f"{today:%Y-%m}",
        collected_fen=await collected_in_month(session, today.year, today.month),
        outstanding_fen=await outstanding_total(session),
        overdue=tuple(await overdue_by_customer(session, today)),
        cod_unbooked=tuple(await cod_not_booked(session)),
    )
