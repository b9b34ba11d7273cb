"""/月报's product figures and the order's own amount are one rule: the SQL the report sums is
``core.numbers.milli_line_fen`` on the stored quantity, and it equals ``line_fen`` for any quantity and price."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import BigInteger, Column, Integer, MetaData, Table, create_engine, insert, select

from xietong.core.numbers import line_fen, milli_line_fen
from xietong.orders.intake import MAX_QUANTITY
from xietong.orders.models import OrderItem
from xietong.reports.monthly import thousandths

ITEMS = Table(  # the columns the report reads, with OrderItem's own types (Numeric(18, 3), BigInteger)
    "items", MetaData(),
    Column("id", Integer, primary_key=True),
    Column("quantity", OrderItem.__table__.c.quantity.type),
    Column("unit_price_fen", BigInteger),
)
QUANTITIES = st.decimals(min_value=Decimal("0.001"), max_value=MAX_QUANTITY, places=3)
PRICES = st.integers(min_value=0, max_value=10**7)  # up to 100,000 yuan a unit


@pytest.fixture(scope="module")
def sqlite():
    engine = create_engine("sqlite://")
    ITEMS.create(engine)
    yield engine
    engine.dispose()


@settings(max_examples=300, deadline=None)
@given(quantity=QUANTITIES, price=PRICES)
def test_the_sql_line_money_is_line_fen(sqlite, quantity, price):
    with sqlite.begin() as connection:
        connection.execute(ITEMS.delete())
        connection.execute(insert(ITEMS).values(quantity=quantity, unit_price_fen=price))
        in_sql = connection.scalar(select(milli_line_fen(thousandths(ITEMS.c.quantity), ITEMS.c.unit_price_fen)))
    assert in_sql == line_fen(quantity, price)


def test_half_a_fen_rounds_up_in_both():
    """Not vacuous: 0.005 × 100 fen is half a fen, which a truncating or banker's rule would drop."""
    assert line_fen(Decimal("0.005"), 100) == 1
    assert line_fen(Decimal("0.015"), 100) == 2


def test_a_quantity_finer_than_a_thousandth_is_refused():
    with pytest.raises(ValueError):
        line_fen(Decimal("1.0005"), 100)
