"""Escalations (SPEC §7): who is @-mentioned again when something waits too long.

Run every minute (by each bot process; they cannot double up):

* a department task 待回复 on an order not yet shipped, unanswered for ``XIETONG_ESCALATE_AFTER`` of
  working time since it was asked (``OrderTask.asked_at``) → that department again, with the order;
  after ``XIETONG_ESCALATE_DIRECTOR_AFTER`` → the department and the director. ``OrderTask.reminders``
  records the step reached (row-locked while it changes), and each message also carries a dedupe key
  ``escalate:D261126-001:车间:1:<asked>`` so a step is posted once per asking; a task asked again
  (``/改单`` re-opens it, resetting ``asked_at`` and ``reminders``) starts over. When the bot was down
  past both steps it posts the higher one only;
* shipped and not delivered after ``XIETONG_TRANSIT_DAYS`` days → logistics, once per order;
* shipped and cs has not recorded /已通知 after ``XIETONG_ESCALATE_AFTER`` → cs, once per order;
* a complaint open more than 3 days → cs, once per ticket.

Escalations are posted only in working time: something that becomes late at night is raised when work
starts. Each goes to the order's group (the first of ``XIETONG_GROUPS`` when it has none).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from xietong.core import roster
from xietong.core.clock import LOCAL_TZ
from xietong.core.db import database
from xietong.core.outbox import Target
from xietong.core.roles import Role
from xietong.core.work import Work, work
from xietong.customers.complaints import complaints_needing_reminder
from xietong.orders.access import DEPARTMENT_ROLE
from xietong.orders.enums import Stage, TaskState
from xietong.orders.messages import DEPARTMENT_ASKS, TASK_NAMES
from xietong.orders.models import Order, OrderTask
from xietong.orders.slip import needs_customer_notice
from xietong.orders.stages import BEFORE_SHIPPING

from . import messages as msg
from .announce import Post, claimed_keys, post_once
from .workdays import WorkCalendar

log = logging.getLogger("xietong.scheduling")

COMPLAINT_AFTER = timedelta(days=3)


@dataclass(frozen=True)
class Rules:
    after: timedelta = timedelta(hours=2)
    director_after: timedelta = timedelta(hours=4)
    transit_days: int = 5
    complaint_after: timedelta = COMPLAINT_AFTER

    @classmethod
    def from_settings(cls, settings) -> Rules:
        return cls(
            after=settings.xietong_escalate_after,
            director_after=settings.xietong_escalate_director_after,
            transit_days=settings.xietong_transit_days,
        )

    def step(self, waited: timedelta) -> int:
        """0: not yet; 1: the department again; 2: the director too."""
        if waited >= self.director_after:
            return 2
        if waited >= self.after:
            return 1
        return 0


def _target(order: Order, fallback: Target | None) -> Target | None:
    return Target.group(order.group_id) if order.group_id else fallback


def _ask(order: Order, task: OrderTask) -> str:
    ask = DEPARTMENT_ASKS[task.department]
    if isinstance(ask, dict):
        ask = ask[order.payment]
    return ask.format(number=order.number)


def _minutes(value: timedelta) -> timedelta:
    return timedelta(minutes=int(value.total_seconds() // 60))


async def escalate(now: datetime, rules: Rules, calendar: WorkCalendar, fallback: Target | None) -> list[str]:
    """One round: post every escalation due now; return their keys."""
    if not calendar.is_working_time(now):
        return []
    posted: list[str] = []
    posted += await _tasks(now, rules, calendar, fallback)
    posted += await _in_transit(now, rules, fallback)
    posted += await _not_notified(now, rules, fallback)
    posted += await _complaints(now, rules, fallback)
    return posted


async def _tasks(now: datetime, rules: Rules, calendar: WorkCalendar, fallback: Target | None) -> list[str]:
    async with database().session() as session:
        rows = (
            await session.execute(
                select(OrderTask.id, OrderTask.asked_at, OrderTask.reminders)
                .join(Order, Order.id == OrderTask.order_id)
                .where(
                    OrderTask.state == TaskState.pending,
                    OrderTask.reminders < 2,
                    Order.stage.in_(BEFORE_SHIPPING),
                )
                .order_by(OrderTask.id)
            )
        ).all()
    posted = []
    for task_id, asked_at, reminders in rows:
        if rules.step(calendar.working_time_between(asked_at, now)) > reminders:
            key = await _escalate_task(task_id, now, rules, calendar, fallback)
            if key:
                posted.append(key)
    return posted


async def _escalate_task(
    task_id: int, now: datetime, rules: Rules, calendar: WorkCalendar, fallback: Target | None
) -> str | None:
    try:
        async with work() as w:
            task = await w.session.scalar(select(OrderTask).where(OrderTask.id == task_id).with_for_update())
            order = await w.session.get(Order, task.order_id) if task else None
            if task is None or order is None or task.state != TaskState.pending or order.stage not in BEFORE_SHIPPING:
                return None
            waited = calendar.working_time_between(task.asked_at, now)
            step = rules.step(waited)
            if step <= task.reminders:
                return None  # another process got here first
            task.reminders = step
            department = task.department
            key = (
                f"escalate:{order.number}:{department.value}:{step}:"
                f"{task.asked_at.astimezone(LOCAL_TZ):%y%m%d%H%M%S}"
            )
            w.audit("催办", order.number, f"{TASK_NAMES[department]}" + ("，并请主任协调" if step == 2 else ""))
            target = _target(order, fallback)
            if target is None:
                return None
            mentions = await roster.holders(w.session, DEPARTMENT_ROLE[department])
            if step == 2:
                mentions += await roster.holders(w.session, Role.director)
            word = msg.task_overdue_director if step == 2 else msg.task_overdue
            text = word(order.number, order.customer_name, TASK_NAMES[department], _minutes(waited), _ask(order, task))
            w.notify(target, text, mentions=mentions, subject=order.number, dedupe_key=key)
            await w.session.flush()
    except IntegrityError:
        return None
    return key


async def _once(key: str, target: Target | None, post: Post, audit: tuple[str, str, str]) -> str | None:
    if target is None:
        return None

    async def build(w: Work) -> list[Post]:
        w.audit(*audit)
        return [post]

    return key if await post_once(key, target, build) is not None else None


async def _in_transit(now: datetime, rules: Rules, fallback: Target | None) -> list[str]:
    async with database().session() as session:
        orders = (
            await session.scalars(
                select(Order)
                .where(Order.stage == Stage.shipped, Order.shipped_at <= now - timedelta(days=rules.transit_days))
                .order_by(Order.id)
            )
        ).all()
        done = await claimed_keys(session, [f"transit:{o.number}" for o in orders])
        logistics = tuple(await roster.holders(session, Role.logistics))
    posted = []
    for order in orders:
        if f"transit:{order.number}" in done:
            continue
        text = msg.in_transit(order.number, order.customer_name, order.shipped_at, rules.transit_days)
        key = await _once(
            f"transit:{order.number}",
            _target(order, fallback),
            Post(text, logistics, subject=order.number),
            (msg.ESCALATED, order.number, msg.transit_overdue(rules.transit_days)),
        )
        if key:
            posted.append(key)
    return posted


async def _not_notified(now: datetime, rules: Rules, fallback: Target | None) -> list[str]:
    async with database().session() as session:
        orders = (
            await session.scalars(
                select(Order)
                .where(Order.stage == Stage.shipped, Order.customer_notified_at.is_(None))
                .order_by(Order.id)
            )
        ).all()
        done = await claimed_keys(session, [f"notice:{o.number}" for o in orders])
        cs = tuple(await roster.holders(session, Role.cs))
    posted = []
    for order in orders:
        if f"notice:{order.number}" in done or not needs_customer_notice(order, now, rules.after):
            continue
        key = await _once(
            f"notice:{order.number}",
            _target(order, fallback),
            Post(msg.customer_notice(order.number, order.customer_name, order.shipped_at), cs, subject=order.number),
            (msg.ESCALATED, order.number, msg.CUSTOMER_NOT_TOLD),
        )
        if key:
            posted.append(key)
    return posted


async def _complaints(now: datetime, rules: Rules, fallback: Target | None) -> list[str]:
    async with database().session() as session:
        complaints = await complaints_needing_reminder(session, now, older_than=rules.complaint_after)
        done = await claimed_keys(session, [f"complaint:{c.number}" for c in complaints])
        cs = tuple(await roster.holders(session, Role.cs))
    posted = []
    for complaint in complaints:
        if f"complaint:{complaint.number}" in done:
            continue
        target = Target.group(complaint.group_id) if complaint.group_id else fallback
        text = msg.complaint_open(
            complaint.number, complaint.customer_name, complaint.content, complaint.opened_at, rules.complaint_after
        )
        key = await _once(
            f"complaint:{complaint.number}",
            target,
            Post(text, cs, subject=complaint.number),
            (msg.ESCALATED, complaint.number, msg.complaint_overdue(rules.complaint_after.days)),
        )
        if key:
            posted.append(key)
    return posted
