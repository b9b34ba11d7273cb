"""Read-only views: /订单 (the whole truth of one order), /看板, /待办."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core import clock
from xietong.core.clock import fmt_local
from xietong.core.models import AuditEvent, Member
from xietong.core.numbers import format_fen
from xietong.core.roles import Role

from . import messages as msg
from .enums import Department, Stage, TaskState
from .models import Order, OrderTask
from .service import load, view

BOARD_LINES_PER_STAGE = 15

# Flags beside the stage that other plugins know about (finance: 逾期). Each gets the orders shown.
FlagProvider = Callable[[AsyncSession, list[Order]], Awaitable[dict[int, list[str]]]]
flag_providers: list[FlagProvider] = []

# Extra sections of /待办 that other plugins add for a role (finance: receivables; logistics: shipments).
TodoProvider = Callable[[AsyncSession, int], Awaitable[list[str]]]
todo_providers: dict[Role, list[TodoProvider]] = {}


def add_todo(role: Role, provider: TodoProvider) -> None:
    todo_providers.setdefault(role, []).append(provider)


async def flags_for(session: AsyncSession, orders: list[Order]) -> dict[int, list[str]]:
    flags: dict[int, list[str]] = {}
    for provider in flag_providers:
        for order_id, marks in (await provider(session, orders)).items():
            flags.setdefault(order_id, []).extend(marks)
    return flags


async def timeline(session: AsyncSession, subject: str) -> list[tuple[datetime, str, str, str]]:
    rows = await session.execute(
        select(
            AuditEvent.at, Member.name, AuditEvent.actor_qq, AuditEvent.action, AuditEvent.detail, AuditEvent.changes
        )
        .outerjoin(Member, Member.qq == AuditEvent.actor_qq)
        .where(AuditEvent.subject == subject)
        .order_by(AuditEvent.id)
    )
    return [
        (at, name or (str(qq) if qq else "系统"), action, msg.event_detail(detail, changes))
        for at, name, qq, action, detail, changes in rows
    ]


async def order_card(session: AsyncSession, number: str) -> str:
    order = await load(session, number, lock=False)
    current = await view(session, order)
    flags = (await flags_for(session, [order])).get(order.id, [])
    paid = f"，已收 {format_fen(order.paid_fen)}" if order.paid_fen else ""
    lines = [
        f"订单 {order.number}{msg.stage_label(order, flags)}",
        f"客户：{order.customer_name}",
        f"明细：{msg.items_text(current.items, prices=True)}",
        f"金额：{format_fen(order.amount_fen)} 元（{order.payment.value}{paid}）",
        f"收货：{order.consignee} {order.phone} {order.address}",
    ]
    extras = [
        f"包装：{order.packaging}" if order.packaging else "",
        f"交期：{order.due_date:%Y-%m-%d}" if order.due_date else "",
        f"备注：{order.note}" if order.note else "",
    ]
    lines.extend(e for e in extras if e)
    if order.slip_number:
        forced = f"，强制：{order.slip_forced_reason}" if order.slip_forced_reason else ""
        lines.append(f"销售单：{order.slip_number}（{fmt_local(order.slip_at)}{forced}）")
    if order.exception_note:
        lines.append(f"异常：{order.exception_note}")
    if order.cancelled_reason:
        lines.append(f"撤单原因：{order.cancelled_reason}")
    lines.extend(msg.task_line(t, current.names.get(t.actor_qq)) for d, t in sorted(current.tasks.items(), key=_dept_order))
    lines.append("—— 经过 ——")
    for at, who, action, detail in await timeline(session, order.number):
        lines.append(f"{fmt_local(at)} {who} {action}" + (f"：{detail}" if detail and action != "接单" else ""))
    return "\n".join(lines)


def _dept_order(item: tuple[Department, OrderTask]) -> int:
    return list(Department).index(item[0])


async def board(session: AsyncSession) -> str:
    """Open orders by stage, each with what it waits for.

    Counted in the database, and only the orders shown (the first of each stage) are loaded: the open
    book of a large company is thousands of orders, and /看板 must not read them all."""
    counts = await stage_counts(session)
    if not sum(counts.values()):
        return "看板：没有未完结的订单。"
    shown = {
        stage: (
            await session.scalars(
                select(Order).where(Order.stage == stage).order_by(Order.id).limit(BOARD_LINES_PER_STAGE)
            )
        ).all()
        for stage in msg.STAGE_ORDER
        if counts.get(stage)
    }
    waiting_on = await open_tasks(session, [o.id for o in shown.get(Stage.processing, [])])
    flags = await flags_for(session, [order for orders in shown.values() for order in orders])
    lines = [f"看板：未完结 {sum(counts.values())} 单"]
    for stage, in_stage in shown.items():
        lines.append(f"【{stage.value}】{counts[stage]} 单")
        for order in in_stage:
            waiting = waiting_on.get(order.id, []) if stage == Stage.processing else []
            marks = marks_of(order, flags)
            lines.append(
                f"  {order.number} {order.customer_name} {format_fen(order.amount_fen)}元"
                + (f" 待{'、'.join(waiting)}" if waiting else "")
                + (f" [{' '.join(marks)}]" if marks else "")
            )
        if counts[stage] > BOARD_LINES_PER_STAGE:
            lines.append(f"  …另有 {counts[stage] - BOARD_LINES_PER_STAGE} 单")
    return "\n".join(lines)


ASSISTANT_TODO_LINES = 30
WAITING_ON = {Stage.ready: "待客服开单", Stage.slipped: "待物流发货", Stage.shipped: "待确认到货"}


async def waiting_todo(session: AsyncSession, qq: int) -> list[str]:
    """An assistant's /待办 (协助客户服务经理跟单): the orders waiting on someone, oldest first, and on whom."""
    stages = [Stage.processing, *WAITING_ON]
    total = await session.scalar(select(func.count()).select_from(Order).where(Order.stage.in_(stages)))
    orders = (
        await session.execute(
            select(Order.id, Order.number, Order.customer_name, Order.stage, Order.created_at)
            .where(Order.stage.in_(stages)).order_by(Order.id).limit(ASSISTANT_TODO_LINES)
        )
    ).all()
    tasks = await open_tasks(session, [oid for oid, _, _, stage, _ in orders if stage == Stage.processing])
    today = clock.today()
    lines = []
    for oid, number, customer, stage, created in orders:
        waiting = f"待{'、'.join(tasks[oid])}" if oid in tasks else WAITING_ON.get(stage, f"【{stage.value}】")
        days = (today - clock.local(created).date()).days
        lines.append(f"  {number} {customer} {waiting}" + (f"（接单 {days} 天）" if days else ""))
    if (total or 0) > len(orders):
        lines.append(f"  …另有 {total - len(orders)} 单，见 /看板")
    return lines


async def stage_counts(session: AsyncSession) -> dict[Stage, int]:
    """Open orders per stage, counted in the database (/看板 and the console's board)."""
    rows = await session.execute(
        select(Order.stage, func.count()).where(Order.stage.in_(msg.STAGE_ORDER)).group_by(Order.stage)
    )
    return dict(rows.all())


def marks_of(order: Order, flags: dict[int, list[str]]) -> list[str]:
    """The flags beside an order on the board: the providers' (逾期) and 异常."""
    return flags.get(order.id, []) + (["异常"] if order.exception_note else [])


async def open_tasks(session: AsyncSession, order_ids: list[int]) -> dict[int, list[str]]:
    """What each order still waits for: the departments whose task is not done."""
    rows = await session.execute(
        select(OrderTask.order_id, OrderTask.department, OrderTask.state).where(
            OrderTask.order_id.in_(order_ids), OrderTask.state != TaskState.done
        ).order_by(OrderTask.order_id, OrderTask.id)  # departments in the order their tasks were opened
    )
    waiting: dict[int, list[str]] = {}
    for order_id, department, state in rows:
        word = department.value + ("（有问题）" if state == TaskState.problem else "")
        waiting.setdefault(order_id, []).append(word)
    return waiting


OPEN_TASK_STATES = tuple(state for state in TaskState if state != TaskState.done)
ROLE_TASKS = {Role.workshop: Department.workshop, Role.finance: Department.finance, Role.logistics: Department.logistics}


async def todos(session: AsyncSession, qq: int, roles: set[Role]) -> str:
    """/待办: the caller's open work, by role."""
    sections: list[str] = []
    for role in Role:
        if role not in roles:
            continue
        lines: list[str] = []
        if role in ROLE_TASKS:
            lines += await _department_todo(session, ROLE_TASKS[role])
        if role == Role.cs:
            lines += await _cs_todo(session)
        for provider in todo_providers.get(role, []):
            lines += await provider(session, qq)
        if lines:
            sections.append(f"【{role.label}】\n" + "\n".join(lines))
    if not roles:
        return "你还没有岗位，没有待办。请主任 /设岗。"
    return "\n".join(sections) if sections else "没有待办，辛苦了。"


async def _department_todo(session: AsyncSession, department: Department) -> list[str]:
    rows = await session.execute(
        select(Order.number, Order.customer_name, OrderTask.state, OrderTask.note)
        .join(OrderTask, OrderTask.order_id == Order.id)
        .where(
            OrderTask.department == department,
            OrderTask.state.in_(OPEN_TASK_STATES),  # not "!= done": that reads the department's whole history
            Order.stage.in_(msg.STAGE_ORDER),
        )
        .order_by(Order.id)
    )
    return [
        f"  {number} {customer} {msg.TASK_NAMES[department]}" + (f"（有问题：{note}）" if state == TaskState.problem else "")
        for number, customer, state, note in rows
    ]


async def _cs_todo(session: AsyncSession) -> list[str]:
    ready = (await session.scalars(select(Order.number).where(Order.stage == Stage.ready).order_by(Order.id))).all()
    problems = await session.execute(
        select(Order.number, OrderTask.department, OrderTask.note)
        .join(OrderTask, OrderTask.order_id == Order.id)
        .where(
            OrderTask.department.in_(list(Department)),  # lets the (department, state) index find them
            OrderTask.state == TaskState.problem,
            Order.stage.in_(msg.STAGE_ORDER),
        )
        .order_by(Order.id)
    )
    lines = [f"  {number} 可开单：/开单 {number}" for number in ready]
    lines += [f"  {number} {d.value}有问题：{note}" for number, d, note in problems]
    return lines
