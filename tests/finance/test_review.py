"""The collection review contract that the meeting brief and the monthly report read."""

from datetime import date, datetime, timezone

from tests.factories import FINANCE, staff
from tests.finance.support import (
    COD,
    MONTHLY,
    add_shipment,
    build_book,
    delivered,
    fix_clock,
    new_order,
    set_order,
)
from xietong.core import clock
from xietong.core.db import database
from xietong.core.work import Actor, work
from xietong.finance import ledger, review
from xietong.finance.review import CollectionReview, Overdue
from xietong.orders.enums import Stage


async def test_overdue_by_customer_largest_first():
    fix_clock(2026, 11, 26)
    await staff()
    book = await build_book()
    async with database().session() as session:
        found = await review.overdue_by_customer(session, date(2026, 11, 26))
    assert found == [
        Overdue("金陵建材", (book["B"], book["H"], book["I"]), 1_800_000, 31),  # by number
        Overdue("江宁五金", (book["C"], book["D"]), 1_100_000, 117),
    ]
    async with database().session() as session:
        assert await review.overdue_by_customer(session, date(2026, 8, 1)) == []  # nothing past due yet


async def test_cod_not_booked_lists_collected_cash_finance_has_not_booked():
    fixed = fix_clock(2026, 11, 20)
    await staff()
    early, late, booked, cancelled = [await new_order(COD, fen) for fen in (100_000, 200_000, 300_000, 400_000)]
    for number in (early, late, booked, cancelled):
        await delivered(number, date(2026, 11, 20))
    await add_shipment(late, cod_collected_fen=200_000, cod_collected_at=clock.now())
    fixed.local(2026, 11, 19)
    await add_shipment(early, cod_collected_fen=90_000, cod_collected_at=clock.now())  # less than the amount
    await add_shipment(booked, cod_collected_fen=300_000, cod_collected_at=clock.now(),
                       cod_booked_at=clock.now())
    await add_shipment(cancelled, cod_collected_fen=400_000, cod_collected_at=clock.now())
    await set_order(cancelled, stage=Stage.cancelled)
    async with database().session() as session:
        assert await review.cod_not_booked(session) == [(early, 90_000), (late, 200_000)]


async def test_collection_review_counts_the_month_in_local_time_net_of_reversals():
    fixed = fix_clock(2026, 10, 20)
    await staff()
    first = await new_order(MONTHLY, 1_000_000)
    second = await new_order(MONTHLY, 500_000, customer="江宁五金")
    await delivered(first, date(2026, 10, 1), due=date(2026, 10, 31))
    await delivered(second, date(2026, 10, 1), due=date(2026, 11, 10))

    async def pay(number: str, fen: int) -> int:
        async with work(Actor(FINANCE)) as w:
            return (await ledger.record_payment(w, number, fen)).id

    fixed.local(2026, 10, 31, 23, 59)  # October
    await pay(first, 100_000)
    fixed.at = datetime(2026, 10, 31, 16, 0, tzinfo=timezone.utc)  # 11-01 00:00 in Shanghai
    await pay(first, 200_000)
    fixed.local(2026, 11, 15)
    await pay(second, 50_000)
    async with work(Actor(FINANCE)) as w:
        await ledger.reverse(w, second, 1, "记错单")  # the order's 第1笔
    fixed.local(2026, 12, 1, 0, 0)  # December here, still 30 November in UTC
    await pay(second, 10_000)

    async with database().session() as session:
        result = await review.collection_review(session, date(2026, 11, 26))
        october = await review.collected_in_month(session, 2026, 10)
        december = await review.collected_in_month(session, 2026, 12)
    assert result == CollectionReview(
        month="2026-11",
        collected_fen=200_000,  # 11-01 00:00 counts; the 50,000 and its reversal cancel out
        outstanding_fen=700_000 + 490_000,
        overdue=(Overdue("金陵建材", (first,), 700_000, 26), Overdue("江宁五金", (second,), 490_000, 16)),
        cod_unbooked=(),
    )
    assert (october, december) == (100_000, 10_000)


def test_month_bounds_in_local_time():
    start, end = clock.month_bounds(2026, 12)
    assert start == datetime(2026, 12, 1, tzinfo=clock.LOCAL_TZ)
    assert end == datetime(2027, 1, 1, tzinfo=clock.LOCAL_TZ)
    assert start.astimezone(timezone.utc) == datetime(2026, 11, 30, 16, 0, tzinfo=timezone.utc)


def test_unbooked_cod_is_read_from_the_shipments_alone_each_order_by_its_id():
    """At a million orders PostgreSQL misjudged the join (150,000 rows expected for a few hundred) and merged
    it with every order: 0.6 s for finance's and logistics' /待办. The query reads shipment through its
    partial index and looks each order up by primary key (BENCHMARKS.md, round 3), whatever columns it adds."""
    from xietong.logistics import shipments
    from xietong.logistics.models import Shipment
    from xietong.orders.models import Order

    for query in (shipments.cod_unbooked(), shipments.cod_unbooked(Order.customer_name)):
        assert query.get_final_froms() == [Shipment.__table__]
        sql = str(query).upper()
        assert "JOIN" not in sql and "EXISTS" not in sql  # NOT EXISTS became a merge anti-join with every order
