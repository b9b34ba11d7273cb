"""Upgrade drill: the first release's database (orders in every stage, payments, a reversal, COD) migrates
to head on SQLite and, when the suite runs on PostgreSQL, on PostgreSQL too, with every figure unchanged
except where round 2 redefined it on purpose: an order is a receivable only from its sales slip on (an
unslipped 款到发货 order waits for prepayment and has no due date), so those orders leave /应收."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from tests.drills.first_release import FIRST_HEAD, FIXTURE, TODAY, figures, load, migrate_to, tables_at
from tools.onebot_sim import databases
from xietong.core import migrate
from xietong.core.db import Database
from xietong.core.migrate import current_revision, head_revision

FIRST = json.loads(FIXTURE.read_text(encoding="utf-8"))
UNSLIPPED = {"处理中", "可开单", "已取消"}
BUCKETS = (0, 30, 60, 90)  # 未到期, 1-30, 31-60, 61-90, 90+: the last day of each bucket


def under_round_two_rules(first: dict) -> dict:
    """The first release's figures as round 2 defines them: unslipped orders lose their due date and their
    outstanding money leaves the customer's and the total ageing (derived here by hand, not by the code)."""
    customer_of = {row["number"]: row["customer_name"] for row in first["rows"]["sales_order"]}
    figures = json.loads(json.dumps(first["figures"]))
    for number, (stage, _payment, amount, paid, _ledger, due) in first["figures"]["orders"].items():
        if stage not in UNSLIPPED:
            continue
        figures["orders"][number][5] = None
        if stage == "已取消" or due is None or amount <= paid:
            continue
        late = (TODAY - date.fromisoformat(due)).days
        bucket = next((i for i, last in enumerate(BUCKETS) if late <= last), len(BUCKETS))
        line = figures["receivables"][customer_of[number]]
        line[0] -= 1
        line[1][bucket] -= amount - paid
        figures["total"][0] -= 1
        figures["total"][1] -= amount - paid
    for line in figures["receivables"].values():
        line[2] = None  # the oldest overdue day moves with the orders that left: not compared
    figures["total"][3] = None  # so does DSO
    return figures


def comparable(figures: dict) -> dict:
    for line in figures["receivables"].values():
        line[2] = None
    figures["total"][3] = None
    return figures


@pytest.fixture(params=["sqlite", "postgresql"])
async def empty_database(request, tmp_path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'first-release.db'}"
        return
    if not databases.postgres_available():
        pytest.skip("the suite runs on SQLite (XIETONG_TEST_DATABASE_URL names no PostgreSQL server)")
    url = await databases.create_database()
    try:
        yield url
    finally:
        await databases.drop_database(url)


def test_the_fixture_is_the_first_release_and_holds_every_stage():
    assert FIRST["revision"] == FIRST_HEAD
    stages = {stage for stage, *_ in FIRST["figures"]["orders"].values()}
    assert stages == {"处理中", "可开单", "已开单", "已发货", "已到货", "已结清", "已取消"}
    assert {row["kind"] for row in FIRST["rows"]["ledger_entry"]} == {"收款", "代收入账", "冲销"}


async def test_the_first_release_migrates_to_head_with_its_figures(empty_database: str):
    engine = create_async_engine(empty_database)
    try:
        await migrate_to(engine, FIRST_HEAD)
        assert await tables_at(engine) == set(FIRST["rows"]) | {"alembic_version"}
        await load(engine, FIRST["rows"])
        bot = Database(empty_database)  # migrated as the bot does it at start-up: foreign keys enforced
        try:
            await migrate.upgrade(bot.engine)
        finally:
            await bot.dispose()
        assert await current_revision(engine) == head_revision() != FIRST_HEAD
        async with AsyncSession(engine) as session:
            now = await figures(session, TODAY)
        assert comparable(now) == under_round_two_rules(FIRST)
    finally:
        await engine.dispose()
