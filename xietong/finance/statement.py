"""Statements of account (客户服务经理: 做好经常性的对账和催款等工作): ``/对账 客户 [月份]``.

A statement lists what moved a customer's balance in a period: sales slips (the customer owes the order's
amount from the day its slip is issued; cancelled orders never), and the ledger entries of its orders —
payments, COD booked by finance, reversals, refunds (/退款) and transfers between its orders (/转单, which net
to nothing for the customer). Opening balance = everything before the period; closing = opening + charges −
credits (negative: the customer has paid ahead). The closing receivables are aged as of the period's end (or
today) by their due dates, as /应收 ages them, and the customer's 预收余额 at the period's end
(:func:`xietong.finance.balances.balance_at`: money on cancelled orders and overpayments) is stated beside.

Movements come from :data:`SOURCES`; another kind of movement joins the statement by registering a source
with :func:`add_source`, without changing this module.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core import roster
from xietong.core.errors import NotFound
from xietong.core.work import Work
from xietong.orders.enums import Stage
from xietong.orders.models import Order
from xietong.parties import archive
from xietong.parties.access import ensure_private
from xietong.parties.messages import not_found
from xietong.parties.models import Customer

from . import messages as msg
from .access import STATEMENT_ROLES
from .ageing import Ageing, age
from .balances import balance_at
from .messages import kind_word
from .models import LedgerEntry


@dataclass(frozen=True)
class Movement:
    at: datetime
    kind: str  # 销售单 | 收款 | 代收入账 | 冲销 | whatever a registered source books
    ref: str  # what it is about: slip and order number, order number
    charge_fen: int = 0  # raises what the customer owes
    credit_fen: int = 0  # lowers it (a reversal of a receipt is a negative credit)


Source = Callable[[AsyncSession, int, datetime], Awaitable[list[Movement]]]
"""``source(session, customer_id, end)``: the customer's movements before ``end``."""


async def slips(session: AsyncSession, customer_id: int, end: datetime) -> list[Movement]:
    rows = await session.execute(
        select(Order.slip_at, Order.slip_number, Order.number, Order.amount_fen)
        .where(Order.customer_id == customer_id, Order.slip_at.is_not(None), Order.slip_at < end,
               Order.stage != Stage.cancelled)
    )
    return [Movement(at, msg.SLIP_KIND, msg.slip_ref(slip, number), charge_fen=int(amount)) for at, slip, number, amount in rows]


async def ledger_entries(session: AsyncSession, customer_id: int, end: datetime) -> list[Movement]:
    rows = await session.execute(
        select(LedgerEntry.at, LedgerEntry.kind, Order.number, LedgerEntry.amount_fen)
        .join(Order, Order.id == LedgerEntry.order_id)
        .where(Order.customer_id == customer_id, LedgerEntry.at < end)
    )
    return [Movement(at, kind_word(kind), number, credit_fen=int(amount)) for at, kind, number, amount in rows]


SOURCES: list[Source] = [slips, ledger_entries]


def add_source(source: Source) -> None:
    """Another kind of movement on the statement (e.g. refunds and prepayments of the balance feature)."""
    SOURCES.append(source)


@dataclass(frozen=True)
class Statement:
    customer: str
    label: str  # the period as named: 2026-12
    start: datetime
    end: datetime
    as_of: date
    opening_fen: int
    movements: tuple[Movement, ...]
    ageing: Ageing
    prepaid_fen: int = 0  # 预收余额 at the end of the period

    @property
    def closing_fen(self) -> int:
        return self.opening_fen + sum(m.charge_fen - m.credit_fen for m in self.movements)

    def total(self, kind: str) -> int:
        return sum(m.charge_fen + m.credit_fen for m in self.movements if m.kind == kind)

    @property
    def kinds(self) -> list[str]:
        return list(dict.fromkeys(m.kind for m in self.movements))


async def closing_ageing(session: AsyncSession, customer_id: int, end: datetime, as_of: date) -> Ageing:
    """What each slipped order still owed at ``end``, aged by its due date as of ``as_of``."""
    paid = (
        select(LedgerEntry.order_id, func.sum(LedgerEntry.amount_fen).label("paid"))
        .where(LedgerEntry.at < end).group_by(LedgerEntry.order_id).subquery()
    )
    rows = await session.execute(
        select(Order.receivable_due, Order.amount_fen - func.coalesce(paid.c.paid, 0))
        .outerjoin(paid, paid.c.order_id == Order.id)
        .where(Order.customer_id == customer_id, Order.slip_at.is_not(None), Order.slip_at < end,
               Order.stage != Stage.cancelled)
    )
    return age(((due, int(owed)) for due, owed in rows), as_of)


async def statement(session: AsyncSession, customer: Customer, label: str, start: datetime, end: datetime,
                    as_of: date) -> Statement:
    movements: list[Movement] = []
    for source in SOURCES:
        movements += await source(session, customer.id, end)
    movements.sort(key=lambda m: (m.at, m.charge_fen == 0, m.ref))
    before = [m for m in movements if m.at < start]
    opening = sum(m.charge_fen - m.credit_fen for m in before)
    during = tuple(m for m in movements if m.at >= start)
    return Statement(customer.name, label, start, end, as_of, opening, during,
                     await closing_ageing(session, customer.id, end, as_of), await balance_at(session, customer.id, end))


async def for_customer(w: Work, typed: str, label: str, start: datetime, end: datetime, as_of: date) -> Statement:
    """/对账: cs, finance or the director, in private chat; the view is audited like the archive's."""
    ensure_private(w.actor)
    await roster.require(w.session, w.actor, *STATEMENT_ROLES)
    customer = await archive.find(w.session, typed)
    if customer is None:
        raise NotFound(not_found(typed.strip()))
    result = await statement(w.session, customer, label, start, end, as_of)
    w.audit("对账", f"customer:{customer.id}", f"{label}：期初 {result.opening_fen} 分，期末 {result.closing_fen} 分")
    return result
