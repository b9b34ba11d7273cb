"""The month by region and by salesperson (客户资料管理制度 · 销量月报): sales, collections, overdue, freight.

A customer's region and salesperson are its archive entries (:mod:`xietong.customers.regions`); customers
without one are grouped under 「未分区域」/「未指定」. Sales count by the month of the slip (as the monthly
report); freight is that of the month's sales (the selling expense the bot knows); collections are the
month's ledger entries, net; overdue is what is overdue now. Each figure is one GROUP BY.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.finance.models import LedgerEntry
from xietong.finance.receivables import OUTSTANDING, overdue_condition
from xietong.logistics.models import Shipment
from xietong.orders.models import Order
from xietong.parties.models import Customer, FieldPerson, Region

from . import messages as msg
from .monthly import Month, sales_conditions, totals


@dataclass
class GroupRow:
    key: int | None  # the region or salesperson id; None: customers without one
    label: str
    orders: int = 0
    sales_fen: int = 0
    collected_fen: int = 0
    overdue_fen: int = 0
    freight_fen: int = 0
    target_fen: int | None = None

    @property
    def freight_share(self) -> float | None:
        return self.freight_fen / self.sales_fen if self.sales_fen else None

    @property
    def done(self) -> float | None:
        return self.sales_fen / self.target_fen if self.target_fen else None


async def _sums(session: AsyncSession, key, month: Month, today: date) -> dict[int | None, list[int]]:
    """key → [orders, sales, collected, overdue, freight]."""
    out: dict[int | None, list[int]] = {}

    def add(rows, *slots: int) -> None:
        for who, *values in rows:
            row = out.setdefault(who, [0, 0, 0, 0, 0])
            for slot, value in zip(slots, values, strict=True):
                row[slot] = int(value or 0)

    by_customer = select(key).join(Order, Order.customer_id == Customer.id)
    add(await session.execute(
        by_customer.add_columns(func.count(), func.sum(Order.amount_fen)).where(*sales_conditions(month)).group_by(key)
    ), 0, 1)
    start, end = month.bounds()
    add(await session.execute(
        by_customer.add_columns(func.sum(LedgerEntry.amount_fen)).join(LedgerEntry, LedgerEntry.order_id == Order.id)
        .where(LedgerEntry.at >= start, LedgerEntry.at < end).group_by(key)
    ), 2)
    add(await session.execute(
        by_customer.add_columns(func.sum(OUTSTANDING)).where(overdue_condition(today)).group_by(key)
    ), 3)
    add(await session.execute(
        by_customer.add_columns(func.sum(Shipment.freight_fen)).join(Shipment, Shipment.order_id == Order.id)
        .where(*sales_conditions(month)).group_by(key)
    ), 4)
    return out


def _rows(sums: dict[int | None, list[int]], names: dict[int, str], empty: str) -> list[GroupRow]:
    rows = [GroupRow(key, names.get(key, empty) if key is not None else empty, *values)
            for key, values in sums.items() if any(values)]
    rows.sort(key=lambda r: (r.key is None, -r.sales_fen, r.label))
    return rows


async def by_region(session: AsyncSession, month: Month, today: date) -> list[GroupRow]:
    names = dict((await session.execute(select(Region.id, Region.name))).all())
    return _rows(await _sums(session, Customer.region_id, month, today), names, msg.NO_REGION)


async def by_salesperson(session: AsyncSession, month: Month, today: date) -> list[GroupRow]:
    names = dict((await session.execute(select(FieldPerson.id, FieldPerson.name))).all())
    return _rows(await _sums(session, Customer.salesperson_id, month, today), names, msg.NO_PERSON)


async def freight_total(session: AsyncSession, month: Month) -> int:
    total = await session.scalar(
        select(func.coalesce(func.sum(Shipment.freight_fen), 0)).join(Order, Order.id == Shipment.order_id)
        .where(*sales_conditions(month))
    )
    return int(total or 0)


async def sales_total(session: AsyncSession, month: Month) -> int:
    return (await totals(session, month)).amount_fen


async def trend(session: AsyncSession, last: Month, months: int = 12) -> list[tuple[Month, int, int]]:
    """(month, sales, net collections) of the ``months`` months up to ``last``, oldest first."""
    out = []
    month = last
    for _ in range(months):
        figures = await totals(session, month)
        out.append((month, figures.amount_fen, figures.collected_fen))
        month = month.previous()
    return out[::-1]
