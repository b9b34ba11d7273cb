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

_OPEN_START = ("待办", "跟进", "[ ]", "[]")
_OPEN_INSIDE = ("待定",)
_LIST_MARKER = re.compile(r"^\s*(?:[-*·•●○]|\d{1,2}\s*[.)、]|[(（]\d{1,2}[)）])\s*")


def week_key(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_days(key: str) -> tuple[date, date]:
    """Monday and Sunday of a week key."""
    year, week = key.split("-W")
    monday = date.fromisocalendar(int(year), int(week), 1)
    return monday, monday + timedelta(days=6)


_FULL_DATE = re.compile(r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?")
_MONTH_DAY = re.compile(r"(?P<m>\d{1,2})\s*(?:[-/]|月)\s*(?P<d>\d{1,2})\s*[日号]?")
_WEEK = re.compile(r"(?:(?P<y>\d{4})\s*-?\s*)?(?:W|w|第)\s*(?P<w>\d{1,2})\s*周?")
_DATE_LIKE = re.compile(r"[\d\s\-/.年月日号Ww第周]+")
_RELATIVE_DAYS = {"今天": 0, "昨天": -1, "前天": -2}
_RELATIVE_WEEKS = {"本周": 0, "这周": 0, "这星期": 0, "本星期": 0, "上周": -1, "上星期": -1, "上上周": -2}


def parse_day(text: str, today: date) -> date | None:
    """A day in the week wanted, when ``text`` names one: 2026-11-23, 11-23, 11月23日, 2026-W47, W47, 第47周,
    今天, 昨天, 上周 …; a month and day without a year is the latest such day up to today. None when ``text``
    is no date (it is minutes, then); DomainError when it looks like a date but is none."""
    typed = normalize(text).strip()
    if typed in _RELATIVE_DAYS:
        return today + timedelta(days=_RELATIVE_DAYS[typed])
    if typed in _RELATIVE_WEEKS:
        return today + timedelta(weeks=_RELATIVE_WEEKS[typed])
    if not _DATE_LIKE.fullmatch(typed) or not any(ch.isdigit() for ch in typed):
        return None
    try:
        if m := _FULL_DATE.fullmatch(typed):
            return date(int(m["y"]), int(m["m"]), int(m["d"]))
        if m := _MONTH_DAY.fullmatch(typed):
            day = date(today.year, int(m["m"]), int(m["d"]))
            return day if day <= today else date(today.year - 1, day.month, day.day)
        if m := _WEEK.fullmatch(typed):
            return date.fromisocalendar(int(m["y"] or today.isocalendar()[0]), int(m["w"]), 1)
    except ValueError:
        pass
    raise DomainError(f"日期写法不对：{text.strip()}（如 /纪要 11-23、/纪要 上周）")


def open_points_in(text: str) -> list[str]:
    """The open points of a text: its lines starting with 待办/跟进/[ ] (after a list marker) or containing 待定."""
    points = []
    for line in text.split("\n"):
        body = _LIST_MARKER.sub("", line, count=1).strip()
        folded = normalize(body)  # ［ ］ reads as [ ]
        if folded.startswith(_OPEN_START) or any(word in folded for word in _OPEN_INSIDE):
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
        raise DomainError("请写上纪要内容，例如：/纪要 本周重点：金陵建材回款")
    if len(text) > NOTE_MAX:
        raise DomainError(f"一条纪要最多 {NOTE_MAX} 字，请分几条记。")
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
