"""Meeting minutes (SPEC §6): ``/纪要 内容`` appends to this ISO week's minutes; ``/纪要 [日期]`` shows a week's.

Weeks are ISO weeks of the local date, keyed ``2026-W48`` (Monday to Sunday, the week of the Monday meeting).
Lines of the minutes that start with 待办, 跟进 or ``[ ]`` (after any list marker), or that contain 待定, are
*open points*: :func:`open_points` hands them to the weekly brief.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core import clock, roster
from xietong.core.errors import DomainError
from xietong.core.numbers import normalize
from xietong.core.roles import Role
from xietong.core.work import Work

from . import messages as msg
from .models import MeetingNote

WRITE_ROLES = (Role.assistant, Role.director)
NOTE_MAX = 2000

_LIST_MARKER = re.compile(r"^\s*(?:[-*·•●○]|\d{1,2}\s*[.)、]|[(（]\d{1,2}[)）])\s*")


def week_key(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_days(key: str) -> tuple[date, date]:
    """Monday and Sunday of a week key."""
    year, week = key.split("-W")
    monday = date.fromisocalendar(int(year), int(week), 1)
    return monday, monday + timedelta(days=6)




def parse_day(text: str, today: date) -> date | None:
    """A day in the week wanted, when ``text`` names one: 2026-11-23, 11-23, 11月23日, 2026-W47, W47, 第47周,
    今天, 昨天, 上周 …; a month and day without a year is the latest such day up to today. None when ``text``
    is no date (it is minutes, then); DomainError when it looks like a date but is none."""
    typed = normalize(text).strip()
    if typed in msg.RELATIVE_DAYS:
        return today + timedelta(days=msg.RELATIVE_DAYS[typed])
    if typed in msg.RELATIVE_WEEKS:
        return today + timedelta(weeks=msg.RELATIVE_WEEKS[typed])
    if not msg.DATE_LIKE.fullmatch(typed) or not any(ch.isdigit() for ch in typed):
        return None
    try:
        if m := msg.FULL_DATE.fullmatch(typed):
            return date(int(m["y"]), int(m["m"]), int(m["d"]))
        if m := msg.MONTH_DAY.fullmatch(typed):
            day = date(today.year, int(m["m"]), int(m["d"]))
            return day if day <= today else date(today.year - 1, day.month, day.day)
        if m := msg.WEEK.fullmatch(typed):
            return date.fromisocalendar(int(m["y"] or today.isocalendar()[0]), int(m["w"]), 1)
    except ValueError:
        pass
    raise DomainError(msg.bad_day(text.strip()))


def open_points_in(text: str) -> list[str]:
    """The open points of a text: its lines starting with 待办/跟进/[ ] (after a list marker) or containing 待定."""
    points = []
    for line in text.split("\n"):
        body = _LIST_MARKER.sub("", line, count=1).strip()
        folded = normalize(body)  # ［ ］ reads as [ ]
        if folded.startswith(msg.OPEN_START) or any(word in folded for word in msg.OPEN_INSIDE):
            points.append(body)
    return points


async def notes_of_week(session: AsyncSession, key: str) -> list[MeetingNote]:
    rows = await session.scalars(select(MeetingNote).where(MeetingNote.week_key == key).order_by(MeetingNote.id))
    return list(rows.all())


async def open_points(session: AsyncSession, key: str) -> list[str]:
    """The open points of a week's minutes, in the order written (for the weekly brief)."""
    return [point for note in await notes_of_week(session, key) for point in open_points_in(note.text)]


async def add_note(w: Work, text: str) -> MeetingNote:
    """/纪要 内容: appended to this week's minutes, with who and when."""
    await roster.require(w.session, w.actor, *WRITE_ROLES)
    text = text.strip()
    if not text:
        raise DomainError(msg.NEED_TEXT)
    if len(text) > NOTE_MAX:
        raise DomainError(msg.too_long(NOTE_MAX))
    key = week_key(clock.today())
    note = MeetingNote(week_key=key, text=text, author_qq=w.actor.qq if w.actor else 0)
    w.session.add(note)
    await w.session.flush()
    count = await w.session.scalar(select(func.count()).select_from(MeetingNote).where(MeetingNote.week_key == key))
    w.audit("纪要", key, text[:200])
    w.reply(msg.added(key, week_days(key), count, len(open_points_in(text))))
    return note


async def week_text(session: AsyncSession, day: date) -> str:
    """/纪要 [日期]: the minutes of the week holding ``day``."""
    key = week_key(day)
    notes = await notes_of_week(session, key)
    names = await roster.names(session, {n.author_qq for n in notes})
    this_week = key == week_key(clock.today())
    entries = [(note.at, names.get(note.author_qq, str(note.author_qq)), note.text) for note in notes]
    return msg.week(key, week_days(key), entries, this_week)
