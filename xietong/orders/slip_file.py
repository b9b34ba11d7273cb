"""The printable sales slip: one A4 sheet made with openpyxl.

Layout (columns A–F): the title 销售单; slip number and date; customer and order number; the payment
method in its own large, boxed row (regulation step 3: the slip must state it); the items table
(序号, 品名, 数量, 单位, 单价, 金额); the total in figures and in capital numerals; consignee, phone and
address; packaging, delivery date, remark and a forced-issue reason when there are any; signature lines.
Labels sit in column A (or D) and their values to the right, so the sheet reads back cell by cell.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from xietong.core.clock import fmt_local

from . import messages as msg
from .enums import Stage
from .slip import Slip, amount_in_words

SLIP_DIR = "slips"
FONT = msg.SLIP_FONT
MONEY = "#,##0.00"
WIDTHS = {"A": 8, "B": 28, "C": 11, "D": 9, "E": 14, "F": 17}

_thin = Side(style="thin")
_thick = Side(style="medium")
GRID = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
BOX = Border(left=_thick, right=_thick, top=_thick, bottom=_thick)
SIGN_LINE = Border(bottom=_thin)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
HEADER_FILL = PatternFill("solid", fgColor="E7E6E6")
PAYMENT_FILL = PatternFill("solid", fgColor="FFF2CC")


def _font(size: int = 11, *, bold: bool = False, color: str | None = None) -> Font:
    return Font(name=FONT, size=size, bold=bold, color=color)


def _yuan(fen: int) -> Decimal:
    return Decimal(fen) / 100


def build(slip: Slip) -> Workbook:
    order = slip.order
    wb = Workbook()
    ws = wb.active
    ws.title = msg.SLIP_TITLE
    wb.properties.title = msg.slip_title(slip.number, order)
    wb.properties.creator = msg.SLIP_CREATOR
    for column, width in WIDTHS.items():
        ws.column_dimensions[column].width = width

    ws.merge_cells("A1:F1")
    void = order.stage == Stage.cancelled
    title = msg.SLIP_VOID_TITLE if void else msg.SLIP_TITLE
    _put(ws, "A1", title, _font(20, bold=True, color="C00000" if void else None), CENTER)
    ws.row_dimensions[1].height = 36

    _label_value(ws, 2, msg.SLIP_NUMBER, slip.number, "B2:C2", bold=True)
    _label_value(ws, 2, msg.SLIP_DATE, fmt_local(order.slip_at, "%Y-%m-%d"), "E2:F2", label_col="D")
    _label_value(ws, 3, msg.SLIP_CUSTOMER, order.customer_name, "B3:C3", bold=True)
    _label_value(ws, 3, msg.SLIP_ORDER, order.number, "E3:F3", label_col="D")

    ws.merge_cells("B4:F4")
    _put(ws, "A4", msg.SLIP_PAYMENT, _font(12, bold=True), CENTER)
    _put(ws, "B4", order.payment.value, _font(16, bold=True), CENTER)
    for column in "ABCDEF":
        ws[f"{column}4"].border = BOX
        ws[f"{column}4"].fill = PAYMENT_FILL
    ws.row_dimensions[4].height = 30

    header_row = 6
    for column, text in zip("ABCDEF", msg.SLIP_HEADERS, strict=True):
        cell = _put(ws, f"{column}{header_row}", text, _font(11, bold=True), CENTER)
        cell.fill, cell.border = HEADER_FILL, GRID
    row = header_row
    for line in slip.lines:
        row += 1
        values = (
            line.line,
            line.name,
            line.quantity,
            line.unit,
            _yuan(line.unit_price_fen) if line.unit_price_fen is not None else None,
            _yuan(line.amount_fen) if line.amount_fen is not None else None,
        )
        for column, value in zip("ABCDEF", values, strict=True):
            cell = _put(ws, f"{column}{row}", value, _font(), LEFT if column == "B" else CENTER)
            cell.border = GRID
            if column in "EF":
                cell.number_format, cell.alignment = MONEY, RIGHT

    row += 1
    ws.merge_cells(f"A{row}:E{row}")
    _put(ws, f"A{row}", msg.SLIP_TOTAL, _font(12, bold=True), RIGHT)
    total = _put(ws, f"F{row}", _yuan(slip.total_fen), _font(12, bold=True), RIGHT)
    total.number_format = MONEY
    for column in "ABCDEF":
        ws[f"{column}{row}"].border = GRID
    row += 1
    ws.merge_cells(f"B{row}:F{row}")
    _put(ws, f"A{row}", msg.SLIP_IN_CAPITALS, _font(11, bold=True), CENTER)
    _put(ws, f"B{row}", msg.in_capitals(amount_in_words(slip.total_fen)), _font(12, bold=True), LEFT)
    for column in "ABCDEF":
        ws[f"{column}{row}"].border = GRID

    row += 2
    _label_value(ws, row, msg.SLIP_CONSIGNEE, order.consignee, f"B{row}:C{row}")
    _label_value(ws, row, msg.SLIP_PHONE, order.phone, f"E{row}:F{row}", label_col="D")
    extras = [(msg.SLIP_ADDRESS, order.address)]
    extras += [(msg.SLIP_PACKAGING, order.packaging)] if order.packaging else []
    extras += [(msg.SLIP_DUE, f"{order.due_date:%Y-%m-%d}")] if order.due_date else []
    extras += [(msg.SLIP_NOTE, order.note)] if order.note else []
    for label, value in extras:
        row += 1
        _label_value(ws, row, label, value, f"B{row}:F{row}")
    if order.slip_forced_reason:
        row += 1
        _label_value(
            ws, row, msg.SLIP_FORCED, order.slip_forced_reason, f"B{row}:F{row}", bold=True, color="C00000"
        )

    row += 2
    for label_col, blank in (("A", "B"), ("C", "D"), ("E", "F")):
        _put(
            ws,
            f"{label_col}{row}",
            msg.SLIP_SIGNATURES[label_col],
            _font(),
            RIGHT,
        )
        ws[f"{blank}{row}"].border = SIGN_LINE
    ws.row_dimensions[row].height = 28

    ws.print_area = f"A1:F{row}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = msg.slip_footer(slip.number)
    return wb


def _put(ws: Worksheet, ref: str, value, font: Font, alignment: Alignment):
    cell = ws[ref]
    cell.value = value
    cell.font, cell.alignment = font, alignment
    return cell


def _label_value(
    ws: Worksheet,
    row: int,
    label: str,
    value: str,
    value_range: str,
    *,
    label_col: str = "A",
    bold: bool = False,
    color: str | None = None,
) -> None:
    _put(ws, f"{label_col}{row}", label, _font(11, bold=True), CENTER)
    ws.merge_cells(value_range)
    _put(ws, value_range.split(":")[0], value, _font(11, bold=bold, color=color), LEFT)


def save(slip: Slip, path: Path) -> Path:
    """Write the workbook next to its final name, then move it into place: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    build(slip).save(partial)
    partial.replace(path)
    return path


def slip_path(data_dir: str | Path, slip: Slip) -> Path:
    return Path(data_dir).resolve() / SLIP_DIR / slip.filename


async def export(slip: Slip, data_dir: str | Path) -> Path:
    """Write the printable workbook under ``<data_dir>/slips/`` (replacing an older copy); return its path."""
    path = slip_path(data_dir, slip)
    await asyncio.to_thread(save, slip, path)
    return path
