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
    open_rows = (
        await session.execute(
            select(Order, Shipment)
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
    ).all()
    to_collect, in_transit, cod_due = [], [], []
    for order, shipment in open_rows:
        if order.stage == Stage.slipped:
            to_collect.append(
                msg.todo_collect_slip(
                    order.number, order.customer_name, order.slip_number or "", shipment is not None
                )
            )
        elif order.stage == Stage.shipped:
            in_transit.append(
                msg.todo_in_transit(
                    order.number,
                    order.customer_name,
                    order.shipped_at,
                    shipment.plate if shipment else None,
                    order.exception_note,
                )
            )
        elif order.payment == PaymentMethod.cod and (shipment is None or shipment.cod_collected_at is None):
            cod_due.append(msg.todo_cod_to_collect(order.number, order.customer_name, order.outstanding_fen))
    held = await session.execute(
        shipments.cod_unbooked(Order.customer_name).add_columns(Shipment.cod_collected_at).order_by(Shipment.order_id)
    )
    cod_held = [
        msg.todo_cod_to_hand_over(number, customer, fen or 0, at) for number, fen, customer, at in held
    ]
    return to_collect + in_transit + cod_due + cod_held
