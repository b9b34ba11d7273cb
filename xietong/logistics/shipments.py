"""The shipment facts other features read and change, through logistics: finance books the COD a driver
collected and settles the freight; nobody outside logistics assigns a ``Shipment`` attribute."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core import clock
from xietong.orders.enums import Stage
from xietong.orders.models import Order

from .models import Shipment


async def shipment_of(session: AsyncSession, order: Order, *, lock: bool = False) -> Shipment | None:
    query = select(Shipment).where(Shipment.order_id == order.id)
    return await session.scalar(query.with_for_update() if lock else query)


def cod_unbooked(*order_columns: Any) -> Select:
    """(order number, COD collected, *order_columns) of live orders whose cash on delivery finance has not
    booked yet, in shipment order (order by ``Shipment.order_id``). Driven from the partial index
    ix_shipment_cod_unbooked, each order's columns and stage looked up by its id, which no plan turns into
    a join: PostgreSQL took the two conditions as independent, expected 150,000 rows where a million-order
    book has a few hundred, and merged them with every order (joined, or NOT EXISTS for the cancelled:
    0.4–0.6 s; BENCHMARKS.md, round 3)."""
    return select(
        _of_the_order(Order.number).label("number"), Shipment.cod_collected_fen,
        *(_of_the_order(c).label(c.key) for c in order_columns),
    ).where(
        Shipment.cod_collected_fen.is_not(None), Shipment.cod_booked_at.is_(None),
        _of_the_order(Order.stage) != Stage.cancelled,
    )


def _of_the_order(column: Any) -> Any:
    """A column of the shipment's order, looked up by its primary key for each shipment row."""
    return select(column).where(Order.id == Shipment.order_id).scalar_subquery()


def freight_unsettled() -> Select:
    """(order number, freight) of shipments whose freight finance has not paid to the carrier yet."""
    return (
        select(Order.number, Shipment.freight_fen)
        .join(Shipment, Shipment.order_id == Order.id)
        .where(Shipment.freight_fen.is_not(None), Shipment.freight_settled_at.is_(None))
    )


def mark_cod_booked(shipment: Shipment, at: datetime | None) -> None:
    """Finance booked the COD on the ledger (``None``: its booking was reversed, it must be booked again)."""
    shipment.cod_booked_at = at


def mark_freight_settled(shipment: Shipment) -> None:
    shipment.freight_settled_at = clock.now()
