"""Words of the monthly report: the short summary posted to the group."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from xietong.core.numbers import change, format_fen

if TYPE_CHECKING:
    from .monthly import Line, MonthlyReport

UNATTRIBUTED = "（未按品名分摊）"

TOP = 3


def change_text(now: int, before: int) -> str:
    ratio = change(now, before)
    if ratio is None:
        return "上月也是 0" if now == 0 else "上月为 0"
    if ratio == 0:
        return f"与上月持平（{format_fen(before)} 元）"
    word = "增长" if ratio > 0 else "下降"
    return f"比上月{word} {abs(ratio):.1%}（上月 {format_fen(before)} 元）"


def _line(line: Line, *, orders: bool, quantity: bool) -> str:
    parts = [line.label]
    if quantity and line.quantities:
        parts.append(line.quantity_text)
    if orders:
        parts.append(f"{line.orders} 单")
    parts.append(f"{format_fen(line.amount_fen)} 元")
    return " ".join(parts)


def _top(lines: list[Line], noun: str, *, orders: bool, quantity: bool) -> str:
    sold = [line for line in lines if (line.amount_fen or line.orders) and line.key != UNATTRIBUTED]
    text = "；".join(_line(line, orders=orders, quantity=quantity) for line in sold[:TOP])
    return text + (f"…（共 {len(sold)} {noun}）" if len(sold) > TOP else "")


def summary(report: MonthlyReport, saved_as: str, uploaded: bool, *, nobody_to_tell: bool = False) -> str:
    """``saved_as``: the workbook as chat names it (data/reports/…)."""
    now, before = report.current, report.previous
    head = f"【月销量报表】{report.month.key}" + (f"（截至 {report.as_of:%m-%d}）" if report.as_of else "")
    lines = [head]
    if now.orders:
        lines.append(f"销售：{now.orders} 单，{format_fen(now.amount_fen)} 元，{change_text(now.amount_fen, before.amount_fen)}")
        lines.append("品名：" + _top(now.products, "种", orders=False, quantity=True))
        lines.append("客户：" + _top(now.customers, "家", orders=True, quantity=False))
        lines.append("付款方式：" + "；".join(_line(p, orders=True, quantity=False) for p in now.payments if p.orders))
    else:
        lines.append(f"销售：本月没有开单，上月 {before.orders} 单 {format_fen(before.amount_fen)} 元。")
    collected = f"回款：{format_fen(now.collected_fen)} 元（{now.collections} 笔）"
    lines.append(f"{collected}，{change_text(now.collected_fen, before.collected_fen)}")
    if now.to_balance_fen or now.refunded_fen or now.balance_end_fen:
        lines.append(
            f"另：撤单转预收 {format_fen(now.to_balance_fen)} 元，退款 {format_fen(now.refunded_fen)} 元，"
            f"月末预收余额 {format_fen(now.balance_end_fen)} 元（都不算回款）"
        )
    lines += _organisation(report)
    if uploaded:
        lines.append(f"明细见群文件「{PurePosixPath(saved_as).name}」。")
    else:
        lines.append(f"Excel 没能上传到群文件，已保存在服务器上：{saved_as}")
    if nobody_to_tell:
        lines.append("副总、总经理还没有设岗，请主任 /设岗。")
    return "\n".join(lines)


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "—"


def _organisation(report: MonthlyReport) -> list[str]:
    """Freight against sales, the regions' sales, collections and overdue money, the target (when there are any)."""
    lines = []
    sales = report.current.amount_fen
    p = report.progress
    regions = [r for r in (p.regions if p else []) if r.key is not None]
    if report.freight_fen:
        by_region = "；".join(f"{r.label} {format_fen(r.freight_fen)} 元（{_share(r.freight_fen, r.sales_fen)}）"
                              for r in regions if r.freight_fen)
        lines.append(f"运费：{format_fen(report.freight_fen)} 元，占销售 {_share(report.freight_fen, sales)}"
                     + (f"；{by_region}" if by_region else ""))
    for title, rows, named in (("区域", p.regions if p else [], regions),
                               ("业务员", p.salespeople if p else [], [r for r in (p.salespeople if p else [])
                                                                       if r.key is not None])):
        if named:
            lines.append(f"{title}：" + "；".join(
                f"{r.label} 销售 {format_fen(r.sales_fen)} 回款 {format_fen(r.collected_fen)} 逾期 {format_fen(r.overdue_fen)}"
                for r in rows
            ))
    if p and p.company_target_fen:
        lines.append(f"目标：完成 {format_fen(p.company_fen)} / 目标 {format_fen(p.company_target_fen)} 元，"
                     f"完成率 {_share(p.company_fen, p.company_target_fen)}")
    return lines


def posted_elsewhere(month_key: str) -> str:
    return f"{month_key} 月报已发到工作群。"


# The workbook: sheets, columns, rows and charts.

SHEET_OVERVIEW = "概览"
SHEET_PRODUCTS = "按品名"
SHEET_CUSTOMERS = "按客户"
SHEET_PAYMENTS = "按付款方式"
SHEET_COLLECTIONS = "回款"
SHEET_REGIONS = "按区域"
SHEET_SALESPEOPLE = "按业务员"
SHEET_TARGETS = "目标"
SHEET_TREND = "近12月"
COL_ITEM = "项目"
COL_COUNT_NOW = "本月笔数"
COL_COUNT_BEFORE = "上月笔数"
COL_AMOUNT_NOW = "本月金额（元）"
COL_AMOUNT_BEFORE = "上月金额（元）"
COL_CHANGE = "环比"
COL_PRODUCT = "品名"
COL_UNIT = "单位"
COL_ORDERS = "订单数"
COL_QUANTITY = "数量"
COL_AMOUNT = "金额（元）"
COL_CUSTOMER = "客户"
COL_PAYMENT = "付款方式"
COL_REGION = "区域"
COL_SALESPERSON = "业务员"
COL_COUNT = "笔数"
COL_COLLECTED = "回款（元）"
COL_COLLECTED_BEFORE = "上月回款（元）"
COL_SALES = "销售（元）"
COL_OVERDUE = "逾期未收（元）"
COL_FREIGHT = "运费（元）"
COL_FREIGHT_SHARE = "运费占销售"
COL_TARGET = "目标（元）"
COL_DONE = "完成率"
COL_MONTH = "月份"
COL_WHOSE = "对象"
COL_ACHIEVED = "完成（元）"
ROW_SALES = "销售（按开单月份）"
ROW_COLLECTED = "回款（净额）"
ROW_TO_BALANCE = "撤单转预收余额"
ROW_REFUNDED = "退款"
ROW_BALANCE_END = "月末预收余额"
ROW_TOTAL = "合计"
ROW_COMPANY = "公司"
CHART_TREND = "近 12 个月销售与回款"
CHART_TARGETS = "目标与完成"
CHART_REGIONS = "各区域销售"


def book_file(month_key: str) -> str:
    return f"月销量报表-{month_key}.xlsx"


def quantity_in(unit: str) -> str:
    return f"数量（{unit}）" if unit else COL_QUANTITY


def target_of(kind: str, label: str) -> str:
    """A target's row: 区域 苏南, 业务员 张三."""
    return f"{kind} {label}"


# The month people type after /月报 (parse_month reads it).

FULL_MONTH = re.compile(r"(?P<y>\d{4})\s*(?:[-/.年]\s*(?P<m>\d{1,2})\s*月?|(?P<m2>\d{2}))")
SHORT_MONTH = re.compile(r"(?P<m>\d{1,2})\s*月(?:份)?")
RELATIVE_MONTHS = {"本月": 0, "这个月": 0, "当月": 0, "上月": -1, "上个月": -1}


def bad_month(text: str) -> str:
    return f"月份写法不对：{text}（如 /月报 2026-11）"


def month_not_begun(key: str) -> str:
    return f"{key} 还没到，没有可报的数。"


# Rows of customers with no region or salesperson.

NO_REGION = "未分区域"
NO_PERSON = "未指定业务员"
