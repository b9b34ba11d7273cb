"""The archive as a workbook (/客户 导出): one row per customer, with what they owe."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from xietong.core.clock import local
from xietong.core.excel import Column, Kind, Sheet, write_workbook

from .service import ArchiveRow

COLUMNS = (
    Column("名称"), Column("联系人"), Column("电话"), Column("地区"), Column("业务员"),
    Column("信用额度（元）", Kind.money), Column("账期（天）", Kind.count), Column("欠款（元）", Kind.money),
    Column("逾期（元）", Kind.money), Column("未结订单", Kind.count), Column("备注", width=40),
    Column("建档时间", Kind.time),
)


def file_name(at: datetime) -> str:
    return f"客户档案-{local(at):%Y%m%d-%H%M%S}.xlsx"


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
        f"合计 {len(rows)} 家", "", "", "", "", None, None,
        sum(r.balance.outstanding_fen for r in rows), sum(r.balance.overdue_fen for r in rows),
        sum(r.balance.orders for r in rows), "", None,
    ]
    return Sheet("客户档案", COLUMNS, body, total)


def save(rows: list[ArchiveRow], default_days: int, path: Path) -> Path:
    return write_workbook(path, [sheet(rows, default_days)])
