"""Order services: each is one state change in one transaction (the caller's :class:`Work`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core import clock, roster, sequence, tracking
from xietong.core.errors import DomainError, NotFound
from xietong.core.messages import A_COLLEAGUE
from xietong.core.models import Member
from xietong.core.numbers import format_fen
from xietong.core.outbox import Target
from xietong.core.roles import Role
from xietong.core.work import Work
from xietong.parties import archive
from xietong.parties.models import Customer

from . import gate, stages
from . import messages as msg
from .access import CHANGE_ROLES, DEPARTMENT_ROLE, INTAKE_ROLES
from .enums import Department, PaymentMethod, Stage, TaskState
from .intake import Item, OrderDraft
from .models import Order, OrderItem, OrderTask

# Which departments must hear of a change to which field (regulation step 2: each gets what it needs).
FIELD_DEPARTMENTS: dict[str, tuple[Department, ...]] = {
    "customer": (Department.finance, Department.logistics),
    "items": (Department.workshop, Department.finance, Department.logistics),
    "amount_fen": (Department.finance,),
    "payment": (Department.finance, Department.logistics),
    "consignee": (Department.logistics,),
    "phone": (Department.logistics,),
    "address": (Department.logistics,),
    "packaging": (Department.workshop, Department.logistics),
    "due_date": (Department.workshop, Department.logistics),
    "note": (),
}
# A change to these sends the department's task back to 待回复: its earlier answer no longer holds.
REOPENS: dict[str, tuple[Department, ...]] = {
    "items": (Department.workshop,),
    "packaging": (Department.workshop,),
    "amount_fen": (Department.finance,),
    "payment": (Department.finance,),
    "customer": (Department.finance,),
}
# Fixed once the slip states them.
SLIP_FIELDS = ("customer", "items", "amount_fen", "payment")


@dataclass
class OrderView:
    """An order with everything a reply needs."""

    order: Order
    items: list[OrderItem]
    tasks: dict[Department, OrderTask]
    names: dict[int, str] = field(default_factory=dict)  # roster names of who answered the tasks, by QQ


async def load(session: AsyncSession, number: str, *, lock: bool = True) -> Order:
    """The order, row-locked for the rest of the transaction so concurrent replies queue up."""
    query = select(Order).where(Order.number == number)
    if lock:
        query = query.with_for_update()
    order = await session.scalar(query)
    if order is None:
        raise NotFound(msg.no_order(number))
    return order


async def view(session: AsyncSession, order: Order) -> OrderView:
    items = (await session.scalars(select(OrderItem).where(OrderItem.order_id == order.id).order_by(OrderItem.line))).all()
    tasks = (
        await session.execute(
            select(OrderTask, Member.qq, Member.name)
            .outerjoin(Member, Member.qq == OrderTask.actor_qq)
            .where(OrderTask.order_id == order.id)
        )
    ).all()
    names = {qq: name or str(qq) for _, qq, name in tasks if qq is not None}
    return OrderView(order, list(items), {Department(t.department): t for t, _, _ in tasks}, names)


async def draft_items(session: AsyncSession, number: str) -> tuple[Item, ...]:
    """The order's items as the intake parser knows them: /改单 数量：40吨 changes these."""
    order = await load(session, number, lock=False)
    rows = (await view(session, order)).items
    return tuple(Item(r.name, r.quantity, r.unit, r.unit_price_fen) for r in rows)


def target_of(order: Order) -> Target | None:
    return Target.group(order.group_id) if order.group_id else None


async def notify_roles(w: Work, order: Order, text: str, *roles: Role) -> None:
    """Post about ``order`` in its group, @-mentioning everyone holding ``roles``."""
    target = target_of(order)
    if target is not None:
        w.notify(target, text, mentions=await roster.holders(w.session, *roles), subject=order.number)


def move(w: Work, order: Order, to: Stage, *, forced: bool = False, action: str | None = None, detail: str = "") -> None:
    stages.check_move(order.number, order.stage, to, forced=forced)
    with w.because(order, action or to.value, detail):  # inside a caller's reason, the caller's holds
        order.stage = to
        order.updated_at = clock.now()


DUPLICATE_WINDOW = timedelta(days=1)


async def same_order_lately(session: AsyncSession, customer_id: int, draft: OrderDraft) -> Order | None:
    """An open order of the last day for this customer with the same items and amount: the same paste twice."""
    since = clock.now() - DUPLICATE_WINDOW
    wanted = [(it.name, it.quantity, it.unit, it.unit_price_fen) for it in draft.items]
    candidates = await session.scalars(
        select(Order).where(
            Order.customer_id == customer_id, Order.amount_fen == draft.amount_fen,
            Order.created_at >= since, Order.stage != Stage.cancelled,
        ).order_by(Order.id.desc())
    )
    for order in candidates.all():
        items = await session.scalars(select(OrderItem).where(OrderItem.order_id == order.id).order_by(OrderItem.line))
        if [(i.name, i.quantity, i.unit, i.unit_price_fen) for i in items] == wanted:
            return order
    return None


async def register(w: Work, draft: OrderDraft, group_id: int | None, *, confirmed: bool = False) -> OrderView:
    """/接单: the order, its items, three open tasks, and an instruction to each department.

    The same order pasted twice within a day asks first; ``confirmed`` (确认 at the end) registers it anyway.
    Everything is read before the number is drawn: the counter's row stays locked until the commit, and every
    other /接单 waits for it, so only the inserts come after it (one statement a table)."""
    await roster.require(w.session, w.actor, *INTAKE_ROLES)
    match = await archive.find_or_create(w.session, draft.customer)
    if not confirmed and (twin := await same_order_lately(w.session, match.customer.id, draft)):
        raise DomainError(msg.duplicate(twin))
    holding = await roster.holders_by_role(w.session, *DEPARTMENT_ROLE.values())
    order = Order(
        number="",  # drawn below, once everything else is ready
        customer_id=match.customer.id,
        customer_name=match.customer.name,
        amount_fen=draft.amount_fen,
        payment=draft.payment,
        consignee=draft.consignee,
        phone=draft.phone,
        address=draft.address,
        packaging=draft.packaging,
        due_date=draft.due_date,
        note=draft.note,
        group_id=group_id,
        created_by=w.actor.qq if w.actor else 0,
    )  # no receivable_due: a receivable starts at the slip (SPEC §4)
    stated_items = msg.items_text(_item_rows(order, draft.items), prices=True)
    order.number = number = await sequence.daily_number(w.session, "D", clock.today())  # drawn last: see above
    with w.because(order, "接单") as reason:  # recorded at this flush, items included: no second write
        reason.state("items", None, stated_items)
        w.session.add(order)
        await w.session.flush()
    items = _item_rows(order, draft.items)
    tasks = {d: OrderTask(order_id=order.id, department=d) for d in Department}
    w.session.add_all([*items, *tasks.values()])
    notified, missing = [], []
    target = target_of(order)
    for department in Department:
        holders = holding[DEPARTMENT_ROLE[department]]
        (notified if holders else missing).append(department)
        if holders and target is not None:
            w.notify(target, msg.instruction(department, order, items), mentions=holders, subject=number)
    w.reply(msg.registered(order, notified, missing, match.created), subject=number)
    return OrderView(order, items, tasks)


def _item_rows(order: Order, items: tuple[Item, ...]) -> list[OrderItem]:
    return [
        OrderItem(order_id=order.id, line=i, name=it.name, quantity=it.quantity, unit=it.unit,
                  unit_price_fen=it.unit_price_fen)
        for i, it in enumerate(items, start=1)
    ]


def _ensure_open(order: Order) -> None:
    if order.stage == Stage.cancelled:
        raise DomainError(msg.order_cancelled(order))


async def answer_task(
    w: Work, number: str, department: Department, *, state: TaskState, note: str | None = None,
    action: str, quiet: bool = False,
) -> OrderView:
    """A department's answer: done or a problem. A repeated 完成 is acknowledged and changes nothing."""
    await roster.require(w.session, w.actor, DEPARTMENT_ROLE[department])
    order = await load(w.session, number)
    _ensure_open(order)
    current = await view(w.session, order)
    task = current.tasks[department]
    if state == TaskState.done and task.state == TaskState.done:
        who = (await roster.names(w.session, [task.actor_qq])).get(task.actor_qq, "") if task.actor_qq else ""
        w.reply(msg.task_already_done(order, task, who or A_COLLEAGUE), subject=number)
        return current
    task.state, task.note = state, note
    task.actor_qq = w.actor.qq if w.actor else None
    task.answered_at = clock.now()
    order.updated_at = task.answered_at
    w.audit(action, number, note or "")
    if state == TaskState.problem:
        await notify_roles(w, order, msg.task_problem(order, department, note or msg.NOT_SAID), Role.cs)
    elif not quiet:
        w.reply(msg.task_done(order, department), subject=number)
    if state == TaskState.done and department == Department.workshop:
        # regulation: logistics follows the workshop's stocking, to have a vehicle ready for the goods
        vehicle = current.tasks.get(Department.logistics)
        await notify_roles(w, order, msg.stocked(order, vehicle is not None and vehicle.state == TaskState.done),
                           Role.logistics)
    await refresh_stage(w, current)
    return current


def _reopen(task: OrderTask) -> None:
    task.state, task.note, task.answered_at, task.actor_qq = TaskState.pending, None, None, None
    task.asked_at, task.reminders = clock.now(), 0


def sync_prepaid_task(w: Work, current: OrderView) -> None:
    """款到发货: the 财务 款项 task is done exactly while the payments cover the amount (after money moved, or
    after /改单 of 金额 or 付款方式); for 货到付款 and 月结 it waits for /放行 and is left alone here."""
    order, task = current.order, current.tasks.get(Department.finance)
    if order.payment != PaymentMethod.prepaid or order.stage == Stage.cancelled or task is None:
        return
    covered = order.paid_fen >= order.amount_fen
    if covered and task.state != TaskState.done:
        task.state, task.note = TaskState.done, None
        task.actor_qq = w.actor.qq if w.actor else None
        task.answered_at = clock.now()
    elif not covered and task.state == TaskState.done:
        _reopen(task)


async def refresh_stage(w: Work, current: OrderView) -> None:
    """Open or close the gate after anything it depends on changed, and tell cs when it opens."""
    order = current.order
    reasons = gate.unmet(order, current.tasks.values())
    if order.stage == Stage.processing and not reasons:
        move(w, order, Stage.ready, action="可开单")
        await notify_roles(w, order, msg.gate_open(order), Role.cs)
    elif order.stage == Stage.ready and reasons:
        move(w, order, Stage.processing, action="退回处理中", detail="；".join(reasons))
        await notify_roles(w, order, msg.gate_closed(order, reasons), Role.cs)


async def change(w: Work, number: str, fields: dict[str, object]) -> tuple[OrderView, list[str]]:
    """/改单: apply the changed fields, re-open the answers they invalidate, tell who must know."""
    await roster.require(w.session, w.actor, *CHANGE_ROLES)
    order = await load(w.session, number)
    if order.stage not in stages.BEFORE_SHIPPING:
        raise DomainError(msg.too_late_to_change(number, order.stage))
    if order.stage == Stage.slipped and (fixed := [msg.FIELD_LABELS[f] for f in fields if f in SLIP_FIELDS]):
        raise DomainError(msg.fixed_by_slip(number, fixed))
    current = await view(w.session, order)
    with w.because(order, "改单") as reason:
        await _apply(w, current, fields, reason)
    lines = [msg.change_line(change) for change in reason.changes()]
    if not lines:
        raise DomainError(msg.no_change(number))
    reopened = {d for f in fields for d in REOPENS.get(f, ())}
    for department in reopened:
        _reopen(current.tasks[department])
    if Department.finance in reopened:
        sync_prepaid_task(w, current)
    concerned = {d for f in fields for d in FIELD_DEPARTMENTS.get(f, ())}
    for department in Department:
        if department in concerned:
            text = msg.changed(order, lines, department)
            if department in reopened and current.tasks[department].state != TaskState.done:
                text += "\n" + msg.instruction(department, order, current.items).split("\n")[-1]
            await notify_roles(w, order, text, DEPARTMENT_ROLE[department])
    await refresh_stage(w, current)
    w.reply(msg.change_reply(number, lines), subject=number)
    return current, lines


async def _apply(w: Work, current: OrderView, fields: dict[str, object], reason: tracking.Reason) -> None:
    """Set the fields; the order's tracking records what changed (the items, rows of their own, are stated)."""
    order = current.order
    for name, value in fields.items():
        if name == "customer":
            match = await archive.find_or_create(w.session, str(value))
            order.customer_id, order.customer_name = match.customer.id, match.customer.name
        elif name == "items":
            new_items = _item_rows(order, value)  # type: ignore[arg-type]
            old, new = msg.items_text(current.items, prices=True), msg.items_text(new_items, prices=True)
            if old != new:
                for item in current.items:
                    await w.session.delete(item)
                w.session.add_all(new_items)
                current.items = new_items
                reason.state("items", old, new)
        else:
            setattr(order, name, value)
    order.updated_at = clock.now()


async def cancel(w: Work, number: str, reason: str) -> Order:
    """/撤单: before shipping only; every department hears of it. A slip already issued is void (作废), and
    money already received stays with the customer as a balance that finance refunds or transfers."""
    await roster.require(w.session, w.actor, *CHANGE_ROLES)
    if not reason.strip():
        raise DomainError(msg.NEED_CANCEL_REASON)
    order = await load(w.session, number)
    if order.stage == Stage.cancelled:
        raise DomainError(msg.already_cancelled(order))
    if order.stage not in stages.BEFORE_SHIPPING:
        raise DomainError(msg.cancel_after_shipping(order))
    detail = msg.cancel_detail(order, reason)
    with w.because(order, "撤单", detail):
        order.cancelled_reason = reason
        order.cancelled_at = clock.now()
        move(w, order, Stage.cancelled)
    await notify_roles(w, order, msg.cancelled(order, reason), *DEPARTMENT_ROLE.values())
    w.reply(msg.cancel_reply(order), subject=number)
    return order


def receivable_due_at_slip(order: Order, slipped: date) -> date | None:
    """SPEC §4: the receivable starts at the slip. 款到发货 owes at once (unpaid only when the slip was forced);
    货到付款 and 月结 get their due date at delivery."""
    return slipped if order.payment == PaymentMethod.prepaid else None


def receivable_due_on_delivery(order: Order, delivered: date, credit_days: int) -> date:
    """SPEC §4: 款到发货 stays due from the slip; 货到付款 is due on delivery; 月结 after the credit days."""
    if order.payment == PaymentMethod.prepaid and order.receivable_due:
        return order.receivable_due
    if order.payment == PaymentMethod.monthly:
        return delivered + timedelta(days=credit_days)
    return delivered


async def credit_days_of(session: AsyncSession, order: Order, default_days: int) -> int:
    customer = await session.get(Customer, order.customer_id)
    return customer.credit_days if customer and customer.credit_days is not None else default_days


def settle_if_covered(w: Work, order: Order) -> bool:
    """已到货 and fully paid → 已结清; a reversal that uncovers a settled order re-opens it. Call after
    anything that changes ``paid_fen`` or delivers the order."""
    if order.stage == Stage.delivered and order.paid_fen >= order.amount_fen:
        order.settled_at = clock.now()
        move(w, order, Stage.settled, action="结清")
        return True
    if order.stage == Stage.settled and order.paid_fen < order.amount_fen:
        order.settled_at = None
        move(w, order, Stage.delivered, action="重新挂账", detail=f"未收 {format_fen(order.outstanding_fen)} 元")
    return False


# ---------------------------------------------------------------- facts other features record on the order
# Logistics and finance change an order only through these (tests/test_architecture.py checks it).


def touch(order: Order, at: datetime | None = None) -> None:
    """Something about the order changed elsewhere (its vehicle, its COD): it counts as updated."""
    order.updated_at = at or clock.now()


def apply_payment(order: Order, amount_fen: int) -> None:
    """Money booked on the order's ledger; negative for a reversal, a refund or a transfer out."""
    order.paid_fen += amount_fen
    touch(order)


def mark_shipped(w: Work, order: Order, detail: str) -> None:
    order.shipped_at = clock.now()
    move(w, order, Stage.shipped, action="发货", detail=detail)


async def mark_delivered(w: Work, order: Order, default_credit_days: int) -> None:
    """→ 已到货, and the receivable falls due (SPEC §4)."""
    with w.because(order, "到货"):
        order.delivered_at = clock.now()
        move(w, order, Stage.delivered)
        credit_days = await credit_days_of(w.session, order, default_credit_days)
        order.receivable_due = receivable_due_on_delivery(order, clock.local(order.delivered_at).date(), credit_days)


def flag_exception(order: Order, note: str | None) -> str | None:
    """Set the 异常 flag's description (``None`` clears it); returns the one it replaces."""
    old, order.exception_note = order.exception_note, note
    touch(order)
    return old
