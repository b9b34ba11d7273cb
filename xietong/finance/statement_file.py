"""A statement of account as a workbook: the movements with a running balance, and the closing ageing."""

from __future__ import annotations

from pathlib import Path

from xietong.core.excel import Column, Kind, Sheet, write_workbook

from .statement import Statement

COLUMNS = (
    Column("日期", Kind.time), Column("摘要"), Column("单号"), Column("应收增加（元）", Kind.money),
    Column("收到/冲减（元）", Kind.money), Column("余额（元）", Kind.money),
)


def file_name(s: Statement) -> str:
    safe = "".join(ch for ch in s.customer if ch not in '\\/:*?"<>|')[:40]
    return f"对账单-{safe}-{s.label}.xlsx"


def sheets(s: Statement) -> list[Sheet]:
    balance = s.opening_fen
    rows: list[list[object]] = [[s.start, "期初余额", "", None, None, balance]]
    for m in s.movements:
        balance += m.charge_fen - m.credit_fen
        rows.append([m.at, m.kind, m.ref, m.charge_fen or None, m.credit_fen or None, balance])
    charges, credits = sum(m.charge_fen for m in s.movements), sum(m.credit_fen for m in s.movements)
    ledger = Sheet("对账单", COLUMNS, rows, [None, "期末余额", "", charges, credits, s.closing_fen])
    ageing = Sheet(
        "账龄", (Column("账龄"), Column("金额（元）", Kind.money)),
        [[label, fen] for label, fen in s.ageing.items()], ["合计", s.ageing.total],
    )
    if not s.prepaid_fen:
        return [ledger, ageing]
    prepaid = Sheet("预收余额", (Column("项目"), Column("金额（元）", Kind.money)), [["预收余额（撤单或多付）", s.prepaid_fen]])
    return [ledger, ageing, prepaid]


def save(s: Statement, folder: Path) -> Path:
    return write_workbook(folder / file_name(s), sheets(s))
