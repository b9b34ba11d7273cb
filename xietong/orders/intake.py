"""Order intake (SPEC §3): the ``key：value`` text CS staff paste after ``/接单`` becomes an :class:`OrderDraft`.

Pure functions, no database and no bot, so every quirk of pasted QQ text can be tested directly. Every problem
is collected and reported together, so one corrected message is enough.

How the text is read:

* Full-width "：", "，", "；" and digits read like ASCII ones; ``【客户】金陵建材`` and list markers
  ("1. 客户：…") are tolerated. Free text (收货人, 地址, 包装, 备注) is kept as typed; customer and product
  names, being identifiers, are NFKC-folded so "（南京）" and "(南京)" are one name.
* A field starts with a known key (or synonym) followed by a colon anywhere after a space or separator; a key
  followed by a space (``客户 金陵建材``) starts a field at a line start, after "," or ";", after two or more
  spaces, or after one space unless we are inside 备注/包装/明细; a key glued to a number (``电话13800000000``)
  only at a line start or after "," or ";".
* A "word：" that is no key is reported as ``不认识的字段：word``, except inside 地址/备注/包装/明细, where
  colons are ordinary text (for 备注/包装/明细 also at the start of their continuation lines). A line without
  any key continues 地址, 备注, 包装 or 明细 when it follows one (multi-line addresses, notes and item lists);
  anywhere else it is reported as unreadable.
* The template's "（可选）" placeholder counts as empty; an empty optional field is absent (for ``/改单``:
  cleared, i.e. ``None``); an empty required field is missing.

Items and money:

* Repeated 品名/数量/单价 lines pair up by position: the n-th 品名 with the n-th 数量 and the n-th 单价.
  Or ``明细：水泥 10吨 420元；黄沙 5吨 80元`` (";", "、", "," or new lines between items; price written
  ``420元``, ``×420``, ``@420``, ``单价420`` or as a bare trailing number). 明细 and 品名 lines are never mixed.
* amount = Σ round_half_up(quantity × unit price) per item, so the printed lines of the sales slip add up to
  the total. With 金额 given, 金额 is the amount; if every item also has a 单价 and their sum differs, that
  is a problem naming both figures.
* A number of 单价 lines different from the number of items cannot be attributed: without 金额 it is a
  problem; with 金额 the 单价 lines are ignored (the items carry no unit price) and 金额 is the amount.
* 交期: ``12月5日``/``12月5号``/``12-05``/``12/5``/``12.5`` (the next such date on or after today, so in late
  December "1月3日" is next year), ``2026-12-05``/``2026/12/5``/``2026年12月5日``, ``今天``/``明天``/``后天``/
  ``大后天``; a trailing "前"/"之前" or "(周五)" is allowed. A full date before today is a problem.
* 收货人 written with the phone number after it (``王工 13800000000``) fills 电话 when 电话 is not given.
"""

import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from xietong.core.numbers import (
    NUMERAL_CHARS,
    is_plain_unit,
    line_fen,
    normalize,
    parse_decimal,
    parse_money_fen,
    split_quantity,
)
from xietong.core.phone import normalize_phone
from xietong.orders.enums import PAYMENT_ALIASES, PaymentMethod

from . import messages as msg


@dataclass(frozen=True)
class Item:
    name: str
    quantity: Decimal
    unit: str  # "箱", "吨", "" ...
    unit_price_fen: int | None = None


@dataclass(frozen=True)
class OrderDraft:
    customer: str
    items: tuple[Item, ...]
    amount_fen: int  # Σ quantity × unit price (half-up to fen per item), or the 金额 given
    payment: PaymentMethod
    consignee: str
    phone: str
    address: str
    packaging: str | None = None
    due_date: date | None = None
    note: str | None = None


class IntakeError(ValueError):
    """Every missing or invalid field at once, one short Chinese line each, so one reply can fix them all."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems




_SYNONYMS: dict[str, tuple[str, ...]] = {
    "客户": ("客户名称", "客户名", "单位"),
    "品名": ("产品", "货品", "商品", "名称", "产品名称"),
    "数量": (),
    "单价": ("价格",),
    "金额": ("总价", "合计", "总金额"),
    "明细": (),
    "付款方式": ("付款", "结算方式", "支付方式"),
    "收货人": ("联系人",),
    "电话": ("手机", "联系电话", "手机号", "电话号码"),
    "地址": ("收货地址", "送货地址"),
    "包装": ("包装要求",),
    "交期": ("交货日期", "送货日期"),
    "备注": (),
    "运费": ("运输费",),  # kept in 备注 (see _freight_into_note)
}
_KEYS: dict[str, str] = {alias: key for key, aliases in _SYNONYMS.items() for alias in (key, *aliases)}
_KEY_ALT = "|".join(sorted(map(re.escape, _KEYS), key=len, reverse=True))

# Run on folded text (see _fold). At a line start, a list marker ("1.", "2、", "-") may precede the key.
# A space separator starts only where a run of spaces starts, which keeps long runs linear.
_FIELD_START = re.compile(
    rf"(?P<sep>^\s*(?:(?:\d{{1,2}}[.、)]|[-*•·])\s*)?|[,;]\s*|(?<!\s)\s+)"
    rf"(?:【(?P<bracketed>{_KEY_ALT})】\s*:?"
    rf"|(?P<key>{_KEY_ALT})(?:\s*(?P<colon>:)|(?P<space>\s+)|(?P<glued>(?=[\d¥])))"
    rf"|(?P<unknown>[^\s:,;\d]{{1,8}})\s*:)"
)
_FOLD = str.maketrans(
    {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)} | {"\u3000": " ", "￥": "¥"}
)
_PLACEHOLDER = re.compile(r"^[(（](?:可选|选填)[)）]")
_VALUE_EDGES = " \t\u3000,;，；。"

_FREE_TEXT = frozenset({"地址", "备注", "包装", "明细"})  # may hold colons and continue on the next lines
_NO_SPACE_SPLIT = frozenset({"备注", "包装", "明细"})  # prose: "key value" inside is not a new field
_ITEM_KEYS = ("品名", "数量", "单价", "明细")
_Row = tuple[str, str, str | None]  # (name, quantity text, price text or None)
_MONEY_AND_ITEM_KEYS = frozenset({*_ITEM_KEYS, "金额"})

_ENTRY_SPLIT = re.compile(r"[;\n、]|,(?!\d{3}(?!\d))")
_ITEMS_ON_A_LINE = re.compile(r"[;；、\n]")
COMMON_UNITS = frozenset(
    "吨 t 箱 件 袋 包 kg 公斤 千克 斤 克 g 个 只 桶 瓶 罐 方 立方 立方米 米 m 卷 张 套 台 块 支 根 条 车 托 盒 片 把 组 批".split()
)
_MONEY_TEXT = r"¥?[\d零〇一二两三四五六七八九十百千万点.,]+(?:元|块)?(?:/[^\s\d/]{1,3})?"
_MARKED_PRICE = re.compile(rf"(?P<rest>.+?)\s*(?:[×xX*@]|单价:?)\s*(?P<price>{_MONEY_TEXT})")
_BARE_PRICE = re.compile(rf"(?P<rest>.+?)\s+(?P<price>{_MONEY_TEXT})")
_PER_UNIT = re.compile(r"\s*/\s*[^\s\d/]{1,3}$")
_TRAILING_PHONE = re.compile(r"(?P<name>.+?)[\s,/]{0,3}(?P<phone>\+?\(?\d[\d\s\-()]{6,20})")

_DATE_NUM = r"[\d零〇一二两三四五六七八九十廿]{1,3}"
_DATE = re.compile(
    rf"(?:(?P<year>\d{{4}})\s*(?:年|[-/.])\s*)?(?P<month>{_DATE_NUM})\s*(?:月|[-/.])\s*(?P<day>{_DATE_NUM})"
    r"\s*[日号]?\s*(?:之前|以前|前)?\s*(?:\((?:周|星期)[一二三四五六日天]\))?"
)
_RELATIVE_DAYS = {"今天": 0, "明天": 1, "后天": 2, "大后天": 3}


# ---------------------------------------------------------------- splitting the text into fields


def _fold(text: str) -> str:
    """Full-width ASCII forms ("：", "，", "１") → ASCII, one character for one.

    The scanner matches on the folded line and slices values from the original one at the same positions, so
    free text (地址, 备注 …) keeps its Chinese punctuation.
    """
    return text.translate(_FOLD)


def _key(m: re.Match[str]) -> str:
    return _KEYS[m["key"] or m["bracketed"]]


def _accepts(m: re.Match[str], current: str | None) -> bool:
    """Whether a key-looking match really starts a field, given the field whose value we are in."""
    strong = m.start() == 0 or m["sep"][0] in ",;"
    if m["unknown"]:  # "发票：…" is reported, but colons inside an address or prose are just text
        return current not in (_NO_SPACE_SPLIT if m.start() == 0 else _FREE_TEXT)
    if m["colon"] or m["bracketed"]:
        return True
    if m["space"]:
        wide = len(m["sep"]) >= 2 or "\t" in m["sep"]
        return strong or wide or current not in _NO_SPACE_SPLIT
    return strong


def _field_starts(line: str, current: str | None) -> list[re.Match[str]]:
    accepted = []
    for m in _FIELD_START.finditer(line):
        if _accepts(m, current):
            accepted.append(m)
            current = None if m["unknown"] else _key(m)
    return accepted


def _split_fields(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(canonical key, raw value) in order of appearance, plus problems about the layout itself."""
    fields: list[tuple[str, str]] = []
    problems: list[str] = []
    current: str | None = None
    for line in text.replace("\r", "").split("\n"):
        starts = _field_starts(_fold(line), current)
        lead = line[: starts[0].start()] if starts else line
        if lead.strip(_VALUE_EDGES):
            if current in _FREE_TEXT:
                fields[-1] = (current, f"{fields[-1][1]}\n{lead}")
            else:
                problems.append(msg.unreadable_line(line.strip()))
        for i, m in enumerate(starts):
            value = line[m.end() : starts[i + 1].start() if i + 1 < len(starts) else len(line)]
            if m["unknown"]:
                problems.append(msg.unknown_field(m["unknown"]))
                current = None
            else:
                current = _key(m)
                fields.append((current, value))
    return fields, problems


def _clean(value: str) -> str:
    """Trim separators and the template's "（可选）" placeholder; keep inner line breaks for 明细."""
    lines = [part.strip(_VALUE_EDGES) for part in value.split("\n")]
    return _PLACEHOLDER.sub("", "\n".join(part for part in lines if part)).strip()


def _group(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Values by key. An empty item or 金额 line says nothing; other empty values stay (/改单 clears with them)."""
    grouped: dict[str, list[str]] = {}
    for key, raw in fields:
        value = _clean(raw)
        if value or key not in _MONEY_AND_ITEM_KEYS:
            grouped.setdefault(key, []).append(value)
    return grouped


# ---------------------------------------------------------------- single fields


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _name(value: str) -> str:
    """Customer and product names are identifiers: folded (NFKC), so "（南京）" and "(南京)" name one customer."""
    return _one_line(normalize(value))


def _payment(value: str, _today: date) -> PaymentMethod:
    """Exact alias, or an alias inside kind surrounding text ("款到发货（已确认）"); two methods is ambiguous."""
    if value in PAYMENT_ALIASES:
        return PAYMENT_ALIASES[value]
    found = {method for alias, method in PAYMENT_ALIASES.items() if alias in value}
    if len(found) == 1:
        return found.pop()
    if found:
        raise ValueError(msg.one_payment_only(value))
    raise ValueError(msg.unknown_payment(value))


def _date_part(text: str) -> int:
    number = parse_decimal(text)
    if number != number.to_integral_value():
        raise ValueError(text)
    return int(number)


def _due_date(value: str, today: date) -> date:
    """交期 as typed; a month-day without a year is its next occurrence on or after ``today``."""
    text = _one_line(normalize(value))
    if text in _RELATIVE_DAYS:
        return today + timedelta(days=_RELATIVE_DAYS[text])
    m = _DATE.fullmatch(text)
    if not m:
        raise ValueError(msg.unreadable_due(text))
    invalid = ValueError(msg.invalid_due(text))
    try:
        month, day = _date_part(m["month"]), _date_part(m["day"])
    except ValueError:
        raise invalid from None
    if m["year"]:
        try:
            due = date(int(m["year"]), month, day)
        except ValueError:
            raise invalid from None
        if due < today:
            raise ValueError(msg.due_passed(due))
        return due
    for year in (today.year, today.year + 1):
        with suppress(ValueError):
            due = date(year, month, day)
            if due >= today:
                return due
    raise invalid


@dataclass(frozen=True)
class _Field:
    key: str
    attr: str
    required: bool
    parse: Callable[[str, date], object]


_SINGLE_FIELDS = {
    field.key: field
    for field in (
        _Field("客户", "customer", True, lambda v, _: _name(v)),
        _Field("付款方式", "payment", True, _payment),
        _Field("收货人", "consignee", True, lambda v, _: _one_line(v)),
        _Field("电话", "phone", True, lambda v, _: normalize_phone(v)),
        _Field("地址", "address", True, lambda v, _: _one_line(v)),
        _Field("包装", "packaging", False, lambda v, _: _one_line(v)),
        _Field("交期", "due_date", False, _due_date),
        _Field("备注", "note", False, lambda v, _: _one_line(v)),
    )
}
_ITEMS = "品名"  # where the item problems go in the reply: in template order, after 客户
_LAYOUT = ("客户", _ITEMS, "付款方式", "收货人", "电话", "地址", "包装", "交期", "备注")


def _split_consignee_phone(grouped: dict[str, list[str]]) -> None:
    """``收货人：王工 13800000000`` is common; when 电话 is absent, take the trailing number as the phone."""
    if "电话" in grouped or len(grouped.get("收货人", [])) != 1:
        return
    consignee = _one_line(grouped["收货人"][0])
    m = _TRAILING_PHONE.fullmatch(_fold(consignee))
    if not m:
        return
    with suppress(ValueError):
        normalize_phone(m["phone"])
        grouped["收货人"] = [consignee[: m.end("name")]]
        grouped["电话"] = [m["phone"]]


def _freight_into_note(grouped: dict[str, list[str]]) -> None:
    """「运费800元」: the freight agreed with the customer goes into 备注, for logistics and the slip to read; the
    freight actually paid is recorded by logistics with /运费."""
    freight = [msg.freight_note(value) for value in grouped.pop("运费", []) if value]
    if freight:
        grouped["备注"] = ["；".join(dict.fromkeys([*(v for v in grouped.get("备注", []) if v), *freight]))]


def _single_value(key: str, values: list[str]) -> str:
    """The one value given for ``key`` ("" when empty); the same value twice is fine, two different ones not."""
    distinct = list(dict.fromkeys(v for v in values if v))
    if len(distinct) > 1:
        raise ValueError(msg.written_twice(key, distinct))
    return distinct[0] if distinct else ""


def _read_single(
    field: _Field, grouped: dict[str, list[str]], today: date, complete: bool
) -> dict[str, object]:
    """``{attr: value}`` for a field that was given (``None`` clears an optional one), ``{}`` otherwise."""
    if field.key not in grouped:
        if complete and field.required:
            raise ValueError(msg.missing(field.key))
        return {}
    value = _single_value(field.key, grouped[field.key])
    if value:
        return {field.attr: field.parse(value, today)}
    if field.required:
        raise ValueError(msg.missing(field.key))
    return {field.attr: None}


# ---------------------------------------------------------------- items and amount


def _name_and_quantity(text: str) -> tuple[str, str] | None:
    """Split "白水泥 十吨" or "P.O42.5水泥30吨": the leftmost point where the rest is a quantity with a plain unit."""
    for i in range(1, len(text)):
        if text[i] not in NUMERAL_CHARS or text[i - 1] in NUMERAL_CHARS + ".,":
            continue
        name = text[:i].strip().rstrip("×*:").strip()
        try:
            _, unit = split_quantity(text[i:])
        except ValueError:
            continue
        if name and is_plain_unit(unit):
            return name, text[i:].strip()
    return None


def _detail_row(entry: str) -> _Row | None:
    """One 明细 entry → (name, quantity text, price text or None); a price needs the rest to still read."""
    for pattern in (_MARKED_PRICE, _BARE_PRICE):
        m = pattern.fullmatch(entry)
        if m and (found := _name_and_quantity(m["rest"])):
            return (*found, m["price"])
    found = _name_and_quantity(entry)
    return (*found, None) if found else None


def _detail_rows(details: list[str]) -> list[_Row]:
    """The entries of 明细; IntakeError names every entry that does not read."""
    rows, problems = [], []
    for entry in (_one_line(part) for value in details for part in _ENTRY_SPLIT.split(value)):
        if not entry:
            continue
        row = _detail_row(entry)
        if row is None:
            problems.append(msg.unreadable_detail(entry))
        else:
            rows.append(row)
    if problems:
        raise IntakeError(problems)
    return rows


def _entries(values: list[str]) -> list[str]:
    """「水泥、黄沙」「30吨；5吨」: several items on one line, separated by ；or 、 (or on lines of their own)."""
    return [part.strip() for value in values for part in _ITEMS_ON_A_LINE.split(value) if part.strip()]


def _rows_in_names(names: list[str], prices: list[str]) -> list[_Row] | None:
    """「品名：水泥 30吨」「品名：水泥 30吨 420元；黄沙 5吨 80元」: the quantity (and price) in the 品名 line itself,
    with a common unit (so "P.O42.5水泥" stays a name); None when some entry has none (then 数量 is missing)."""
    found = [_detail_row(_one_line(normalize(entry))) for entry in names]
    rows = [row for row in found if row is not None and split_quantity(row[1])[1].lower() in COMMON_UNITS]
    if len(rows) != len(found):
        return None
    if prices and len(prices) == len(rows) and all(price is None for _, _, price in rows):
        rows = [(name, quantity, price) for (name, quantity, _), price in zip(rows, prices, strict=True)]
    return rows


def _line_rows(grouped: dict[str, list[str]], has_total: bool) -> list[_Row]:
    """Pair repeated 品名/数量/单价 lines by position (a 单价 count mismatch: see the module docstring)."""
    names, quantities, prices = (_entries(grouped.get(key, [])) for key in ("品名", "数量", "单价"))
    if names and not quantities and (rows := _rows_in_names(names, prices)) is not None:
        return rows
    missing = [msg.missing(key) for key, given in (("品名", names), ("数量", quantities)) if not given]
    if missing:
        if not prices and not has_total:
            missing.append(msg.NEED_PRICE_OR_TOTAL)
        raise IntakeError(missing)
    if len(names) != len(quantities):
        raise IntakeError([msg.names_and_quantities(len(names), len(quantities))])
    if prices and len(prices) != len(names):
        if not has_total:
            raise IntakeError(
                [msg.prices_and_names(len(prices), len(names))]
            )
        prices = []
    return list(zip(names, quantities, prices or [None] * len(names), strict=True))


MAX_QUANTITY = Decimal(1_000_000)
"""Most of one unit on one order: a pasted phone number (13800000000) as 数量 is refused, not priced."""
MAX_ORDER_FEN = 100_000_000 * 100
"""An order of more than 1 亿元 is a typing mistake here."""
QUANTITY_DECIMALS = 3  # what the database keeps (Numeric(18, 3)): more would print differently than it was priced


def _quantity_problem(quantity: Decimal, unit: str, text: str) -> str | None:
    """Why a quantity cannot go on an order, or None: the workshop must know how much of what."""
    text = text.strip()
    if quantity <= 0:
        return msg.quantity_not_positive(text)
    if not unit:
        return msg.quantity_without_unit(text)
    if quantity > MAX_QUANTITY:
        return msg.quantity_too_large(text, unit)
    if -quantity.as_tuple().exponent > QUANTITY_DECIMALS:
        return msg.quantity_too_fine(text)
    return None


def _item(row: _Row) -> Item:
    """Validate one item; IntakeError carries both a bad quantity and a bad price, not just the first."""
    name, quantity_text, price_text = row
    problems = []
    quantity, unit = Decimal(0), ""
    try:
        quantity, unit = split_quantity(quantity_text)
        if problem := _quantity_problem(quantity, unit, quantity_text):
            problems.append(problem)
    except ValueError as exc:
        problems.append(str(exc))
    price = None
    if price_text is not None:
        try:
            price = parse_money_fen(_PER_UNIT.sub("", normalize(price_text)), label="单价")
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        raise IntakeError(problems)
    return Item(_name(name), quantity, unit, price)


def _amount(items: list[Item], total: int | None) -> int:
    """金额 when given (checked against the 单价 sum when every item is priced), else the 单价 sum."""
    prices = [item.unit_price_fen for item in items]
    if total is not None and total > MAX_ORDER_FEN:
        raise IntakeError([msg.total_too_large(total)])
    if None in prices:
        if total is not None:
            return total
        unpriced = [item.name for item in items if item.unit_price_fen is None]
        if len(unpriced) == len(items):
            raise IntakeError([msg.NEED_PRICE_OR_TOTAL])
        raise IntakeError([msg.unpriced(unpriced)])
    computed = sum(line_fen(item.quantity, price) for item, price in zip(items, prices, strict=True))
    if computed > MAX_ORDER_FEN:
        raise IntakeError([msg.computed_too_large(computed)])
    if total is not None and total != computed:
        raise IntakeError([msg.total_mismatch(total, computed)])
    if computed <= 0:
        raise IntakeError([msg.COMPUTED_ZERO])
    return computed


def _check_priced_total(total: int | None, current_items: tuple[Item, ...]) -> None:
    """/改单 金额 alone: items that carry unit prices must still add up to it, or the slip would contradict
    the amount; which price changed is for the person to say, never for the bot to guess."""
    if total is None or not current_items or any(item.unit_price_fen is None for item in current_items):
        return
    computed = sum(line_fen(item.quantity, item.unit_price_fen or 0) for item in current_items)
    if computed != total:
        raise IntakeError([
            msg.changed_total_mismatch(total, computed)
        ])


def _changed_rows(grouped: dict[str, list[str]], current_items: tuple[Item, ...]) -> list[_Row]:
    """/改单 without 品名: 数量 and/or 单价 lines change the order's own items, one line per item in order."""
    changed = {key: grouped.get(key, []) for key in ("数量", "单价")}
    for key, lines in changed.items():
        if lines and len(lines) != len(current_items):
            raise IntakeError(
                [msg.changed_lines_mismatch(key, len(lines), len(current_items))]
            )
    quantities = changed["数量"] or [f"{item.quantity:f}{item.unit}" for item in current_items]
    prices = changed["单价"] or [
        None if item.unit_price_fen is None else f"{Decimal(item.unit_price_fen).scaleb(-2):f}"
        for item in current_items
    ]
    return list(zip([item.name for item in current_items], quantities, prices, strict=True))


def _rows(grouped: dict[str, list[str]], current_items: tuple[Item, ...]) -> list[_Row]:
    """Where the items come from: 明细, 数量/单价 changes to the order's own items (/改单), or 品名 lines."""
    if "明细" in grouped:
        if any(key in grouped for key in ("品名", "数量", "单价")):
            raise IntakeError([msg.DETAIL_OR_LINES])
        return _detail_rows([normalize(v) for v in grouped["明细"]])
    if current_items and "品名" not in grouped:
        return _changed_rows(grouped, current_items)
    return _line_rows(grouped, "金额" in grouped)


def _read_items(
    grouped: dict[str, list[str]], complete: bool, current_items: tuple[Item, ...]
) -> dict[str, object]:
    """``items`` and ``amount_fen``; for ``/改单`` with only 金额 given, just ``amount_fen``."""
    problems: list[str] = []
    total = None
    if "金额" in grouped:
        try:
            total = parse_money_fen(_single_value("金额", grouped["金额"]), label="金额")
        except ValueError as exc:
            problems.append(str(exc))
    if not complete and all(key not in grouped for key in _ITEM_KEYS):
        if problems:
            raise IntakeError(problems)
        _check_priced_total(total, current_items)
        return {"amount_fen": total}
    try:
        rows = _rows(grouped, current_items)
    except IntakeError as exc:
        raise IntakeError(problems + exc.problems) from None
    items = []
    for row in rows:
        try:
            items.append(_item(row))
        except IntakeError as exc:
            problems += exc.problems
    if problems:
        raise IntakeError(problems)
    return {"items": tuple(items), "amount_fen": _amount(items, total)}


# ---------------------------------------------------------------- public entry points


def _read(
    text: str, today: date, *, complete: bool, current_items: tuple[Item, ...] = ()
) -> dict[str, object]:
    """Validated values keyed like OrderDraft; ``complete`` also reports every missing required field."""
    fields, layout_problems = _split_fields(text)
    grouped = _group(fields)
    _split_consignee_phone(grouped)
    _freight_into_note(grouped)
    values: dict[str, object] = {}
    problems: list[str] = []
    for key in _LAYOUT:
        try:
            if key != _ITEMS:
                values |= _read_single(_SINGLE_FIELDS[key], grouped, today, complete)
            elif complete or not _MONEY_AND_ITEM_KEYS.isdisjoint(grouped):
                values |= _read_items(grouped, complete, current_items)
        except IntakeError as exc:
            problems += exc.problems
        except ValueError as exc:
            problems.append(str(exc))
    problems += layout_problems
    if problems:
        raise IntakeError(problems)
    return values


def parse_intake(text: str, today: date) -> OrderDraft:
    """The text after ``/接单`` → a complete draft, or IntakeError naming every missing or invalid field."""
    return OrderDraft(**_read(text, today, complete=True))


def parse_fields(text: str, today: date, current_items: tuple[Item, ...] = ()) -> dict[str, object]:
    """The fields after ``/改单 单号``: only those given, validated, keyed like OrderDraft's attributes.

    Items change as a whole and the amount is recomputed with them, so any of 品名/数量/单价/明细 yields both
    ``items`` and ``amount_fen``. With ``current_items`` (the order's items), 数量 and/or 单价 lines without
    品名 change those items in order (``数量：40吨`` on a one-item order), keeping what is not written;
    without it, or with 品名 lines, the whole list is written again. The amount is 金额 if written, else
    Σ quantity × unit price; an item without a price then needs 金额. 金额 alone changes just ``amount_fen``.
    An empty optional field clears it (``None``); an empty required one is reported as missing.
    """
    values = _read(text, today, complete=False, current_items=current_items)
    if not values:
        raise IntakeError([msg.NOTHING_TO_CHANGE])
    return values
