"""The migrations alone build exactly the tables the models describe, on an empty database."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from xietong.core import migrate
from xietong.core.db import Database, database
from xietong.schema import metadata


@pytest.fixture
async def fresh_database(tmp_path):
    """An empty SQLite database, or an empty schema on the PostgreSQL server under test."""
    url = os.environ.get("XIETONG_TEST_DATABASE_URL")
    if url:
        fresh = Database(url)
        async with fresh.engine.begin() as conn:
            await conn.exec_driver_sql("DROP SCHEMA IF EXISTS schema_check CASCADE")
            await conn.exec_driver_sql("CREATE SCHEMA schema_check")
        fresh = Database(url, schema="schema_check")
    else:
        fresh = Database(f"sqlite+aiosqlite:///{tmp_path}/fresh.db")
    yield fresh
    await fresh.dispose()


async def test_bot_database_is_at_the_migration_head():
    assert await migrate.current_revision(database().engine) == migrate.head_revision()


async def test_migrations_from_empty_match_the_models(fresh_database):
    await migrate.upgrade(fresh_database.engine)

    def diff(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, metadata)

    async with fresh_database.engine.connect() as connection:
        changes = await connection.run_sync(diff)
    assert changes == [], f"models differ from the migrations: add an alembic revision ({changes})"
