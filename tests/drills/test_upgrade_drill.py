"""Upgrade drill: the first release's database (orders in every stage, payments, a reversal, COD) migrates
to head on SQLite and, when the suite runs on PostgreSQL, on PostgreSQL too, with every figure unchanged."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from tests.drills.first_release import FIRST_HEAD, FIXTURE, TODAY, figures, load, migrate_to, tables_at
from tests.wire import databases
from xietong.core.migrate import current_revision, head_revision

FIRST = json.loads(FIXTURE.read_text(encoding="utf-8"))


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


async def test_the_first_release_migrates_to_head_with_every_figure_unchanged(empty_database: str):
    engine = create_async_engine(empty_database)
    try:
        await migrate_to(engine, FIRST_HEAD)
        assert await tables_at(engine) == set(FIRST["rows"]) | {"alembic_version"}
        await load(engine, FIRST["rows"])
        await migrate_to(engine, "head")
        assert await current_revision(engine) == head_revision() != FIRST_HEAD
        async with AsyncSession(engine) as session:
            now = await figures(session, TODAY)
        assert now == FIRST["figures"]
    finally:
        await engine.dispose()
