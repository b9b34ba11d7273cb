"""Databases for bot processes under test: a SQLite file by default, a fresh PostgreSQL database on demand.

When ``XIETONG_TEST_DATABASE_URL`` names a PostgreSQL server (a ``postgresql+asyncpg://`` URL of a
database on a server where the user may ``CREATE DATABASE``), every :class:`~tools.onebot_sim.BotProcess`
gets a database of its own there, ``xietong_wire_<hex>``, created on an admin connection to the same
server and dropped when the bot is closed. Whatever a test run leaves behind (a test that never closed
its bot) is dropped at the end of the session.

:func:`outbox_rows` reads what a bot's outbox holds, from outside the bot, for tests that must wait
until it is between two delivery attempts.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

ENV = "XIETONG_TEST_DATABASE_URL"
PREFIX = "xietong_wire_"

_created: set[str] = set()  # URLs of databases this test run created and has not dropped yet


def server_url() -> URL | None:
    """The PostgreSQL server the wire tests may use, or None (then they run on SQLite)."""
    raw = os.environ.get(ENV, "").strip()
    if not raw:
        return None
    url = make_url(raw)
    return url if url.get_backend_name() == "postgresql" else None


def postgres_available() -> bool:
    return server_url() is not None


def _dsn(url: URL, database: str | None) -> str:
    """A libpq DSN for asyncpg (the SQLAlchemy URL without its driver), on ``database``."""
    plain = url.set(drivername="postgresql", database=database)
    return plain.render_as_string(hide_password=False)


async def _admin(url: URL) -> asyncpg.Connection:
    """A connection to the server for CREATE/DROP DATABASE: on the database the environment names."""
    server = server_url()
    database = server.database if server is not None and server.database else "postgres"
    return await asyncpg.connect(_dsn(url, database), timeout=10)


async def create_database() -> str:
    """A new, empty database on the test server; returns its ``postgresql+asyncpg`` URL."""
    server = server_url()
    if server is None:
        raise RuntimeError(f"{ENV} does not name a PostgreSQL server")
    name = PREFIX + uuid.uuid4().hex[:12]
    connection = await _admin(server)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    url = server.set(database=name).render_as_string(hide_password=False)
    _created.add(url)
    return url


async def drop_database(url: str) -> None:
    """Drop a database :func:`create_database` made, even if a killed bot left connections behind."""
    parsed = make_url(url)
    name = parsed.database or ""
    if not name.startswith(PREFIX):
        raise ValueError(f"refusing to drop {name!r}: not a wire-test database")
    connection = await _admin(parsed)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()
    _created.discard(url)


async def drop_leftovers() -> None:
    for url in sorted(_created):
        await drop_database(url)


async def outbox_rows(url: str) -> list[dict[str, Any]]:
    """Every outbox row of the bot's database, oldest first (id, target, status, attempts, lease)."""
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            result = await connection.execute(
                text(
                    "SELECT id, target_kind, target_id, status, attempts, lease_owner, message_id "
                    "FROM outbox_message ORDER BY id"
                )
            )
            return [dict(row) for row in result.mappings()]
    finally:
        await engine.dispose()
