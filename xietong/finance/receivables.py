"""Receivables in the database: ageing by SQL aggregation, balances, DSO, the 逾期 flag.

Which orders are receivables (SPEC §4, documented in :mod:`xietong.finance.ageing` too): an order from its
sales slip on (已开单, 已发货, 已到货) while its payments do not cover its amount. 款到发货 is due on its slip
day (only a /强制开单 slip leaves it unpaid); 货到付款 and 月结 have no due date until delivery, so they count
as 未到期 and are never flagged 逾期 before it. An unpaid 款到发货 order before its slip waits for
prepayment (待收预付款, :data:`AWAITING_PREPAYMENT`): listed apart, never overdue, out of ageing and DSO.
An overpaid order owes nothing and is no receivable (its surplus is the customer's balance, see
:mod:`xietong.finance.balances`: a refund or a transfer is finance's decision, not the bot's).

Everything here aggregates in the database (``SUM``/``CASE`` over the due date, ``GROUP BY`` customer):
/应收 must stay quick with a million orders on file, so no query loads every order into Python.

Query plans, measured on SQLite with a million orders: the open book is found through the stage index
(``stage IN`` the open stages — 已结清 orders are covered by definition, so a long settled history costs
nothing), and never through the due-date index: "due before today" matches most of the history, paid or
not, and walking an index over most of a table is several times slower than reading it. ``due`` below is
therefore the due date wrapped so that no index is used for it, and grouping is by ``customer_id + 0`` so
that SQLite groups in one pass instead of visiting orders customer by customer through their index.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, func, literal_column, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement

from xietong.core import clock
from xietong.core.text import QQ_TEXT_LIMIT
from xietong.orders.enums import PaymentMethod, Stage
from xietong.orders.models import Order
from xietong.orders.stages import RECEIVABLE_STAGES
from xietong.parties.models import Customer

from . import balances
from . import messages as msg
from .ageing import DSO_PERIOD_DAYS, LABELS, Ageing, cutoffs, days_past_due, dso_days, is_overdue

OUTSTANDING = Order.amount_fen - Order.paid_fen
OPEN = and_(Order.stage.in_(RECEIVABLE_STAGES), Order.amount_fen > Order.paid_fen)
"""A receivable: slipped, not yet delivered-and-paid (已结清), and not covered."""
AWAITING_PREPAYMENT = and_(
    Order.stage.in_((Stage.processing, Stage.ready)),
    Order.payment == PaymentMethod.prepaid,
    Order.amount_fen > Order.paid_fen,
)
"""待收预付款: 款到发货 before the slip, still short of money. No receivable."""

DUE = func.coalesce(Order.receivable_due, Order.receivable_due)
"""The due date, in a form no index serves (see the module docstring)."""

CUSTOMER_KEY = (Order.customer_id + literal_column("0")).label("customer_key")
"""The customer, in a form no index serves: one grouping pass over the open book."""



def overdue_condition(today: date) -> ColumnElement[bool]:
    return and_(OPEN, DUE.is_not(None), DUE < today)


def bucket_sums(today: date) -> list[ColumnElement[int]]:
    """One ``SUM(CASE …)`` per bucket of :data:`LABELS`, from the same cut-offs as the pure arithmetic."""
    cuts = cutoffs(today)
    conditions = [or_(DUE.is_(None), DUE >= cuts[0])]
    conditions += [and_(DUE < cuts[i - 1], DUE >= cuts[i]) for i in range(1, len(cuts))]
    conditions.append(DUE < cuts[-1])
    assert len(conditions) == len(LABELS)
    return [func.coalesce(func.sum(case((c, OUTSTANDING), else_=0)), 0) for c in conditions]


def oldest_overdue_due(today: date) -> ColumnElement[date]:
    return func.min(case((and_(DUE.is_not(None), DUE < today), DUE), else_=None))


@dataclass(frozen=True)
class CustomerReceivable:
    customer_id: int
    name: str
    ageing: Ageing
    orders: int
    max_days: int | None  # days past due of the oldest overdue order; None when nothing is overdue


@dataclass(frozen=True)
class Summary:
    today: date
    ageing: Ageing
    orders: int
    customers: list[CustomerReceivable]  # largest outstanding first
    sales_fen: int  # slips issued in the DSO period
    dso: int | None

    @property
    def total(self) -> int:
        return self.ageing.total


async def by_customer(session: AsyncSession, today: date, customer_id: int | None = None) -> list[CustomerReceivable]:
    """Outstanding and ageing per customer, largest first: one grouped pass over the open book."""
    grouped = (
        select(
            CUSTOMER_KEY,
            func.count(Order.id).label("orders"),
            oldest_overdue_due(today).label("oldest"),
            *(total.label(f"bucket{i}") for i, total in enumerate(bucket_sums(today))),
        )
        .where(OPEN)
        .group_by(CUSTOMER_KEY)
    )
    if customer_id is not None:
        grouped = grouped.where(Order.customer_id == customer_id)
    sub = grouped.subquery()
    buckets = [sub.c[f"bucket{i}"] for i in range(len(LABELS))]
    rows = (
        await session.execute(
            select(Customer.id, Customer.name, sub.c.orders, sub.c.oldest, *buckets).join(
                sub, sub.c.customer_key == Customer.id
            )
        )
    ).all()
    result = [
        CustomerReceivable(
            customer_id=cid,
            name=name,
            ageing=Ageing(tuple(int(x) for x in amounts)),
            orders=count,
            max_days=days_past_due(oldest, today) if oldest is not None else None,
        )
        for cid, name, count, oldest, *amounts in rows
    ]
    result.sort(key=lambda c: (-c.ageing.total, c.name))
    return result


def period_start(today: date, days: int = DSO_PERIOD_DAYS) -> datetime:
    """Local midnight ``days − 1`` days before ``today``: the period is those ``days`` calendar days, today included."""
    return datetime.combine(today - timedelta(days=days - 1), time(), tzinfo=clock.LOCAL_TZ)


def day_end(today: date) -> datetime:
    return datetime.combine(today + timedelta(days=1), time(), tzinfo=clock.LOCAL_TZ)


async def sales_between(session: AsyncSession, start: datetime, end: datetime) -> int:
    """Amount of the orders whose sales slip was issued in [start, end); cancelled orders never count."""
    total = await session.scalar(
        select(func.coalesce(func.sum(Order.amount_fen), 0)).where(
            Order.slip_at >= start, Order.slip_at < end, Order.stage != Stage.cancelled
        )
    )
    return int(total or 0)


async def summary(session: AsyncSession, today: date) -> Summary:
    """/应收 without a customer: the whole book, by customer, with DSO (see :func:`ageing.dso_days`)."""
    customers = await by_customer(session, today)
    total = sum((c.ageing for c in customers), Ageing())
    sales = await sales_between(session, period_start(today), day_end(today))
    return Summary(
        today=today,
        ageing=total,
        orders=sum(c.orders for c in customers),
        customers=customers,
        sales_fen=sales,
        dso=dso_days(total.total, sales),
    )


async def outstanding_total(session: AsyncSession) -> int:
    total = await session.scalar(select(func.coalesce(func.sum(OUTSTANDING), 0)).where(OPEN))
    return int(total or 0)


async def customer_outstanding(session: AsyncSession, customer_id: int) -> int:
    """What a customer owes on all its receivables (the credit-limit check of /放行 for 月结)."""
    total = await session.scalar(
        select(func.coalesce(func.sum(OUTSTANDING), 0)).where(OPEN, Order.customer_id == customer_id)
    )
    return int(total or 0)


@dataclass(frozen=True)
class OpenOrder:
    number: str
    customer: str
    stage: Stage
    amount_fen: int
    outstanding_fen: int
    due: date | None


async def open_orders(
    session: AsyncSession, *, customer_id: int | None = None, overdue_on: date | None = None, limit: int | None = None
) -> list[OpenOrder]:
    """Open receivables, oldest due first (orders without a due date last)."""
    query = select(
        Order.number, Order.customer_name, Order.stage, Order.amount_fen, OUTSTANDING, Order.receivable_due
    ).where(OPEN)
    if customer_id is not None:
        query = query.where(Order.customer_id == customer_id)
    if overdue_on is not None:
        query = query.where(overdue_condition(overdue_on))
    query = query.order_by(DUE.is_(None), DUE, Order.id)
    if limit is not None:
        query = query.limit(limit)
    return [OpenOrder(n, c, Stage(s), a, o, d) for n, c, s, a, o, d in (await session.execute(query)).all()]


async def count_overdue(session: AsyncSession, today: date) -> int:
    return int(await session.scalar(select(func.count(Order.id)).where(overdue_condition(today))) or 0)


async def overdue_flags(_session: AsyncSession, orders: list[Order]) -> dict[int, list[str]]:
    """The 逾期 flag beside the stage in /订单 and /看板 (``xietong.orders.queries.flag_providers``)."""
    today = clock.today()
    return {
        order.id: [msg.OVERDUE_FLAG]
        for order in orders
        if order.id is not None
        and order.stage in RECEIVABLE_STAGES
        and order.outstanding_fen > 0
        and is_overdue(order.receivable_due, today)
    }


async def awaiting_prepayment(session: AsyncSession, customer_id: int | None = None) -> tuple[int, int]:
    """待收预付款: (orders, fen still to come) of 款到发货 orders before the slip."""
    query = select(func.count(Order.id), func.coalesce(func.sum(OUTSTANDING), 0)).where(AWAITING_PREPAYMENT)
    if customer_id is not None:
        query = query.where(Order.customer_id == customer_id)
    count, fen = (await session.execute(query)).one()
    return int(count), int(fen)


async def _money_apart(session: AsyncSession, customer_id: int | None = None) -> list[str]:
    """The lines beside the receivables: prepayments awaited and the customers' balance (预收余额)."""
    count, fen = await awaiting_prepayment(session, customer_id)
    held = await (balances.balance(session, customer_id) if customer_id is not None else balances.total(session))
    return msg.money_apart(count, fen, held)


LIST_CUSTOMERS = 20
LIST_ORDERS = 25
ANSWER_LIMIT = QQ_TEXT_LIMIT - 100  # a direct answer is one message: leave room for the "…另有" line


async def listing(session: AsyncSession, today: date, customer: Customer | None = None) -> str:
    """/应收 [客户]: the whole book by customer (with DSO), or one customer's orders."""
    if customer is not None:
        return await _customer_listing(session, today, customer)
    book = await summary(session, today)
    apart = await _money_apart(session)
    if not book.customers:
        return "\n".join([msg.NO_RECEIVABLES, *apart])
    lines = [*msg.receivables_head(today, book), *apart, msg.BY_CUSTOMER]
    shown = 0
    for row in book.customers[:LIST_CUSTOMERS]:
        if not _fits(lines, line := msg.receivable_customer_line(row)):
            break
        lines.append(line)
        shown += 1
    if len(book.customers) > shown:
        lines.append(msg.more(len(book.customers) - shown, msg.MORE_CUSTOMERS))
    return "\n".join(lines)


def _fits(lines: list[str], line: str) -> bool:
    return sum(len(x) + 1 for x in lines) + len(line) <= ANSWER_LIMIT


async def _customer_listing(session: AsyncSession, today: date, customer: Customer) -> str:
    rows = await by_customer(session, today, customer.id)
    apart = await _money_apart(session, customer.id)
    if not rows:
        return "\n".join([msg.no_receivables_of(customer.name), *apart])
    [row] = rows
    orders = await open_orders(session, customer_id=customer.id, limit=LIST_ORDERS)
    lines = [
        msg.receivables_of(customer.name, row, today),
        msg.ageing_line(row.ageing),
        *apart,
    ]
    shown = 0
    for order in orders:
        line = msg.receivable_order_line(order, today)
        if not _fits(lines, line):
            break
        lines.append(line)
        shown += 1
    if row.orders > shown:
        lines.append(msg.more(row.orders - shown, msg.ORDERS_UNIT))
    return "\n".join(lines)
