"""The one-hop SQLite adapter (``xietong/core/sqlite_driver.py``) behaves like SQLAlchemy's stock aiosqlite
adapter, with one hand-off to aiosqlite's thread a statement instead of four (BENCHMARKS.md, round 4).

Each test runs on its own SQLite file, with db.py's connection set-up (autocommit driver, BEGIN issued by
the ``begin`` event), whatever database the suite runs on."""

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, event, insert, select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from xietong.core.db import Database, _tune_sqlite
from xietong.core.sqlite_driver import OneHopDBAPI, one_hop_dbapi

metadata = MetaData()
thing = Table("thing", metadata, Column("id", Integer, primary_key=True), Column("name", String, unique=True))


@pytest.fixture(params=["one_hop", "stock"])
async def engine(request: pytest.FixtureRequest, tmp_path) -> AsyncIterator[AsyncEngine]:
    """The adapter under test, and the stock one it must behave like."""
    module = {"module": one_hop_dbapi()} if request.param == "one_hop" else {}
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path}/driver.db", **module)
    _tune_sqlite(engine)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


async def _names(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as connection:
        return list(await connection.scalars(select(thing.c.name).order_by(thing.c.id)))


async def test_rows_and_description(engine: AsyncEngine):
    async with engine.begin() as connection:
        await connection.execute(insert(thing), [{"name": "a"}, {"name": "b"}])  # executemany
        result = await connection.execute(select(thing.c.id, thing.c.name).order_by(thing.c.id))
        assert list(result.keys()) == ["id", "name"]
        assert [tuple(row) for row in result] == [(1, "a"), (2, "b")]
        raw = await connection.exec_driver_sql("SELECT name AS label, 7 AS n FROM thing WHERE id = ?", (2,))
        assert [column[0] for column in raw.cursor.description] == ["label", "n"]
        assert raw.all() == [("b", 7)]
        assert (await connection.execute(select(thing).where(thing.c.id == 99))).all() == []


async def test_rowcount_lastrowid_and_executemany(engine: AsyncEngine):
    async with engine.begin() as connection:
        first = await connection.exec_driver_sql("INSERT INTO thing (name) VALUES ('a')")
        assert first.lastrowid == 1
        many = await connection.exec_driver_sql("INSERT INTO thing (name) VALUES (?)", [("b",), ("c",), ("d",)])
        assert many.rowcount == 3
        core = await connection.execute(insert(thing).values(name="e"))
        assert core.inserted_primary_key == (5,)
        updated = await connection.execute(thing.update().where(thing.c.id > 2).values(name=thing.c.name + "!"))
        assert updated.rowcount == 3
        deleted = await connection.execute(thing.delete().where(thing.c.id == 1))
        assert deleted.rowcount == 1
    assert await _names(engine) == ["b", "c!", "d!", "e!"]


async def test_integrity_error_is_translated_and_its_transaction_rolled_back(engine: AsyncEngine):
    async with engine.begin() as connection:
        await connection.execute(insert(thing).values(name="kept"))
    with pytest.raises(IntegrityError) as caught:
        async with engine.begin() as connection:
            await connection.execute(insert(thing).values(name="lost"))
            await connection.execute(insert(thing).values(name="kept"))
    assert isinstance(caught.value.orig, sqlite3.IntegrityError)
    assert await _names(engine) == ["kept"]
    with pytest.raises(OperationalError):  # other driver errors too, and the connection stays usable
        async with engine.connect() as connection:
            await connection.exec_driver_sql("SELECT * FROM no_such_table")
    assert await _names(engine) == ["kept"]


async def test_server_side_cursor_streams(engine: AsyncEngine):
    async with engine.begin() as connection:
        await connection.execute(insert(thing), [{"name": str(n)} for n in range(50)])
    async with engine.connect() as connection:
        stream = await connection.stream(select(thing.c.name).order_by(thing.c.id))
        assert [row.name async for row in stream] == [str(n) for n in range(50)]


async def test_a_long_statement_does_not_block_the_event_loop(engine: AsyncEngine):
    """The statement can only finish if the loop keeps running while it executes: its SQL function, once
    the statement is under way, waits (in aiosqlite's thread) until a task on the loop has ticked 100
    times. Had the loop waited for the statement, the function would give up after the guard's seconds
    and return 0."""
    loop = asyncio.get_running_loop()
    under_way, loop_ran = asyncio.Event(), threading.Event()
    ticks = 0

    def loop_ran_meanwhile() -> int:
        loop.call_soon_threadsafe(under_way.set)
        return int(loop_ran.wait(10))

    @event.listens_for(engine.sync_engine, "connect")
    def _function(dbapi_connection, _record):
        dbapi_connection.create_function("loop_ran", 0, loop_ran_meanwhile)

    await engine.dispose()  # the pool's connections were made before the function existed

    async def ticker() -> None:
        nonlocal ticks
        await under_way.wait()
        while ticks < 100:
            ticks += 1
            await asyncio.sleep(0)
        loop_ran.set()

    task = asyncio.create_task(ticker())
    try:
        async with engine.connect() as connection:
            slow = text("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 200000) "
                        "SELECT count(*), loop_ran() FROM n")
            assert (await connection.execute(slow)).one() == (200000, 1)
    finally:
        task.cancel()


class _CountingQueue:
    """Stands in for an aiosqlite connection's queue to its thread: every call into that thread is a put."""

    def __init__(self, queue):
        self.queue = queue
        self.puts = 0

    def put_nowait(self, item) -> None:
        self.puts += 1
        self.queue.put_nowait(item)


async def _hand_offs(connection: AsyncConnection, statement, parameters=None) -> int:
    """Calls into the connection's thread while one statement runs and its rows are read."""
    driver = (await connection.get_raw_connection()).driver_connection
    counting = _CountingQueue(driver._tx)
    driver._tx = counting
    try:
        result = await connection.execute(statement, parameters)
        if result.returns_rows:
            result.all()
    finally:
        driver._tx = counting.queue
    return counting.puts


async def test_one_hand_off_to_the_thread_a_statement(engine: AsyncEngine):
    """Fails on the stock adapter (the other parameter shows its count: cursor, execute, fetch and close
    for a SELECT; cursor, executemany and close for an INSERT of two rows)."""
    async with engine.begin() as connection:
        await connection.execute(select(1))  # the BEGIN, a statement of its own
        reads = await _hand_offs(connection, select(thing.c.name).where(thing.c.id == 1))
        writes = await _hand_offs(connection, insert(thing), [{"name": "a"}, {"name": "b"}])
    assert (reads, writes) == ((1, 1) if isinstance(engine.dialect.dbapi, OneHopDBAPI) else (4, 3))


async def test_a_transaction_begins_in_its_first_statement_hop(engine: AsyncEngine):
    """db.py's BEGIN rides with the first statement; an empty transaction costs no hop at all (the stock
    adapter: BEGIN's cursor, execute and close, then the SELECT's four, then COMMIT)."""
    one_hop = isinstance(engine.dialect.dbapi, OneHopDBAPI)
    async with engine.connect() as connection:
        driver = (await connection.get_raw_connection()).driver_connection
        counting = _CountingQueue(driver._tx)
        driver._tx = counting
        async with connection.begin():
            pass
        empty = counting.puts
        async with connection.begin():
            (await connection.execute(select(thing.c.name))).all()
        driver._tx = counting.queue
    assert (empty, counting.puts - empty) == ((0, 2) if one_hop else (4, 8))


async def test_a_write_transaction_holds_the_write_lock_from_its_first_statement(tmp_path):
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/bot.db")
    other = sqlite3.connect(tmp_path / "bot.db", timeout=0, isolation_level=None)
    try:
        async with database.connection() as connection:
            await connection.run_sync(metadata.create_all)
        async with database.read() as session:  # a WAL reader holds up no writer
            await session.scalar(select(thing.c.name))
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
        async with database.session() as session:
            await session.scalar(select(thing.c.name))
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
    finally:
        other.close()
        await database.dispose()


async def test_the_bot_database_uses_it_on_sqlite(tmp_path):
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/bot.db")
    try:
        assert isinstance(database.engine.dialect.dbapi, OneHopDBAPI)
        async with database.connection() as connection:  # BEGIN IMMEDIATE through the adapter
            await connection.run_sync(metadata.create_all)
            await connection.execute(insert(thing).values(name="a"))
        async with database.read() as session:
            assert await session.scalar(select(thing.c.name)) == "a"
    finally:
        await database.dispose()
