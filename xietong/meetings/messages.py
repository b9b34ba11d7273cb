"""Words of the meeting minutes."""

from __future__ import annotations

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
