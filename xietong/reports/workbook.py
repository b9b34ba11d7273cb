"""The monthly report as a workbook: an overview, then one sheet per dimension, then collections."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from xietong.core.excel import Chart, Column, Kind, Sheet, write_workbook

from .groups import GroupRow
from .monthly import Line, MonthlyReport, change


def file_name(month_key: str) -> str:
    return f"月销量报表-{month_key}.xlsx"


def _total(lines: list[Line], unit: str) -> Decimal | None:
    values = [line.quantities[unit] for line in lines if unit in line.quantities]
    return sum(values, Decimal(0)) if values else None


def _overview(report: MonthlyReport) -> Sheet:
    now, before = report.current, report.previous
    columns = (
        Column("项目"), Column("本月笔数", Kind.count), Column("上月笔数", Kind.count),
        Column("本月金额（元）", Kind.money), Column("上月金额（元）", Kind.money), Column("环比", Kind.percent),
    )
    rows = [
        ["销售（按开单月份）", now.orders, before.orders, now.amount_fen, before.amount_fen,
         change(now.amount_fen, before.amount_fen)],
        ["回款（净额）", now.collections, before.collections, now.collected_fen, before.collected_fen,
         change(now.collected_fen, before.collected_fen)],
        ["撤单转预收余额", None, None, now.to_balance_fen, before.to_balance_fen,
         change(now.to_balance_fen, before.to_balance_fen)],
        ["退款", None, None, now.refunded_fen, before.refunded_fen, change(now.refunded_fen, before.refunded_fen)],
        ["月末预收余额", None, None, now.balance_end_fen, before.balance_end_fen,
         change(now.balance_end_fen, before.balance_end_fen)],
    ]
    return Sheet("概览", columns, rows)


def _products(report: MonthlyReport) -> Sheet:
    lines = report.current.products
    columns = (
        Column("品名"), Column("单位"), Column("订单数", Kind.count), Column("数量", Kind.quantity),
        Column("金额（元）", Kind.money), Column("上月金额（元）", Kind.money), Column("环比", Kind.percent),
    )
    rows = []
    for line in lines:
        unit, quantity = next(iter(line.quantities.items()), ("", None))
        if not line.quantities and isinstance(line.key, tuple):
            unit = line.key[1]
        rows.append([line.label, unit, line.orders or None, quantity, line.amount_fen, line.previous_fen,
                     change(line.amount_fen, line.previous_fen)])
    amount, previous = sum(li.amount_fen for li in lines), sum(li.previous_fen for li in lines)
    total = ["合计", "", report.current.orders, None, amount, previous, change(amount, previous)]
    return Sheet("按品名", columns, rows, total)


def _by_units(title: str, head: str, lines: list[Line], units: list[str], orders_total: int) -> Sheet:
    columns = (
        Column(head), Column("订单数", Kind.count),
        *(Column(f"数量（{unit}）" if unit else "数量", Kind.quantity) for unit in units),
        Column("金额（元）", Kind.money), Column("上月金额（元）", Kind.money), Column("环比", Kind.percent),
    )
    rows = [
        [line.label, line.orders, *(line.quantities.get(unit) for unit in units), line.amount_fen,
         line.previous_fen, change(line.amount_fen, line.previous_fen)]
        for line in lines
    ]
    amount, previous = sum(li.amount_fen for li in lines), sum(li.previous_fen for li in lines)
    total = ["合计", orders_total, *(_total(lines, unit) for unit in units), amount, previous, change(amount, previous)]
    return Sheet(title, columns, rows, total)


def _collections(report: MonthlyReport) -> Sheet:
    lines = report.current.collected_by_customer
    columns = (
        Column("客户"), Column("笔数", Kind.count), Column("回款（元）", Kind.money),
        Column("上月回款（元）", Kind.money), Column("环比", Kind.percent),
    )
    rows = [[li.label, li.orders, li.amount_fen, li.previous_fen, change(li.amount_fen, li.previous_fen)] for li in lines]
    amount, previous = report.current.collected_fen, report.previous.collected_fen
    total = ["合计", report.current.collections, amount, previous, change(amount, previous)]
    return Sheet("回款", columns, rows, total)


def _groups(title: str, head: str, rows: list[GroupRow], charts: tuple[Chart, ...] = ()) -> Sheet:
    columns = (
        Column(head), Column("订单数", Kind.count), Column("销售（元）", Kind.money), Column("回款（元）", Kind.money),
        Column("逾期未收（元）", Kind.money), Column("运费（元）", Kind.money), Column("运费占销售", Kind.share),
        Column("目标（元）", Kind.money), Column("完成率", Kind.share),
    )
    lines = [[r.label, r.orders, r.sales_fen, r.collected_fen, r.overdue_fen, r.freight_fen, r.freight_share,
              r.target_fen, r.done] for r in rows]
    total = GroupRow(None, "合计", *(sum(getattr(r, f) for r in rows) for f in
                                   ("orders", "sales_fen", "collected_fen", "overdue_fen", "freight_fen")))
    return Sheet(title, columns, lines, ["合计", total.orders, total.sales_fen, total.collected_fen,
                                         total.overdue_fen, total.freight_fen, total.freight_share, None, None], charts)


def _trend(report: MonthlyReport) -> Sheet:
    columns = (Column("月份"), Column("销售（元）", Kind.money), Column("回款（元）", Kind.money))
    rows = [[month.key, sales, collected] for month, sales, collected in report.trend]
    return Sheet("近12月", columns, rows, charts=(Chart("line", "近 12 个月销售与回款", 1, (2, 3)),))


def _targets(report: MonthlyReport) -> Sheet:
    p = report.progress
    columns = (Column("对象"), Column("目标（元）", Kind.money), Column("完成（元）", Kind.money), Column("完成率", Kind.share))
    rows = []
    if p.company_target_fen:
        rows.append(["公司", p.company_target_fen, p.company_fen, p.company_fen / p.company_target_fen])
    for prefix, lines in (("区域", p.regions), ("业务员", p.salespeople)):
        rows += [[f"{prefix} {r.label}", r.target_fen, r.sales_fen, r.done] for r in lines if r.target_fen]
    return Sheet("目标", columns, rows, charts=(Chart("bar", "目标与完成", 1, (2, 3)),))


def sheets(report: MonthlyReport) -> list[Sheet]:
    units = report.units
    now = report.current
    out = [
        _overview(report),
        _products(report),
        _by_units("按客户", "客户", now.customers, units, now.orders),
        _by_units("按付款方式", "付款方式", now.payments, units, now.orders),
        _collections(report),
    ]
    if report.progress is not None:
        out += [
            _groups("按区域", "区域", report.progress.regions, (Chart("bar", "各区域销售", 1, (3,)),)),
            _groups("按业务员", "业务员", report.progress.salespeople),
        ]
        if report.progress.any_target:
            out.append(_targets(report))
    if report.trend:
        out.append(_trend(report))
    return out


def save(report: MonthlyReport, folder: Path) -> Path:
    """Write the report's workbook into ``folder``; the absolute path of the file."""
    return write_workbook(folder / file_name(report.month.key), sheets(report))
