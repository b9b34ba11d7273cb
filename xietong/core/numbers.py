"""Numbers as people type them in QQ: Arabic or Chinese numerals, money in yuan, quantities with a unit.

Everything is exact: Arabic text goes straight into ``Decimal`` and Chinese integers go through ``cn2an``
(which returns ``int`` for them); ``cn2an`` is never given Arabic decimals, because it answers those with a float.
Money is kept as an integer number of fen.
"""

import re
import unicodedata
from contextlib import suppress
from decimal import Context, Decimal, Inexact, InvalidOperation, Overflow

import cn2an

from . import messages

_CN_DIGITS = "零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖"
_CN_SCALES = "十百千万亿拾佰仟廿"
NUMERAL_CHARS = "0123456789" + _CN_DIGITS + _CN_SCALES + "点"
"""Characters that can make up a number; a quantity's unit is what follows the longest run of them."""

_DIGIT_VALUES = dict(zip("零〇一壹二两贰三叁四肆五伍六陆七柒八捌九玖", "001122233445566778899", strict=True))
_SUFFIX_SCALES = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}

_ARABIC = re.compile(r"\d+(?:\.\d+)?")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_SCALED = re.compile(rf"(?P<mantissa>\d+(?:\.\d+)?|[{_CN_DIGITS}]+点[{_CN_DIGITS}]+)(?P<scale>[十百千万亿]+)")
_CN_DECIMAL = re.compile(rf"(?P<whole>[{_CN_DIGITS}{_CN_SCALES}]+)点(?P<fraction>[{_CN_DIGITS}0-9]+)")

# Exact arithmetic: a product that would need rounding raises instead of silently losing digits.
_EXACT = Context(prec=60, traps=[Inexact, InvalidOperation, Overflow])

# "1,234,567,890.12" is 16 characters; longer text is no number anyone types, and would cost cn2an time.
_MAX_NUMBER_CHARS = 40

MAX_FEN = 10**12 - 1
"""Largest accepted amount (just under 100亿 yuan): catches a phone number pasted into a money field."""

_CURRENCY_PREFIXES = ("人民币", "RMB", "rmb", "¥")
_CURRENCY_SUFFIXES = ("元整", "块钱", "元", "块", "圆")

# Units that begin with a numeral character: "5千克" is 5 kg, not 5000 克.
_NUMERAL_LED_UNITS = ("千瓦时", "千克", "千米", "千瓦", "千升", "百米")
_VAGUE_UNIT_START = ("多", "余", "几", "来")


def normalize(text: str) -> str:
    """Fold full-width digits, letters and punctuation to ASCII (NFKC), so "１２" and "12" read alike."""
    return unicodedata.normalize("NFKC", text).strip()


def _tidy(value: Decimal) -> Decimal:
    """Give equal numbers one spelling: 15000 rather than 15000.0 or 1.5E+4, 1.5 rather than 1.50."""
    if not value:
        return Decimal(0)  # also turns -0 into 0
    if value == value.to_integral_value():
        return value.quantize(Decimal(1), context=_EXACT)
    return value.normalize(_EXACT)


def _chinese_integer(text: str) -> Decimal:
    """A Chinese (or mixed, like 1万2千) integer via cn2an; it must come back as an int to be exact."""
    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, IndexError) as exc:  # cn2an raises all three on malformed numerals ("零11")
        raise ValueError(messages.not_a_number(text)) from exc
    if not isinstance(value, int):
        raise ValueError(messages.not_a_number(text))
    return Decimal(value)


def _chinese_decimal(whole: str, fraction: str) -> Decimal:
    """三点五 → 3.5: the whole part is a Chinese integer, the fraction is read digit by digit."""
    digits = "".join(_DIGIT_VALUES.get(ch, ch) for ch in fraction)
    return _chinese_integer(whole) + Decimal("0." + digits)


def _unsigned(text: str) -> Decimal:
    if _GROUPED.fullmatch(text):
        text = text.replace(",", "")
    if _ARABIC.fullmatch(text):
        return Decimal(text)
    if m := _SCALED.fullmatch(text):
        multiplier = 1
        for ch in m["scale"]:
            multiplier *= _SUFFIX_SCALES[ch]
        return _EXACT.multiply(_unsigned(m["mantissa"]), Decimal(multiplier))
    if m := _CN_DECIMAL.fullmatch(text):
        return _chinese_decimal(m["whole"], m["fraction"])
    if text and all(ch in NUMERAL_CHARS for ch in text) and "点" not in text:
        return _chinese_integer(text)
    raise ValueError(messages.not_a_number(text))


def parse_decimal(text: str) -> Decimal:
    """Read a number as typed: "30", "三十", "一百二十", "1.5万", "2千", "两百", "3,000", "１２", "三点五".

    A leading "-" or "负" makes it negative; callers decide whether that is allowed.
    """
    s = normalize(text)
    if len(s) > _MAX_NUMBER_CHARS:
        raise ValueError(messages.number_too_long(text.strip()))
    negative = s[:1] in ("-", "负")
    if negative or s[:1] == "+":
        s = s[1:].lstrip()
    try:
        value = _tidy(_unsigned(s))
    except (InvalidOperation, Inexact, Overflow) as exc:
        raise ValueError(messages.number_too_long(text.strip())) from exc
    except ValueError as exc:
        raise ValueError(messages.not_a_number(text.strip())) from exc
    return -value if negative else value


def _strip_currency(text: str) -> str:
    s = normalize(text).replace(" ", "")
    for prefix in _CURRENCY_PREFIXES:
        s = s.removeprefix(prefix)
    for suffix in _CURRENCY_SUFFIXES:
        if s.endswith(suffix):
            s = s[: -len(suffix)]
            break
    if s[-1:] in ("w", "W"):  # chat shorthand: 1.5w = 1.5万
        s = s[:-1] + "万"
    return s


def parse_money_fen(text: str, label: str = messages.AMOUNT) -> int:
    """Money in yuan as typed ("10200", "1.02万", "3,500.50", "¥200", "200元", "两千", "1.5w") → fen.

    Refuses zero, negatives and fractions of a fen: every amount in the product is a positive number of fen.
    ``label`` names the field in the error ("单价 必须大于 0：0"), so callers can pass the message on as is.
    """
    shown = text.strip()
    try:
        yuan = parse_decimal(_strip_currency(text))
    except ValueError as exc:
        raise ValueError(messages.money_unreadable(label, shown)) from exc
    if yuan <= 0:
        raise ValueError(messages.money_not_positive(label, shown))
    if yuan > Decimal(MAX_FEN) / 100:
        raise ValueError(messages.money_too_large(label, shown))
    fen = yuan * 100
    if fen != fen.to_integral_value():
        raise ValueError(messages.money_too_fine(label, shown))
    return int(fen)


MILLI = 1000  # quantities are kept to three decimals (Numeric(18, 3), checked at intake): whole thousandths


def milli_line_fen(milli, unit_price_fen):
    """The line money rule, half-up to the fen, in integer operations only: given ints it is Python's figure,
    given SQL columns (the quantity in thousandths, the unit price) the same expression is the database's, so
    /月报's GROUP BY (``reports.monthly``) and :func:`line_fen` cannot drift apart. Quantities are positive."""
    return (milli * unit_price_fen + MILLI // 2) // MILLI


def line_fen(quantity: Decimal, unit_price_fen: int) -> int:
    """One item's money: the order amount at intake, the slip's lines and /月报's figures all use
    :func:`milli_line_fen`. A quantity finer than a thousandth is refused, never rounded away."""
    milli = quantity * MILLI
    if milli != milli.to_integral_value():
        raise ValueError(f"quantity {quantity} is finer than a thousandth")
    return int(milli_line_fen(int(milli), unit_price_fen))


def format_fen(fen: int) -> str:
    """Fen as yuan for chat: 1020000 → "10,200", 1020050 → "10,200.50" (no ".00" clutter on whole yuan)."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan:,}" + (f".{cents:02d}" if cents else "")


def _number_prefixes(s: str) -> list[str]:
    """Candidate number texts at the start of ``s``, longest first: "十几箱" tries "十" after failing on nothing."""
    end = 0
    if s[:1] in ("-", "+", "负"):
        end = 1
    while end < min(len(s), _MAX_NUMBER_CHARS) and (s[end] in NUMERAL_CHARS or s[end] in ".,"):
        end += 1
    return [s[:i] for i in range(end, 0, -1)]


def split_quantity(text: str) -> tuple[Decimal, str]:
    """Split a quantity into number and unit: "10箱" → (10, "箱"), "1.5万件" → (15000, "件"), "500kg", "20 袋".

    The unit is whatever follows the number (possibly empty). A unit holding digits ("10箱20袋") or starting
    with a vague word ("100多箱", "十几吨") is refused: a quantity on an order must be one exact number.
    """
    s = normalize(text)
    for unit in _NUMERAL_LED_UNITS:
        if s.endswith(unit):
            with suppress(ValueError):
                return parse_decimal(s[: -len(unit)]), unit
    for prefix in _number_prefixes(s):
        try:
            number = parse_decimal(prefix)
        except ValueError:
            continue
        unit = s[len(prefix) :].strip()
        if any(ch.isdigit() for ch in unit):
            raise ValueError(messages.quantity_two_numbers(text.strip()))
        if unit.startswith(_VAGUE_UNIT_START):
            raise ValueError(messages.quantity_vague(text.strip()))
        return number, unit
    raise ValueError(messages.quantity_unreadable(text.strip()))


def is_plain_unit(unit: str) -> bool:
    """A unit as written after a number: short, no spaces, digits or numerals ("箱", "kg", "千克", "立方米").

    Used to tell where an item name ends and its quantity begins in "第三代芯片十片" (name, then 十片).
    """
    if unit in _NUMERAL_LED_UNITS:
        return True
    return len(unit) <= 4 and not any(ch.isspace() or ch.isdigit() or ch in NUMERAL_CHARS for ch in unit)


def change(now: int, before: int) -> float | None:
    """Change against before as a ratio (month on month); None when there is nothing to compare with."""
    if before == 0:
        return None
    return (now - before) / before
