"""The days an administrator declares for years the installed chinese_calendar does not know (/假期).

They are stored in ``calendar_day`` (audited) and loaded into :mod:`.workdays` at start-up and after
every change, so every schedule and escalation reads them exactly like the package's own days. For a
year the package knows, its data wins: declaring days there is refused, and days declared before the
package learned the year are left unused (the superusers are told once). From 1 December, while next
year is unknown to both, the superusers are reminded in private once a week (period key per ISO week).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core import clock
from xietong.core.db import database
from xietong.core.errors import DomainError
from xietong.core.outbox import Target
from xietong.core.work import Work

from . import messages as words
from .announce import Post, post_once
from .models import CalendarDay
from .periods import week_key
from .workdays import package_years, use_declared_days

MAX_DAYS = 31  # one request covers at most a month: a typo cannot declare a decade of holidays
NAME_LENGTH = 16


@dataclass(frozen=True)
class Request:
    action: str  # off | worked | remove
    first: date
    last: date
    name: str = ""


def _day(parts: Sequence[str]) -> date:
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise DomainError(words.HOLIDAY_BAD_DATE.format(text="-".join(parts))) from None


def parse(plain: Sequence[str]) -> Request:
    """``放假 2027-02-06 至 2027-02-12 春节`` / ``补班 2027-02-14`` / ``删除 2027-02-06 [至 …]``."""
    if not plain or plain[0] not in words.HOLIDAY_ACTIONS:
        raise DomainError(words.HOLIDAY_USAGE)
    action = words.HOLIDAY_ACTIONS[plain[0]]
    match = words.HOLIDAY_REQUEST.match(" ".join(plain[1:]))
    if match is None:
        raise DomainError(words.HOLIDAY_USAGE)
    groups = match.groups()
    first = _day(groups[0:3])
    last = _day(groups[3:6]) if groups[3] else first
    name = " ".join(groups[6].split())
    if last < first:
        raise DomainError(words.HOLIDAY_BACKWARDS.format(first=first, last=last))
    if (last - first).days >= MAX_DAYS:
        raise DomainError(words.HOLIDAY_TOO_LONG.format(days=MAX_DAYS))
    if action == "remove" and name:
        raise DomainError(words.HOLIDAY_USAGE)
    if len(name) > NAME_LENGTH:
        raise DomainError(words.HOLIDAY_NAME_TOO_LONG.format(length=NAME_LENGTH))
    return Request(action, first, last, name)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _check_declarable(request: Request, today: date) -> None:
    known = package_years()
    for year in sorted({request.first.year, request.last.year}):
        if year in known:
            raise DomainError(words.package_knows(year))
        if not today.year <= year <= today.year + 2:
            raise DomainError(words.HOLIDAY_OUT_OF_RANGE.format(first=today.year, last=today.year + 2))
    if request.action == "worked":
        weekday = next((d for d in _days(request.first, request.last) if d.weekday() < 5), None)
        if weekday is not None:
            raise DomainError(words.HOLIDAY_WEEKDAY_WORKED.format(day=weekday, weekday=words.weekday(weekday)))


async def apply(w: Work, request: Request, today: date) -> None:
    """Declare or remove the requested days, audited, answered through the outbox."""
    subject = words.span(request.first, request.last)
    in_span = (CalendarDay.day >= request.first) & (CalendarDay.day <= request.last)
    existing = list(await w.session.scalars(select(CalendarDay).where(in_span)))
    if request.action == "remove":
        if not existing:
            raise DomainError(words.HOLIDAY_NOTHING_TO_REMOVE.format(span=subject))
        await w.session.execute(delete(CalendarDay).where(in_span))
        w.audit(words.HOLIDAY_AUDIT, subject, f"删除 {len(existing)} 天")
        w.reply(words.removed(request.first, request.last, len(existing)))
        return
    _check_declarable(request, today)
    worked = request.action == "worked"
    for row in existing:
        await w.session.delete(row)
    await w.session.flush()
    by = w.actor.qq if w.actor else None
    w.session.add_all(CalendarDay(day=d, worked=worked, name=request.name, declared_by=by)
                      for d in _days(request.first, request.last))
    w.audit(words.HOLIDAY_AUDIT, subject, words.day_kind(worked, request.name))
    w.reply(words.declared(request.first, request.last, worked, request.name, len(existing)))


async def declared_days(session: AsyncSession) -> list[CalendarDay]:
    return list(await session.scalars(select(CalendarDay).order_by(CalendarDay.day)))


async def load(session: AsyncSession) -> None:
    """Hand the declared days to the working calendar (the package still wins for years it knows)."""
    use_declared_days({row.day: row.worked for row in await declared_days(session)})


def _runs(rows: Iterable[CalendarDay]) -> list[tuple[date, date, bool, str]]:
    """Consecutive days of the same kind and name, as ranges."""
    runs: list[tuple[date, date, bool, str]] = []
    for row in rows:
        if runs and runs[-1][1] + timedelta(days=1) == row.day and runs[-1][2:] == (row.worked, row.name):
            runs[-1] = (runs[-1][0], row.day, row.worked, row.name)
        else:
            runs.append((row.day, row.day, row.worked, row.name))
    return runs


def _unknown_years(today: date, declared_years: set[int]) -> list[int]:
    """This year, and from 1 December next year, when neither the package nor the declared days know it."""
    years = [today.year] + ([today.year + 1] if today.month == 12 else [])
    known = package_years()
    return [y for y in years if y not in known and y not in declared_years]


async def listing(session: AsyncSession, today: date) -> str:
    rows = await declared_days(session)
    years = {row.day.year for row in rows}
    superseded = {y for y in years if y in package_years()}
    return words.calendar_listing(package_years(), _runs(rows), superseded, _unknown_years(today, years))


async def remind(now: datetime, superusers: Sequence[int]) -> list[str]:
    """Tell the superusers in private: once a week while a year they need is unknown; once per year
    when the package has learned a year that has declared days. Returns the period keys posted."""
    if not superusers:
        return []
    today = clock.local(now).date()
    async with database().session() as session:
        rows = await declared_days(session)
    counts: dict[int, int] = {}
    for row in rows:
        counts[row.day.year] = counts.get(row.day.year, 0) + 1
    notices = [(f"calendar-missing:{y}:{week_key(today)}", words.calendar_missing(y))
               for y in _unknown_years(today, set(counts))]
    notices += [(f"calendar-superseded:{y}", words.calendar_superseded(y, n))
                for y, n in sorted(counts.items()) if y in package_years()]
    posted = []
    for key, text in notices:
        posts = [Post(text, target=Target.private(qq)) for qq in superusers]
        if await post_once(key, posts[0].target, _returning(posts)):
            posted.append(key)
    return posted


def _returning(posts: list[Post]):
    async def build(_w: Work) -> list[Post]:
        return posts

    return build
