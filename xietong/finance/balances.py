"""A customer's money: received = applied to orders + balance (预收余额) + refunded (SPEC §4).

Money stays on the order it was booked on; what it means follows from the order:

* on a live order, up to the order's amount it is **applied** (it pays that order);
* on a cancelled order all of it, and on a live order whatever exceeds the amount (a confirmed overpayment),
  is the customer's **balance** — it waits until finance refunds it (/退款) or applies it to another order of
  the same customer (/转单: a transfer_out entry on the source, a transfer_in entry on the target);
* **refunded** money has left through refund entries (net of their reversals).

Since an order's ``paid_fen`` is the sum of its entries and transfers stay within one customer, the identity
received = applied + balance + refunded holds for every customer at every moment. These are the domain
functions statements of account (/对账) build on: :func:`position` now, :func:`balance_at` a moment in the
past (entries before it), :func:`movements` and :func:`lines` of a period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from xietong.orders.enums import Stage
from xietong.orders.models import Order

from .models import RECEIPTS, EntryKind, LedgerEntry

CANCELLED = Order.stage == Stage.cancelled
SPARE = case(
    (CANCELLED, Order.paid_fen),
    (Order.paid_fen > Order.amount_fen, Order.paid_fen - Order.amount_fen),
    else_=0,
)
"""Per order, the part of its money that is the customer's balance."""
APPLIED = case((CANCELLED, 0), (Order.paid_fen > Order.amount_fen, Order.amount_fen), else_=Order.paid_fen)
"""Per order, the part of its money that pays the order."""


def spare_fen(order: Order) -> int:
    """What :data:`SPARE` says for one loaded order: what may be refunded or transferred from it."""
    if order.stage == Stage.cancelled:
        return order.paid_fen
    return max(order.paid_fen - order.amount_fen, 0)


@dataclass(frozen=True)
class Position:
    """A customer's money now, in fen."""

    received: int
    applied: int
    balance: int
    refunded: int


@dataclass(frozen=True)
class Movements:
    """A customer's money that moved in a period, in fen (reversals count in the period they were booked)."""

    received: int  # payments and booked COD
    refunded: int
    applied: int  # money booked on orders that are not cancelled: receipts and transfers in


MOVED = (*RECEIPTS, EntryKind.transfer_in, EntryKind.transfer_out)
"""Money landing on (or leaving) an order: on a live order it is 回款 on sales, on a cancelled one balance."""


def effective_kind():
    """An entry's kind, a reversal counting as the kind of the entry it cancels (for netting): the alias of
    the original entry to outer-join on ``reverses_id``, and the kind expression."""
    original = aliased(LedgerEntry)
    return original, func.coalesce(original.kind, LedgerEntry.kind)


async def _ledger_sums(
    session: AsyncSession, customer_id: int, start: datetime | None = None, end: datetime | None = None
) -> tuple[int, int, int]:
    """(received, refunded, applied) over the customer's entries, optionally booked in [start, end)."""
    original, kind = effective_kind()
    applied_kinds = (*RECEIPTS, EntryKind.transfer_in)
    query = (
        select(
            func.coalesce(func.sum(case((kind.in_(RECEIPTS), LedgerEntry.amount_fen), else_=0)), 0),
            func.coalesce(func.sum(case((kind == EntryKind.refund, -LedgerEntry.amount_fen), else_=0)), 0),
            func.coalesce(
                func.sum(case((and_(kind.in_(applied_kinds), ~CANCELLED), LedgerEntry.amount_fen), else_=0)), 0
            ),
        )
        .select_from(LedgerEntry)
        .join(Order, Order.id == LedgerEntry.order_id)
        .outerjoin(original, original.id == LedgerEntry.reverses_id)
        .where(Order.customer_id == customer_id)
    )
    if start is not None:
        query = query.where(LedgerEntry.at >= start)
    if end is not None:
        query = query.where(LedgerEntry.at < end)
    received, refunded, applied = (await session.execute(query)).one()
    return int(received), int(refunded), int(applied)


async def balance(session: AsyncSession, customer_id: int) -> int:
    """The customer's 预收余额 now."""
    total = await session.scalar(select(func.coalesce(func.sum(SPARE), 0)).where(Order.customer_id == customer_id))
    return int(total or 0)


async def total(session: AsyncSession) -> int:
    """All customers' 预收余额 together."""
    return int(await session.scalar(select(func.coalesce(func.sum(SPARE), 0))) or 0)


async def position(session: AsyncSession, customer_id: int) -> Position:
    received, refunded, _ = await _ledger_sums(session, customer_id)
    applied, held = (
        await session.execute(
            select(func.coalesce(func.sum(APPLIED), 0), func.coalesce(func.sum(SPARE), 0)).where(
                Order.customer_id == customer_id
            )
        )
    ).one()
    return Position(received=received, applied=int(applied), balance=int(held), refunded=refunded)


async def movements(session: AsyncSession, customer_id: int, start: datetime, end: datetime) -> Movements:
    """What came in, went back and was applied in [start, end)."""
    received, refunded, applied = await _ledger_sums(session, customer_id, start, end)
    return Movements(received=received, refunded=refunded, applied=applied)


@dataclass(frozen=True)
class Line:
    """One ledger entry of a customer, for a statement: what it was (a reversal as what it cancels)."""

    at: datetime
    order_number: str
    kind: EntryKind
    counts_as: EntryKind
    amount_fen: int
    note: str


async def lines(session: AsyncSession, customer_id: int, start: datetime, end: datetime) -> list[Line]:
    """The customer's ledger entries booked in [start, end), oldest first."""
    original, kind = effective_kind()
    rows = await session.execute(
        select(LedgerEntry.at, Order.number, LedgerEntry.kind, kind, LedgerEntry.amount_fen, LedgerEntry.note)
        .join(Order, Order.id == LedgerEntry.order_id)
        .outerjoin(original, original.id == LedgerEntry.reverses_id)
        .where(Order.customer_id == customer_id, LedgerEntry.at >= start, LedgerEntry.at < end)
        .order_by(LedgerEntry.at, LedgerEntry.id)
    )
    return [Line(at, number, EntryKind(k), EntryKind(c), amount, note) for at, number, k, c, amount, note in rows]


async def balance_at(session: AsyncSession, customer_id: int, at: datetime) -> int:
    """The customer's 预收余额 just before ``at``: each order's entries booked before then, judged by whether the
    order was cancelled by then (else only what exceeded its amount counts)."""
    return await _held_before(session, at, Order.customer_id == customer_id)


async def cancelled_total_at(session: AsyncSession, at: datetime) -> int:
    """All customers' money held on orders cancelled before ``at`` (the month-end figure of /月报). Confirmed
    overpayments on live orders are left out here: finding them would read the whole ledger."""
    return await _held_before(session, at, CANCELLED, Order.cancelled_at < at)


async def _held_before(session: AsyncSession, at: datetime, *which) -> int:
    per_order = (
        select(
            Order.amount_fen,
            and_(CANCELLED, Order.cancelled_at < at).label("cancelled"),
            func.sum(LedgerEntry.amount_fen).label("paid"),
        )
        .join(LedgerEntry, LedgerEntry.order_id == Order.id)
        .where(LedgerEntry.at < at, *which)
        .group_by(Order.id, Order.amount_fen, Order.stage, Order.cancelled_at)
        .subquery()
    )
    spare = case(
        (per_order.c.cancelled, per_order.c.paid),
        (per_order.c.paid > per_order.c.amount_fen, per_order.c.paid - per_order.c.amount_fen),
        else_=0,
    )
    return int(await session.scalar(select(func.coalesce(func.sum(spare), 0))) or 0)
