"""Ageing and DSO arithmetic, and the payment rule, without a database."""

import re
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xietong.core.errors import DomainError
from xietong.finance.ageing import (
    LABELS,
    Ageing,
    age,
    bucket_of,
    cutoffs,
    days_past_due,
    dso_days,
    is_overdue,
)
from xietong.finance.ledger import Overpayment, check_payment
from xietong.orders.enums import PaymentMethod
from xietong.orders.models import Order

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(("days", "label"), [
    (-30, "未到期"), (-1, "未到期"), (0, "未到期"),
    (1, "1-30"), (30, "1-30"),
    (31, "31-60"), (60, "31-60"),
    (61, "61-90"), (90, "61-90"),
    (91, "90+"), (400, "90+"),
])
def test_bucket_boundaries(days: int, label: str):
    assert LABELS[bucket_of(TODAY - timedelta(days=days), TODAY)] == label


def test_no_due_date_yet_is_not_due_and_never_overdue():
    assert bucket_of(None, TODAY) == 0
    assert days_past_due(None, TODAY) is None
    assert not is_overdue(None, TODAY)
    assert is_overdue(TODAY - timedelta(days=1), TODAY) and not is_overdue(TODAY, TODAY)


def test_cutoffs_are_the_first_due_dates_of_each_bucket():
    assert cutoffs(TODAY) == (date(2026, 11, 26), date(2026, 10, 27), date(2026, 9, 27), date(2026, 8, 28))
    for index, cut in enumerate(cutoffs(TODAY)):
        assert bucket_of(cut, TODAY) == index
        assert bucket_of(cut - timedelta(days=1), TODAY) == index + 1


def test_age_of_a_hand_computed_book():
    book = [
        (date(2026, 11, 26), 1_000_000),  # due today
        (None, 600_000),  # 月结 not yet delivered
        (date(2026, 11, 10), 1_500_000),  # 16 days
        (date(2026, 10, 27), 100_000),  # 30 days
        (date(2026, 10, 26), 200_000),  # 31 days
        (date(2026, 9, 20), 800_000),  # 67 days
        (date(2026, 8, 1), 300_000),  # 117 days
        (date(2026, 1, 1), 0),  # paid up: no receivable
        (date(2026, 1, 1), -5_000),  # overpaid: no receivable, offsets nothing
    ]
    ageing = age(book, TODAY)
    assert ageing.amounts == (1_600_000, 1_600_000, 200_000, 800_000, 300_000)
    assert (ageing.total, ageing.overdue) == (4_500_000, 2_900_000)
    assert ageing.items()[0] == ("未到期", 1_600_000)


def test_ageing_adds_up_and_keeps_its_shape():
    assert Ageing((1, 2, 3, 4, 5)) + Ageing((10, 20, 30, 40, 50)) == Ageing((11, 22, 33, 44, 55))
    assert Ageing().total == 0
    with pytest.raises(ValueError):
        Ageing((1, 2))


receivables = st.lists(
    st.tuples(
        st.one_of(st.none(), st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))),
        st.integers(min_value=-10**12, max_value=10**12),
    ),
    max_size=50,
)


@given(receivables, st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)))
def test_buckets_always_sum_to_the_total_outstanding(book, today):
    ageing = age(book, today)
    assert sum(ageing.amounts) == ageing.total == sum(o for _, o in book if o > 0)
    assert all(amount >= 0 for amount in ageing.amounts)
    assert ageing.overdue == sum(o for due, o in book if o > 0 and is_overdue(due, today))


@given(receivables, st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)))
def test_each_receivable_lands_in_exactly_one_bucket(book, today):
    for due, outstanding in book:
        alone = age([(due, outstanding)], today)
        assert sum(1 for a in alone.amounts if a) == (1 if outstanding > 0 else 0)


def test_dso_by_hand():
    assert dso_days(4_500_000, 3_500_000) == 116  # 115.71…
    assert dso_days(1_600_000, 1_200_000) == 120
    assert dso_days(1, 180) == 1  # 0.5 rounds half up
    assert dso_days(0, 1_000) == 0
    assert dso_days(1_000, 0) is None


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=1, max_value=10**12))
def test_dso_is_the_rounded_ratio(outstanding, sales):
    exact = outstanding * 90 / sales
    assert abs(dso_days(outstanding, sales) - exact) <= 0.5 + 1e-9


def _order(amount: int, paid: int) -> Order:
    return Order(number="D261126-001", customer_id=1, customer_name="金陵建材", amount_fen=amount, paid_fen=paid,
                 payment=PaymentMethod.monthly, consignee="王工", phone="13800000000", address="南京", created_by=1)


def test_payment_rule_by_hand():
    check_payment(_order(1_000_000, 0), 1_000_000, confirmed=False)
    check_payment(_order(1_000_000, 400_000), 600_000, confirmed=False)
    with pytest.raises(Overpayment, match=re.escape("还差 6,000 元，这笔 6,000.01 元多了 0.01 元")):
        check_payment(_order(1_000_000, 400_000), 600_001, confirmed=False)
    with pytest.raises(Overpayment, match=re.escape("款已收齐（10,000 元），这笔 1 元全是多收")):
        check_payment(_order(1_000_000, 1_000_000), 100, confirmed=False)
    check_payment(_order(1_000_000, 1_000_000), 100, confirmed=True)
    for bad in (0, -100):
        with pytest.raises(DomainError, match="金额 必须大于 0"):
            check_payment(_order(1_000_000, 0), bad, confirmed=True)


@given(
    st.integers(min_value=1, max_value=10**10),
    st.lists(st.tuples(st.integers(min_value=-10**6, max_value=10**10), st.booleans()), max_size=20),
)
def test_payments_never_exceed_the_amount_without_confirmation(amount, attempts):
    """Apply every attempt the rule lets through: the running total passes the amount only by a confirmed one."""
    order = _order(amount, 0)
    for pay, confirmed in attempts:
        before = order.paid_fen
        try:
            check_payment(order, pay, confirmed=confirmed)
        except DomainError:
            assert pay <= 0 or (not confirmed and pay > amount - before)
            continue
        assert pay > 0
        order.paid_fen += pay
        if not confirmed:
            assert order.paid_fen <= amount
    if not any(c for _, c in attempts):
        assert order.paid_fen <= amount
