"""A statement of account as a workbook: the movements with a running balance, and the closing ageing."""

from __future__ import annotations

from pathlib import Path

from xietong.core.excel import Column, Kind, Sheet, write_workbook

from . import messages as msg
from .statement import Statement

COLUMNS = (
    Column(msg.STATEMENT_DATE, Kind.time), Column(msg.STATEMENT_KIND), Column(msg.STATEMENT_REF), Column(msg.STATEMENT_CHARGE, Kind.money),
    Column(msg.STATEMENT_CREDIT, Kind.money), Column(msg.STATEMENT_BALANCE, Kind.money),
)


def file_name(s: Statement) -> str:
    safe = "".join(ch for ch in s.customer if ch not in '\\/:*?"<>|')[:40]
    return msg.statement_file(safe, s.label)


def sheets(s: Statement) -> list[Sheet]:
    balance = s.opening_fen
    rows: list[list[object]] = [[s.start, msg.STATEMENT_OPENING, "", None, None, balance]]
    for m in s.movements:
        balance += m.charge_fen - m.credit_fen
        rows.append([m.at, m.kind, m.ref, m.charge_fen or None, m.credit_fen or None, balance])
    charges, credits = sum(m.charge_fen for m in s.movements), sum(m.credit_fen for m in s.movements)
    ledger = Sheet(msg.STATEMENT_SHEET, COLUMNS, rows, [None, msg.STATEMENT_CLOSING, "", charges, credits, s.closing_fen])
    ageing = Sheet(
        msg.STATEMENT_AGEING, (Column(msg.STATEMENT_AGEING), Column(msg.STATEMENT_AMOUNT, Kind.money)),
        [[label, fen] for label, fen in s.ageing.items()], [msg.STATEMENT_TOTAL, s.ageing.total],
    )
    if not s.prepaid_fen:
        return [ledger, ageing]
    prepaid = Sheet(msg.STATEMENT_PREPAID, (Column(msg.STATEMENT_ITEM), Column(msg.STATEMENT_AMOUNT, Kind.money)), [[msg.STATEMENT_PREPAID_ROW, s.prepaid_fen]])
    return [ledger, ageing, prepaid]


def save(s: Statement, folder: Path) -> Path:
    return write_workbook(folder / file_name(s), sheets(s))
