"""Issue 14's migration moves existing data to the new rules: Chinese ledger kinds become ASCII codes, a
cancelled order learns when it was cancelled, and only slipped orders keep a due date (款到发货: its slip day)."""

from datetime import date, datetime, timezone

import sqlalchemy as sa
from alembic import command

from tests.core.test_schema import fresh_database  # noqa: F401  (the fixture)
from xietong.core import migrate
from xietong.core.types import UTCDateTime

BEFORE, AFTER = "b1834bd5e913", "0eb1dbb1121c"
AT = datetime(2026, 11, 20, 2, tzinfo=timezone.utc)
SLIPPED = datetime(2026, 11, 21, 17, tzinfo=timezone.utc)  # 11-22 01:00 in Shanghai: the local day counts
CANCELLED = datetime(2026, 11, 23, 3, tzinfo=timezone.utc)

customer = sa.table("customer", *(sa.column(c) for c in ("id", "name", "contact", "phone", "region", "salesman",
                                                         "note")), sa.column("created_at", UTCDateTime()))
order = sa.table(
    "sales_order", *(sa.column(c) for c in ("id", "number", "customer_id", "customer_name", "amount_fen", "payment",
                                            "consignee", "phone", "address", "stage", "created_by", "paid_fen")),
    sa.column("created_at", UTCDateTime()), sa.column("updated_at", UTCDateTime()),
    sa.column("slip_at", UTCDateTime()), sa.column("receivable_due", sa.Date()),
    sa.column("cancelled_at", UTCDateTime()),
)
entry = sa.table("ledger_entry", sa.column("id"), sa.column("order_id"), sa.column("kind"), sa.column("amount_fen"),
                 sa.column("note"), sa.column("at", UTCDateTime()), sa.column("reverses_id"))
audit = sa.table("audit_event", sa.column("action"), sa.column("subject"), sa.column("detail"),
                 sa.column("at", UTCDateTime()))


async def _to(engine, revision: str) -> None:
    cfg = migrate.alembic_config()

    def run(connection) -> None:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)

    async with engine.begin() as connection:
        await connection.run_sync(run)


def _order(id_: int, payment: str, stage: str, slip_at=None, due=None) -> dict:
    return dict(id=id_, number=f"D261120-00{id_}", customer_id=1, customer_name="金陵建材", amount_fen=800_000,
                payment=payment, consignee="王工", phone="13800000000", address="南京", stage=stage, created_by=1,
                paid_fen=0, created_at=AT, updated_at=AT, slip_at=slip_at, receivable_due=due)


async def test_the_migration_moves_existing_money_to_the_new_rules(fresh_database):  # noqa: F811
    engine = fresh_database.engine
    await _to(engine, BEFORE)
    async with engine.begin() as connection:
        await connection.execute(customer.insert().values(
            id=1, name="金陵建材", contact="", phone="", region="", salesman="", note="", created_at=AT))
        await connection.execute(order.insert(), [
            _order(1, "款到发货", "已取消", due=date(2026, 11, 20)),
            _order(2, "款到发货", "处理中", due=date(2026, 11, 20)),
            _order(3, "款到发货", "已开单", slip_at=SLIPPED, due=date(2026, 11, 20)),
            _order(4, "月结", "已到货", slip_at=SLIPPED, due=date(2026, 12, 25)),
        ])
        await connection.execute(entry.insert(), [
            dict(id=1, order_id=1, kind="收款", amount_fen=800_000, note="", at=AT, reverses_id=None),
            dict(id=2, order_id=4, kind="代收入账", amount_fen=100_000, note="", at=AT, reverses_id=None),
            dict(id=3, order_id=4, kind="冲销", amount_fen=-100_000, note="", at=AT, reverses_id=2),
        ])
        await connection.execute(audit.insert().values(action="撤单", subject="D261120-001", detail="", at=CANCELLED))
    await _to(engine, AFTER)
    async with engine.connect() as connection:
        kinds = (await connection.execute(sa.select(entry.c.kind).order_by(entry.c.id))).scalars().all()
        rows = (await connection.execute(
            sa.select(order.c.id, order.c.receivable_due, order.c.cancelled_at).order_by(order.c.id))).all()
    assert kinds == ["payment", "cod", "reversal"]
    assert [tuple(r) for r in rows] == [
        (1, None, CANCELLED),  # unslipped: no due date; cancelled when its 撤单 was recorded
        (2, None, None),  # 款到发货 waiting for prepayment: no receivable
        (3, date(2026, 11, 22), None),  # slipped 款到发货: due on its (local) slip day
        (4, date(2026, 12, 25), None),  # 月结 delivered: unchanged
    ]
