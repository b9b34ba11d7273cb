"""/退款 and /转单: finance decides what happens to a customer's balance (预收余额, see :mod:`.balances`).

Both take money only from an order's spare money (all of a cancelled order's, or what a live order holds
beyond its amount), so no order's money goes below zero and nothing leaves the customer except a refund.
"""

from __future__ import annotations

from xietong.core import roster
from xietong.core.errors import DomainError
from xietong.core.work import Work
from xietong.orders import service
from xietong.orders.enums import Stage
from xietong.orders.models import Order

from . import balances
from . import messages as msg
from .ledger import FINANCE, after_money, ordinals
from .models import EntryKind, LedgerEntry


def _entry(w: Work, order: Order, kind: EntryKind, amount_fen: int, note: str, **links: int | None) -> LedgerEntry:
    entry = LedgerEntry(
        order_id=order.id, kind=kind, amount_fen=amount_fen, note=note[:200],
        actor_qq=w.actor.qq if w.actor else None, **links,
    )
    w.session.add(entry)
    service.apply_payment(order, amount_fen)
    return entry


async def refund(w: Work, number: str, amount_fen: int, note: str) -> LedgerEntry:
    """/退款 单号 金额 说明: pay part of the order's spare money back to the customer."""
    await roster.require(w.session, w.actor, *FINANCE)
    note = " ".join(note.split())
    if not note:
        raise DomainError(msg.NEED_REFUND_NOTE.format(number=number))
    order = await service.load(w.session, number)
    spare = balances.spare_fen(order)
    if amount_fen <= 0:
        raise DomainError(msg.positive_amount(amount_fen))
    if amount_fen > spare:
        raise DomainError(msg.refund_too_much(order, spare))
    entry = _entry(w, order, EntryKind.refund, -amount_fen, note)
    await w.session.flush()
    no = (await ordinals(w.session, order))[entry.id]
    w.audit("退款", order.number, f"{msg.yuan(amount_fen)}（第{no}笔）：{note}")
    left = await balances.balance(w.session, order.customer_id)
    w.reply(msg.refunded(order, no, entry, left), subject=order.number)
    return entry


async def transfer(w: Work, source_number: str, target_number: str) -> LedgerEntry:
    """/转单 原单号 新单号: apply the source's spare money to what the target still owes (same customer)."""
    await roster.require(w.session, w.actor, *FINANCE)
    if source_number == target_number:
        raise DomainError(msg.SAME_ORDER)
    # Lock both in one order, whatever way round they are named, so two transfers never deadlock.
    locked = {n: await service.load(w.session, n) for n in sorted((source_number, target_number))}
    source, target = locked[source_number], locked[target_number]
    if source.customer_id != target.customer_id:
        raise DomainError(msg.other_customer(source, target))
    if target.stage == Stage.cancelled:
        raise DomainError(msg.transfer_to_cancelled(target))
    spare = balances.spare_fen(source)
    if spare <= 0:
        raise DomainError(msg.nothing_spare(source))
    if target.outstanding_fen <= 0:
        raise DomainError(msg.target_paid(target))
    amount = min(spare, target.outstanding_fen)
    out = _entry(w, source, EntryKind.transfer_out, -amount, msg.transferred_to(target.number))
    await w.session.flush()
    into = _entry(w, target, EntryKind.transfer_in, amount, msg.transferred_from(source.number), counterpart_id=out.id)
    await w.session.flush()
    out_no, into_no = (await ordinals(w.session, source))[out.id], (await ordinals(w.session, target))[into.id]
    detail = msg.transfer_detail(amount, source.number, out_no, target.number, into_no)
    w.audit("转单", source.number, detail)
    w.audit("转单", target.number, detail)
    await after_money(w, target)  # the gate may open (cs is told) or the order be settled
    left = await balances.balance(w.session, source.customer_id)
    w.reply(msg.transferred(source, target, amount, left), subject=target.number)
    return into
