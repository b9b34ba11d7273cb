"""What the console's pages show, from the same domain queries as the QQ answers (so page and chat agree).

Each page has the roles of its QQ command (:data:`PAGE_ROLES`); the plugin checks them against the roster
at every request. Nothing here changes state, except the audit events the archive writes for every view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.console import messages as words
from xietong.core import roster
from xietong.core.roles import Role
from xietong.customers import service as archive
from xietong.finance import access as finance_access
from xietong.finance import ledger, receivables
from xietong.finance.ageing import LABELS
from xietong.finance.models import LedgerEntry
from xietong.logistics.models import Shipment
from xietong.logistics.shipments import shipment_of
from xietong.orders import queries
from xietong.orders.enums import PaymentMethod, Stage
from xietong.orders.messages import STAGE_ORDER, TASK_NAMES
from xietong.orders.models import Order, OrderItem
from xietong.orders.service import load, view
from xietong.publishing import monthly as reports
from xietong.reports.monthly import Figures, Month, MonthlyReport, monthly_report, totals

from .svg import Bar, bars, columns

PAGE_ROLES: dict[str, tuple[Role, ...]] = {
    "board": (),  # /看板: anyone with a post
    "order": (),  # /订单
    "receivables": finance_access.READ_ROLES,  # /应收
    "monthly": reports.REPORT_ROLES,  # /月报
    "todo": (),  # /待办: the person's own posts
    "customers": archive.VIEW_ROLES,  # /客户
}
BOARD_ROWS_PER_STAGE = 100
OVERDUE_ROWS = 200
MONTHS_SHOWN = 13  # this month and the previous 12


@dataclass
class BoardRow:
    order: Order
    waiting: list[str]
    marks: list[str]


@dataclass
class Board:
    counts: dict[Stage, int]  # every open order, as /看板 counts them
    stages: list[tuple[Stage, int, list[BoardRow]]]  # the filtered ones: stage, how many match, the first rows

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def matching(self) -> int:
        return sum(count for _, count, _ in self.stages)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


async def board(
    session: AsyncSession, *, customer: str = "", payment: PaymentMethod | None = None, stage: Stage | None = None,
    per_stage: int = BOARD_ROWS_PER_STAGE,
) -> Board:
    """/看板 with filters: the same counts, flags (逾期, 异常) and waiting departments as the chat answer."""
    counts = await queries.stage_counts(session)
    where = []
    if customer.strip():
        where.append(Order.customer_name.ilike(_like(customer.strip()), escape="\\"))
    if payment is not None:
        where.append(Order.payment == payment)
    stages: list[tuple[Stage, int, list[Order]]] = []
    for one in STAGE_ORDER:
        if (stage is not None and one != stage) or not counts.get(one):
            continue
        matching = counts[one] if not where else int(
            await session.scalar(select(func.count()).select_from(Order).where(Order.stage == one, *where)) or 0
        )
        if matching:
            rows = (await session.scalars(
                select(Order).where(Order.stage == one, *where).order_by(Order.id).limit(per_stage)
            )).all()
            stages.append((one, matching, list(rows)))
    shown = [order for _, _, rows in stages for order in rows]
    flags = await queries.flags_for(session, shown)
    waiting = await queries.open_tasks(session, [o.id for o in shown if o.stage == Stage.processing])
    return Board(counts, [
        (one, matching, [BoardRow(o, waiting.get(o.id, []), queries.marks_of(o, flags)) for o in rows])
        for one, matching, rows in stages
    ])


@dataclass
class TaskRow:
    name: str
    state: str
    who: str | None
    at: datetime | None
    note: str | None


@dataclass
class OrderPage:
    order: Order
    items: list[OrderItem]
    marks: list[str]
    tasks: list[TaskRow]
    timeline: list[tuple[datetime, str, str, str]]
    shipment: Shipment | None
    payments: list[LedgerEntry] | None  # None: the visitor may not see the ledger (as /账)
    payers: dict[int, str] = field(default_factory=dict)


async def order_page(session: AsyncSession, number: str, *, ledger_visible: bool) -> OrderPage:
    """/订单: the card, its timeline, the department tasks, the slip, the shipment and (for /账's roles) payments."""
    order = await load(session, number, lock=False)
    current = await view(session, order)
    flags = await queries.flags_for(session, [order])
    tasks = [current.tasks[d] for d in TASK_NAMES if d in current.tasks]
    names = await roster.names(session, [t.actor_qq for t in tasks if t.actor_qq])
    payments = await ledger.entries_of(session, order) if ledger_visible else None
    payers = await roster.names(session, [e.actor_qq for e in payments or [] if e.actor_qq])
    return OrderPage(
        order=order,
        items=current.items,
        marks=queries.marks_of(order, flags),
        tasks=[TaskRow(TASK_NAMES[t.department], t.state.value, names.get(t.actor_qq) if t.actor_qq else None,
                       t.answered_at, t.note) for t in tasks],
        timeline=await queries.timeline(session, order.number),
        shipment=await shipment_of(session, order),
        payments=payments,
        payers=payers,
    )


@dataclass
class ReceivablesPage:
    book: receivables.Summary
    overdue: list[receivables.OpenOrder]
    overdue_count: int
    chart: str


async def receivables_page(session: AsyncSession, today: date) -> ReceivablesPage:
    """/应收: the same summary (buckets, totals, DSO) as the chat answer, the overdue orders and a chart."""
    book = await receivables.summary(session, today)
    overdue = await receivables.open_orders(session, overdue_on=today, limit=OVERDUE_ROWS)
    chart = bars(words.AGEING_CHART, [Bar(words.ageing_bucket(label, label == LABELS[0]), fen)
                                      for label, fen in book.ageing.items()])
    return ReceivablesPage(book, overdue, await receivables.count_overdue(session, today), chart)


@dataclass
class MonthlyPage:
    report: MonthlyReport
    months: list[Figures]  # sales and collections only, oldest first, ending with this month
    trend: str
    by_product: str
    by_customer: str
    by_payment: str


async def monthly_page(session: AsyncSession, month: Month, today: date) -> MonthlyPage:
    """/月报: the chosen month against the one before (the workbook's figures), and 13 months of trend."""
    report = await monthly_report(session, month)
    last = Month.of(today)
    keys = [last]
    while len(keys) < MONTHS_SHOWN:
        keys.append(keys[-1].previous())
    months = [await totals(session, key) for key in reversed(keys)]
    trend = columns(
        words.TREND_CHART,
        [words.month_label(m.month.month) for m in months],
        {words.SALES: [m.amount_fen for m in months], words.COLLECTED: [m.collected_fen for m in months]},
    )
    now = report.current
    return MonthlyPage(
        report, months, trend,
        bars(words.BY_PRODUCT, [Bar(line.label, line.amount_fen) for line in now.products[:15]]),
        bars(words.BY_CUSTOMER, [Bar(line.label, line.amount_fen) for line in now.customers[:15]]),
        bars(words.BY_PAYMENT, [Bar(line.label, line.amount_fen) for line in now.payments]),
    )


async def todo_sections(session: AsyncSession, qq: int, roles: set[Role]) -> list[tuple[str, list[str]]]:
    """/待办 exactly as the chat answers it, cut into one section per post."""
    sections: list[tuple[str, list[str]]] = []
    for line in (await queries.todos(session, qq, roles)).splitlines():
        if line.startswith("【") or not sections:
            sections.append((line.strip("【】"), []))
        else:
            sections[-1][1].append(line.strip())
    return sections
