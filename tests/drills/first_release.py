"""The first release's database, as data: built once by round 1's code, migrated by every later release.

``python -m tests.drills.first_release`` (run once, with round 1's code at the first release's migration
head, ``FIRST_HEAD``) builds a SQLite database at that revision, fills it with orders in every stage,
payments, a reversal, COD, shipments and complaints, and writes ``first_release.json``: every row of every
table, and the figures round 1 computed from them (``figures``). The drill (test_upgrade_drill.py) loads
those rows into a database at ``FIRST_HEAD`` on SQLite or PostgreSQL, migrates it to head and checks
that today's code computes the very same figures. The rows are plain data, so the fixture stays valid
however the models change later.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import Boolean, Date, DateTime, MetaData, Numeric, func, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from xietong.core.migrate import alembic_config

FIRST_HEAD = "b1834bd5e913"  # round 1's last migration: the schema of the first release
FIXTURE = Path(__file__).with_name("first_release.json")
TODAY = date(2026, 11, 27)  # the day the figures are taken on (ageing depends on it)
UTC = timezone.utc


def at(day: int, hour: int = 2, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


async def migrate_to(engine: AsyncEngine, revision: str) -> None:
    cfg = alembic_config()

    def run(connection) -> None:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)

    async with engine.begin() as connection:
        await connection.run_sync(run)


async def figures(session: AsyncSession, today: date = TODAY) -> dict[str, Any]:
    """What the books say: per order (stage, amount, paid, ledger, due), /应收 per customer and in total."""
    from xietong.finance import receivables
    from xietong.finance.models import LedgerEntry
    from xietong.orders.models import Order

    ledger = dict((await session.execute(
        select(LedgerEntry.order_id, func.sum(LedgerEntry.amount_fen)).group_by(LedgerEntry.order_id)
    )).all())
    orders = (await session.scalars(select(Order).order_by(Order.number))).all()
    book = await receivables.summary(session, today)
    return {
        "orders": {
            o.number: [o.stage.value, o.payment.value, o.amount_fen, o.paid_fen, int(ledger.get(o.id, 0)),
                       o.receivable_due.isoformat() if o.receivable_due else None]
            for o in orders
        },
        "receivables": {
            c.name: [c.orders, list(c.ageing.amounts), c.max_days] for c in book.customers
        },
        "total": [book.orders, book.ageing.total, book.sales_fen, book.dso],
    }


async def _seed(session: AsyncSession) -> None:
    """Round 1's rows, as its services leave them (built with round 1's models)."""
    from xietong.core.models import AuditEvent, Member, MemberRole, OutboxMessage
    from xietong.customers.models import Complaint, ComplaintStatus
    from xietong.finance.models import CollectionAttempt, EntryKind, LedgerEntry
    from xietong.logistics.models import Shipment
    from xietong.orders.enums import Department, PaymentMethod, Stage, TaskState
    from xietong.orders.models import Order, OrderItem, OrderTask
    from xietong.parties.models import Customer

    for qq, name, role in ((20001, "王客服", "cs"), (20011, "老张", "workshop"), (20021, "李会计", "finance"),
                           (20031, "赵物流", "logistics"), (20041, "陈主任", "director")):
        session.add(Member(qq=qq, name=name, created_at=at(1)))
        session.add(MemberRole(qq=qq, role=role))
    customers = [
        Customer(name="金陵建材", contact="王工", phone="13800000000", credit_limit_fen=50_000_000, credit_days=30,
                 created_at=at(1)),
        Customer(name="江宁水泥厂", contact="刘经理", created_at=at(1)),
        Customer(name="苏州贸易", credit_days=15, created_at=at(1)),
    ]
    session.add_all(customers)
    await session.flush()
    jinling, jiangning, suzhou = customers
    P, C, M = PaymentMethod.prepaid, PaymentMethod.cod, PaymentMethod.monthly
    # number, customer, payment, amount, stage, day registered, paid, extra fields
    plan = [
        ("D261102-001", jinling, P, 1_260_000, Stage.processing, 2, [], {}),
        ("D261103-001", jiangning, P, 840_000, Stage.ready, 3, [(EntryKind.payment, 840_000, 3)], {}),
        ("D261104-001", suzhou, M, 2_100_050, Stage.slipped, 4, [], {"slip": 5}),
        ("D261105-001", jinling, C, 630_000, Stage.shipped, 5, [], {"slip": 6, "ship": 7}),
        ("D261106-001", jinling, M, 3_150_000, Stage.delivered, 6,
         [(EntryKind.payment, 1_000_000, 20)], {"slip": 6, "ship": 7, "deliver": 8, "due": date(2026, 11, 8) + timedelta(days=30)}),
        ("D261001-001", suzhou, M, 1_575_000, Stage.delivered, 1,
         [(EntryKind.payment, 500_000, 10)], {"slip": 1, "ship": 2, "deliver": 3, "due": date(2026, 10, 18), "month": 10}),
        ("D261107-001", jiangning, C, 966_000, Stage.settled, 7,
         [(EntryKind.cod, 966_000, 12)], {"slip": 8, "ship": 9, "deliver": 10, "cod": 966_000}),
        ("D261108-001", jinling, M, 420_000, Stage.settled, 8,
         [(EntryKind.payment, 420_000, 15)], {"slip": 8, "ship": 9, "deliver": 10, "due": date(2026, 12, 10)}),
        ("D261109-001", suzhou, P, 300_000, Stage.cancelled, 9, [], {"cancelled": "客户改单"}),
        ("D261110-001", jiangning, M, 1_890_000, Stage.delivered, 10,
         [(EntryKind.payment, 900_000, 18), (EntryKind.reversal, -900_000, 19), (EntryKind.payment, 90_000, 21)],
         {"slip": 10, "ship": 11, "deliver": 12, "due": date(2026, 11, 12) + timedelta(days=10)}),
        ("D261111-001", jinling, P, 504_000, Stage.processing, 11, [(EntryKind.payment, 200_000, 11)], {}),
    ]
    for index, (number, customer, payment, amount, stage, day, entries, extra) in enumerate(plan, start=1):
        month = extra.get("month", 11)
        moment = at(day, month=month)
        order = Order(
            number=number, customer_id=customer.id, customer_name=customer.name, amount_fen=amount, payment=payment,
            consignee="王工", phone="13800000000", address="南京市江宁区天元路1号", packaging="吨袋",
            due_date=date(2026, 12, 5), stage=stage, group_id=9001, created_by=20001, created_at=moment,
            updated_at=moment, paid_fen=sum(e[1] for e in entries),
            slip_number=f"XS{number[1:]}" if "slip" in extra else None,
            slip_at=at(extra["slip"], 5, month) if "slip" in extra else None,
            shipped_at=at(extra["ship"], 6, month) if "ship" in extra else None,
            delivered_at=at(extra["deliver"], 7, month) if "deliver" in extra else None,
            customer_notified_at=at(extra["ship"], 8, month) if "ship" in extra else None,
            receivable_due=extra.get("due", moment.date() if payment == P else None),
            settled_at=at(20) if stage == Stage.settled else None,
            cancelled_reason=extra.get("cancelled"),
        )
        session.add(order)
        await session.flush()
        session.add(OrderItem(order_id=order.id, line=1, name="水泥", quantity=Decimal("30.5"), unit="吨",
                              unit_price_fen=amount * 1000 // 30_500))
        for department in Department:
            done = stage not in (Stage.processing,) or department != Department.workshop
            session.add(OrderTask(order_id=order.id, department=department,
                                  state=TaskState.done if done else TaskState.pending, asked_at=moment,
                                  answered_at=moment + timedelta(hours=1) if done else None,
                                  actor_qq=20011 if done else None))
        previous = None
        for kind, fen, paid_day in entries:
            entry = LedgerEntry(order_id=order.id, kind=kind, amount_fen=fen, actor_qq=20021, at=at(paid_day, 3),
                                note="冲销：记错金额" if kind == EntryKind.reversal else "",
                                reverses_id=previous.id if kind == EntryKind.reversal else None)
            session.add(entry)
            await session.flush()
            previous = entry
        if "ship" in extra:
            session.add(Shipment(order_id=order.id, plate="苏A12345", driver="老周", driver_phone="13900000000",
                                 dispatched_by=20031, dispatched_at=at(extra["ship"], 4, month), packages=30,
                                 waybill=f"YD{index:04d}", freight_fen=35_000,
                                 freight_settled_at=at(20) if stage == Stage.settled else None,
                                 cod_collected_fen=extra.get("cod"), cod_collected_at=at(11) if "cod" in extra else None,
                                 cod_booked_at=at(12) if "cod" in extra else None))
        session.add(AuditEvent(at=moment, actor_qq=20001, action="接单", subject=number, detail=f"{customer.name}"))
        session.add(OutboxMessage(created_at=moment, target_kind="group", target_id=9001, segments=[
            {"type": "text", "data": {"text": f"【新订单】{number}"}}], subject=number, status="sent",
            next_attempt_at=moment, sent_at=moment, message_id=70000 + index))
    session.add(OutboxMessage(created_at=at(23, 0), target_kind="group", target_id=9001, segments=[
        {"type": "text", "data": {"text": "【周例会】"}}], dedupe_key="meeting:2026-W48", status="sent",
        next_attempt_at=at(23, 0), sent_at=at(23, 0), message_id=79999))
    session.add(Complaint(number="T261120-001", customer_id=jinling.id, customer_name=jinling.name,
                          content="送货晚了两天", status=ComplaintStatus.open, group_id=9001, opened_by=20001,
                          opened_at=at(20)))
    session.add(CollectionAttempt(customer_id=suzhou.id, note="电话催款，答应月底付", actor_qq=20001, at=at(21)))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, (date, Decimal)):
        return str(value)
    return value


async def dump(engine: AsyncEngine) -> dict[str, list[dict[str, Any]]]:
    def read(connection) -> dict[str, list[dict[str, Any]]]:
        meta = MetaData()
        meta.reflect(connection)
        return {
            table.name: [{k: _plain(v) for k, v in row._mapping.items()}
                         for row in connection.execute(table.select().order_by(*table.primary_key.columns))]
            for table in meta.sorted_tables if table.name != "alembic_version"
        }

    async with engine.connect() as connection:
        return await connection.run_sync(read)


def _typed(column, value: Any) -> Any:
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, DateTime):
        moment = datetime.fromisoformat(value)
        return moment.replace(tzinfo=UTC) if kind.timezone else moment
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Numeric) and not isinstance(value, (int, float)):
        return Decimal(value)
    if isinstance(kind, Boolean):
        return bool(value)
    return value


async def load(engine: AsyncEngine, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Insert the fixture's rows into a database at ``FIRST_HEAD`` (sequences moved past them on PostgreSQL)."""

    def write(connection) -> None:
        meta = MetaData()
        meta.reflect(connection)
        for table in meta.sorted_tables:
            data = rows.get(table.name)
            if not data:
                continue
            connection.execute(table.insert(), [{k: _typed(table.c[k], v) for k, v in row.items()} for row in data])
            if connection.dialect.name == "postgresql" and "id" in table.c and table.c.id.autoincrement:
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), (SELECT max(id) FROM {table.name}))"
                ))

    async with engine.begin() as connection:
        await connection.run_sync(write)


async def tables_at(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))


async def build() -> None:
    folder = Path(tempfile.mkdtemp(prefix="xietong-first-release-"))
    engine = create_async_engine(f"sqlite+aiosqlite:///{folder / 'first.db'}")
    await migrate_to(engine, FIRST_HEAD)
    async with AsyncSession(engine) as session:
        await _seed(session)
        await session.commit()
    async with AsyncSession(engine) as session:
        expected = await figures(session)
    FIXTURE.write_text(json.dumps({"revision": FIRST_HEAD, "today": TODAY.isoformat(), "figures": expected,
                                   "rows": await dump(engine)}, ensure_ascii=False, indent=1) + "\n",
                       encoding="utf-8")
    await engine.dispose()
    print(f"wrote {FIXTURE}", file=sys.stderr)


if __name__ == "__main__":
    asyncio.run(build())
