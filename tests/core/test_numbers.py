"""Numbers as typed in QQ: exact decimals, fen, quantities with units."""

from decimal import Decimal

import cn2an
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xietong.core.numbers import (
    MAX_FEN,
    format_fen,
    is_plain_unit,
    parse_decimal,
    parse_money_fen,
    split_quantity,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30", "30"),
        ("  42 ", "42"),
        ("1.5", "1.5"),
        ("0.05", "0.05"),
        ("1.50", "1.5"),
        ("3,000", "3000"),
        ("1,234,567.89", "1234567.89"),
        ("１２", "12"),
        ("１２．５", "12.5"),
        ("三十", "30"),
        ("十", "10"),
        ("十五", "15"),
        ("一百二十", "120"),
        ("两百", "200"),
        ("两千五", "2500"),
        ("一千零五", "1005"),
        ("三万五", "35000"),
        ("叁拾", "30"),
        ("1.5万", "15000"),
        ("1.02万", "10200"),
        ("2千", "2000"),
        ("3百万", "3000000"),
        ("1.2亿", "120000000"),
        ("1万2千", "12000"),
        ("三点五", "3.5"),
        ("二十三点五", "23.5"),
        ("零点零五", "0.05"),
        ("一点二万", "12000"),
        ("-3", "-3"),
        ("负三", "-3"),
        ("0", "0"),
    ],
)
def test_parse_decimal(text, expected):
    value = parse_decimal(text)
    assert value == Decimal(expected)
    assert str(value) == expected  # one spelling per number: no "15000.0", no "1.5E+4"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "1.2.3",
        "1,00",
        "1e5",
        "NaN",
        "Infinity",
        "百",
        "1.5万2千",
        "十几",
        "零11",
        "9" * 70,
        "一" * 3000,
    ],
)
def test_parse_decimal_refuses(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("10200", 1_020_000),
        ("1.02万", 1_020_000),
        ("3,500.50", 350_050),
        ("¥200", 20_000),
        ("￥200", 20_000),
        ("200元", 20_000),
        ("200 元", 20_000),
        ("200块", 20_000),
        ("两千", 200_000),
        ("两千元整", 200_000),
        ("1.5w", 1_500_000),
        ("1.5万元", 1_500_000),
        ("RMB 300", 30_000),
        ("人民币300元", 30_000),
        ("３００元", 30_000),
        ("0.01", 1),
        ("1.00", 100),
        ("420.5", 42_050),
        ("四百二十", 42_000),
        ("0.001万", 1_000),
        ("9999999999.99", MAX_FEN),
    ],
)
def test_parse_money_fen(text, fen):
    assert parse_money_fen(text) == fen


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0", "金额 必须大于 0：0"),
        ("0.00", "金额 必须大于 0：0.00"),
        ("-5", "金额 必须大于 0：-5"),
        ("负五十", "金额 必须大于 0：负五十"),
        ("abc", "金额 看不懂：abc"),
        ("", "金额 看不懂："),
        ("1.005", "金额 最多两位小数：1.005"),
        ("0.0000001万", "金额 最多两位小数：0.0000001万"),
        ("12.3.4", "金额 看不懂：12.3.4"),
        ("13800000000", "金额 太大：13800000000"),
        ("10000000000", "金额 太大：10000000000"),
    ],
)
def test_parse_money_fen_refuses(text, message):
    with pytest.raises(ValueError) as info:
        parse_money_fen(text)
    assert str(info.value) == message


def test_parse_money_fen_names_the_field():
    with pytest.raises(ValueError) as info:
        parse_money_fen("3.456", label="单价")
    assert str(info.value) == "单价 最多两位小数：3.456"


@pytest.mark.parametrize(
    ("fen", "shown"),
    [
        (0, "0"),
        (5, "0.05"),
        (100, "1"),
        (1_020_000, "10,200"),
        (1_020_050, "10,200.50"),
        (123_456_789, "1,234,567.89"),
        (-150, "-1.50"),
    ],
)
def test_format_fen(fen, shown):
    assert format_fen(fen) == shown


@pytest.mark.parametrize(
    ("text", "number", "unit"),
    [
        ("10箱", "10", "箱"),
        ("一百二十卷", "120", "卷"),
        ("1.5万件", "15000", "件"),
        ("3吨", "3", "吨"),
        ("500kg", "500", "kg"),
        ("500KG", "500", "KG"),
        ("20 袋", "20", "袋"),
        ("  30吨 ", "30", "吨"),
        ("两箱", "2", "箱"),
        ("三十吨", "30", "吨"),
        ("二十三点五吨", "23.5", "吨"),
        ("3,000件", "3000", "件"),
        ("１２箱", "12", "箱"),
        ("5千克", "5", "千克"),
        ("五百千克", "500", "千克"),
        ("1万2千件", "12000", "件"),
        ("2.5立方米", "2.5", "立方米"),
        ("30", "30", ""),
        ("-3箱", "-3", "箱"),
        ("0吨", "0", "吨"),
    ],
)
def test_split_quantity(text, number, unit):
    assert split_quantity(text) == (Decimal(number), unit)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("箱", "数量 看不懂：箱（如 30吨、十箱）"),
        ("", "数量 看不懂：（如 30吨、十箱）"),
        ("约10吨", "数量 看不懂：约10吨（如 30吨、十箱）"),
        ("十几箱", "数量 要写确切的数：十几箱"),
        ("100多箱", "数量 要写确切的数：100多箱"),
        ("十余吨", "数量 要写确切的数：十余吨"),
        ("10箱20袋", "数量 只能写一个数：10箱20袋"),
    ],
)
def test_split_quantity_refuses(text, message):
    with pytest.raises(ValueError) as info:
        split_quantity(text)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("unit", "plain"),
    [
        ("箱", True),
        ("kg", True),
        ("千克", True),
        ("立方米", True),
        ("", True),
        ("代十片", False),
        ("吨 袋装", False),
        ("吨20袋", False),
        ("编织袋装好", False),
    ],
)
def test_is_plain_unit(unit, plain):
    assert is_plain_unit(unit) is plain


# ---------------------------------------------------------------- properties

fen_amounts = st.integers(min_value=1, max_value=MAX_FEN)


@given(fen_amounts)
def test_formatted_money_reads_back(fen):
    assert parse_money_fen(format_fen(fen)) == fen


@given(fen_amounts, st.sampled_from(["{}", "¥{}", "{}元", "￥{} 元", "RMB{}"]))
def test_money_with_currency_marks_reads_back(fen, pattern):
    yuan, cents = divmod(fen, 100)
    assert parse_money_fen(pattern.format(f"{yuan}.{cents:02d}")) == fen


@given(st.integers(min_value=1, max_value=99_999_999))
def test_money_in_chinese_numerals_reads_back(yuan):
    assert parse_money_fen(cn2an.an2cn(yuan, "low") + "元") == yuan * 100


@given(st.integers(min_value=1, max_value=MAX_FEN))
def test_money_never_gains_or_loses_a_fen(fen):
    text = f"{Decimal(fen).scaleb(-2):f}"
    assert parse_money_fen(text) == fen


numberish = st.one_of(
    st.text(
        alphabet="0123456789.,-+ 零〇一二两三四五六七八九十百千万亿点负壹拾佰廿元¥w箱吨kg千克多几",
        max_size=30,
    ),
    st.text(max_size=30),
)


@given(numberish)
def test_bad_numbers_only_ever_raise_value_error(text):
    """cn2an raises KeyError/IndexError on some malformed numerals; callers must only ever see ValueError."""
    for parse in (parse_decimal, parse_money_fen, split_quantity):
        try:
            parse(text)
        except ValueError:
            pass


units = st.sampled_from(["箱", "吨", "件", "袋", "kg", "千克", "卷", "立方米", ""])


@given(st.integers(min_value=0, max_value=10**12), units, st.sampled_from(["", " ", "  "]))
def test_split_quantity_integers(number, unit, gap):
    assert split_quantity(f"{number}{gap}{unit}") == (Decimal(number), unit)


@given(st.decimals(min_value=Decimal("0.001"), max_value=Decimal(10**6), places=3), units)
def test_split_quantity_decimals(number, unit):
    assert split_quantity(f"{number}{unit}") == (number, unit)


@given(st.integers(min_value=1, max_value=10**8), units)
def test_split_quantity_chinese_numerals(number, unit):
    assert split_quantity(cn2an.an2cn(number, "low") + unit) == (Decimal(number), unit)
