"""The monthly report as a workbook: an overview, then one sheet per dimension, then collections."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from xietong.core.excel import Chart, Column, Kind, Sheet, write_workbook
from xietong.core.numbers import change

from . import messages as msg
from .groups import GroupRow
from .monthly import Line, MonthlyReport


def file_name(month_key: str) -> str:
    return msg.book_file(month_key)


def _total(lines: list[Line], unit: str) -> Decimal | None:
    values = [line.quantities[unit] for line in lines if unit in line.quantities]
    return sum(values, Decimal(0)) if values else None


def _overview(report: MonthlyReport) -> Sheet:
    now, before = report.current, report.previous
    columns = (
        Column(msg.COL_ITEM), Column(msg.COL_COUNT_NOW, Kind.count), Column(msg.COL_COUNT_BEFORE, Kind.count),
        Column(msg.COL_AMOUNT_NOW, Kind.money), Column(msg.COL_AMOUNT_BEFORE, Kind.money), Column(msg.COL_CHANGE, Kind.percent),
    )
    rows = [
        [msg.ROW_SALES, now.orders, before.orders, now.amount_fen, before.amount_fen,
         change(now.amount_fen, before.amount_fen)],
        [msg.ROW_COLLECTED, now.collections, before.collections, now.collected_fen, before.collected_fen,
         change(now.collected_fen, before.collected_fen)],
        [msg.ROW_TO_BALANCE, None, None, now.to_balance_fen, before.to_balance_fen,
         change(now.to_balance_fen, before.to_balance_fen)],
        [msg.ROW_REFUNDED, None, None, now.refunded_fen, before.refunded_fen, change(now.refunded_fen, before.refunded_fen)],
        [msg.ROW_BALANCE_END, None, None, now.balance_end_fen, before.balance_end_fen,
         change(now.balance_end_fen, before.balance_end_fen)],
    ]
    return Sheet(msg.SHEET_OVERVIEW, columns, rows)


def _products(report: MonthlyReport) -> Sheet:
    lines = report.current.products
    columns = (
        Column(msg.COL_PRODUCT), Column(msg.COL_UNIT), Column(msg.COL_ORDERS, Kind.count), Column(msg.COL_QUANTITY, Kind.quantity),
        Column(msg.COL_AMOUNT, Kind.money), Column(msg.COL_AMOUNT_BEFORE, Kind.money), Column(msg.COL_CHANGE, Kind.percent),
    )
    rows = []
    for line in lines:
        unit, quantity = next(iter(line.quantities.items()), ("", None))
        if not line.quantities and isinstance(line.key, tuple):
            unit = line.key[1]
        rows.append([line.label, unit, line.orders or None, quantity, line.amount_fen, line.previous_fen,
                     change(line.amount_fen, line.previous_fen)])
    amount, previous = sum(li.amount_fen for li in lines), sum(li.previous_fen for li in lines)
    total = [msg.ROW_TOTAL, "", report.current.orders, None, amount, previous, change(amount, previous)]
    return Sheet(msg.SHEET_PRODUCTS, columns, rows, total)


def _by_units(title: str, head: str, lines: list[Line], units: list[str], orders_total: int) -> Sheet:
    columns = (
        Column(head), Column(msg.COL_ORDERS, Kind.count),
        *(Column(msg.quantity_in(unit), Kind.quantity) for unit in units),
        Column(msg.COL_AMOUNT, Kind.money), Column(msg.COL_AMOUNT_BEFORE, Kind.money), Column(msg.COL_CHANGE, Kind.percent),
    )
    rows = [
        [line.label, line.orders, *(line.quantities.get(unit) for unit in units), line.amount_fen,
         line.previous_fen, change(line.amount_fen, line.previous_fen)]
        for line in lines
    ]
    amount, previous = sum(li.amount_fen for li in lines), sum(li.previous_fen for li in lines)
    total = [msg.ROW_TOTAL, orders_total, *(_total(lines, unit) for unit in units), amount, previous, change(amount, previous)]
    return Sheet(title, columns, rows, total)


def _collections(report: MonthlyReport) -> Sheet:
    lines = report.current.collected_by_customer
    columns = (
        Column(msg.COL_CUSTOMER), Column(msg.COL_COUNT, Kind.count), Column(msg.COL_COLLECTED, Kind.money),
        Column(msg.COL_COLLECTED_BEFORE, Kind.money), Column(msg.COL_CHANGE, Kind.percent),
    )
    rows = [[li.label, li.orders, li.amount_fen, li.previous_fen, change(li.amount_fen, li.previous_fen)] for li in lines]
    amount, previous = report.current.collected_fen, report.previous.collected_fen
    total = [msg.ROW_TOTAL, report.current.collections, amount, previous, change(amount, previous)]
    return Sheet(msg.SHEET_COLLECTIONS, columns, rows, total)


def _groups(title: str, head: str, rows: list[GroupRow], charts: tuple[Chart, ...] = ()) -> Sheet:
    columns = (
        Column(head), Column(msg.COL_ORDERS, Kind.count), Column(msg.COL_SALES, Kind.money), Column(msg.COL_COLLECTED, Kind.money),
        Column(msg.COL_OVERDUE, Kind.money), Column(msg.COL_FREIGHT, Kind.money), Column(msg.COL_FREIGHT_SHARE, Kind.share),
        Column(msg.COL_TARGET, Kind.money), Column(msg.COL_DONE, Kind.share),
    )
    lines = [[r.label, r.orders, r.sales_fen, r.collected_fen, r.overdue_fen, r.freight_fen, r.freight_share,
              r.target_fen, r.done] for r in rows]
    total = GroupRow(None, msg.ROW_TOTAL, *(sum(getattr(r, f) for r in rows) for f in
                                   ("orders", "sales_fen", "collected_fen", "overdue_fen", "freight_fen")))
    return Sheet(title, columns, lines, [msg.ROW_TOTAL, total.orders, total.sales_fen, total.collected_fen,
                                         total.overdue_fen, total.freight_fen, total.freight_share, None, None], charts)


def _trend(report: MonthlyReport) -> Sheet:
    columns = (Column(msg.COL_MONTH), Column(msg.COL_SALES, Kind.money), Column(msg.COL_COLLECTED, Kind.money))
    rows = [[month.key, sales, collected] for month, sales, collected in report.trend]
    return Sheet(msg.SHEET_TREND, columns, rows, charts=(Chart("line", msg.CHART_TREND, 1, (2, 3)),))


def _targets(report: MonthlyReport) -> Sheet:
    p = report.progress
    columns = (Column(msg.COL_WHOSE), Column(msg.COL_TARGET, Kind.money), Column(msg.COL_ACHIEVED, Kind.money), Column(msg.COL_DONE, Kind.share))
    rows = []
    if p.company_target_fen:
        rows.append([msg.ROW_COMPANY, p.company_target_fen, p.company_fen, p.company_fen / p.company_target_fen])
    for prefix, lines in ((msg.COL_REGION, p.regions), (msg.COL_SALESPERSON, p.salespeople)):
        rows += [[msg.target_of(prefix, r.label), r.target_fen, r.sales_fen, r.done] for r in lines if r.target_fen]
    return Sheet(msg.SHEET_TARGETS, columns, rows, charts=(Chart("bar", msg.CHART_TARGETS, 1, (2, 3)),))


def sheets(report: MonthlyReport) -> list[Sheet]:
    units = report.units
    now = report.current
    out = [
        _overview(report),
        _products(report),
        _by_units(msg.SHEET_CUSTOMERS, msg.COL_CUSTOMER, now.customers, units, now.orders),
        _by_units(msg.SHEET_PAYMENTS, msg.COL_PAYMENT, now.payments, units, now.orders),
        _collections(report),
    ]
    if report.progress is not None:
        out += [
            _groups(msg.SHEET_REGIONS, msg.COL_REGION, report.progress.regions, (Chart("bar", msg.CHART_REGIONS, 1, (3,)),)),
            _groups(msg.SHEET_SALESPEOPLE, msg.COL_SALESPERSON, report.progress.salespeople),
        ]
        if report.progress.any_target:
            out.append(_targets(report))
    if report.trend:
        out.append(_trend(report))
    return out


def save(report: MonthlyReport, folder: Path) -> Path:
    """Write the report's workbook into ``folder``; the absolute path of the file."""
    return write_workbook(folder / file_name(report.month.key), sheets(report))
