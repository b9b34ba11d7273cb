"""Words of the meeting minutes."""

from __future__ import annotations

from datetime import date, datetime

from xietong.core.clock import fmt_local


def added(key: str, count: int, open_points: int) -> str:
    extra = f"，其中待办/待定 {open_points} 条" if open_points else ""
    return f"已记入 {key} 纪要（本周第 {count} 条{extra}）。"


def week(key: str, days: tuple[date, date], entries: list[tuple[datetime, str, str]], this_week: bool) -> str:
    span = f"{key}（{days[0]:%m-%d} 至 {days[1]:%m-%d}）"
    if not entries:
        hint = "\n助理或主任可用 /纪要 内容 记录。" if this_week else ""
        return f"{'本周' if this_week else ''}纪要 {span}：还没有记录。{hint}"
    lines = [f"{'本周' if this_week else ''}纪要 {span}，共 {len(entries)} 条："]
    for at, who, text in entries:
        lines.append(f"【{fmt_local(at)} {who}】")
        lines.append(text)
    return "\n".join(lines)
