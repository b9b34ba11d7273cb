"""Workbooks people open in Excel or WPS: one sheet per table, a bold frozen header, sensible widths and formats.

Money is kept in fen everywhere else; here it becomes yuan with two decimals (``#,##0.00``). A file is written
next to its final name and moved into place, so a reader never sees half a workbook.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from xietong.core.clock import local

from . import messages


class Kind(str, Enum):
    text = "text"
    count = "count"  # whole numbers
    money = "money"  # fen in, yuan with two decimals out
    quantity = "quantity"  # up to three decimals
    percent = "percent"  # a change as a ratio: 0.125 → +12.5%
    share = "share"  # a part of a whole: 0.125 → 12.5%
    time = "time"  # aware datetime, shown local


FORMATS = {
    Kind.count: "#,##0",
    Kind.money: "#,##0.00",
    Kind.quantity: "#,##0.###",
    Kind.percent: "+0.0%;-0.0%;0.0%",
    Kind.share: "0.0%",
    Kind.time: "yyyy-mm-dd hh:mm",
}
MONEY_FORMAT = FORMATS[Kind.money]

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="4F6D8F")
_TOTAL_FONT = Font(bold=True)
_TOTAL_BORDER = Border(top=Side(style="thin"))


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = Kind.text
    width: float | None = None  # None: fitted to the title and the values


@dataclass(frozen=True)
class Chart:
    """A native Excel chart of some of a sheet's columns (1-based), one category per row (the total left out).

    Native charts are drawn by Excel or WPS on the reader's machine: nothing is rendered on the server."""

    kind: str  # "line" | "bar"
    title: str
    categories: int
    series: tuple[int, ...]
    y_title: str = messages.YUAN


@dataclass
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: list[list[object]] = field(default_factory=list)
    total: list[object] | None = None  # a bold 合计 row under the rows
    charts: Sequence[Chart] = ()


def cell_value(kind: Kind, value: object) -> object:
    """What goes into the cell: yuan for money, floats for quantities, naive local time for times."""
    if value is None or value == "":
        return None
    if kind == Kind.money:
        return Decimal(int(value)) / 100  # type: ignore[call-overload]
    if kind == Kind.quantity:
        return float(value)  # type: ignore[arg-type]
    if kind == Kind.time and isinstance(value, datetime):
        return local(value).replace(tzinfo=None)
    return value


def _display_width(text: str) -> int:
    """Chinese characters take two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _shown_width(kind: Kind, value: object) -> int:
    if value is None:
        return 0
    if kind == Kind.money:
        return len(f"{int(value) / 100:,.2f}")  # type: ignore[call-overload]
    if kind == Kind.time:
        return 16
    if kind in (Kind.percent, Kind.share):
        return 7
    return _display_width(str(value))


def _fill(ws, sheet: Sheet) -> None:
    ws.append([c.title for c in sheet.columns])
    for cell in ws[1]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    lines = [*sheet.rows, *([sheet.total] if sheet.total is not None else [])]
    for values in lines:
        ws.append([cell_value(c.kind, v) for c, v in zip(sheet.columns, values, strict=True)])
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        if column.kind in FORMATS:
            for row in range(2, len(lines) + 2):
                ws[f"{letter}{row}"].number_format = FORMATS[column.kind]
        widest = max([_display_width(column.title), *(_shown_width(column.kind, v[index - 1]) for v in lines)])
        ws.column_dimensions[letter].width = column.width or min(max(widest + 2, 8), 60)
    if sheet.total is not None:
        for cell in ws[len(lines) + 1]:
            cell.font, cell.border = _TOTAL_FONT, _TOTAL_BORDER
    ws.freeze_panes = "A2"


def _draw(ws, sheet: Sheet) -> None:
    """The sheet's charts, side by side to the right of its table."""
    if not sheet.rows:
        return
    last = len(sheet.rows) + 1
    for index, spec in enumerate(sheet.charts):
        chart = LineChart() if spec.kind == "line" else BarChart()
        chart.title, chart.y_axis.title = spec.title, spec.y_title
        chart.height, chart.width = 8, 16
        for column in spec.series:
            chart.add_data(Reference(ws, min_col=column, min_row=1, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=spec.categories, min_row=2, max_row=last))
        anchor = get_column_letter(len(sheet.columns) + 2) + str(1 + index * 17)
        ws.add_chart(chart, anchor)


def write_workbook(path: Path, sheets: Sequence[Sheet]) -> Path:
    """Write ``sheets`` to ``path`` (folders created, an older file replaced); return the absolute path."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        ws = workbook.create_sheet(sheet.title[:31])
        _fill(ws, sheet)
        _draw(ws, sheet)
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.stem}.{uuid.uuid4().hex}.partial.xlsx")
    workbook.save(partial)
    os.replace(partial, path)
    return path
