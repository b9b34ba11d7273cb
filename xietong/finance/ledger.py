"""The receivables ledger: payments, COD bookings and reversals, append-only (SPEC §3 财务 款项, §4).

Every change of money is one :class:`LedgerEntry`, written in the same transaction as the new
``Order.paid_fen`` (the running sum of the order's entries), its audit event and its notifications.
Entries are never edited or deleted — the ORM refuses to (see the guards at the bottom): a mistake is
corrected by :func:`reverse`, which appends an entry of the opposite amount that names the one it cancels
(``reverses_id``, unique, so each entry is reversed at most once). Both stay in the audit trail.

After every entry :func:`after_money` brings the order up to date: for 款到发货 the 财务 款项 task is done
exactly while the payments cover the amount, the gate is re-judged (``service.refresh_stage``), and a
delivered order that is paid up becomes 已结清 (``service.settle_if_covered``, which also re-opens it when a
reversal uncovers it).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core import roster
from xietong.core.errors import DomainError
from xietong.core.messages import SYSTEM
from xietong.core.roles import Role
from xietong.core.work import Work
from xietong.logistics import shipments
from xietong.orders import gate, service
from xietong.orders.enums import Department, PaymentMethod, Stage, TaskState
from xietong.orders.models import Order
from xietong.orders.stages import RECEIVABLE_STAGES
from xietong.parties.models import Customer

from . import messages as msg
from . import receivables
from .access import FINANCE
from .models import EntryKind, LedgerEntry


class Overpayment(DomainError):
    """More than the order still owes, without 确认."""


def check_payment(order: Order, amount_fen: int, *, confirmed: bool) -> None:
    """A payment must be positive, and beyond what is still owed only when the command says 确认."""
    if amount_fen <= 0:
        raise DomainError(msg.positive_amount(amount_fen))
    if amount_fen > max(order.outstanding_fen, 0) and not confirmed:
        raise Overpayment(msg.overpayment(order, amount_fen))


async def _load_open(w: Work, number: str) -> Order:
    order = await service.load(w.session, number)
    if order.stage == Stage.cancelled:
        raise DomainError(msg.cancelled(order))
    return order


async def _book(
    w: Work, order: Order, kind: EntryKind, amount_fen: int, note: str, *, confirmed: bool, action: str
) -> tuple[LedgerEntry, int]:
    """The entry written, with its place in the order's ledger (第N笔), which its answer names too."""
    check_payment(order, amount_fen, confirmed=confirmed)
    entry = LedgerEntry(
        order_id=order.id, kind=kind, amount_fen=amount_fen, note=note[:200], actor_qq=w.actor.qq if w.actor else None
    )
    w.session.add(entry)
    service.apply_payment(order, amount_fen)
    await w.session.flush()
    over = msg.OVERPAID_MARK if order.paid_fen > order.amount_fen else ""
    no = (await ordinals(w.session, order))[entry.id]
    w.audit(action, order.number, f"{msg.yuan(amount_fen)} 第{no}笔{over}" + (f"：{note}" if note else ""))
    return entry, no


async def after_money(w: Work, order: Order) -> list[str]:
    """Task, gate and settlement after ``paid_fen`` changed; returns what the gate still waits for."""
    current = await service.view(w.session, order)
    service.sync_prepaid_task(w, current)
    await service.refresh_stage(w, current)
    service.settle_if_covered(w, order)
    return gate.unmet(order, current.tasks.values()) if order.stage == Stage.processing else []


async def confirm_payment(w: Work, number: str, amount_fen: int | None, *, confirmed: bool = False) -> LedgerEntry:
    """/到账 (款到发货): record a payment; no amount means everything still owed."""
    await roster.require(w.session, w.actor, *FINANCE)
    order = await _load_open(w, number)
    if order.payment != PaymentMethod.prepaid:
        raise DomainError(msg.not_prepaid(order))
    if amount_fen is None:
        if order.outstanding_fen <= 0:
            raise DomainError(msg.nothing_outstanding(order))
        amount_fen = order.outstanding_fen
    entry, no = await _book(w, order, EntryKind.payment, amount_fen, msg.CONFIRM_PAYMENT.name, confirmed=confirmed,
                            action="到账")
    await _reply_paid(w, order, entry, no, msg.CONFIRM_PAYMENT.name)
    return entry


async def record_payment(w: Work, number: str, amount_fen: int, note: str = "", *, confirmed: bool = False) -> LedgerEntry:
    """/收款: a payment on any order; partial payments add up."""
    await roster.require(w.session, w.actor, *FINANCE)
    order = await _load_open(w, number)
    entry, no = await _book(w, order, EntryKind.payment, amount_fen, note, confirmed=confirmed, action="收款")
    await _reply_paid(w, order, entry, no, msg.PAYMENT.name)
    return entry


async def _reply_paid(w: Work, order: Order, entry: LedgerEntry, no: int, action: str) -> None:
    """Answer finance; a 款到发货 order still short of money holds the slip back, so cs (who talks to the
    customer) is @-mentioned to ask for the rest."""
    waiting = await after_money(w, order)
    short = order.payment == PaymentMethod.prepaid and order.outstanding_fen > 0
    mentions = await roster.holders(w.session, Role.cs) if short else []
    w.reply(msg.paid(order, entry, no, action, waiting), mentions=mentions, subject=order.number)


async def book_cod(w: Work, number: str, amount_fen: int | None = None, *, confirmed: bool = False) -> LedgerEntry:
    """/代收入账: book the cash on delivery logistics collected (default: the amount collected)."""
    await roster.require(w.session, w.actor, *FINANCE)
    order = await _load_open(w, number)
    shipment = await shipments.shipment_of(w.session, order, lock=True)
    if shipment is None or shipment.cod_collected_fen is None:
        raise DomainError(msg.no_cod(order))
    if shipment.cod_booked_at is not None:
        raise DomainError(msg.cod_already_booked(order, shipment.cod_booked_at))
    collected = shipment.cod_collected_fen
    amount = collected if amount_fen is None else amount_fen
    if amount > collected:
        raise DomainError(msg.cod_more_than_collected(order, collected))
    note = msg.cod_note(collected)
    entry, no = await _book(w, order, EntryKind.cod, amount, note, confirmed=confirmed, action="代收入账")
    shipments.mark_cod_booked(shipment, entry.at)
    await after_money(w, order)
    w.reply(msg.cod_booked(order, entry, no, collected), subject=order.number)
    return entry


async def entries_of(session: AsyncSession, order: Order) -> list[LedgerEntry]:
    return list(
        (await session.scalars(select(LedgerEntry).where(LedgerEntry.order_id == order.id).order_by(LedgerEntry.id))).all()
    )


async def ordinals(session: AsyncSession, order: Order) -> dict[int, int]:
    """Entry id → its place in the order's ledger (第1笔, 第2笔 …): how people count and name the entries."""
    return {entry.id: i for i, entry in enumerate(await entries_of(session, order), start=1)}  # type: ignore[misc]


def reversible(entries: list[LedgerEntry]) -> list[LedgerEntry]:
    done = {e.reverses_id for e in entries if e.reverses_id is not None}
    return [e for e in entries if e.kind != EntryKind.reversal and e.id not in done]


async def reverse(w: Work, number: str, entry_no: int | None, reason: str) -> LedgerEntry:
    """/冲销: cancel one entry (第N笔 of the order) by appending its opposite; both stay. Without it, the order's
    only reversible entry is meant (with several, the refusal lists them)."""
    await roster.require(w.session, w.actor, *FINANCE)
    reason = reason.strip()
    if not reason:
        raise DomainError(msg.NEED_REASON)
    order = await service.load(w.session, number)  # a payment on an order cancelled later may be reversed too
    entries = await entries_of(w.session, order)
    no = {e.id: i for i, e in enumerate(entries, start=1)}
    candidates = reversible(entries)
    if entry_no is None:
        if not candidates:
            raise DomainError(msg.nothing_to_reverse(order))
        if len(candidates) > 1:
            raise DomainError(msg.which_entry(order, [(no[e.id], e) for e in candidates]))
        original = candidates[0]
    else:
        if not 1 <= entry_no <= len(entries):
            raise DomainError(msg.no_such_entry(order, entry_no))
        original = entries[entry_no - 1]
        if original.kind == EntryKind.reversal:
            raise DomainError(msg.entry_is_reversal(entry_no))
        if original not in candidates:
            by = next(e for e in entries if e.reverses_id == original.id)
            raise DomainError(msg.entry_already_reversed(entry_no, no[by.id], by.at))
    if original.kind in TRANSFER_KINDS:
        return await _reverse_transfer(w, order, original, reason)
    if order.paid_fen - original.amount_fen < 0:
        raise DomainError(msg.money_gone(order, no[original.id], original))
    entry = _reversal(w, order, original, reason)
    await w.session.flush()
    if original.kind == EntryKind.cod:  # the COD is collected but no longer booked: it must be booked again
        shipment = await shipments.shipment_of(w.session, order, lock=True)
        if shipment is not None:
            shipments.mark_cod_booked(shipment, None)
    original_no, entry_no = no[original.id], len(entries) + 1
    w.audit("冲销", order.number, f"第{original_no}笔 {msg.yuan(original.amount_fen)}，冲销记为第{entry_no}笔：{reason}")
    await after_money(w, order)
    w.reply(msg.reversed_(order, original_no, original, entry_no, entry), subject=order.number)
    return entry


TRANSFER_KINDS = (EntryKind.transfer_out, EntryKind.transfer_in)


def _reversal(w: Work, order: Order, original: LedgerEntry, reason: str) -> LedgerEntry:
    entry = LedgerEntry(
        order_id=order.id, kind=EntryKind.reversal, amount_fen=-original.amount_fen, note=reason[:200],
        actor_qq=w.actor.qq if w.actor else None, reverses_id=original.id,
    )
    w.session.add(entry)
    service.apply_payment(order, -original.amount_fen)
    return entry


async def _reverse_transfer(w: Work, order: Order, original: LedgerEntry, reason: str) -> LedgerEntry:
    """A /转单 is undone as a whole: both legs are reversed, the money goes back to the source order."""
    if original.kind == EntryKind.transfer_in:
        into = original
        out = await w.session.get(LedgerEntry, original.counterpart_id)
    else:
        out = original
        into = await w.session.scalar(select(LedgerEntry).where(LedgerEntry.counterpart_id == original.id))
    if out is None or into is None:
        raise DomainError(msg.nothing_to_reverse(order))
    both = select(Order).where(Order.id.in_((out.order_id, into.order_id))).order_by(Order.number)
    locked = {o.id: o for o in (await w.session.scalars(both.with_for_update())).all()}
    source, target = locked[out.order_id], locked[into.order_id]
    out_no, into_no = (await ordinals(w.session, source))[out.id], (await ordinals(w.session, target))[into.id]
    if target.paid_fen - into.amount_fen < 0:
        raise DomainError(msg.money_gone(target, into_no, into))
    back_out = _reversal(w, source, out, reason)
    back_in = _reversal(w, target, into, reason)
    await w.session.flush()
    detail = msg.transfer_reversal_detail(into.amount_fen, source.number, out_no, target.number, into_no, reason)
    w.audit("冲销", source.number, detail)
    w.audit("冲销", target.number, detail)
    await after_money(w, target)
    w.reply(msg.transfer_reversed(source, target, into.amount_fen), subject=order.number)
    return back_in if order is target else back_out


async def ledger_text(session: AsyncSession, number: str) -> str:
    """/收款记录: every entry of the order with its number, reversals beside what they cancel."""
    order = await service.load(session, number, lock=False)
    entries = await entries_of(session, order)
    no = {e.id: i for i, e in enumerate(entries, start=1)}
    reversed_by = {e.reverses_id: no[e.id] for e in entries if e.reverses_id is not None}
    names = await roster.names(session, [e.actor_qq for e in entries if e.actor_qq])
    lines = [
        msg.entry_line(
            no[e.id], e, names.get(e.actor_qq, "") if e.actor_qq else SYSTEM,
            no.get(e.reverses_id) if e.reverses_id else None, reversed_by.get(e.id),
        )
        for e in entries
    ]
    return msg.ledger_card(order, lines)


# —— the finance task without money: /未到账, /放行 ——

async def report_missing(w: Work, number: str, note: str | None) -> None:
    """/未到账: the finance task has a problem; cs is told (``answer_task`` @-mentions them)."""
    await roster.require(w.session, w.actor, *FINANCE)
    order = await _load_open(w, number)
    if order.payment == PaymentMethod.prepaid and order.amount_fen <= order.paid_fen:
        raise DomainError(msg.missing_but_paid(order))
    await service.answer_task(
        w, number, Department.finance, state=TaskState.problem, note=note or msg.MONEY_MISSING, action="未到账"
    )


@dataclass(frozen=True)
class Credit:
    customer: str
    balance_fen: int  # all open receivables of the customer, this order included
    this_order_fen: int
    limit_fen: int | None
    days: int

    @property
    def exceeded_by(self) -> int:
        return self.balance_fen - self.limit_fen if self.limit_fen is not None else 0


async def credit_of(session: AsyncSession, order: Order, default_days: int) -> Credit:
    customer = await session.get(Customer, order.customer_id)
    this_order = max(order.outstanding_fen, 0)
    # Before its slip the order is no receivable yet, but releasing it is what will make it one.
    pending = this_order if order.stage not in RECEIVABLE_STAGES else 0
    return Credit(
        customer=customer.name if customer else order.customer_name,
        balance_fen=await receivables.customer_outstanding(session, order.customer_id) + pending,
        this_order_fen=this_order,
        limit_fen=customer.credit_limit_fen if customer else None,
        days=await service.credit_days_of(session, order, default_days),
    )


async def release(w: Work, number: str, note: str | None, *, default_credit_days: int) -> Credit | None:
    """/放行 (货到付款, 月结): the finance task is done. For 月结 the reply shows the customer's balance and
    credit limit, and warns (@cs, @director) when this order takes the balance over the limit."""
    await roster.require(w.session, w.actor, *FINANCE)
    order = await _load_open(w, number)
    if order.payment == PaymentMethod.prepaid:
        raise DomainError(msg.release_prepaid(order))
    current = await service.view(w.session, order)
    already = current.tasks[Department.finance].state == TaskState.done
    await service.answer_task(
        w, number, Department.finance, state=TaskState.done, note=note, action="放行", quiet=True
    )
    if already:  # answer_task has said who released it and when
        return None
    text, mentions, credit = msg.released(order), [], None
    if order.payment == PaymentMethod.monthly:
        credit = await credit_of(w.session, order, default_credit_days)
        text += "\n" + msg.credit_line(credit.customer, credit.balance_fen, credit.this_order_fen, credit.limit_fen, credit.days)
        if credit.exceeded_by > 0:
            text += "\n" + msg.over_limit(credit.balance_fen, credit.limit_fen or 0)
            mentions = await roster.holders(w.session, Role.cs, Role.director)
    w.reply(text, mentions=mentions, subject=order.number)
    return credit


# —— append-only, enforced ——

@event.listens_for(LedgerEntry, "before_update")
def _no_edits(_mapper, _connection, target: LedgerEntry) -> None:
    raise RuntimeError(msg.append_only(target.id, "editing"))


@event.listens_for(LedgerEntry, "before_delete")
def _no_deletes(_mapper, _connection, target: LedgerEntry) -> None:
    raise RuntimeError(msg.append_only(target.id, "deleting"))
