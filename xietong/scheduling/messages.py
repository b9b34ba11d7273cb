"""Words of the scheduled work: the weekly brief, the collection digest, escalations, /提醒."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from xietong.core.clock import LOCAL_TZ, fmt_local
from xietong.core.commands import CommandDoc
from xietong.core.cron import day_of_week_set, field_numbers, split_crontab
from xietong.core.numbers import format_fen
from xietong.core.text import QQ_TEXT_LIMIT

WEEKDAYS = "一二三四五六日"
BRIEF_LIMIT = QQ_TEXT_LIMIT  # the meeting brief must fit one QQ message
ITEM_CAPS = (8, 6, 5, 4, 3, 2, 1)  # lines per list, tried in turn until the brief fits
ITEM_WIDTH = 40  # the last resort: each listed line shortened to this


def weekday(day: date) -> str:
    return f"周{WEEKDAYS[day.weekday()]}"


def when(at: datetime) -> str:
    """``11-30（周一）08:30``, local time."""
    local = at.astimezone(LOCAL_TZ)
    return f"{local:%m-%d}（{weekday(local.date())}）{local:%H:%M}"


def duration(value: timedelta) -> str:
    """``2 小时``, ``1 小时 30 分``, ``45 分钟``, ``90 秒``."""
    seconds = int(value.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours and minutes:
        return f"{hours} 小时 {minutes} 分"
    if hours:
        return f"{hours} 小时"
    if minutes:
        return f"{minutes} 分钟"
    return f"{secs} 秒"


def etc(total: int) -> str:
    return f"…等 {total} 项"


# ------------------------------------------------------------------ the weekly brief


@dataclass(frozen=True)
class Section:
    """A head line and, under it, a list that may be trimmed to fit one message."""

    head: str
    items: tuple[str, ...] = ()
    empty: str = ""  # shown after the head when there are no items (then no list follows)


def _render(sections: Sequence[Section], cap: int, width: int | None) -> str:
    lines: list[str] = []
    for section in sections:
        if not section.items:
            lines.append(section.head + section.empty)
            continue
        lines.append(section.head)
        shown = section.items[:cap]
        for item in shown:
            if width and len(item) > width:
                item = item[: width - 1] + "…"
            lines.append(f"  · {item}")
        if len(section.items) > len(shown):
            lines.append(f"  {etc(len(section.items))}")
    return "\n".join(lines)


def fit(sections: Sequence[Section], limit: int = BRIEF_LIMIT) -> str:
    """Render, trimming every list (「…等 N 项」) until the text fits in ``limit`` characters."""
    text = ""
    for width in (None, ITEM_WIDTH):
        for cap in ITEM_CAPS:
            text = _render(sections, cap, width)
            if len(text) <= limit:
                return text
    return text[: limit - 1] + "…"


def meeting_head(due: datetime) -> str:
    return f"【周例会】{when(due)} 开周例会，请准时参加。以下是周报："


def brief_head(now: datetime) -> str:
    return f"【周报】截至 {fmt_local(now)}"


def last_week(start: date, end: date, new: int, new_fen: int, shipped: int, delivered: int) -> str:
    amount = f"，共 {format_fen(new_fen)} 元" if new else ""
    return (
        f"上周（{start:%m-%d} 至 {end:%m-%d}）：新接 {new} 单{amount}；发货 {shipped} 单；到货 {delivered} 单。"
    )


def this_week(start: date, today: date, new: int, new_fen: int, shipped: int, delivered: int) -> str:
    amount = f"，共 {format_fen(new_fen)} 元" if new else ""
    days = f"{start:%m-%d} 至 {today:%m-%d}" if today > start else f"{start:%m-%d}"
    return f"本周至今（{days}）：新接 {new} 单{amount}；发货 {shipped} 单；到货 {delivered} 单。"


def open_orders(total: int, by_stage: Sequence[tuple[str, int]]) -> str:
    if not total:
        return "未完结订单：无。"
    return f"未完结 {total} 单：" + " · ".join(f"{stage} {count}" for stage, count in by_stage)


def money_head(month: str, collected_fen: int, outstanding_fen: int, overdue_customers: int) -> str:
    overdue = f"；逾期 {overdue_customers} 家：" if overdue_customers else "；没有逾期。"
    return (
        f"回款：{int(month[5:])} 月已收 {format_fen(collected_fen)} 元，"
        f"未收 {format_fen(outstanding_fen)} 元{overdue}"
    )


def overdue_line(customer: str, orders: Sequence[str], amount_fen: int, max_days: int) -> str:
    return f"{customer} {format_fen(amount_fen)} 元（{len(orders)} 单，最长逾期 {max_days} 天）"


def dormant_head(count: int, days: int) -> str:
    return f"久未联系的客户 {count} 家（{days} 天没有下单也没有跟进），请助理跟进后 /跟进 客户 内容："


def exception_line(number: str, customer: str, note: str) -> str:
    return f"{number} {customer}：{clip(note)}"


def complaint_line(ticket: str, customer: str, content: str) -> str:
    return f"{ticket} {customer}：{clip(content)}"


def clip(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# ------------------------------------------------------------------ the collection digest


def overdue_digest(total_fen: int, customers: int) -> str:
    return f"【回款提醒】逾期应收 {customers} 家，共 {format_fen(total_fen)} 元，请客服催收："


def overdue_digest_line(customer: str, orders: Sequence[str], amount_fen: int, max_days: int) -> str:
    shown = "、".join(orders[:3]) + (f" {etc(len(orders))}" if len(orders) > 3 else "")
    return f"· {customer}：{format_fen(amount_fen)} 元，最长逾期 {max_days} 天（{shown}）"


OVERDUE_DIGEST_TAIL = "催收后请记一笔：/催收 单号或客户 说明"


def cod_digest(rows: Sequence[tuple[str, int]]) -> str:
    total = sum(fen for _, fen in rows)
    lines = [f"【代收货款】已代收未入账 {len(rows)} 单，共 {format_fen(total)} 元："]
    lines += [f"· {number}：{format_fen(fen)} 元" for number, fen in rows]
    lines.append("请物流把款交财务，财务收到后 /代收入账 单号 [金额]。")
    return "\n".join(lines)


# ------------------------------------------------------------------ the quarterly and the coordination meeting

QUARTER_NAMES = "一二三四"


def quarter_head(due: datetime, year: int, quarter: int) -> str:
    return f"【季度大区经理工作会议】{when(due)} 召开 {year} 年第{QUARTER_NAMES[quarter - 1]}季度大区经理工作会议，请准时参加。"


def quarter_regions_head(label: str, company_fen: int, company_target_fen: int) -> str:
    target = (f" / 目标 {format_fen(company_target_fen)} 元，完成率 {company_fen / company_target_fen:.1%}"
              if company_target_fen else " 元")
    return f"{label}销售：完成 {format_fen(company_fen)}{target}；各区域："


def quarter_region_line(label: str, sales_fen: int, target_fen: int) -> str:
    if not target_fen:
        return f"{label} 完成 {format_fen(sales_fen)} 元（未设目标）"
    return f"{label} 完成 {format_fen(sales_fen)} / 目标 {format_fen(target_fen)} 元，完成率 {sales_fen / target_fen:.1%}"


def collection_summary(label: str, collected_fen: int, outstanding_fen: int, overdue_customers: int,
                       overdue_fen: int) -> str:
    overdue = f"，其中逾期 {overdue_customers} 家 {format_fen(overdue_fen)} 元" if overdue_customers else "，没有逾期"
    return f"回款：{label}回款 {format_fen(collected_fen)} 元；现未收 {format_fen(outstanding_fen)} 元{overdue}。"


def coordination_head(due: datetime) -> str:
    return f"【月度工作协调会】{when(due)} 召开，请财务、车间、物流参加，研究汇总货款回收情况。"


def cod_waiting(rows: Sequence[tuple[str, int]]) -> str:
    return f"代收货款未交财务 {len(rows)} 单，共 {format_fen(sum(f for _, f in rows))} 元："


def freight_waiting(rows: Sequence[tuple[str, int]]) -> str:
    return f"运费未结算 {len(rows)} 单，共 {format_fen(sum(f for _, f in rows))} 元："


def order_amount_line(number: str, fen: int) -> str:
    return f"{number}：{format_fen(fen)} 元"


# ------------------------------------------------------------------ escalations


def task_overdue(number: str, customer: str, task: str, waited: timedelta, ask: str) -> str:
    return f"【催办】订单 {number}（{customer}）{task}已等 {duration(waited)}（工作时间）还没有回复，请尽快处理。\n{ask}"


def task_overdue_director(number: str, customer: str, task: str, waited: timedelta, ask: str) -> str:
    return (
        f"【催办·请主任协调】订单 {number}（{customer}）{task}已等 {duration(waited)}（工作时间）还没有回复。\n{ask}"
    )


def in_transit(number: str, customer: str, shipped_at: datetime, days: int) -> str:
    return (
        f"【催办】订单 {number}（{customer}）{fmt_local(shipped_at)} 发货，已超过 {days} 天还没有确认到货，"
        f"请物流跟踪；到货后 /到货 {number}，有问题 /异常 {number} 说明。"
    )


def customer_notice(number: str, customer: str, shipped_at: datetime) -> str:
    return (
        f"【催办】订单 {number}（{customer}）{fmt_local(shipped_at)} 已发货，还没有记录通知客户。"
        f"请客服告知客户后 /已通知 {number}。"
    )


def complaint_open(ticket: str, customer: str, content: str, opened_at: datetime, after: timedelta) -> str:
    return (
        f"【催办】投诉 {ticket}（{customer}）{fmt_local(opened_at)} 登记，已超过 {after.days} 天未处理：{clip(content)}\n"
        f"请客服处理后 /处理 {ticket} 结果。"
    )


# ------------------------------------------------------------------ /提醒

PERIOD_WORDS = {"day": "当天", "week": "本周", "month": "本月", "quarter": "本季度"}


def holiday_rule(period: str, shift: int, workdays_only: bool) -> str:
    if not workdays_only:
        return ""
    if period == "quarter":
        return "；逢节假日改到下一个上班的周一"
    if shift > 0:
        return f"；逢节假日顺延到{PERIOD_WORDS[period]}下一个工作日"
    if shift < 0:
        return f"；逢节假日提前到{PERIOD_WORDS[period]}上一个工作日"
    return "；节假日不发"


def next_time(at: datetime | None) -> str:
    if at is None:
        return "不再触发"
    local = at.astimezone(LOCAL_TZ)
    return f"{local:%Y-%m-%d}（{weekday(local.date())}）{local:%H:%M}"


def schedule_line(label: str, cron: str, next_at: datetime | None, rule: str = "") -> str:
    """「· 周例会通知：每周一 08:30，下次 …」: the time as people say it, never the setting or the cron line."""
    return f"· {label}：{describe(cron)}，下次 {next_time(next_at)}{rule}"


def escalation_lines(after: timedelta, director_after: timedelta, transit_days: int, complaint_after: timedelta) -> list[str]:
    return [
        "· 催办（工作时间内每分钟检查）：",
        f"  部门待回复超过 {duration(after)}再 @ 该部门，"
        f"超过 {duration(director_after)}再 @ 主任；",
        f"  发货超过 {transit_days} 天未到货 @ 物流；"
        f"发货超过 {duration(after)}未通知客户 @ 客服；投诉超过 {complaint_after.days} 天未处理 @ 客服。",
    ]


def overview(
    lines: Sequence[str], work_time: str, catchup: timedelta, group: int | None
) -> str:
    out = ["定时提醒（北京时间）：", *lines, f"工作时间：{work_time}"]
    out.append(f"停机错过的公告，{duration(catchup)}内重启会补发。")
    if group is None:
        out.append("注意：还没有设置工作群，公告和催办发不出去，请管理员设置。")
    return "\n".join(out)


# ------------------------------------------------------------------ /假期 (the working calendar)

HOLIDAY_USAGE = (
    "用法：/假期 看日历；/假期 放假 2027-02-06 至 2027-02-12 春节；/假期 补班 2027-02-14；"
    "/假期 删除 2027-02-06 [至 2027-02-12]"
)
HOLIDAY_TOO_LONG = "一次最多写 {days} 天，请分几次写。"
HOLIDAY_BAD_DATE = "「{text}」不是有效日期，请写成 2027-02-06 这样。"
HOLIDAY_BACKWARDS = "结束日期 {last} 早于开始日期 {first}，请检查。"
HOLIDAY_NAME_TOO_LONG = "假期名称最多 {length} 个字。"
HOLIDAY_NOTHING_TO_REMOVE = "{span} 没有手工加的日子，不用删除。"
HOLIDAY_OUT_OF_RANGE = "只能加今年到后年的日子（{first} 至 {last} 年）。"
HOLIDAY_WEEKDAY_WORKED = "{day} 是{weekday}，本来就上班；补班只用于周六、周日。"


def package_knows(year: int) -> str:
    return f"节假日数据里已经有 {year} 年的安排，以它为准，不用手工加。"


def span(first: date, last: date) -> str:
    return f"{first:%Y-%m-%d}" if first == last else f"{first:%Y-%m-%d} 至 {last:%Y-%m-%d}"


def day_kind(worked: bool, name: str) -> str:
    return "补班" if worked else f"放假{f'（{name}）' if name else ''}"


def declared(first: date, last: date, worked: bool, name: str, replaced: int) -> str:
    days = (last - first).days + 1
    again = f"（其中 {replaced} 天原来另有记录，已改）" if replaced else ""
    return (
        f"已记下：{span(first, last)} {day_kind(worked, name)}，共 {days} 天{again}。"
        "周例会、回款提醒、月报和催办即刻按新日历算，/提醒 可看下次时间。"
    )


def removed(first: date, last: date, count: int) -> str:
    return f"已删除 {span(first, last)} 手工加的 {count} 天，日历即刻恢复。"


def calendar_listing(known: range, runs: Sequence[tuple[date, date, bool, str]], superseded: set[int],
                     unknown: Sequence[int]) -> str:
    lines = [f"工作日历：节假日数据已有 {known.start}–{known.stop - 1} 年（国务院安排，含调休）。"]
    if runs:
        lines.append("手工加的日子：")
        for first, last, worked, name in runs:
            note = "（数据已有该年，以数据为准，不再使用）" if first.year in superseded else ""
            lines.append(f"· {span(first, last)} {day_kind(worked, name)}{note}")
    else:
        lines.append("手工加的日子：无。")
    for year in unknown:
        lines.append(f"{year} 年还没有安排：先按周一至周五上班算，国务院公布后请用 /假期 放假 … 加上。")
    return "\n".join(lines)


def calendar_missing(year: int) -> str:
    return (
        f"【工作日历】{year} 年的放假安排还没有：国务院公布后请私聊发 /假期 放假 开始日期 至 结束日期 名称，"
        f"和 /假期 补班 日期。在此之前按周一至周五上班算，周例会、催办会在节假日照常发。"
    )


def calendar_superseded(year: int, count: int) -> str:
    return f"【工作日历】节假日数据已经有 {year} 年的安排，以它为准；手工加的 {year} 年 {count} 天不再使用。"


# Commands (the plugin's matchers and /帮助 read them).

BRIEF = CommandDoc("周报", "/周报", "现在看周报：上周订单、未完结、异常、投诉、回款、纪要待办")
SCHEDULES = CommandDoc("提醒", "/提醒", "各项定时提醒、设置和下次时间")
HOLIDAYS = CommandDoc(
    "假期",
    "/假期 [放假|补班|删除 日期 [至 日期] [名称]]",
    "看工作日历，补上节假日数据还没有的放假和调休（超级用户）",
    superuser_only=True,
)
COMMANDS = (BRIEF, SCHEDULES, HOLIDAYS)

NO_ARGUMENTS = "{usage} 后面不用写别的，直接发 {usage} 就行。"


# The chat plugin, as NoneBot lists it.

PLUGIN_NAME = "协同·定时"
PLUGIN_DESCRIPTION = "周例会通知、回款提醒、月报定时、催办；/周报 /提醒 /假期"


# The timers' names (/提醒 lists them).

ESCALATION_JOB = "催办"
CALENDAR_JOB = "工作日历提醒"
DAILY_BACKUP = "每日备份"


# A crontab line as people say it (/提醒).

_WEEKDAY_WORDS = "日一二三四五六"


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
        minutes, hours = field_numbers(minute, 0, 59), field_numbers(hour, 0, 23)
        if not minutes or not hours or len(minutes) > 1:
            return "定时"
        times = "、".join(f"{h:02d}:{minutes[0]:02d}" for h in hours)
        days, months = field_numbers(day, 1, 31), field_numbers(month, 1, 12)
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


# What /假期 reads.

HOLIDAY_AUDIT = "假期"
_HOLIDAY_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
HOLIDAY_REQUEST = re.compile(rf"^{_HOLIDAY_DATE}(?:\s*(?:至|到|~|～|—)\s*{_HOLIDAY_DATE})?\s*(.*)$")
HOLIDAY_ACTIONS = {"放假": "off", "补班": "worked", "删除": "remove"}


# The weekly brief's sections.

NONE = "无。"
EXCEPTIONS = "异常"
OPEN_POINTS = "上周纪要待办"


def items_head(title: str, count: int) -> str:
    """异常 2 项： or, with nothing in it, 异常："""
    return f"{title} {count} 项：" if count else f"{title}："


def complaints_head(count: int) -> str:
    return f"投诉未处理 {count} 项：" if count else "投诉："


# Escalations, as the timeline records them.

ESCALATED = "催办"
CUSTOMER_NOT_TOLD = "已发货未通知客户，提醒客服"


def transit_overdue(days: int) -> str:
    return f"发货超过 {days} 天未到货，提醒物流"


def complaint_overdue(days: int) -> str:
    return f"投诉超过 {days} 天未处理，提醒客服"


# The announcements' names and the working time /提醒 shows.

SCHEDULE_LABELS = {
    "meeting": "周例会通知", "collection": "回款提醒", "report": "月销量报表", "quarter": "季度大区经理工作会议",
    "coordination": "月度工作协调会", "pace": "月中目标进度",
}
NO_WORKING_TIME = "工作时间设置里找不到足够的工作时间"
ALL_DAY = "全天"
WORKDAYS = "工作日（跳过法定节假日，调休上班日照常）"
EVERY_DAY = "每天"
NO_CALENDAR_DATA = "chinese_calendar 没有 %s 年的节假日数据：按周一至周五算工作日。请升级 chinesecalendar。"
LAST_QUARTER = "上季度"
LAGGING_KINDS = ("区域", "业务员")


def working_time(days: str, hours: str) -> str:
    return f"{days} {hours}"


def last_quarter(first: str, last: str) -> str:
    return f"上季度（{first} 至 {last}）"


def lagging_line(kind: str, line: str) -> str:
    return f"  · {kind} {line}"


def without_regions(head: str) -> str:
    """The quarter's sales head when no region has figures: the list it announced is dropped."""
    return head.removesuffix("；各区域：") + "。"
