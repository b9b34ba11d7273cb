"""When each announcement is due, and the period it belongs to.

Every announcement belongs to a period named by a key (``meeting:2026-W48``, ``collection:2026-11-26``,
``report:2026-11``); the key is what makes it go out once (see :mod:`.announce`). Its due instants
come from its five-field cron in Asia/Shanghai, then the working-day rule moves or drops those that
fall on a day off (when ``XIETONG_WORKDAYS_ONLY``):

==========  ===========  =====================================================================
schedule    period       a due instant on a day off …
==========  ===========  =====================================================================
meeting     ISO week     moves to the same time on the next working day of the same week
                         (周一放假，周会顺延到本周第一个工作日；a week without one has no meeting)
collection  day          is dropped: the next working day's digest covers it
report      month        moves to the same time on the previous working day of the same month,
                         so the report still reaches the VP and GM before the 28th
coordination month        moves to the previous working day of the same month (like the report)
pace        month        moves to the next working day of the same month (posted only when behind)
quarter     quarter      is dropped; only the first due instant of the quarter counts
                         (``first_only``: the cron names every Monday of the quarter's first month,
                         so the meeting falls on the first *working* Monday)
==========  ===========  =====================================================================

A cron that fires more than once in a period still posts once per period. A day-of-week of exactly
Monday to Friday (the collection digest's ``mon-fri``) is read as "every working day": the digest also
goes out on an adjusted working Saturday or Sunday (调休), and not on a holiday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from xietong.core.clock import LOCAL_TZ
from xietong.core.cron import crontab_trigger, day_of_week_set, split_crontab

from . import messages as msg
from .workdays import WorkCalendar

NEXT_HORIZONS = (timedelta(days=8), timedelta(days=45), timedelta(days=400), timedelta(days=1500))


class Period(str, Enum):
    day = "day"
    week = "week"
    month = "month"
    quarter = "quarter"

    def key_part(self, day: date) -> str:
        if self == Period.week:
            return week_key(day)
        if self == Period.month:
            return f"{day:%Y-%m}"
        if self == Period.quarter:
            return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
        return f"{day:%Y-%m-%d}"

    def same(self, a: date, b: date) -> bool:
        return self.key_part(a) == self.key_part(b)

    @property
    def span(self) -> timedelta:
        """The furthest a due instant can move inside its period."""
        return {Period.day: timedelta(0), Period.week: timedelta(days=6), Period.month: timedelta(days=30),
                Period.quarter: timedelta(days=91)}[self]


def week_key(day: date) -> str:
    """ISO week, as the meeting and its minutes are named: ``2026-W48``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


WEEKDAYS = {1, 2, 3, 4, 5}


def cron_trigger(expr: str, *, weekdays_are_workdays: bool = False) -> CronTrigger:
    """A standard five-field crontab in Asia/Shanghai.

    ``weekdays_are_workdays``: a day-of-week of exactly Monday to Friday (``mon-fri``, ``1-5``) stands
    for "working days", so the cron also fires on an adjusted working Saturday or Sunday (调休); the
    working-day rule then drops the holidays."""
    if weekdays_are_workdays:
        minute, hour, day, month, dow = split_crontab(expr)
        if dow != "*" and day_of_week_set(dow) == WEEKDAYS:
            expr = f"{minute} {hour} {day} {month} *"
    return crontab_trigger(expr)


def cron_instants(trigger: CronTrigger, start: datetime, end: datetime):
    """Fire times of a cron trigger with ``start <= t <= end``, in order."""
    at = trigger.get_next_fire_time(None, start.astimezone(LOCAL_TZ))
    while at is not None and at <= end:
        yield at
        at = trigger.get_next_fire_time(None, at + timedelta(microseconds=1))


@dataclass(frozen=True)
class Schedule:
    """One announcement: its cron, its period and what a day off does to it."""

    name: str  # meeting | collection | report — also the prefix of its period keys
    label: str  # how /提醒 names it
    setting: str  # the .env key of its cron
    cron: str
    period: Period
    shift: int  # on a day off: +1 next working day, -1 previous working day (same period), 0 dropped
    first_only: bool = False  # only the period's first due instant counts (later cron fires are not due)

    def trigger(self, calendar: WorkCalendar) -> CronTrigger:
        return cron_trigger(self.cron, weekdays_are_workdays=calendar.workdays_only)

    def key(self, due: datetime) -> str:
        return f"{self.name}:{self.period.key_part(due.astimezone(LOCAL_TZ).date())}"

    def effective(self, raw: datetime, calendar: WorkCalendar) -> datetime | None:
        """Where a cron fire time lands after the working-day rule (None: dropped)."""
        raw = raw.astimezone(LOCAL_TZ)
        day = raw.date()
        if calendar.is_workday(day):
            return raw
        if not self.shift:
            return None
        step = timedelta(days=self.shift)
        other = day + step
        while self.period.same(other, day):
            if calendar.is_workday(other):
                return datetime.combine(other, raw.time(), LOCAL_TZ)
            other += step
        return None

    def due_instants(self, start: datetime, end: datetime, calendar: WorkCalendar) -> list[datetime]:
        """Due instants with ``start <= t <= end``, working-day rule applied, one per period, in order."""
        back = self.period.span if self.shift > 0 or self.first_only else timedelta(0)
        ahead = self.period.span if self.shift < 0 else timedelta(0)
        found: dict[str, datetime] = {}
        for raw in cron_instants(self.trigger(calendar), start - back, end + ahead):
            due = self.effective(raw, calendar)
            if due is not None and (self.first_only or start <= due <= end):
                key = self.key(due)
                found[key] = min(found.get(key, due), due)
        return sorted(due for due in found.values() if start <= due <= end)

    def latest_due(self, now: datetime, within: timedelta, calendar: WorkCalendar) -> datetime | None:
        """The latest due instant at most ``within`` before ``now`` (what a start-up may catch up on)."""
        instants = self.due_instants(now - within, now, calendar)
        return instants[-1] if instants else None

    def next_due(self, now: datetime, calendar: WorkCalendar) -> datetime | None:
        """The first due instant at or after ``now`` (None if the cron never fires again)."""
        for horizon in NEXT_HORIZONS:
            instants = self.due_instants(now, now + horizon, calendar)
            if instants:
                return instants[0]
        return None


class WorkdayTrigger(BaseTrigger):
    """APScheduler trigger that fires on a schedule's due instants (cron + working-day rule)."""

    __slots__ = ("calendar", "schedule")

    def __init__(self, schedule: Schedule, calendar: WorkCalendar):
        self.schedule = schedule
        self.calendar = calendar

    def get_next_fire_time(self, previous_fire_time, now):
        start = now
        if previous_fire_time is not None:
            start = min(now, previous_fire_time + timedelta(microseconds=1))
            if start <= previous_fire_time:
                start = previous_fire_time + timedelta(microseconds=1)
        return self.schedule.next_due(start, self.calendar)

    def __str__(self) -> str:
        return f"workday[{self.schedule.cron}]"


def schedules(settings) -> list[Schedule]:
    """The announcements of SPEC §6–§7, from the settings."""
    return [
        Schedule("meeting", msg.SCHEDULE_LABELS["meeting"], "XIETONG_MEETING_CRON", settings.xietong_meeting_cron, Period.week, +1),
        Schedule("collection", msg.SCHEDULE_LABELS["collection"], "XIETONG_COLLECTION_CRON", settings.xietong_collection_cron, Period.day, 0),
        Schedule("report", msg.SCHEDULE_LABELS["report"], "XIETONG_REPORT_CRON", settings.xietong_report_cron, Period.month, -1),
        Schedule("quarter", msg.SCHEDULE_LABELS["quarter"], "XIETONG_QUARTER_MEETING_CRON",
                 settings.xietong_quarter_meeting_cron, Period.quarter, 0, first_only=True),
        Schedule("coordination", msg.SCHEDULE_LABELS["coordination"], "XIETONG_COORDINATION_CRON", settings.xietong_coordination_cron,
                 Period.month, -1),
        Schedule("pace", msg.SCHEDULE_LABELS["pace"], "XIETONG_PACE_CRON", settings.xietong_pace_cron, Period.month, +1),
    ]
