"""The archive as a workbook (/客户 导出): one row per customer, with what they owe."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from xietong.core.clock import local
from xietong.core.excel import Column, Kind, Sheet, write_workbook

from . import messages as msg
from .service import ArchiveRow

HEAD = msg.EXPORT_HEADS
COLUMNS = (
    Column(HEAD["name"]), Column(HEAD["contact"]), Column(HEAD["phone"]), Column(HEAD["region"]),
    Column(HEAD["salesman"]), Column(HEAD["credit_limit"], Kind.money), Column(HEAD["credit_days"], Kind.count),
    Column(HEAD["owed"], Kind.money), Column(HEAD["overdue"], Kind.money), Column(HEAD["open_orders"], Kind.count),
    Column(HEAD["note"], width=40), Column(HEAD["created"], Kind.time),
)


def file_name(at: datetime) -> str:
    return msg.export_file(local(at))


def sheet(rows: list[ArchiveRow], default_days: int) -> Sheet:
    body = [
        [
            c.name, c.contact, c.phone, c.region, c.salesman, c.credit_limit_fen,
            c.credit_days if c.credit_days is not None else default_days,
            b.outstanding_fen, b.overdue_fen, b.orders, c.note, c.created_at,
        ]
        for c, b in ((row.customer, row.balance) for row in rows)
    ]
    total = [
        msg.export_total(len(rows)), "", "", "", "", None, None,
        sum(r.balance.outstanding_fen for r in rows), sum(r.balance.overdue_fen for r in rows),
        sum(r.balance.orders for r in rows), "", None,
    ]
    return Sheet(msg.EXPORT_SHEET, COLUMNS, body, total)


def save(rows: list[ArchiveRow], default_days: int, path: Path) -> Path:
    return write_workbook(path, [sheet(rows, default_days)])
