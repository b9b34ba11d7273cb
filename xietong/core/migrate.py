"""Alembic migrations, applied at start-up through the running async engine."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from .db import SQLITE_BUSY_TIMEOUT_MS

ROOT = Path(__file__).resolve().parents[2]


def alembic_config(url: str | None = None) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


async def upgrade(engine: AsyncEngine) -> None:
    """Bring the schema to the head revision.

    On SQLite, alembic's batch mode rebuilds a table (copy, DROP, rename), and with foreign keys enforced the
    DROP of a table that other rows point at fails: a book with customers and orders could not be upgraded.
    So SQLite migrates on a connection of its own with foreign keys off (SQLite's documented procedure for
    table rebuilds), in one transaction, and every key is checked before it commits."""
    if engine.dialect.name != "sqlite":
        async with engine.begin() as conn:
            await conn.run_sync(_to_head)
        return
    migrating = create_async_engine(engine.url, poolclass=NullPool)

    @event.listens_for(migrating.sync_engine, "connect")
    def _keys_off(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # BEGIN is ours, below, after the PRAGMA
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=OFF")  # a no-op inside a transaction: set before BEGIN
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(migrating.sync_engine, "begin")
    def _begin(conn) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    try:
        async with migrating.begin() as conn:
            await conn.run_sync(_to_head)
            broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all()
            if broken:  # raising rolls the whole migration back
                raise RuntimeError(f"migration left rows pointing nowhere (table, rowid, parent): {broken[:5]}")
    finally:
        await migrating.dispose()


def _to_head(sync_conn) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = sync_conn
    command.upgrade(cfg, "head")


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as conn:
        return await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_revision())


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
