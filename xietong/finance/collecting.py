"""Collection (SPEC §4, regulation step 7): the collection log, freight settlement, and the work lists
finance and cs find in /待办."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core import clock, roster
from xietong.core.errors import DomainError
from xietong.core.roles import Role
from xietong.core.work import Work
from xietong.logistics import shipments
from xietong.logistics.models import Shipment
from xietong.orders import service
from xietong.orders.enums import Stage
from xietong.parties import archive

from . import messages as msg
from . import receivables
from .access import COLLECT_ROLES
from .ageing import days_past_due, is_overdue
from .models import CollectionAttempt

TODO_LINES = 20


async def log_order_attempt(w: Work, number: str, note: str) -> CollectionAttempt:
    """/催收 单号 说明: one attempt about one order; it shows in the order's timeline."""
    await roster.require(w.session, w.actor, *COLLECT_ROLES)
    note = _note(note, number)
    order = await service.load(w.session, number)
    if order.stage == Stage.cancelled:
        raise DomainError(msg.cancelled_no_collection(number))
    if order.outstanding_fen <= 0:
        raise DomainError(msg.nothing_to_collect(order))
    attempt = _attempt(w, order.customer_id, order.id, note)
    w.audit("催收", order.number, note)
    today = clock.today()
    overdue = order.outstanding_fen if is_overdue(order.receivable_due, today) else 0
    days = days_past_due(order.receivable_due, today) if overdue else None
    w.reply(
        msg.collection_logged(f"{order.number}（{order.customer_name}）", order.outstanding_fen, 1, overdue, days, note),
        subject=order.number,
    )
    return attempt


async def log_customer_attempt(w: Work, typed: str, note: str) -> CollectionAttempt:
    """/催收 客户 说明: one attempt about everything the customer owes; each open order's timeline shows it."""
    await roster.require(w.session, w.actor, *COLLECT_ROLES)
    note = _note(note, typed.strip())
    customer = await archive.find(w.session, typed)
    if customer is None:
        raise DomainError(msg.no_customer(typed))
    today = clock.today()
    open_orders = await receivables.open_orders(w.session, customer_id=customer.id)
    if not open_orders:
        raise DomainError(msg.customer_owes_nothing(customer.name))
    attempt = _attempt(w, customer.id, None, note)
    w.audit("催收", f"customer:{customer.id}", note)
    for order in open_orders:
        w.audit("催收", order.number, f"（客户 {customer.name}）{note}")
    [row] = await receivables.by_customer(w.session, today, customer.id)
    w.reply(
        msg.collection_logged(customer.name, row.ageing.total, row.orders, row.ageing.overdue, row.max_days, note)
    )
    return attempt


def _note(note: str, target: str) -> str:
    note = note.strip()
    if not note:
        raise DomainError(msg.NEED_COLLECTION_NOTE.format(target=target))
    return note[:500]


def _attempt(w: Work, customer_id: int, order_id: int | None, note: str) -> CollectionAttempt:
    attempt = CollectionAttempt(
        customer_id=customer_id, order_id=order_id, note=note, actor_qq=w.actor.qq if w.actor else 0
    )
    w.session.add(attempt)
    return attempt


async def settle_freight(w: Work, number: str) -> Shipment:
    """/运费结算: the freight logistics recorded is paid to the carrier."""
    await roster.require(w.session, w.actor, Role.finance)
    order = await service.load(w.session, number)
    shipment = await shipments.shipment_of(w.session, order, lock=True)
    if shipment is None or shipment.freight_fen is None:
        raise DomainError(msg.no_freight(order))
    if shipment.freight_settled_at is not None:
        raise DomainError(msg.freight_already_settled(order, shipment.freight_settled_at))
    shipments.mark_freight_settled(shipment)
    w.audit("运费结算", order.number, msg.yuan(shipment.freight_fen))
    w.reply(msg.freight_settled(order, shipment.freight_fen), subject=order.number)
    return shipment


# —— /待办 sections ——

def _capped(lines: list[str], total: int, unit: str = msg.ORDERS_UNIT) -> list[str]:
    return lines + ([msg.more(total - len(lines), unit)] if total > len(lines) else [])


async def finance_todo(session: AsyncSession, _qq: int) -> list[str]:
    """Finance's own work besides the 财务 款项 tasks (which /待办 lists already): COD to book, freight to settle."""
    lines: list[str] = []
    for query, words in ((shipments.cod_unbooked(), msg.COD_TO_BOOK), (shipments.freight_unsettled(), msg.FREIGHT_TO_SETTLE)):
        # one pass: the window counts every match before LIMIT keeps the first few
        rows = (
            await session.execute(query.add_columns(func.count().over()).order_by(Shipment.order_id).limit(TODO_LINES))
        ).all()
        total = rows[0][-1] if rows else 0
        shown = [msg.todo_line(words, number, fen) for number, fen, _ in rows]
        lines += _capped(shown, total)
    return lines


async def cs_todo(session: AsyncSession, _qq: int) -> list[str]:
    """Overdue receivables, oldest first: cs is directly responsible for collecting them."""
    today = clock.today()
    total = await receivables.count_overdue(session, today)
    rows = await receivables.open_orders(session, overdue_on=today, limit=TODO_LINES)
    shown = [msg.overdue_todo(r.number, r.customer, days_past_due(r.due, today), r.outstanding_fen) for r in rows]
    return _capped(shown, total)

