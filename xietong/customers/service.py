"""The confidential customer archive (SPEC §5): add, change, the card, the list, the export rows.

Only in private chat, only to director, cs, vp and gm (cs and director may add and change); every view —
card, list, export — is written to the audit trail in the caller's transaction. Money owed is computed from
the orders: outstanding = amount − paid of every non-cancelled order not fully paid; overdue = the part of it
whose receivable was due before today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core import clock, roster
from xietong.core.errors import DomainError, NotFound
from xietong.core.work import Work
from xietong.finance.models import CollectionAttempt
from xietong.orders.models import Order
from xietong.orders.stages import RECEIVABLE_STAGES
from xietong.parties import archive
from xietong.parties.access import EDIT_ROLES, VIEW_ROLES, gate
from xietong.parties.messages import not_found
from xietong.parties.models import Customer

from . import messages as msg
from . import regions
from .fields import LABELS
from .messages import shown

RECENT_ORDERS = 5
RECENT_COLLECTIONS = 5
LIST_LIMIT = 50


def subject_of(customer: Customer) -> str:
    """The audit subject of an archive entry (names can be longer than a subject)."""
    return f"customer:{customer.id}"


@dataclass(frozen=True)
class Balance:
    orders: int = 0
    outstanding_fen: int = 0
    overdue_orders: int = 0
    overdue_fen: int = 0

    @property
    def text(self) -> str:
        return msg.balance_text(self.orders, self.outstanding_fen, self.overdue_orders, self.overdue_fen)


async def balances(session: AsyncSession, today: date, customer_ids: list[int] | None = None) -> dict[int, Balance]:
    """Money owed per customer, one GROUP BY over the orders not cancelled and not fully paid."""
    owed = Order.amount_fen - Order.paid_fen
    overdue = and_(Order.receivable_due.is_not(None), Order.receivable_due < today)
    query = (
        select(
            Order.customer_id,
            func.count(),
            func.sum(owed),
            func.sum(case((overdue, 1), else_=0)),
            func.sum(case((overdue, owed), else_=0)),
        )
        .where(Order.stage.in_(RECEIVABLE_STAGES), Order.amount_fen > Order.paid_fen)
        .group_by(Order.customer_id)
    )
    if customer_ids is not None:
        query = query.where(Order.customer_id.in_(customer_ids))
    rows = await session.execute(query)
    return {cid: Balance(int(n), int(total or 0), int(late or 0), int(late_fen or 0)) for cid, n, total, late, late_fen in rows}


async def _find(session: AsyncSession, typed: str) -> Customer:
    """Only behind :func:`_gate` (private chat, archive role): an ambiguous name lists the candidates."""
    customer = await archive.find(session, typed, reveal=True)
    if customer is None:
        raise NotFound(not_found(typed.strip()))
    return customer


async def card(w: Work, typed: str, default_days: int) -> str:
    """/客户 名称: the entry, what is owed, recent orders and the collection log. Several matches: their names."""
    await gate(w, VIEW_ROLES)
    try:
        customer = await _find(w.session, typed)
    except archive.AmbiguousCustomer as exc:
        w.audit("查看客户", "customer:?", f"「{typed.strip()}」对应多个：{'、'.join(exc.candidates)}")
        return exc.message
    w.audit("查看客户", subject_of(customer), customer.name)
    return await card_text(w.session, customer, default_days)


async def card_text(session: AsyncSession, customer: Customer, default_days: int) -> str:
    today = clock.today()
    balance = (await balances(session, today, [customer.id])).get(customer.id, Balance())
    lines = [*msg.card_head(customer, default_days), balance.text]
    total = await session.scalar(select(func.count()).select_from(Order).where(Order.customer_id == customer.id))
    recent = (
        await session.execute(
            select(Order.number, Order.created_at, Order.amount_fen, Order.paid_fen, Order.stage, Order.receivable_due)
            .where(Order.customer_id == customer.id)
            .order_by(Order.id.desc())
            .limit(RECENT_ORDERS)
        )
    ).all()
    if recent:
        lines.append(msg.recent_orders(total))
        lines += [msg.order_line(n, at, amount, paid, stage.value, due, today) for n, at, amount, paid, stage, due in recent]
    else:
        lines.append(msg.NO_ORDERS_YET)
    attempts = (
        await session.execute(
            select(CollectionAttempt.at, CollectionAttempt.actor_qq, Order.number, CollectionAttempt.note)
            .outerjoin(Order, Order.id == CollectionAttempt.order_id)
            .where(CollectionAttempt.customer_id == customer.id)
            .order_by(CollectionAttempt.id.desc())
            .limit(RECENT_COLLECTIONS)
        )
    ).all()
    if attempts:
        names = await roster.names(session, {qq for _, qq, _, _ in attempts})
        lines.append(msg.COLLECTIONS_HEAD)
        lines += [msg.collection_line(at, names.get(qq, str(qq)), number, note) for at, qq, number, note in attempts]
    return "\n".join(lines)


async def listing(w: Work, keyword: str = "") -> str:
    """/客户 列表 [关键词]: one line per entry (name, contact, region, salesman, owed), by name."""
    await gate(w, VIEW_ROLES)
    query = select(Customer).order_by(Customer.name)
    keyword = keyword.strip()
    if len(keyword) > archive.NAME_MAX:  # longer than any name: it finds nothing, and is not echoed back
        raise DomainError(msg.keyword_too_long(archive.NAME_MAX))
    if keyword:
        pattern = f"%{keyword}%"
        query = query.where(
            or_(Customer.name.ilike(pattern), Customer.region.ilike(pattern), Customer.salesman.ilike(pattern),
                Customer.contact.ilike(pattern))
        )
    customers = (await w.session.scalars(query)).all()
    w.audit("查看客户", "customer:list", f"列表 {keyword or '全部'}，{len(customers)} 家")
    if not customers:
        return msg.nothing_listed(keyword)
    shown_now = customers[:LIST_LIMIT]
    owed = await balances(w.session, clock.today(), [c.id for c in shown_now])
    lines = [msg.listing_head(len(customers), keyword)]
    lines += [msg.listing_line(customer, owed.get(customer.id)) for customer in shown_now]
    if len(customers) > LIST_LIMIT:
        lines.append(msg.more_customers(len(customers) - LIST_LIMIT))
    return "\n".join(lines)


async def _check_unique(session: AsyncSession, name: str, itself: Customer | None = None) -> None:
    """No second entry with the same name, or with the same core name (金陵建材 vs 金陵建材有限公司)."""
    core = archive.core_name(name).lower()
    for other in await archive.candidates(session, name):
        if other is itself:
            continue
        if other.name == name:
            raise DomainError(msg.name_taken(name))
        if archive.core_name(other.name).lower() == core:
            raise DomainError(msg.name_close_to(other.name))


async def add(w: Work, fields: dict[str, object]) -> Customer:
    """/客户 新增: a new entry; refused when the name (or its core) is taken."""
    await gate(w, EDIT_ROLES)
    name = archive.check_name(str(fields.get("name") or ""))
    await _check_unique(w.session, name)
    customer = Customer(name=name)
    for field, value in fields.items():
        if field != "name":
            setattr(customer, field, value)
    w.session.add(customer)
    await regions.link(w.session, customer)
    await w.session.flush()
    detail = "；".join(f"{LABELS[f]}：{shown(f, v)}" for f, v in fields.items())
    w.audit("新增客户", subject_of(customer), detail)
    w.reply(msg.added(customer))
    return customer


async def change(w: Work, typed: str, fields: dict[str, object], default_days: int) -> list[str]:
    """/客户 修改 名称 + fields: the lines that changed (名称 included: a rename is checked like a new name)."""
    await gate(w, EDIT_ROLES)
    if not typed.strip():
        raise DomainError(msg.NEED_NAME_TO_CHANGE)
    found = await _find(w.session, typed)
    customer = await w.session.scalar(select(Customer).where(Customer.id == found.id).with_for_update())
    assert customer is not None
    lines = []
    for field, value in fields.items():
        old = getattr(customer, field)
        if old == value:
            continue
        if field == "name":
            await _check_unique(w.session, str(value), itself=customer)
        setattr(customer, field, value)
        lines.append(f"{LABELS[field]}：{shown(field, old, default_days)} → {shown(field, value, default_days)}")
    if not lines:
        raise DomainError(msg.unchanged(customer.name))
    await regions.link(w.session, customer)
    w.audit("修改客户", subject_of(customer), "；".join(lines))
    w.reply(msg.changed(customer, lines))
    return lines


@dataclass(frozen=True)
class ArchiveRow:
    customer: Customer
    balance: Balance


async def export_rows(w: Work, file_name: str) -> list[ArchiveRow]:
    """/客户 导出: every entry with what it owes; the export is a view and is audited as one."""
    await gate(w, VIEW_ROLES)
    customers = (await w.session.scalars(select(Customer).order_by(Customer.name))).all()
    owed = await balances(w.session, clock.today())
    w.audit("查看客户", "customer:export", f"导出 {len(customers)} 家：{file_name}")
    return [ArchiveRow(c, owed.get(c.id, Balance())) for c in customers]
