"""Field layouts people paste, and the bounds that catch a pasted phone number or a mistyped price."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xietong.orders.intake import MAX_ORDER_FEN, IntakeError, Item, parse_intake
from xietong.orders.slip import line_fen

TODAY = date(2026, 11, 29)
REST = "付款方式：款到发货\n收货人：王工\n电话：13800000000\n地址：南京市江宁区东山街道88号"


def parse(items: str):
    return parse_intake(f"客户：金陵建材\n{items}\n{REST}", TODAY)


@pytest.mark.parametrize(("items", "expected", "amount"), [
    ("品名：水泥 30吨\n单价：420", [Item("水泥", Decimal(30), "吨", 42_000)], 1_260_000),
    ("品名：水泥30吨\n单价：420", [Item("水泥", Decimal(30), "吨", 42_000)], 1_260_000),
    ("品名：水泥\n数量30吨\n单价420", [Item("水泥", Decimal(30), "吨", 42_000)], 1_260_000),
    ("品名：水泥 30吨；黄沙 5吨\n金额：13000",
     [Item("水泥", Decimal(30), "吨"), Item("黄沙", Decimal(5), "吨")], 1_300_000),
    ("品名：水泥 30吨、黄沙 5吨\n单价：420、80",
     [Item("水泥", Decimal(30), "吨", 42_000), Item("黄沙", Decimal(5), "吨", 8_000)], 1_300_000),
    ("品名：水泥 30吨 420元；黄沙 5吨 80元",
     [Item("水泥", Decimal(30), "吨", 42_000), Item("黄沙", Decimal(5), "吨", 8_000)], 1_300_000),
    ("品名：水泥、黄沙\n数量：30吨、5吨\n单价：420；80",
     [Item("水泥", Decimal(30), "吨", 42_000), Item("黄沙", Decimal(5), "吨", 8_000)], 1_300_000),
    ("品名：水泥\n数量：1.234吨\n单价：100", [Item("水泥", Decimal("1.234"), "吨", 10_000)], 12_340),
], ids=["qty in 品名", "glued", "数量 without colon", "；", "、 with 单价 line", "prices in line", "split 数量 and 单价",
        "three decimals"])
def test_layouts_people_paste(items, expected, amount):
    draft = parse(items)
    assert (list(draft.items), draft.amount_fen) == (expected, amount)


def test_freight_written_glued_goes_into_the_note():
    draft = parse("品名：水泥 30吨\n单价：420\n运费800元\n备注：下午送")
    assert draft.note == "下午送；运费 800元" and draft.amount_fen == 1_260_000


@pytest.mark.parametrize(("items", "problem"), [
    ("品名：水泥\n数量：30\n单价：420", "数量 要写单位：30（如 30吨、30箱）"),
    ("品名：水泥\n数量：13800000000\n单价：420", "数量 要写单位：13800000000（如 13800000000吨、13800000000箱）"),
    ("品名：水泥\n数量：13800000000吨\n单价：420", "数量 太大：13800000000吨（一个品名最多 1,000,000吨）"),
    ("品名：水泥\n数量：1000001箱\n单价：1", "数量 太大：1000001箱（一个品名最多 1,000,000箱）"),
    ("品名：水泥\n数量：1000000000000000000000000000吨\n单价：420",
     "数量 太大：1000000000000000000000000000吨（一个品名最多 1,000,000吨）"),
    ("品名：水泥\n数量：1.2345吨\n单价：100", "数量 最多三位小数：1.2345吨"),
    ("品名：水泥\n数量：30吨\n单价：420.125", "单价 最多两位小数：420.125"),
    ("品名：水泥\n数量：30吨\n单价：4200000", "金额 超过 1 亿元：126,000,000 元，请核对数量和单价"),
    ("品名：水泥\n数量：30吨\n金额：100000000.01", "金额 超过 1 亿元：100,000,000.01 元"),
    ("品名：P.O42.5水泥\n单价：420", "缺少 数量"),
], ids=["no unit", "phone no unit", "phone with unit", "just over", "1e27 as digits", "4 decimals", "3 decimal price",
        "over 1亿 computed", "over 1亿 total", "name with numbers is no quantity"])
def test_refused_and_named(items, problem):
    with pytest.raises(IntakeError) as caught:
        parse(items)
    assert problem in caught.value.problems


@pytest.mark.parametrize("typed", ["1e27", "1e27吨", "1E27箱", "9" * 40 + "吨", "-0吨", "0.0001吨"])
def test_odd_numbers_are_answered_not_raised(typed):
    with pytest.raises(IntakeError):
        parse(f"品名：水泥\n数量：{typed}\n单价：420")


@given(
    st.decimals(min_value=Decimal("0.001"), max_value=Decimal(1_000_000), places=3),
    st.integers(min_value=1, max_value=10_000_000),
)
def test_stored_and_printed_agree_to_the_fen(quantity, price_fen):
    """What intake priced is what the slip prints: its line (from the stored 3-decimal quantity) is the total."""
    try:
        draft = parse(f"品名：水泥\n数量：{quantity}吨\n单价：{Decimal(price_fen).scaleb(-2)}")
    except IntakeError as exc:
        assert any("超过 1 亿元" in p or "算出来是 0" in p for p in exc.problems)
        return
    stored = draft.items[0].quantity.quantize(Decimal("0.001"))  # Numeric(18, 3)
    assert stored == draft.items[0].quantity
    assert line_fen(stored, price_fen) == draft.amount_fen <= MAX_ORDER_FEN
