"""Words of sales targets: /目标 and the progress lines of the brief and the report."""

from __future__ import annotations

import re

from xietong.core.commands import CommandDoc
from xietong.core.numbers import format_fen

USAGE = (
    "销售目标：\n/目标 — 本月完成情况\n/目标 2026-12 — 某月完成情况\n"
    "/目标 2026-12 500万 — 公司目标\n/目标 2026-12 苏南 200万 — 区域目标\n"
    "/目标 2026-12 业务员 张三 80万 — 业务员目标"
)
PERSON_WORDS = ("业务员", "销售")


def bad_month(text: str) -> str:
    return f"月份写法不对：{text}（如 /目标 2026-12 500万）"


def no_region(name: str, known: list[str]) -> str:
    shown = "、".join(known) if known else "还没有区域档案"
    return f"没有区域「{name}」（{shown}）。新区域请先 /区域 新增 {name}"


def no_person(name: str) -> str:
    return f"没有业务员「{name}」的档案。请先 /区域 业务员 {name} 区域"


def target_set(month: str, whose: str, amount_fen: int, before_fen: int | None) -> str:
    was = f"（原为 {format_fen(before_fen)} 元）" if before_fen is not None else ""
    return f"已设定 {month} {whose}销售目标：{format_fen(amount_fen)} 元{was}。查看：/目标 {month}"


def percent(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio:.1%}"


def progress_line(label: str, done_fen: int, target_fen: int | None, elapsed: float) -> str:
    if not target_fen:
        return f"{label}：完成 {format_fen(done_fen)} 元（未设目标）"
    ratio = done_fen / target_fen
    behind = "，落后于时间进度" if ratio < elapsed else ""
    return f"{label}：完成 {format_fen(done_fen)} / 目标 {format_fen(target_fen)} 元，完成率 {ratio:.1%}{behind}"


def head(month: str, elapsed: float) -> str:
    return f"【销售目标】{month}，时间已过 {elapsed:.0%}"


def nothing_set(month: str) -> str:
    return f"{month} 还没有设定销售目标。设定：/目标 {month} 500万（主任、副总、总经理）"


def brief_line(month: str, done_fen: int, target_fen: int, elapsed: float) -> str:
    """The brief's target line; when the month lags, how much more it takes to be on pace."""
    line = (f"{int(month[5:])} 月目标：完成 {format_fen(done_fen)} / 目标 {format_fen(target_fen)} 元，"
            f"完成率 {done_fen / target_fen:.1%}，时间已过 {elapsed:.0%}")
    gap = round(target_fen * elapsed) - done_fen
    if gap <= 0:
        return line + "。"
    return line + f"。进度落后，还差 {format_fen(gap)} 元才跟上时间进度，请主任安排。"


def pace_head(month: str, done_fen: int, target_fen: int, elapsed: float) -> str:
    """The mid-month check's line: the month lags its target."""
    gap = round(target_fen * elapsed) - done_fen
    return (f"【目标进度】{int(month[5:])} 月时间已过 {elapsed:.0%}，销售完成 {format_fen(done_fen)} / 目标 "
            f"{format_fen(target_fen)} 元，完成率 {done_fen / target_fen:.1%}，还差 {format_fen(gap)} 元才跟上进度，"
            "请主任安排。")


# The command (the reports plugin's matchers and /帮助 read it).

TARGET = CommandDoc(
    "目标", "/目标 [YYYY-MM]｜/目标 YYYY-MM 金额｜/目标 YYYY-MM 区域 金额｜/目标 YYYY-MM 业务员 姓名 金额",
    "销售目标：完成、目标、完成率和时间进度，按区域和业务员（主任、副总、总经理设定）",
)


# Reading /目标 and naming whose target it is.

MONTH = re.compile(r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*月?")  # 2026-12, 2026年12月
AMOUNT_FIELD = "目标金额"
COMPANY = "公司"
REGIONS = "区域"
SALESPEOPLE = "业务员"
NO_POST = "你还没有岗位，请主任 /设岗。"


def region_whose(name: str) -> str:
    return f"{name}区域"


def person_whose(name: str) -> str:
    return f"业务员{name}"


def section(title: str) -> str:
    return f"{title}："
