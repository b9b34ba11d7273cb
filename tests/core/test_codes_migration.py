"""Enum columns move from the Chinese words to ASCII codes (the member names) and back, rows included."""

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import command

from tests.core.test_schema import fresh_database  # noqa: F401  (the fixture)
from xietong.core import migrate
from xietong.core.types import UTCDateTime

BEFORE, AFTER = "ca7a392684ec", "1b0b38f7f5ea"
AT = datetime(2026, 11, 20, 2, tzinfo=timezone.utc)

customer = sa.table("customer", *(sa.column(c) for c in ("id", "name", "contact", "phone", "region", "salesman",
                                                         "note")), sa.column("created_at", UTCDateTime()))
order = sa.table("sales_order", *(sa.column(c) for c in (
    "id", "number", "customer_id", "customer_name", "amount_fen", "payment", "consignee", "phone", "address", "stage",
    "created_by", "paid_fen")), sa.column("created_at", UTCDateTime()), sa.column("updated_at", UTCDateTime()))
task = sa.table("order_task", *(sa.column(c) for c in ("id", "order_id", "department", "state", "reminders")),
                sa.column("asked_at", UTCDateTime()))
complaint = sa.table("complaint", *(sa.column(c) for c in ("id", "number", "customer_name", "content", "status",
                                                           "opened_by")), sa.column("opened_at", UTCDateTime()))
person = sa.table("field_person", *(sa.column(c) for c in ("id", "kind", "name", "phone")),
                  sa.column("created_at", UTCDateTime()))
token = sa.table("web_token", *(sa.column(c) for c in ("id", "digest", "kind", "qq")),
                 sa.column("created_at", UTCDateTime()), sa.column("expires_at", UTCDateTime()))

WORDS = {
    "orders": [("款到发货", "已取消"), ("货到付款", "处理中"), ("月结", "已结清")],
    "tasks": [("车间", "待回复"), ("财务", "已完成"), ("物流", "有问题")],
    "complaints": ["待处理", "已处理"],
    "tokens": ["链接", "会话"],
    "people": ["业务员", "区域经理"],
}
CODES = {
    "orders": [("prepaid", "cancelled"), ("cod", "processing"), ("monthly", "settled")],
    "tasks": [("workshop", "pending"), ("finance", "done"), ("logistics", "problem")],
    "complaints": ["open", "closed"],
    "tokens": ["link", "session"],
    "people": ["salesperson", "manager"],
}


async def _run(engine, step, revision: str) -> None:
    cfg = migrate.alembic_config()

    def run(connection) -> None:
        cfg.attributes["connection"] = connection
        step(cfg, revision)

    async with engine.begin() as connection:
        await connection.run_sync(run)


async def _stored(engine) -> dict:
    async with engine.connect() as c:
        return {
            "orders": [tuple(r) for r in await c.execute(sa.select(order.c.payment, order.c.stage).order_by(order.c.id))],
            "tasks": [tuple(r) for r in await c.execute(sa.select(task.c.department, task.c.state).order_by(task.c.id))],
            "complaints": (await c.execute(sa.select(complaint.c.status).order_by(complaint.c.id))).scalars().all(),
            "tokens": (await c.execute(sa.select(token.c.kind).order_by(token.c.id))).scalars().all(),
            "people": (await c.execute(sa.select(person.c.kind).order_by(person.c.id))).scalars().all(),
        }


async def test_words_become_codes_and_back(fresh_database):  # noqa: F811
    engine = fresh_database.engine
    await _run(engine, command.upgrade, BEFORE)
    async with engine.begin() as c:
        await c.execute(customer.insert().values(id=1, name="金陵建材", contact="", phone="", region="", salesman="",
                                                 note="", created_at=AT))
        await c.execute(order.insert(), [
            dict(id=i, number=f"D261120-00{i}", customer_id=1, customer_name="金陵建材", amount_fen=100, payment=p,
                 consignee="王工", phone="13800000000", address="南京", stage=s, created_by=1, paid_fen=0,
                 created_at=AT, updated_at=AT)
            for i, (p, s) in enumerate(WORDS["orders"], start=1)])
        await c.execute(task.insert(), [dict(id=i, order_id=1, department=d, state=s, reminders=0, asked_at=AT)
                                        for i, (d, s) in enumerate(WORDS["tasks"], start=1)])
        await c.execute(complaint.insert(), [dict(id=i, number=f"T{i}", customer_name="金陵建材", content="慢",
                                                  status=s, opened_by=1, opened_at=AT)
                                             for i, s in enumerate(WORDS["complaints"], start=1)])
        await c.execute(token.insert(), [dict(id=i, digest=f"d{i}", kind=k, qq=1, created_at=AT, expires_at=AT)
                                         for i, k in enumerate(WORDS["tokens"], start=1)])
        await c.execute(person.insert(), [dict(id=i, kind=k, name=f"王{i}", phone="", created_at=AT)
                                          for i, k in enumerate(WORDS["people"], start=1)])

    await _run(engine, command.upgrade, AFTER)
    assert await _stored(engine) == CODES

    await _run(engine, command.downgrade, BEFORE)
    assert await _stored(engine) == WORDS


async def test_the_models_read_codes_back_as_members_with_their_words():
    from xietong.orders.enums import Stage
    from xietong.orders.models import Order

    column = Order.__table__.c.stage
    processor = column.type.bind_processor(sa.create_engine("sqlite://").dialect)
    assert processor(Stage.cancelled) == "cancelled"
    assert processor("已取消") == "cancelled"  # a word passed as a str enum still stores the code
    assert Stage.cancelled.value == "已取消"
