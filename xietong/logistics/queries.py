"""Read-only views of logistics: its sections of /待办."""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.orders.enums import PaymentMethod, Stage
from xietong.orders.models import Order

from . import messages as msg
from . import shipments
from .models import Shipment


async def logistics_todo(session: AsyncSession, qq: int) -> list[str]:
    """Slips to collect (已开单), shipments in transit (已发货), COD still to collect after delivery,
    and COD collected but not yet booked by finance."""
    open_rows = await session.execute(  # the columns it prints, not whole orders (BENCHMARKS.md, round 3)
        select(
            Order.number, Order.customer_name, Order.stage, Order.payment, Order.slip_number, Order.shipped_at,
            Order.exception_note, Order.amount_fen - Order.paid_fen, Shipment.id, Shipment.plate,
            Shipment.cod_collected_at,
        )
        .outerjoin(Shipment, Shipment.order_id == Order.id)
        .where(
            or_(
                Order.stage.in_([Stage.slipped, Stage.shipped]),
                # delivered orders matter to logistics only while their cash is still to collect
                and_(Order.stage == Stage.delivered, Order.payment == PaymentMethod.cod),
            )
        )
        .order_by(Order.id)
    )
    to_collect, in_transit, cod_due = [], [], []
    for number, customer, stage, payment, slip, shipped_at, note, outstanding, shipment, plate, collected in open_rows:
        if stage == Stage.slipped:
            to_collect.append(msg.todo_collect_slip(number, customer, slip or "", shipment is not None))
        elif stage == Stage.shipped:
            in_transit.append(msg.todo_in_transit(number, customer, shipped_at, plate, note))
        elif payment == PaymentMethod.cod and collected is None:
            cod_due.append(msg.todo_cod_to_collect(number, customer, outstanding))
    held = await session.execute(
        shipments.cod_unbooked(Order.customer_name).add_columns(Shipment.cod_collected_at).order_by(Shipment.order_id)
    )
    cod_held = [
        msg.todo_cod_to_hand_over(number, customer, fen or 0, at) for number, fen, customer, at in held
    ]
    return to_collect + in_transit + cod_due + cod_held
