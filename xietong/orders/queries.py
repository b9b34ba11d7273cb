"""Read-only views: /订单 (the whole truth of one order), /看板, /待办."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy import bindparam, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core import clock
from xietong.core.errors import NotFound
from xietong.core.messages import SYSTEM
from xietong.core.models import AuditEvent, Member
from xietong.core.roles import Role

from . import messages as msg
from .enums import Department, Stage, TaskState
from .models import Order, OrderItem, OrderTask

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


# /订单's statements, built once and in Core where no ORM object is needed (rows as tuples, no ORM execution
# set-up: BENCHMARKS.md, Round 3 part 2). The order itself stays an ORM object: the flag providers and the card's
# words read its properties (outstanding_fen, receivable_due), as the items' (label).
_ORDER_WITH_ITEMS = (
    select(Order, OrderItem).outerjoin(OrderItem, OrderItem.order_id == Order.id)
    .where(Order.number == bindparam("number")).order_by(OrderItem.line)
)
_task, _member, _event = OrderTask.__table__.c, Member.__table__.c, AuditEvent.__table__.c
_TASKS = (
    select(_task.department, _task.state, _task.actor_qq, _task.answered_at, _task.note, _member.qq, _member.name)
    .select_from(OrderTask.__table__.outerjoin(Member.__table__, _member.qq == _task.actor_qq))
    .where(_task.order_id == bindparam("order_id"))
)
_TIMELINE = (
    select(_event.at, _member.name, _event.actor_qq, _event.action, _event.detail, _event.changes)
    .select_from(AuditEvent.__table__.outerjoin(Member.__table__, _member.qq == _event.actor_qq))
    .where(_event.subject == bindparam("subject"))
    .order_by(_event.id)
)


async def timeline(session: AsyncSession, subject: str) -> list[tuple[datetime, str, str, str]]:
    rows = await session.execute(_TIMELINE, {"subject": subject})
    return [
        (at, name or (str(qq) if qq else SYSTEM), action, msg.event_detail(detail, changes))
        for at, name, qq, action, detail, changes in rows
    ]


async def order_card(session: AsyncSession, number: str) -> str:
    """The whole truth of one order in three statements: the order with its items, its departments' tasks
    with who answered, its timeline."""
    rows = (await session.execute(_ORDER_WITH_ITEMS, {"number": number})).all()
    if not rows:
        raise NotFound(msg.no_order(number))
    order = rows[0][0]
    items = [item for _, item in rows if item is not None]
    flags = (await flags_for(session, [order])).get(order.id, [])
    lines = msg.order_card(order, flags, items)
    tasks = (await session.execute(_TASKS, {"order_id": order.id})).all()
    for task in sorted(tasks, key=_dept_order):
        who = (task.name or str(task.qq)) if task.qq is not None else None
        lines.append(msg.task_line(task, who))
    lines.append(msg.TIMELINE_HEAD)
    for at, who, action, detail in await timeline(session, order.number):
        lines.append(msg.timeline_line(at, who, action, detail))
    return "\n".join(lines)


_DEPARTMENTS = list(Department)


def _dept_order(task: OrderTask) -> int:
    return _DEPARTMENTS.index(Department(task.department))


async def board(session: AsyncSession) -> str:
    """Open orders by stage, each with what it waits for.

    Counted in the database, and only the orders shown (the first of each stage) are loaded: the open
    book of a large company is thousands of orders, and /看板 must not read them all."""
    counts = await stage_counts(session)
    if not sum(counts.values()):
        return msg.NO_ORDERS_OPEN
    shown: dict[Stage, list[Order]] = {stage: [] for stage in msg.STAGE_ORDER if counts.get(stage)}
    for order in await session.scalars(_SHOWN):
        shown[order.stage].append(order)
    waiting_on = await open_tasks(session, [o.id for o in shown.get(Stage.processing, [])])
    flags = await flags_for(session, [order for orders in shown.values() for order in orders])
    lines = [msg.board_head(sum(counts.values()))]
    for stage, in_stage in shown.items():
        lines.append(msg.board_stage(stage, counts[stage]))
        for order in in_stage:
            waiting = waiting_on.get(order.id, []) if stage == Stage.processing else []
            lines.append(msg.board_line(order, waiting, marks_of(order, flags)))
        if counts[stage] > BOARD_LINES_PER_STAGE:
            lines.append(msg.more_orders(counts[stage] - BOARD_LINES_PER_STAGE))
    return "\n".join(lines)


ASSISTANT_TODO_LINES = 30


async def waiting_todo(session: AsyncSession, qq: int) -> list[str]:
    """An assistant's /待办 (协助客户服务经理跟单): the orders waiting on someone, oldest first, and on whom."""
    stages = [Stage.processing, *msg.WAITING_ON]
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
        days = (today - clock.local(created).date()).days
        lines.append(msg.waiting_line(number, customer, stage, tasks.get(oid), days))
    if (total or 0) > len(orders):
        lines.append(msg.more_waiting(total - len(orders)))
    return lines


_order = Order.__table__.c
_STAGE_COUNTS = select(_order.stage, func.count()).where(_order.stage.in_(msg.STAGE_ORDER)).group_by(_order.stage)
# The first orders of each open stage in one statement, built once: each stage's part reads its first lines
# from ix_order_stage (at a million orders, no open stage is read whole).
_FIRST_OF_EACH_STAGE = union_all(*(
    select(part.c.id) for part in (
        select(_order.id).where(_order.stage == stage).order_by(_order.id).limit(BOARD_LINES_PER_STAGE).subquery()
        for stage in msg.STAGE_ORDER
    )
))
_SHOWN = select(Order).where(Order.id.in_(_FIRST_OF_EACH_STAGE)).order_by(Order.id)


async def stage_counts(session: AsyncSession) -> dict[Stage, int]:
    """Open orders per stage, counted in the database (/看板 and the console's board)."""
    return dict((await session.execute(_STAGE_COUNTS)).all())


def marks_of(order: Order, flags: dict[int, list[str]]) -> list[str]:
    """The flags beside an order on the board: the providers' (逾期) and 异常."""
    return flags.get(order.id, []) + ([msg.EXCEPTION_MARK] if order.exception_note else [])


_OPEN_TASKS = (
    select(_task.order_id, _task.department, _task.state)
    .where(_task.order_id.in_(bindparam("order_ids", expanding=True)), _task.state != TaskState.done)
    .order_by(_task.order_id, _task.id)  # departments in the order their tasks were opened
)


async def open_tasks(session: AsyncSession, order_ids: list[int]) -> dict[int, list[str]]:
    """What each order still waits for: the departments whose task is not done."""
    rows = await session.execute(_OPEN_TASKS, {"order_ids": order_ids})
    waiting: dict[int, list[str]] = {}
    for order_id, department, state in rows:
        waiting.setdefault(order_id, []).append(msg.open_task(department, state))
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
            sections.append(msg.todo_section(role.label, lines))
    if not roles:
        return msg.NO_POST_NO_TODO
    return "\n".join(sections) if sections else msg.NOTHING_TO_DO


_DEPARTMENT_TODO = (
    select(_order.number, _order.customer_name, _task.state, _task.note)
    .select_from(Order.__table__.join(OrderTask.__table__, _task.order_id == _order.id))
    .where(
        _task.department == bindparam("department", type_=OrderTask.__table__.c.department.type),
        _task.state.in_(OPEN_TASK_STATES),  # not "!= done": that reads the department's whole history
        _order.stage.in_(msg.STAGE_ORDER),
    )
    .order_by(_order.id)
)


async def _department_todo(session: AsyncSession, department: Department) -> list[str]:
    rows = await session.execute(_DEPARTMENT_TODO, {"department": department})
    return [
        msg.task_todo(number, customer, department, state, note)
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
    lines = [msg.ready_todo(number) for number in ready]
    lines += [msg.problem_todo(number, d, note) for number, d, note in problems]
    return lines
