"""Standard five-field crontab, read the way crontab(5) does, as APScheduler triggers in Asia/Shanghai.

Day-of-week numbers follow crontab (0 or 7 = Sunday, 1 = Monday); APScheduler 3 counts from
Monday = 0, so numbers are translated to names before APScheduler sees them.
"""

from __future__ import annotations

import re

from apscheduler.triggers.cron import CronTrigger

from . import messages
from .clock import LOCAL_TZ

DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def split_crontab(expr: str) -> tuple[str, str, str, str, str]:
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(messages.cron_fields(len(fields)))
    minute, hour, day, month, dow = fields
    return minute, hour, day, month, dow


def _dow_numbers(part: str) -> set[int]:
    """One comma part of a crontab day-of-week field as numbers, Sunday = 0."""
    names = {name: i for i, name in enumerate(DAY_NAMES)}

    def number(token: str) -> int:
        token = token.strip().lower()
        value = names[token[:3]] if token[:3] in names else int(token)
        if not 0 <= value <= 7:
            raise ValueError(messages.bad_weekday(token))
        return value % 7

    span, _, step_text = part.partition("/")
    step = int(step_text) if step_text else 1
    if span == "*":
        first, last = 0, 6
    elif "-" in span:
        a, b = span.split("-", 1)
        first, last = number(a), number(b)
        if b.strip() == "7":
            last = 7
    else:
        first = number(span)
        last = 6 if step_text else first
    if last < first:
        last += 7  # fri-mon wraps round the week
    return {value % 7 for value in range(first, last + 1, step)}


def day_of_week_set(field: str) -> set[int]:
    """The days a crontab day-of-week field names, Sunday = 0."""
    days: set[int] = set()
    for part in field.split(","):
        days |= _dow_numbers(part)
    return days


def standard_day_of_week(field: str) -> str:
    """A crontab day-of-week field in APScheduler's terms: numbers become names (0/7 = sun)."""
    if not re.search(r"\d", field):
        return field  # names and * mean the same to both
    return ",".join(DAY_NAMES[d] for d in sorted(day_of_week_set(field)))


def crontab_trigger(expr: str) -> CronTrigger:
    """The APScheduler trigger of a crontab line; ValueError when it is not one."""
    minute, hour, day, month, dow = split_crontab(expr)
    return CronTrigger(
        minute=minute, hour=hour, day=day, month=month, day_of_week=standard_day_of_week(dow), timezone=LOCAL_TZ
    )


def field_numbers(field: str, low: int, high: int) -> list[int] | None:
    """A crontab field of plain numbers, ranges and lists as the numbers it names; None for steps and *."""
    if field == "*" or "/" in field:
        return None
    found: list[int] = []
    for part in field.split(","):
        first, _, last = part.partition("-")
        if not (first.isdigit() and (not last or last.isdigit())):
            return None
        found += range(int(first), int(last or first) + 1)
    return found if all(low <= n <= high for n in found) else None
