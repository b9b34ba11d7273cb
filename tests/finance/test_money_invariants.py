"""Issue 14: the money invariants, as a hypothesis state machine over random sequences of the commands
(/接单 /改单 /备货完成 /到账 /收款 /放行 /撤单 /开单 /强制开单 /派车+/发货 /到货 /代收 /代收入账 /冲销 /退款 /转单
and days passing), run against the suite's database (SQLite, or PostgreSQL with XIETONG_TEST_DATABASE_URL).

Each rule calls the service its command calls, as the person whose post it is; a refusal (DomainError) is a
legitimate answer, anything else fails. After every step, for every customer:

* received = applied + balance + refunded, with received and refunded kept by the model from what the
  commands answered (not from the same SQL);
* an order's paid amount is the sum of its ledger entries, and what the model booked on it;
* the ageing buckets sum to the outstanding total, which is slipped amounts − applied payments (incl. COD).

The /月报 rule checks that the slip's lines, /订单, the monthly figures and the report's workbook rows agree to
the fen. Hypothesis rules are synchronous, while the database lives on the test's event loop: the machine runs
in a worker thread and hands each coroutine to that loop.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import delete, func, select

from tests.factories import CS, DIRECTOR, FINANCE, LOGISTICS, WORKSHOP, staff
from xietong.core import clock
from xietong.core.db import database
from xietong.core.errors import DomainError
from xietong.core.excel import Kind, cell_value
from xietong.core.numbers import format_fen
from xietong.core.work import Actor, work
from xietong.finance import balances, ledger, receivables, transfers
from xietong.finance.models import RECEIPTS, EntryKind, LedgerEntry
from xietong.logistics import service as logistics
from xietong.orders import queries, service, slip
from xietong.orders.enums import Department, PaymentMethod, Stage, TaskState
from xietong.orders.intake import Item, OrderDraft
from xietong.orders.models import Order
from xietong.orders.stages import RECEIVABLE_STAGES
from xietong.parties.models import Customer
from xietong.reports import workbook
from xietong.reports.monthly import Month, figures, monthly_report
from xietong.schema import metadata

CUSTOMERS = ("金陵建材", "江宁五金")
START = datetime(2026, 11, 2, 2, tzinfo=timezone.utc)  # Monday 10:00 in Shanghai
money = st.integers(min_value=1, max_value=3_000_000)
quantities = st.integers(min_value=1, max_value=40)
prices = st.integers(min_value=1, max_value=50_000)


class Books(RuleBasedStateMachine):
    loop: asyncio.AbstractEventLoop  # the test's loop, set before the machine runs

    def __init__(self) -> None:
        super().__init__()
        self.at = START
        clock.set_clock(lambda: self.at)
        self.run(self._reset())
        self.orders: list[str] = []
        self.customer_of: dict[str, str] = {}
        self.entries: dict[int, tuple[EntryKind, int, str]] = {}  # id → kind, amount, order
        self.received: dict[str, int] = defaultdict(int)
        self.refunded: dict[str, int] = defaultdict(int)

    def run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    @staticmethod
    async def _reset() -> None:
        async with database().session() as session:
            for table in reversed(metadata.sorted_tables):
                await session.execute(delete(table))
        await staff()

    def act(self, who: int, step):
        """Run one command as ``who``; a refusal is a fine answer and returns None."""

        async def attempt():
            try:
                async with work(Actor(who)) as w:
                    return await step(w)
            except DomainError:
                return None

        return self.run(attempt())

    def book(self, entry: LedgerEntry | None, number: str) -> None:
        if entry is None:
            return
        self.entries[entry.id] = (EntryKind(entry.kind), entry.amount_fen, number)
        customer = self.customer_of[number]
        if entry.kind in RECEIPTS:
            self.received[customer] += entry.amount_fen
        elif entry.kind == EntryKind.refund:
            self.refunded[customer] -= entry.amount_fen

    # —— commands ——

    @rule(customer=st.sampled_from(CUSTOMERS), payment=st.sampled_from(PaymentMethod), qty=quantities, price=prices)
    def intake(self, customer, payment, qty, price):
        draft = OrderDraft(
            customer=customer, items=(Item("水泥", Decimal(qty), "吨", price),), amount_fen=qty * price,
            payment=payment, consignee="王工", phone="13800000000", address="南京市江宁区天元路1号",
        )
        made = self.act(CS, lambda w: service.register(w, draft, 9001, confirmed=True))  # twins are fine here
        self.orders.append(made.order.number)
        self.customer_of[made.order.number] = customer

    def pick(self, data) -> str:
        return data.draw(st.sampled_from(self.orders))

    @precondition(lambda self: self.orders)
    @rule(data=st.data(), qty=quantities, price=prices)
    def change_items(self, data, qty, price):
        fields = {"items": (Item("水泥", Decimal(qty), "吨", price),), "amount_fen": qty * price}
        number = self.pick(data)
        self.act(CS, lambda w: service.change(w, number, fields))

    @precondition(lambda self: self.orders)
    @rule(data=st.data(), payment=st.sampled_from(PaymentMethod))
    def change_payment(self, data, payment):
        number = self.pick(data)
        self.act(CS, lambda w: service.change(w, number, {"payment": payment}))

    @precondition(lambda self: self.orders)
    @rule(data=st.data())
    def stock_done(self, data):
        number = self.pick(data)
        self.act(WORKSHOP, lambda w: service.answer_task(
            w, number, Department.workshop, state=TaskState.done, action="备货完成", quiet=True))

    @precondition(lambda self: self.orders)
    @rule(data=st.data())
    def release(self, data):
        number = self.pick(data)
        self.act(FINANCE, lambda w: ledger.release(w, number, None, default_credit_days=30))

    @precondition(lambda self: self.orders)
    @rule(data=st.data(), amount=st.none() | money)
    def confirm_payment(self, data, amount):
        number = self.pick(data)
        self.book(self.act(FINANCE, lambda w: ledger.confirm_payment(w, number, amount)), number)

    @precondition(lambda self: self.orders)
    @rule(data=st.data(), amount=money, confirmed=st.booleans())
    def record_payment(self, data, amount, confirmed):
        number = self.pick(data)
        self.book(self.act(FINANCE, lambda w: ledger.record_payment(w, number, amount, "", confirmed=confirmed)), number)

    @precondition(lambda self: self.orders)
    @rule(data=st.data())
    def cancel(self, data):
        number = self.pick(data)
        self.act(CS, lambda w: service.cancel(w, number, "客户不要了"))

    @precondition(lambda self: self.orders)
    @rule(data=st.data(), forced=st.booleans())
    def issue_slip(self, data, forced):
        number = self.pick(data)
        if forced:
            self.act(DIRECTOR, lambda w: slip.force(w, number, "老客户"))
        else:
            self.act(CS, lambda w: slip.issue(w, number))

    @precondition(lambda self: self.orders)
    @rule(data=st.data())
    def ship(self, data):
        number = self.pick(data)
        self.act(LOGISTICS, lambda w: logistics.dispatch(w, number, "苏A12345", "老周", "13900000000"))
        self.act(LOGISTICS, lambda w: logistics.ship(w, number))

    @precondition(lambda self: self.orders)
    @rule(data=st.data())
    def deliver(self, data):
        number = self.pick(data)
        self.act(LOGISTICS, lambda w: logistics.deliver(w, number, 30))

    @precondition(lambda self: self.orders)
    @rule(data=st.data(), amount=money)
    def collect_cod(self, data, amount):
        number = self.pick(data)
        self.act(LOGISTICS, lambda w: logistics.collect_cod(w, number, format_fen(amount)))

    @precondition(lambda self: self.orders)
    @rule(data=st.data(), amount=st.none() | money)
    def book_cod(self, data, amount):
        number = self.pick(data)
        self.book(self.act(FINANCE, lambda w: ledger.book_cod(w, number, amount)), number)

    @precondition(lambda self: self.entries)
    @rule(data=st.data())
    def reverse(self, data):
        entry_id = data.draw(st.sampled_from(sorted(self.entries)))
        kind, amount, number = self.entries[entry_id]
        same_order = sorted(i for i, (_, _, n) in self.entries.items() if n == number)
        entry_no = same_order.index(entry_id) + 1  # /冲销 names the order's 第N笔
        back = self.act(FINANCE, lambda w: ledger.reverse(w, number, entry_no, "记错了"))
        if back is None:
            return
        customer = self.customer_of[number]
        if kind in RECEIPTS:
            self.received[customer] -= amount
        elif kind == EntryKind.refund:
            self.refunded[customer] += amount
        self.entries[back.id] = (EntryKind.reversal, back.amount_fen, number)

    @precondition(lambda self: self.orders)
    @rule(data=st.data(), amount=money)
    def refund(self, data, amount):
        number = self.pick(data)
        self.book(self.act(FINANCE, lambda w: transfers.refund(w, number, amount, "退回客户")), number)

    @precondition(lambda self: len(self.orders) > 1)
    @rule(data=st.data())
    def transfer(self, data):
        source, target = self.pick(data), self.pick(data)
        into = self.act(FINANCE, lambda w: transfers.transfer(w, source, target))
        if into is not None:
            self.entries[into.id] = (EntryKind.transfer_in, into.amount_fen, target)
            self.entries[into.counterpart_id] = (EntryKind.transfer_out, -into.amount_fen, source)

    @rule(days=st.integers(min_value=1, max_value=40))
    def days_pass(self, days):
        self.at += timedelta(days=days)

    @precondition(lambda self: self.orders)
    @rule()
    def monthly_report_agrees(self):
        self.run(self._reports_agree())

    async def _reports_agree(self) -> None:
        """Slip lines, /订单, the month's figures and the workbook rows: the same fen for the same orders."""
        async with database().session() as session:
            for order in (await session.scalars(select(Order).where(Order.slip_number.is_not(None)))).all():
                made = await slip.load_slip(session, order.number)
                assert sum(line.amount_fen or 0 for line in made.lines) == order.amount_fen == made.total_fen
                card = await queries.order_card(session, order.number)
                assert f"金额：{format_fen(order.amount_fen)} 元" in card
            for month in {Month.of(clock.local(o.slip_at).date()) for o in (await session.scalars(
                    select(Order).where(Order.slip_at.is_not(None)))).all()}:
                start, end = month.bounds()
                sold = await session.scalar(select(func.coalesce(func.sum(Order.amount_fen), 0)).where(
                    Order.slip_at >= start, Order.slip_at < end, Order.stage != Stage.cancelled))
                month_figures = await figures(session, month)
                assert month_figures.amount_fen == sold
                assert sum(line.amount_fen for line in month_figures.products) == sold
                sheets = workbook.sheets(await monthly_report(session, month))
                overview = sheets[0].rows[0]
                assert overview[3] == sold and cell_value(Kind.money, overview[3]) == Decimal(sold) / 100

    # —— invariants ——

    @invariant()
    def money_adds_up(self):
        self.run(self._money_adds_up())

    async def _money_adds_up(self) -> None:
        async with database().session() as session:
            orders = (await session.scalars(select(Order))).all()
            sums = dict((await session.execute(
                select(LedgerEntry.order_id, func.sum(LedgerEntry.amount_fen)).group_by(LedgerEntry.order_id)
            )).all())
            booked: dict[str, int] = defaultdict(int)
            for _, amount, number in self.entries.values():
                booked[number] += amount
            for order in orders:
                assert order.paid_fen == int(sums.get(order.id, 0)) == booked[order.number], order.number
                assert order.paid_fen >= 0, order.number
            for name in CUSTOMERS:
                customer_id = await session.scalar(select(Customer.id).where(Customer.name == name))
                if customer_id is None:
                    continue
                money_now = await balances.position(session, customer_id)
                assert (money_now.received, money_now.refunded) == (self.received[name], self.refunded[name])
                assert money_now.received == money_now.applied + money_now.balance + money_now.refunded
            slipped = sum(o.amount_fen for o in orders if o.stage in (*RECEIVABLE_STAGES, Stage.settled))
            applied = sum(min(o.paid_fen, o.amount_fen) for o in orders
                          if o.stage in (*RECEIVABLE_STAGES, Stage.settled))
            book = await receivables.summary(session, clock.today())
            outstanding = await receivables.outstanding_total(session)
            assert sum(book.ageing.amounts) == book.total == outstanding == slipped - applied


async def test_random_command_sequences_keep_the_books_true():
    Books.loop = asyncio.get_running_loop()
    try:
        await asyncio.to_thread(
            run_state_machine_as_test,
            Books,
            settings=settings(
                max_examples=25, stateful_step_count=20, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            ),
        )
    finally:
        clock.set_clock(None)
