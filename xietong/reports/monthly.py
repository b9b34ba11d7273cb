"""The monthly sales report (月销量报表, SPEC §6): the figures, computed in SQL.

A sale counts in the local (Asia/Shanghai) month its sales slip was issued (``Order.slip_at``, indexed);
cancelled orders never count. 回款 is the ledger entries dated in the month that pay orders not cancelled
(receipts and transfers in, reversals included: they are negative), so the figure is net; money received on
orders cancelled since, refunds and the customers' balance at the month's end are reported apart. Every figure is one GROUP BY over the month's rows — never a Python loop
over orders — so the report stays fast on a million orders.

Product amounts: an order with one item gives it the whole order amount; items of a multi-item order carry
their own line money (quantity × unit price, half-up to the fen, as the slip prints it); what cannot be
attributed to a product (a multi-item order registered with a 金额 only, or an amount changed by hand) is one
row of its own, so the product sheet always adds up to the month's total.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, and_, case, cast, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core import clock
from xietong.core.errors import DomainError
from xietong.core.numbers import MILLI, milli_line_fen, normalize
from xietong.finance import balances
from xietong.finance.models import EntryKind, LedgerEntry
from xietong.orders.enums import PaymentMethod, Stage
from xietong.orders.models import Order, OrderItem
from xietong.parties.models import Customer

from . import messages as msg
from .messages import UNATTRIBUTED


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) of the local month, as aware datetimes (compared with the UTC columns)."""
        return clock.month_bounds(self.year, self.month)

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)




def parse_month(text: str, today: date) -> Month:
    """``2026-11``, ``2026/11``, ``202611``, ``2026年11月``, ``11月`` (the latest such month up to now), 本月, 上月.

    An empty text is the current month. A month not yet begun is refused.
    """
    typed = normalize(text).strip()
    current = Month.of(today)
    if not typed:
        return current
    if typed in msg.RELATIVE_MONTHS:
        return current.previous() if msg.RELATIVE_MONTHS[typed] else current
    if m := msg.FULL_MONTH.fullmatch(typed):
        year, number = int(m["y"]), int(m["m"] or m["m2"])
    elif m := msg.SHORT_MONTH.fullmatch(typed):
        number = int(m["m"])
        year = today.year if number <= today.month else today.year - 1
    else:
        raise DomainError(msg.bad_month(text.strip()))
    if not 1 <= number <= 12 or year < 2000:
        raise DomainError(msg.bad_month(text.strip()))
    month = Month(year, number)
    if month > current:
        raise DomainError(msg.month_not_begun(month.key))
    return month


@dataclass
class Line:
    """One row of a dimension: a product (name and unit), a customer or a payment method."""

    key: object  # what matches the line with last month's: (name, unit), a customer id, a payment method
    label: str
    orders: int
    amount_fen: int
    quantities: dict[str, Decimal] = field(default_factory=dict)  # unit → quantity
    previous_fen: int = 0

    @property
    def quantity_text(self) -> str:
        return "、".join(f"{quantity_text(q)}{unit}" for unit, q in self.quantities.items())


@dataclass
class Figures:
    """One month's numbers."""

    month: Month
    orders: int = 0
    amount_fen: int = 0
    collected_fen: int = 0  # 回款 on sales: net receipts on orders that are not cancelled
    collections: int = 0  # receipts (reversals not counted)
    to_balance_fen: int = 0  # received on orders cancelled since, less transfers from them: balance, not 回款
    refunded_fen: int = 0
    balance_end_fen: int = 0  # money held on orders cancelled by the end of the month (预收余额)
    products: list[Line] = field(default_factory=list)
    customers: list[Line] = field(default_factory=list)
    payments: list[Line] = field(default_factory=list)
    collected_by_customer: list[Line] = field(default_factory=list)  # orders = receipts


@dataclass
class MonthlyReport:
    current: Figures
    previous: Figures
    as_of: date | None  # the day the figures stop, when the month is still running
    # Filled in by xietong.publishing.monthly (:mod:`.groups`, :mod:`xietong.targets`): by region and salesperson
    # with their targets, the month's freight, and the twelve months up to this one.
    progress: Any = None  # xietong.targets.service.Progress
    freight_fen: int = 0
    trend: list[tuple[Month, int, int]] = field(default_factory=list)

    @property
    def month(self) -> Month:
        return self.current.month

    @property
    def units(self) -> list[str]:
        """Every unit sold this month, the most sold first."""
        totals: dict[str, Decimal] = {}
        for line in self.current.products:
            for unit, quantity in line.quantities.items():
                totals[unit] = totals.get(unit, Decimal(0)) + quantity
        return sorted(totals, key=lambda u: (-totals[u], u))


def sales_conditions(month: Month) -> list:
    start, end = month.bounds()
    return [Order.slip_at >= start, Order.slip_at < end, Order.stage != Stage.cancelled]


def _quantity(milli: object) -> Decimal:
    value = Decimal(int(milli or 0)) / MILLI
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def quantity_text(quantity: Decimal) -> str:
    return f"{quantity:f}"


def thousandths(quantity):
    """A stored quantity (Numeric(18, 3)) as whole thousandths, in SQL: what :func:`milli_line_fen` is given."""
    return cast(func.round(quantity * MILLI), BigInteger)


def _month_items(month: Month):
    """The month's items with what each line is worth (see the module note), as a subquery."""
    lines_in_order = func.count().over(partition_by=OrderItem.order_id)
    return (
        select(
            OrderItem.order_id,
            OrderItem.name,
            OrderItem.unit,
            Order.customer_id,
            Order.payment,
            Order.amount_fen,
            OrderItem.unit_price_fen,
            thousandths(OrderItem.quantity).label("milli"),
            lines_in_order.label("lines"),
        )
        .join(Order, Order.id == OrderItem.order_id)
        .where(*sales_conditions(month))
        .subquery()
    )


def _line_fen(items):
    return case(
        (items.c.lines == 1, items.c.amount_fen),
        (items.c.unit_price_fen.is_not(None), milli_line_fen(items.c.milli, items.c.unit_price_fen)),
        else_=0,
    )


async def _quantities(session: AsyncSession, items, key) -> dict[object, dict[str, Decimal]]:
    rows = await session.execute(select(key, items.c.unit, func.sum(items.c.milli)).group_by(key, items.c.unit))
    out: dict[object, dict[str, Decimal]] = {}
    for who, unit, milli in rows:
        out.setdefault(who, {})[unit] = _quantity(milli)
    return out




async def totals(session: AsyncSession, month: Month) -> Figures:
    """A month's sales and collections (回款 on sales, balance and refunds apart): the overview row, the console's trend."""
    out = Figures(month)
    orders, amount = (
        await session.execute(
            select(func.count(), func.coalesce(func.sum(Order.amount_fen), 0)).where(*sales_conditions(month))
        )
    ).one()
    out.orders, out.amount_fen = int(orders), int(amount)
    await collection_totals(session, out, *month.bounds())
    return out


async def figures(session: AsyncSession, month: Month) -> Figures:
    """All of one month's numbers: a handful of aggregate queries."""
    out = await totals(session, month)
    sales = sales_conditions(month)

    items = _month_items(month)
    line_fen = _line_fen(items)
    attributed = 0
    for name, unit, n, milli, fen in await session.execute(
        select(items.c.name, items.c.unit, func.count(distinct(items.c.order_id)), func.sum(items.c.milli),
               func.sum(line_fen))
        .group_by(items.c.name, items.c.unit)
    ):
        out.products.append(Line((name, unit), name, int(n), int(fen or 0), {unit: _quantity(milli)}))
        attributed += int(fen or 0)
    if attributed != out.amount_fen:
        out.products.append(Line(UNATTRIBUTED, UNATTRIBUTED, 0, out.amount_fen - attributed))

    by_customer = await _quantities(session, items, items.c.customer_id)
    for cid, name, n, fen in await session.execute(
        select(Order.customer_id, Customer.name, func.count(), func.sum(Order.amount_fen))
        .join(Customer, Customer.id == Order.customer_id)
        .where(*sales)
        .group_by(Order.customer_id, Customer.name)
    ):
        out.customers.append(Line(cid, name, int(n), int(fen), by_customer.get(cid, {})))

    by_payment = await _quantities(session, items, items.c.payment)
    for payment, n, fen in await session.execute(
        select(Order.payment, func.count(), func.sum(Order.amount_fen)).where(*sales).group_by(Order.payment)
    ):
        method = PaymentMethod(payment)
        out.payments.append(Line(method, method.value, int(n), int(fen), by_payment.get(payment, {})))

    await _collected_by_customer(session, out, *month.bounds())
    for lines in (out.products, out.customers, out.payments, out.collected_by_customer):
        lines.sort(key=lambda line: (line.key == UNATTRIBUTED, -line.amount_fen, line.label))
    return out


def _ledger_in(start: datetime, end: datetime):
    """The month's ledger entries with their order and the kind each counts as (a reversal: what it cancels),
    and the conditions of :func:`collection_totals`."""
    original, kind = balances.effective_kind()
    live = Order.stage != Stage.cancelled
    on_sales = and_(kind.in_(balances.MOVED), live)
    base = (
        select()
        .select_from(LedgerEntry)
        .join(Order, Order.id == LedgerEntry.order_id)
        .outerjoin(original, original.id == LedgerEntry.reverses_id)
        .where(LedgerEntry.at >= start, LedgerEntry.at < end)
    )
    kept = and_(kind.in_(balances.MOVED), ~live)
    counted = case((and_(on_sales, LedgerEntry.reverses_id.is_(None)), 1), else_=0)
    return base, kind, on_sales, kept, counted


def _sum_if(condition, amount=LedgerEntry.amount_fen):
    return func.coalesce(func.sum(case((condition, amount), else_=0)), 0)


async def collection_totals(session: AsyncSession, out: Figures, start: datetime, end: datetime) -> None:
    """回款 on sales apart from the customers' balance: receipts and transfers on live orders; receipts on orders
    cancelled since, less what was transferred from them, stay in the balance; refunds on their own. Reversals
    count with what they cancel. So a transfer moves money from the balance figure to 回款, never counts twice."""
    base, kind, on_sales, kept, counted = _ledger_in(start, end)
    collected, receipts, to_balance, refunded = (
        await session.execute(
            base.add_columns(
                _sum_if(on_sales), func.coalesce(func.sum(counted), 0), _sum_if(kept),
                _sum_if(kind == EntryKind.refund, -LedgerEntry.amount_fen),
            )
        )
    ).one()
    out.collected_fen, out.collections = int(collected), int(receipts)
    out.to_balance_fen, out.refunded_fen = int(to_balance), int(refunded)
    out.balance_end_fen = await balances.cancelled_total_at(session, end)


async def _collected_by_customer(session: AsyncSession, out: Figures, start: datetime, end: datetime) -> None:
    base, _, on_sales, _, counted = _ledger_in(start, end)
    for cid, name, n, fen in await session.execute(
        base.add_columns(Customer.id, Customer.name, func.sum(counted), _sum_if(on_sales))
        .join(Customer, Customer.id == Order.customer_id)
        .where(on_sales)
        .group_by(Customer.id, Customer.name)
    ):
        out.collected_by_customer.append(Line(cid, name, int(n), int(fen)))


def _with_previous(current: list[Line], previous: list[Line]) -> None:
    """Last month's amount beside each line; what sold last month and not this one stays visible, at 0."""
    before = {line.key: line for line in previous}
    for line in current:
        if line.key in before:
            line.previous_fen = before.pop(line.key).amount_fen
    current += [Line(old.key, old.label, 0, 0, {}, old.amount_fen) for old in before.values() if old.amount_fen]


async def monthly_report(session: AsyncSession, month: Month) -> MonthlyReport:
    """The month against the one before it."""
    current = await figures(session, month)
    previous = await figures(session, month.previous())
    _with_previous(current.products, previous.products)
    _with_previous(current.customers, previous.customers)
    _with_previous(current.payments, previous.payments)
    _with_previous(current.collected_by_customer, previous.collected_by_customer)
    today = clock.today()
    as_of = today if Month.of(today) == month else None
    return MonthlyReport(current, previous, as_of)


