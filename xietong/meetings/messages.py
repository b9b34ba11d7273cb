"""Words of the meeting minutes."""

from __future__ import annotations

import re
from datetime import date, datetime

from xietong.core.clock import fmt_local
from xietong.core.commands import CommandDoc


def week_words(key: str, days: tuple[date, date]) -> str:
    """``2026-W48`` as people say it: 第48周（11-23—11-29）."""
    return f"第{int(key.split('-W')[1])}周（{days[0]:%m-%d}—{days[1]:%m-%d}）"


def added(key: str, days: tuple[date, date], count: int, open_points: int) -> str:
    extra = f"，其中待办/待定 {open_points} 条" if open_points else ""
    return f"已记入{week_words(key, days)}纪要（本周第 {count} 条{extra}）。"


def week(key: str, days: tuple[date, date], entries: list[tuple[datetime, str, str]], this_week: bool) -> str:
    span = week_words(key, days)
    if not entries:
        hint = "\n助理或主任可用 /纪要 内容 记录。" if this_week else ""
        return f"{'本周' if this_week else ''}纪要 {span}：还没有记录。{hint}"
    lines = [f"{'本周' if this_week else ''}纪要 {span}，共 {len(entries)} 条："]
    for at, who, text in entries:
        lines.append(f"【{fmt_local(at)} {who}】")
        lines.append(text)
    return "\n".join(lines)


# Commands (the plugin's matchers and /帮助 read them).

MINUTES = CommandDoc(
    "纪要", "/纪要 内容（助理、主任记录）｜/纪要 [日期|上周]（查看那一周的纪要）",
    "每周例会纪要：记到本周，或查看某一周", aliases=("会议纪要", "例会纪要"),
)
COMMANDS = (MINUTES,)


# The chat plugin, as NoneBot lists it.

PLUGIN_NAME = "协同·例会"
PLUGIN_DESCRIPTION = "每周例会纪要：记录与查看"


# What /纪要 reads: days, weeks and open points; its refusals.

FULL_DATE = re.compile(r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?")
MONTH_DAY = re.compile(r"(?P<m>\d{1,2})\s*(?:[-/]|月)\s*(?P<d>\d{1,2})\s*[日号]?")
WEEK = re.compile(r"(?:(?P<y>\d{4})\s*-?\s*)?(?:W|w|第)\s*(?P<w>\d{1,2})\s*周?")
DATE_LIKE = re.compile(r"[\d\s\-/.年月日号Ww第周]+")
RELATIVE_DAYS = {"今天": 0, "昨天": -1, "前天": -2}
RELATIVE_WEEKS = {"本周": 0, "这周": 0, "这星期": 0, "本星期": 0, "上周": -1, "上星期": -1, "上上周": -2}
OPEN_START = ("待办", "跟进", "[ ]", "[]")  # a line of the minutes starting so is an open point
OPEN_INSIDE = ("待定",)  # and one holding this anywhere
NEED_TEXT = "请写上纪要内容，例如：/纪要 本周重点：金陵建材回款"


def bad_day(text: str) -> str:
    return f"日期写法不对：{text}（如 /纪要 11-23、/纪要 上周）"


def too_long(limit: int) -> str:
    return f"一条纪要最多 {limit} 字，请分几条记。"
