"""The sales slip (SPEC §3, regulation step 3) and the CS follow-up after shipping (step 5).

Issuing the slip is the gate in use: ``/开单`` (cs) only when :func:`gate.unmet` is empty, ``/强制开单``
(director) when it is not. The slip gets its own daily number ``XS…``, states the payment method, and
logistics is told to collect it. The printable workbook is made by :mod:`slip_file` from the same
:class:`Slip` that ``/销售单`` shows as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import cn2an
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core import clock, roster, sequence
from xietong.core.errors import DomainError, NotFound
from xietong.core.numbers import line_fen
from xietong.core.roles import Role
from xietong.core.text import QQ_TEXT_LIMIT
from xietong.core.work import Work

from . import gate, queries, service
from . import messages as msg
from .access import FORCE_ROLES, ISSUE_ROLES, NOTICE_ROLES
from .enums import Department, Stage, TaskState
from .models import Order, OrderItem

SLIP_PREFIX = "XS"
MAX_REASON = 200  # Order.slip_forced_reason
MAX_NOTE = 200


# ---------------------------------------------------------------- issuing


async def issue(w: Work, number: str) -> service.OrderView:
    """/开单: refuse with every unmet condition, or issue the slip and tell logistics."""
    await roster.require(w.session, w.actor, *ISSUE_ROLES)
    order = await service.load(w.session, number)
    _check_issuable(order)
    current = await service.view(w.session, order)
    reasons = gate.unmet(order, current.tasks.values())
    if reasons:
        raise DomainError(msg.not_ready(order, reasons))
    if order.stage == Stage.processing:  # the gate holds but the stage has not caught up yet
        service.move(w, order, Stage.ready, action="可开单")
    await _write_slip(w, current, forced_reason=None, detail=order.payment.value)
    return current


async def force(w: Work, number: str, reason: str) -> service.OrderView:
    """/强制开单: the director issues the slip before the gate holds; the reason goes on the slip and in the
    audit trail with the conditions that were still unmet. When nothing is unmet it is an ordinary slip."""
    await roster.require(w.session, w.actor, *FORCE_ROLES)
    reason = " ".join(reason.split())
    if not reason:
        raise DomainError(msg.NEED_REASON.format(number=number))
    if len(reason) > MAX_REASON:
        raise DomainError(msg.REASON_TOO_LONG.format(limit=MAX_REASON))
    order = await service.load(w.session, number)
    _check_issuable(order)
    current = await service.view(w.session, order)
    reasons = gate.unmet(order, current.tasks.values())
    if not reasons:
        if order.stage == Stage.processing:
            service.move(w, order, Stage.ready, action="可开单")
        await _write_slip(
            w,
            current,
            forced_reason=None,
            detail=f"{order.payment.value}；主任要求开单：{reason}",
            remark=msg.forced_without_need(order),
        )
        return current
    detail = msg.forced_detail(reason, reasons)
    await _write_slip(w, current, forced_reason=reason, detail=detail)
    return current


def _check_issuable(order: Order) -> None:
    if order.stage == Stage.cancelled:
        raise DomainError(msg.slip_of_cancelled(order))
    if order.slip_number:
        raise DomainError(msg.already_slipped(order))


async def _write_slip(
    w: Work, current: service.OrderView, *, forced_reason: str | None, detail: str, remark: str = ""
) -> None:
    order = current.order
    slip_number = await sequence.daily_number(w.session, SLIP_PREFIX, clock.today())
    with w.because(order, "强制开单" if forced_reason else "开单", f"{slip_number} {detail}"):
        order.slip_number = slip_number
        order.slip_at = clock.now()
        order.slip_forced_reason = forced_reason
        order.receivable_due = service.receivable_due_at_slip(order, clock.local(order.slip_at).date())
        service.move(w, order, Stage.slipped, forced=forced_reason is not None)
    logistics_task = current.tasks.get(Department.logistics)
    vehicle = logistics_task is not None and logistics_task.state == TaskState.done
    await service.notify_roles(w, order, msg.slip_notice(order, vehicle), Role.logistics)
    told = bool(await roster.holders(w.session, Role.logistics)) and service.target_of(order) is not None
    w.reply(msg.slip_reply(order, told) + remark, subject=order.number)


# ---------------------------------------------------------------- the slip as text and as a workbook


@dataclass(frozen=True)
class SlipLine:
    line: int
    name: str
    quantity: Decimal
    unit: str
    unit_price_fen: int | None
    amount_fen: int | None  # None when the order has a total but no unit prices


@dataclass(frozen=True)
class Slip:
    order: Order
    lines: list[SlipLine]

    @property
    def number(self) -> str:
        return self.order.slip_number or ""

    @property
    def total_fen(self) -> int:
        return self.order.amount_fen

    @property
    def filename(self) -> str:
        void = f"-{msg.VOID}" if self.order.stage == Stage.cancelled else ""
        return msg.slip_file_name(self.number, void)


def slip_lines(order: Order, items: list[OrderItem]) -> list[SlipLine]:
    lines = []
    for item in items:
        amount = line_fen(item.quantity, item.unit_price_fen) if item.unit_price_fen is not None else None
        lines.append(SlipLine(item.line, item.name, item.quantity, item.unit, item.unit_price_fen, amount))
    if len(lines) == 1 and lines[0].amount_fen is None:  # one item with a total: the line is the total
        only = lines[0]
        lines = [SlipLine(only.line, only.name, only.quantity, only.unit, None, order.amount_fen)]
    return lines


def amount_in_words(fen: int) -> str:
    """人民币大写：1260000 → 壹万贰仟陆佰元整, 1020050 → 壹万零贰佰元伍角."""
    yuan, cents = divmod(fen, 100)
    return cn2an.an2cn(f"{yuan}.{cents:02d}", "rmb")


def quantity_text(quantity: Decimal) -> str:
    return f"{quantity.normalize():f}"


async def find(session: AsyncSession, ref: str) -> Order:
    """The order by its number (D…) or by its slip's number (XS…)."""
    if ref.startswith(SLIP_PREFIX):
        order = await session.scalar(select(Order).where(Order.slip_number == ref))
        if order is None:
            raise NotFound(msg.no_such_slip(ref))
        return order
    return await service.load(session, ref, lock=False)


async def load_slip(session: AsyncSession, ref: str) -> Slip:
    order = await find(session, ref)
    if not order.slip_number:
        raise DomainError(msg.no_slip(order))
    current = await service.view(session, order)
    return Slip(order, slip_lines(order, current.items))


async def slip_card(session: AsyncSession, ref: str) -> str:
    """/销售单: the slip as chat text, kept under QQ's length limit."""
    slip = await load_slip(session, ref)
    order = slip.order
    flags = (await queries.flags_for(session, [order])).get(order.id, [])
    head = msg.slip_head(slip.number, order, flags)
    tail = msg.slip_tail(order, slip.total_fen, amount_in_words(slip.total_fen))
    body = [msg.slip_line(line.line, line.name, quantity_text(line.quantity), line.unit, line.unit_price_fen,
                          line.amount_fen) for line in slip.lines]
    budget = QQ_TEXT_LIMIT - len("\n".join(head + tail)) - 60
    shown: list[str] = []
    for text in body:
        if len("\n".join([*shown, text])) > budget:
            shown.append(msg.truncated(order, len(body)))
            break
        shown.append(text)
    return "\n".join(head + shown + tail)




# ---------------------------------------------------------------- CS follow-up


async def record_notice(w: Work, number: str, note: str | None = None) -> Order:
    """/已通知: cs told the customer the goods are on their way."""
    await roster.require(w.session, w.actor, *NOTICE_ROLES)
    if note and len(note) > MAX_NOTE:
        raise DomainError(msg.NOTE_TOO_LONG.format(limit=MAX_NOTE))
    order = await service.load(w.session, number)
    if order.stage == Stage.cancelled:
        raise DomainError(msg.slip_of_cancelled(order))
    if order.shipped_at is None:
        raise DomainError(msg.not_shipped_yet(order))
    if order.customer_notified_at is not None:
        w.reply(msg.already_notified(order), subject=number)
        return order
    order.customer_notified_at = clock.now()
    order.updated_at = order.customer_notified_at
    w.audit("已通知客户", number, note or "")
    w.reply(msg.notified(order), subject=number)
    return order


def needs_customer_notice(order: Order, now: datetime, grace: timedelta) -> bool:
    """Whether cs should be reminded to tell the customer: shipped (still in transit), nobody recorded
    /已通知, and it left more than ``grace`` ago. Once delivered, the customer knows."""
    return (
        order.stage == Stage.shipped
        and order.shipped_at is not None
        and order.customer_notified_at is None
        and now - order.shipped_at > grace
    )


async def cs_todo(session: AsyncSession, qq: int) -> list[str]:
    """/待办 for cs: shipped orders whose customer has not been told yet, and open shipping exceptions."""
    shipped = await session.execute(
        select(Order.number, Order.customer_name, Order.shipped_at)
        .where(Order.stage == Stage.shipped, Order.customer_notified_at.is_(None))
        .order_by(Order.id)
    )
    lines = [msg.todo_notify(number, customer, at) for number, customer, at in shipped]
    exceptions = await session.execute(
        select(Order.number, Order.stage, Order.exception_note)
        .where(Order.exception_note.is_not(None), Order.stage != Stage.cancelled)
        .order_by(Order.id)
    )
    lines += [msg.todo_exception(number, stage, note) for number, stage, note in exceptions]
    return lines
