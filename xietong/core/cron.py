"""Standard five-field crontab, read the way crontab(5) does, as APScheduler triggers in Asia/Shanghai.

Day-of-week numbers follow crontab (0 or 7 = Sunday, 1 = Monday); APScheduler 3 counts from
Monday = 0, so numbers are translated to names before APScheduler sees them.
"""

from __future__ import annotations

import re

from apscheduler.triggers.cron import CronTrigger

from .clock import LOCAL_TZ

DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def split_crontab(expr: str) -> tuple[str, str, str, str, str]:
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"应为五段（分 时 日 月 周），这里有 {len(fields)} 段")
    minute, hour, day, month, dow = fields
    return minute, hour, day, month, dow


def _dow_numbers(part: str) -> set[int]:
    """One comma part of a crontab day-of-week field as numbers, Sunday = 0."""
    names = {name: i for i, name in enumerate(DAY_NAMES)}

    def number(token: str) -> int:
        token = token.strip().lower()
        value = names[token[:3]] if token[:3] in names else int(token)
        if not 0 <= value <= 7:
            raise ValueError(f"星期只能是 0-7：{token}")
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


_WEEKDAY_WORDS = "日一二三四五六"


def _numbers(field: str, low: int, high: int) -> list[int] | None:
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


def _days_of_week(field: str) -> str:
    days = sorted(day_of_week_set(field), key=lambda d: (d + 6) % 7)  # Monday first, Sunday last
    if len(days) == 7:
        return "每天"
    monday_first = [(d + 6) % 7 for d in days]
    if len(days) > 2 and monday_first == list(range(monday_first[0], monday_first[-1] + 1)):
        return f"每周{_WEEKDAY_WORDS[days[0]]}至周{_WEEKDAY_WORDS[days[-1]]}"
    return "每周" + "、".join(_WEEKDAY_WORDS[d] for d in days)


def describe(expr: str) -> str:
    """A crontab line as people say it: "30 8 * * mon" → 每周一 08:30, "0 9 28 * *" → 每月28日 09:00.

    What has no short wording (steps, several minutes) reads 定时; the next time is always shown beside it."""
    try:
        minute, hour, day, month, dow = split_crontab(expr)
        minutes, hours = _numbers(minute, 0, 59), _numbers(hour, 0, 23)
        if not minutes or not hours or len(minutes) > 1:
            return "定时"
        times = "、".join(f"{h:02d}:{minutes[0]:02d}" for h in hours)
        days, months = _numbers(day, 1, 31), _numbers(month, 1, 12)
        if day == "*" and month == "*":
            return f"{_days_of_week(dow)} {times}"
        if days and month == "*" and dow == "*":
            return f"每月{'、'.join(map(str, days))}日 {times}"
        if days and months and dow == "*":
            return "每年" + "、".join(f"{m}月{'、'.join(map(str, days))}日" for m in months) + f" {times}"
        if day == "*" and months:  # e.g. the quarterly meeting: Mondays of January, April, July, October
            which = "每天" if dow == "*" else "的" + _days_of_week(dow).removeprefix("每")
            return f"{'、'.join(map(str, months))}月{which} {times}"
    except ValueError:
        pass
    return "定时"
