"""Working days and working time (SPEC §7).

A working day is what the Chinese State Council says it is (``chinese_calendar``): public holidays are
off, adjusted working days (调休, a Saturday or Sunday worked in exchange) are on. The State Council
publishes next year's schedule in November or December and the package follows weeks or months later,
so an administrator may declare the days of a year the package does not know yet (``/假期``, stored in
``calendar_day``; :mod:`.holidays` loads them here with :func:`use_declared_days`). For a year the
package knows, its data wins over declared days. For a year neither knows, Monday to Friday is assumed
and a warning is logged once for that year. With ``XIETONG_WORKDAYS_ONLY=false`` every day is a
working day.

Working time is the working days × ``XIETONG_WORK_HOURS`` (``08:30-12:00,13:30-18:00`` by default;
``00:00-24:00`` means the whole day). Escalations measure how long a department has left a task
unanswered in working time, so a question asked at 17:30 on Friday has waited 30 minutes at 08:30 on
Monday, not 63 hours. All arithmetic is in Asia/Shanghai, which has no daylight saving time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import chinese_calendar

from xietong.core.clock import LOCAL_TZ

from . import messages as msg

log = logging.getLogger("xietong.scheduling")

DEFAULT_HOURS: tuple[tuple[time, time], ...] = ((time(8, 30), time(12, 0)), (time(13, 30), time(18, 0)))
SEARCH_DAYS = 3660  # add_working_time gives up after ten years of calendar (it cannot, with any hours set)

_years_without_data: set[int] = set()
_declared: dict[date, bool] = {}  # day -> worked? (False: 放假, True: 补班), for years the package does not know


def package_years() -> range:
    """The years the installed chinese_calendar knows."""
    years = [day.year for day in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


def use_declared_days(days: dict[date, bool]) -> None:
    """Replace the administrator's declared days (day -> worked?) and forget every cached answer."""
    _declared.clear()
    _declared.update(days)
    _years_without_data.clear()
    official_workday.cache_clear()


@lru_cache(maxsize=4096)
def official_workday(day: date) -> bool:
    """Working day by the official calendar, holidays and 调休 included: the package's data for the
    years it knows, else the declared days, else Monday to Friday."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day in _declared:
            return _declared[day]
        if day.year not in _years_without_data and not any(d.year == day.year for d in _declared):
            _years_without_data.add(day.year)
            log.warning(msg.NO_CALENDAR_DATA, day.year)
        return day.weekday() < 5


def _offset(t: time) -> timedelta:
    """Time of day as an offset from midnight; ``time.max`` is how settings spell 24:00."""
    if t == time.max:
        return timedelta(days=1)
    return timedelta(hours=t.hour, minutes=t.minute, seconds=t.second)


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are worked, and which hours of them count for escalations."""

    hours: tuple[tuple[time, time], ...] = DEFAULT_HOURS
    workdays_only: bool = True

    @classmethod
    def from_settings(cls, settings) -> WorkCalendar:
        # parse again: pydantic does not validate defaults, so the default arrives as the raw string
        return cls(hours=settings.xietong_work_hours, workdays_only=settings.xietong_workdays_only)

    @property
    def always(self) -> bool:
        """``00:00-24:00``: every moment of a working day counts."""
        return len(self.hours) == 1 and _offset(self.hours[0][0]) == timedelta(0) and self.hours[0][1] == time.max

    def is_workday(self, day: date) -> bool:
        return official_workday(day) if self.workdays_only else True

    def spans(self, day: date) -> list[tuple[datetime, datetime]]:
        """The working spans of ``day`` as aware local datetimes (none on a day off)."""
        if not self.is_workday(day):
            return []
        midnight = datetime.combine(day, time(0), LOCAL_TZ)
        return [(midnight + _offset(start), midnight + _offset(end)) for start, end in self.hours]

    def is_working_time(self, at: datetime) -> bool:
        local = at.astimezone(LOCAL_TZ)
        return any(start <= local < end for start, end in self.spans(local.date()))

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """How much working time lies between two instants (zero when ``end`` is not after ``start``)."""
        if end <= start:
            return timedelta(0)
        total = timedelta(0)
        day, last = start.astimezone(LOCAL_TZ).date(), end.astimezone(LOCAL_TZ).date()
        while day <= last:
            for span_start, span_end in self.spans(day):
                overlap = min(span_end, end) - max(span_start, start)
                if overlap > timedelta(0):
                    total += overlap
            day += timedelta(days=1)
        return total

    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """The instant when ``amount`` of working time has passed since ``start`` (local time)."""
        start = start.astimezone(LOCAL_TZ)
        if amount <= timedelta(0):
            return start
        remaining = amount
        day = start.date()
        for _ in range(SEARCH_DAYS):
            for span_start, span_end in self.spans(day):
                begin = max(span_start, start)
                if span_end <= begin:
                    continue
                if remaining <= span_end - begin:
                    return begin + remaining
                remaining -= span_end - begin
            day += timedelta(days=1)
        raise ValueError(msg.NO_WORKING_TIME)

    def describe(self) -> str:
        """How /提醒 states the working time."""
        hours = msg.ALL_DAY if self.always else "、".join(
            f"{start:%H:%M}-{'24:00' if end == time.max else end.strftime('%H:%M')}" for start, end in self.hours
        )
        return msg.working_time(msg.WORKDAYS if self.workdays_only else msg.EVERY_DAY, hours)
