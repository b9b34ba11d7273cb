"""The gate (可开单) as a pure function of the order and its tasks (SPEC §3, regulation step 3).

Workshop done, and finance done: for 款到发货 the confirmed payments cover the amount; for
货到付款 and 月结 finance has released the order.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import messages as msg
from .enums import Department, PaymentMethod, TaskState
from .models import Order, OrderTask


def unmet(order: Order, tasks: Iterable[OrderTask]) -> list[str]:
    """Every condition still missing, in plain words; empty when the slip may be issued."""
    by_department = {Department(t.department): t for t in tasks}
    problems = []
    workshop = by_department.get(Department.workshop)
    if workshop is None or workshop.state != TaskState.done:
        problems.append(_workshop_words(workshop))
    finance = by_department.get(Department.finance)
    if order.payment == PaymentMethod.prepaid:
        if order.paid_fen < order.amount_fen:
            problems.append(msg.not_paid(order.paid_fen, order.amount_fen))
    elif finance is None or finance.state != TaskState.done:
        problems.append(_finance_words(finance))
    return problems


def holds(order: Order, tasks: Iterable[OrderTask]) -> bool:
    return not unmet(order, tasks)


def _workshop_words(task: OrderTask | None) -> str:
    if task is not None and task.state == TaskState.problem:
        return msg.workshop_short(task.note)
    return msg.WORKSHOP_NOT_DONE


def _finance_words(task: OrderTask | None) -> str:
    if task is not None and task.state == TaskState.problem:
        return msg.finance_problem(task.note)
    return msg.FINANCE_NOT_RELEASED
