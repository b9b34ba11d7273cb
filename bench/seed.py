"""Seed a Xietong database with N orders of realistic history, for the benchmarks.

    .venv/bin/python bench/seed.py 100000                 # bench/data/seed-100000.db (SQLite)
    .venv/bin/python bench/seed.py 100000 --postgres postgresql+asyncpg://postgres@127.0.0.1:55433/postgres

The schema comes from the migrations (as the bot builds it); rows are bulk-inserted into the model tables
(SQLAlchemy core on SQLite, COPY on PostgreSQL), generated deterministically from N: customers with a
long-tailed share of orders, a catalogue of products and units, the three payment methods, orders spread
over months or years up to today and moved through their stages as time allows (tasks, slips, shipments,
deliveries, payments and COD in the ledger, a few cancellations and bad debts), each with its audit trail
and the outbox rows of its intake. A file or database already seeded with N orders is reused.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import JSON, create_engine, func, select, text  # noqa: E402
from sqlalchemy import Enum as SAEnum  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from xietong import schema  # noqa: E402
from xietong.core import migrate  # noqa: E402
from xietong.core.clock import LOCAL_TZ  # noqa: E402
from xietong.core.models import AuditEvent, Counter, Member, MemberRole, OutboxMessage  # noqa: E402
from xietong.core.outbox import build_segments  # noqa: E402
from xietong.finance.models import EntryKind, LedgerEntry  # noqa: E402
from xietong.logistics.models import Shipment  # noqa: E402
from xietong.orders.enums import Department, PaymentMethod, Stage, TaskState  # noqa: E402
from xietong.orders.models import Order, OrderItem, OrderTask  # noqa: E402
from xietong.parties.models import Customer  # noqa: E402

DATA = ROOT / "bench" / "data"
GROUP = 9001
# The company of the benchmark (the driver speaks as these people): QQ → (card, roles).
STAFF: dict[int, tuple[str, tuple[str, ...]]] = {
    20101: ("王客服", ("cs",)),
    20151: ("周助理", ("assistant",)),
    20111: ("老张", ("workshop",)),
    20112: ("小李", ("workshop",)),
    20121: ("钱会计", ("finance",)),
    20131: ("孙物流", ("logistics",)),
    20161: ("陈主任", ("director",)),
    20171: ("赵副总", ("vp",)),
    20181: ("刘总", ("gm",)),
}
CS, WORKSHOP, FINANCE, LOGISTICS = 20101, 20111, 20121, 20131

CITIES = "南京 苏州 无锡 常州 扬州 镇江 南通 泰州 盐城 淮安 合肥 芜湖 杭州 宁波 嘉兴 湖州 上海 徐州 连云港 宿迁".split()
BRANDS = (
    "华兴 金陵 恒通 宏达 鑫源 瑞丰 永盛 建辉 天成 东方 新华 长江 中联 正大 富强 明珠 荣昌 安泰 嘉禾 德隆 "
    "顺发 锦程 和泰 汇丰 晨光 远洋 海川 金鼎 泰和 广厦"
).split()
TRADES = "建材 建设 装饰 工程 贸易 物资 实业 商砼".split()
# name, unit, unit price range (fen), quantity range, fractional quantities allowed
PRODUCTS: list[tuple[str, str, int, int, int, int, bool]] = [
    ("P.O 42.5 水泥", "吨", 38000, 46000, 5, 80, True),
    ("P.C 32.5 水泥", "吨", 33000, 39000, 5, 80, True),
    ("干混砂浆", "吨", 28000, 35000, 5, 60, True),
    ("抹灰石膏", "袋", 2200, 2800, 50, 800, False),
    ("瓷砖胶", "袋", 3500, 4800, 20, 500, False),
    ("防水涂料", "桶", 18000, 26000, 5, 120, False),
    ("腻子粉", "袋", 1500, 2200, 50, 1000, False),
    ("界面剂", "桶", 6000, 9000, 5, 100, False),
    ("填缝剂", "袋", 900, 1500, 20, 400, False),
    ("保温砂浆", "吨", 42000, 52000, 2, 40, True),
    ("自流平", "袋", 4200, 5600, 20, 600, False),
    ("灌浆料", "吨", 90000, 120000, 1, 20, True),
    ("减水剂", "kg", 700, 1100, 200, 5000, False),
    ("速凝剂", "kg", 500, 900, 100, 3000, False),
    ("玻纤网格布", "卷", 4500, 6500, 10, 300, False),
    ("美纹纸", "箱", 8000, 12000, 2, 50, False),
    ("密封胶", "箱", 15000, 22000, 2, 80, False),
    ("结构胶", "箱", 26000, 36000, 1, 40, False),
    ("砌筑砂浆", "吨", 26000, 32000, 5, 60, True),
    ("外墙涂料", "桶", 32000, 45000, 5, 100, False),
]
PRODUCT_WEIGHTS = [30, 18, 14, 8, 8, 6, 6, 4, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1, 2, 2]
PAYMENTS = [PaymentMethod.prepaid, PaymentMethod.cod, PaymentMethod.monthly]
PAYMENT_WEIGHTS = [50, 20, 30]
DAY = 86400.0


def span_days(orders: int) -> int:
    """How far back the history goes: two years for small books, five for a million orders."""
    return 730 if orders <= 20_000 else 1095 if orders <= 200_000 else 1826


def customer_count(orders: int) -> int:
    return max(50, min(3000, orders // 300))


def sqlite_path(orders: int) -> Path:
    return DATA / f"seed-{orders}.db"


def pg_database(orders: int) -> str:
    return f"xietong_bench_{orders}"


class Generator:
    """Rows for every table, in chunks of orders, deterministic for a given N and day."""

    def __init__(self, orders: int, now: datetime | None = None):
        self.orders = orders
        self.rng = random.Random(orders)
        self.now = now or datetime.now(timezone.utc)
        self.now_ts = self.now.timestamp()
        today = self.now.astimezone(LOCAL_TZ).date()
        self.first_day = today - timedelta(days=span_days(orders) - 1)
        self.days = span_days(orders)
        self.customers = customer_count(orders)
        weights = [1 / (i + 3) ** 0.9 for i in range(self.customers)]  # a long tail of small customers
        total = 0.0
        self.customer_cum = []
        for weight in weights:
            total += weight
            self.customer_cum.append(total)
        self.customer_names = self._customer_names()
        self.credit_days = [self.rng.choice((None, None, 30, 45, 60)) for _ in range(self.customers)]
        self.ids = {name: 0 for name in ("item", "task", "ledger", "shipment", "audit", "outbox")}
        self.order_seq: dict[str, int] = {}
        self.slip_seq: dict[str, int] = {}
        self.message_id = 500_000_000

    def _customer_names(self) -> list[str]:
        combos = [f"{c}{b}{t}有限公司" for c in CITIES for b in BRANDS for t in TRADES]
        random.Random(7).shuffle(combos)
        return combos[: self.customers]

    def _next(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    @staticmethod
    def _dt(ts: float) -> datetime:
        return datetime.fromtimestamp(ts, timezone.utc)

    @staticmethod
    def _local_day(ts: float) -> date:
        return datetime.fromtimestamp(ts, LOCAL_TZ).date()

    def static_rows(self) -> dict[str, list[dict[str, Any]]]:
        start = self._dt(self.now_ts - self.days * DAY - 30 * DAY)
        customers = [
            {
                "id": i + 1,
                "name": name,
                "contact": "联系人",
                "phone": f"139{(i * 7919) % 100_000_000:08d}",
                "region": name[:2],
                "salesman": self.rng.choice(("王客服", "周助理")),
                "credit_limit_fen": self.rng.choice((None, 50_000_000, 100_000_000, 300_000_000)),
                "credit_days": self.credit_days[i],
                "note": "",
                "created_at": start,
            }
            for i, name in enumerate(self.customer_names)
        ]
        members = [{"qq": qq, "name": card, "created_at": start} for qq, (card, _) in STAFF.items()]
        roles = [{"qq": qq, "role": role} for qq, (_, held) in STAFF.items() for role in held]
        for index, row in enumerate(roles, start=1):
            row["id"] = index
        return {"customer": customers, "member": members, "member_role": roles}

    def counter_rows(self) -> list[dict[str, Any]]:
        rows = [{"key": f"D{k}", "value": v} for k, v in self.order_seq.items()]
        return rows + [{"key": f"XS{k}", "value": v} for k, v in self.slip_seq.items()]

    def chunks(self, size: int = 20_000) -> Iterator[dict[str, list[dict[str, Any]]]]:
        start_ts = datetime.combine(self.first_day, datetime.min.time(), LOCAL_TZ).timestamp()
        span = self.now_ts - start_ts - 3600  # the last order an hour ago
        for first in range(0, self.orders, size):
            tables: dict[str, list[dict[str, Any]]] = {
                name: [] for name in ("sales_order", "order_item", "order_task", "ledger_entry", "shipment",
                                      "audit_event", "outbox_message")
            }
            customers = self.rng.choices(range(self.customers), cum_weights=self.customer_cum,
                                         k=min(size, self.orders - first))
            for offset, customer in enumerate(customers):
                index = first + offset
                created = start_ts + span * (index + self.rng.random()) / self.orders
                created = self._working_hours(created)
                self._order(tables, index + 1, created, customer)
            yield tables

    def _working_hours(self, ts: float) -> float:
        """Keep the order's day, move it into 08:30–18:00 local time."""
        local = datetime.fromtimestamp(ts, LOCAL_TZ)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
        moved = midnight + 8.5 * 3600 + (ts - midnight) / DAY * 9.5 * 3600
        return min(moved, self.now_ts - 60)

    def _items(self, order_id: int) -> tuple[list[dict[str, Any]], int, str]:
        count = self.rng.choices((1, 2, 3), weights=(75, 18, 7))[0]
        rows, amount, labels = [], 0, []
        for line, product in enumerate(
            self.rng.sample(range(len(PRODUCTS)), count) if count > 1
            else self.rng.choices(range(len(PRODUCTS)), weights=PRODUCT_WEIGHTS), start=1
        ):
            name, unit, lo, hi, qlo, qhi, fractional = PRODUCTS[product]
            price = self.rng.randint(lo // 100, hi // 100) * 100
            milli = self.rng.randint(qlo, qhi) * 1000 + (500 if fractional and self.rng.random() < 0.2 else 0)
            amount += (milli * price + 500) // 1000
            rows.append({"id": self._next("item"), "order_id": order_id, "line": line, "name": name,
                         "quantity": Decimal(milli) / 1000, "unit": unit, "unit_price_fen": price})
            labels.append(f"{name} {Decimal(milli) / 1000:f}{unit}")
        return rows, amount, "；".join(labels)

    def _order(self, t: dict[str, list[dict[str, Any]]], order_id: int, created: float, customer: int) -> None:
        rng, now = self.rng, self.now_ts
        day = self._local_day(created).strftime("%y%m%d")
        self.order_seq[day] = seq = self.order_seq.get(day, 0) + 1
        number = f"D{day}-{seq:03d}"
        items, amount, labels = self._items(order_id)
        t["order_item"].extend(items)
        payment = rng.choices(PAYMENTS, weights=PAYMENT_WEIGHTS)[0]
        name = self.customer_names[customer]
        credit = self.credit_days[customer] or 30

        # When each step happens (it has happened when it is before now).
        stocked = created + rng.uniform(0.05, 2.0) * DAY
        finance_ok = created + rng.uniform(0.02, 1.5) * DAY  # payment arrived (款到发货) or released
        dispatched = created + rng.uniform(0.1, 2.0) * DAY
        slipped = max(stocked, finance_ok) + rng.uniform(0.01, 0.5) * DAY
        shipped = max(slipped, dispatched) + rng.uniform(0.05, 1.5) * DAY
        delivered = shipped + rng.uniform(0.5, 4.0) * DAY
        cancelled = rng.random() < 0.03
        cancel_at = created + rng.uniform(0.05, 1.0) * DAY if cancelled else None
        if cancelled and cancel_at is not None and cancel_at < slipped and cancel_at < now:
            slipped = shipped = delivered = float("inf")
        else:
            cancelled, cancel_at = False, None

        payments: list[tuple[float, int, EntryKind]] = []
        due: date | None = None
        if payment == PaymentMethod.prepaid:
            due = self._local_day(slipped) if slipped < now else None  # a receivable starts at the slip
            payments.append((finance_ok, amount, EntryKind.payment))
        elif delivered < now:
            if payment == PaymentMethod.cod:
                due = self._local_day(delivered)
                payments.append((delivered + rng.uniform(0.5, 6) * DAY, amount, EntryKind.cod))
            else:
                due = self._local_day(delivered) + timedelta(days=credit)
                late = rng.random()
                paid_at = delivered + (credit + rng.gauss(0, 6) + (rng.uniform(30, 150) if late < 0.08 else 0)) * DAY
                if late > 0.985:  # a bad debt: still open, long overdue
                    paid_at = float("inf")
                if rng.random() < 0.12:  # paid in two instalments
                    first = amount * rng.randint(3, 7) // 10
                    payments += [(paid_at - rng.uniform(5, 25) * DAY, first, EntryKind.payment),
                                 (paid_at, amount - first, EntryKind.payment)]
                else:
                    payments.append((paid_at, amount, EntryKind.payment))
        if cancelled:
            payments = [(at, fen, kind) for at, fen, kind in payments if at < (cancel_at or 0)]
        paid = [(at, fen, kind) for at, fen, kind in payments if at < now]
        paid_fen = sum(fen for _, fen, _ in paid)

        if cancelled:
            stage = Stage.cancelled
        elif delivered < now:
            stage = Stage.delivered
        elif shipped < now:
            stage = Stage.shipped
        elif slipped < now:
            stage = Stage.slipped
        elif stocked < now and finance_ok < now:
            stage = Stage.ready
        else:
            stage = Stage.processing
        settled_at = None
        if stage == Stage.delivered and paid_fen >= amount:
            stage, settled_at = Stage.settled, max([delivered, *(at for at, _, _ in paid)])

        slip_number = None
        if slipped < now:
            slip_day = self._local_day(slipped).strftime("%y%m%d")
            self.slip_seq[slip_day] = slip_seq = self.slip_seq.get(slip_day, 0) + 1
            slip_number = f"XS{slip_day}-{slip_seq:03d}"
        last = max(at for at in (created, stocked, finance_ok, slipped, shipped, delivered, cancel_at or 0) if at < now)
        t["sales_order"].append({
            "id": order_id, "number": number, "customer_id": customer + 1, "customer_name": name,
            "amount_fen": amount, "payment": payment, "consignee": "王工", "phone": "13800000000",
            "address": f"{name[:2]}市经济开发区{order_id % 97 + 1}号工地", "packaging": "吨袋" if order_id % 3 else None,
            "due_date": None, "note": None, "stage": stage, "group_id": GROUP, "created_by": CS,
            "created_at": self._dt(created), "updated_at": self._dt(last), "paid_fen": paid_fen,
            "slip_number": slip_number, "slip_at": self._dt(slipped) if slip_number else None,
            "slip_forced_reason": None,
            "shipped_at": self._dt(shipped) if shipped < now else None,
            "delivered_at": self._dt(delivered) if delivered < now else None,
            "customer_notified_at": self._dt(shipped + 1800) if shipped + 1800 < now else None,
            "receivable_due": due, "settled_at": self._dt(settled_at) if settled_at else None,
            "exception_note": "车辆故障，延误一天" if stage == Stage.shipped and order_id % 50 == 0 else None,
            "cancelled_reason": "客户取消" if cancelled else None,
            "cancelled_at": self._dt(cancel_at) if cancel_at is not None else None,
        })
        finance_at = finance_ok if payment != PaymentMethod.prepaid or paid_fen >= amount else float("inf")
        for department, at, who in ((Department.workshop, stocked, WORKSHOP), (Department.finance, finance_at, FINANCE),
                                    (Department.logistics, dispatched, LOGISTICS)):
            done = at < now and not (cancelled and at > (cancel_at or 0))
            t["order_task"].append({
                "id": self._next("task"), "order_id": order_id, "department": department,
                "state": TaskState.done if done else TaskState.pending, "actor_qq": who if done else None,
                "answered_at": self._dt(at) if done else None, "note": None,
                "asked_at": self._dt(created), "reminders": 0 if done or at - created < DAY else 1,
            })

        audit = [(created, CS, "接单", f"{name} {labels} {amount}分 {payment.value}")]
        if stocked < now and not cancelled:
            audit.append((stocked, WORKSHOP, "备货完成", ""))
        if dispatched < now and not cancelled:
            audit.append((dispatched, LOGISTICS, "派车", "苏A12345 张师傅"))
            t["shipment"].append({
                "id": self._next("shipment"), "order_id": order_id, "plate": "苏A12345", "driver": "张师傅",
                "driver_phone": "13900000000", "dispatched_by": LOGISTICS, "dispatched_at": self._dt(dispatched),
                "packages": rng.randint(1, 40) if shipped < now else None,
                "waybill": f"YD{order_id:09d}" if shipped < now else None,
                "freight_fen": rng.randint(3, 30) * 10000,
                "freight_settled_at": self._dt(delivered + 20 * DAY) if delivered + 20 * DAY < now else None,
                "cod_collected_fen": amount if payment == PaymentMethod.cod and delivered < now else None,
                "cod_collected_at": self._dt(delivered) if payment == PaymentMethod.cod and delivered < now else None,
                "cod_booked_at": next((self._dt(at) for at, _, kind in paid if kind == EntryKind.cod), None),
            })
        if payment != PaymentMethod.prepaid and finance_ok < now and not cancelled:
            audit.append((finance_ok, FINANCE, "放行", ""))
        for at, fen, kind in paid:
            entry_id = self._next("ledger")
            t["ledger_entry"].append({"id": entry_id, "order_id": order_id, "kind": kind, "amount_fen": fen,
                                      "note": "", "actor_qq": FINANCE, "at": self._dt(at), "reverses_id": None})
            action = {EntryKind.cod: "代收入账", EntryKind.payment: "到账" if payment == PaymentMethod.prepaid else "收款"}
            audit.append((at, FINANCE, action[kind], f"{fen / 100:.2f} 元 条目#{entry_id}"))
        if slip_number:
            audit.append((slipped, CS, "开单", slip_number))
        if shipped < now:
            audit.append((shipped, LOGISTICS, "发货", ""))
        if delivered < now:
            audit.append((delivered, LOGISTICS, "到货", ""))
        if settled_at:
            audit.append((settled_at, None, "结清", ""))
        if cancelled:
            audit.append((cancel_at, CS, "撤单", "客户取消"))
        audit.sort(key=lambda a: a[0])
        for at, who, action_name, detail in audit:
            t["audit_event"].append({"id": self._next("audit"), "at": self._dt(at), "actor_qq": who,
                                     "action": action_name, "subject": number, "detail": detail})

        # The intake's four notifications, delivered: three instructions and the reply to the CS manager.
        for department, mentions in ((Department.workshop, (WORKSHOP, 20112)), (Department.finance, (FINANCE,)),
                                     (Department.logistics, (LOGISTICS,)), (None, ())):
            body = (f"【{department.value}】订单 {number}（{name}）\n品名数量：{labels}" if department
                    else f"已登记订单 {number}：{name}，{amount / 100:.2f} 元，{payment.value}。")
            self.message_id += 1
            sent = self._dt(created + 1)
            t["outbox_message"].append({
                "id": self._next("outbox"), "created_at": sent, "target_kind": "group", "target_id": GROUP,
                "segments": build_segments(body, mentions), "subject": number, "dedupe_key": None,
                "status": "sent", "attempts": 1, "next_attempt_at": sent, "last_error": "",
                "lease_owner": None, "lease_until": None, "sent_at": sent, "message_id": self.message_id,
            })


TABLES = {
    "customer": Customer, "member": Member, "member_role": MemberRole, "sales_order": Order,
    "order_item": OrderItem, "order_task": OrderTask, "ledger_entry": LedgerEntry, "shipment": Shipment,
    "audit_event": AuditEvent, "outbox_message": OutboxMessage, "counter": Counter,
}


def table(name: str):
    return schema.metadata.tables[TABLES[name].__tablename__]


async def migrate_to_head(url: str) -> None:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()


# —— SQLite ——

def seed_sqlite(orders: int, path: Path | None = None, *, force: bool = False, quiet: bool = False) -> Path:
    """bench/data/seed-N.db with N orders (reused when it is there)."""
    path = path or sqlite_path(orders)
    if path.exists() and not force:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    started = time.monotonic()
    asyncio.run(migrate_to_head(f"sqlite+aiosqlite:///{partial}"))
    engine = create_engine(f"sqlite:///{partial}", poolclass=NullPool)
    generator = Generator(orders)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode=OFF")
        conn.exec_driver_sql("PRAGMA synchronous=OFF")
        conn.exec_driver_sql("PRAGMA cache_size=-262144")
        conn.commit()
        with conn.begin():
            for name, rows in generator.static_rows().items():
                conn.execute(table(name).insert(), rows)
        done = 0
        for chunk in generator.chunks():
            with conn.begin():
                for name, rows in chunk.items():
                    if rows:
                        conn.execute(table(name).insert(), rows)
            done += len(chunk["sales_order"])
            if not quiet:
                print(f"\r  sqlite: {done:,}/{orders:,} orders, {time.monotonic() - started:.0f}s", end="", flush=True)
        with conn.begin():
            conn.execute(table("counter").insert(), generator.counter_rows())
        conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        conn.commit()
    engine.dispose()
    partial.rename(path)
    if not quiet:
        print(f"\n  {path} ({path.stat().st_size / 2**20:.0f} MiB) in {time.monotonic() - started:.0f}s")
    return path


# —— PostgreSQL ——

def _converter(column) -> Any:
    if isinstance(column.type, SAEnum):  # stored as the member's code (its name), as the model's type writes it
        return lambda v: v.name if isinstance(v, Enum) else v
    if isinstance(column.type, JSON):
        return lambda v: None if v is None else json.dumps(v, ensure_ascii=False)
    return None


async def _copy(raw, name: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    target = table(name)
    converters = [(i, c) for i, col in enumerate(columns) if (c := _converter(target.c[col])) is not None]
    records = []
    for row in rows:
        record = [row[col] for col in columns]
        for i, convert in converters:
            record[i] = convert(record[i])
        records.append(record)
    await raw.copy_records_to_table(target.name, records=records, columns=columns)


async def _pg_seeded(url: str, orders: int) -> bool:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            if not await conn.scalar(text("SELECT to_regclass('public.sales_order') IS NOT NULL")):
                return False
            count = await conn.scalar(select(func.count()).select_from(table("sales_order")))
            counters = await conn.scalar(select(func.count()).select_from(table("counter")))
            return count >= orders and counters > 0
    finally:
        await engine.dispose()


async def _admin(server: str, sql: str) -> None:
    import asyncpg

    url = make_url(server).set(drivername="postgresql")
    connection = await asyncpg.connect(url.render_as_string(hide_password=False))
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


async def seed_postgres(orders: int, server: str, *, force: bool = False, quiet: bool = False) -> str:
    """Database xietong_bench_N on the server of ``server`` (a postgresql+asyncpg URL), reused when seeded."""
    name = pg_database(orders)
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        if not force and await _pg_seeded(url, orders):
            return url
    except Exception:  # no such database yet
        pass
    await _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await _admin(server, f'CREATE DATABASE "{name}"')
    started = time.monotonic()
    await migrate_to_head(url)
    engine = create_async_engine(url, poolclass=NullPool)
    generator = Generator(orders)
    try:
        async with engine.connect() as conn:
            raw = (await conn.get_raw_connection()).driver_connection
            await raw.execute("SET synchronous_commit = off")
            for table_name, rows in generator.static_rows().items():
                await _copy(raw, table_name, rows)
            done = 0
            for chunk in generator.chunks():
                async with raw.transaction():
                    for table_name, rows in chunk.items():
                        await _copy(raw, table_name, rows)
                done += len(chunk["sales_order"])
                if not quiet:
                    print(f"\r  postgresql: {done:,}/{orders:,} orders, {time.monotonic() - started:.0f}s",
                          end="", flush=True)
            await _copy(raw, "counter", generator.counter_rows())
            for table_name in ("customer", "member_role", "sales_order", "order_item", "order_task", "ledger_entry",
                               "shipment", "audit_event", "outbox_message"):
                await raw.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table_name}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table_name}))"
                )
            await raw.execute("ANALYZE")  # what autovacuum would have done by now
    finally:
        await engine.dispose()
    if not quiet:
        print(f"\n  {name} in {time.monotonic() - started:.0f}s")
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("orders", type=int, nargs="+", help="how many orders (e.g. 10000 100000 1000000)")
    parser.add_argument("--postgres", metavar="URL", help="also seed a database on this PostgreSQL server")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--force", action="store_true", help="seed again even when already seeded")
    args = parser.parse_args()
    for orders in args.orders:
        if not args.no_sqlite:
            seed_sqlite(orders, force=args.force)
        if args.postgres:
            asyncio.run(seed_postgres(orders, args.postgres, force=args.force))


if __name__ == "__main__":
    main()
