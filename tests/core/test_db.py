"""``Database.reads``: one read transaction for every read of a message (BENCHMARKS.md, round 3)."""

import asyncio

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from xietong.core.db import database
from xietong.core.models import ProcessedEvent


async def _keys() -> set[str]:
    async with database().read() as session:
        return set(await session.scalars(select(ProcessedEvent.key)))


async def test_the_reads_of_a_message_share_one_session_and_see_what_it_wrote_meanwhile():
    async with database().reads():
        async with database().read() as first:
            assert await first.scalar(select(ProcessedEvent.key)) is None  # the snapshot begins here
        async with database().read() as second:
            assert second is first
        async with database().session() as session:  # a state change of the same message
            session.add(ProcessedEvent(key="written"))
        assert await _keys() == {"written"}  # not the snapshot taken before the write
    async with database().read() as session:
        assert session is not first  # outside, each read its own session, as before


async def test_a_failed_statement_does_not_spoil_the_next_read_of_the_message():
    async with database().reads():
        with pytest.raises(DBAPIError):
            async with database().read() as session:
                await session.execute(text("SELECT * FROM no_such_table"))
        assert await _keys() == set()


async def test_postgresql_compiles_no_plan():
    """JIT compiled a misestimated 30 ms query for 180 ms (logistics' /待办 at 1M orders): off for the bot."""
    if database().is_sqlite:
        pytest.skip("PostgreSQL only")
    async with database().read() as session:
        assert await session.scalar(text("SHOW jit")) == "off"


async def test_a_connection_leaves_the_pool_without_a_round_trip(monkeypatch):
    """Pre-ping cost three round trips a transaction on PostgreSQL (BENCHMARKS.md, round 5)."""
    pings = []
    monkeypatch.setattr(database().engine.dialect, "do_ping", lambda connection: pings.append(connection) or True)
    for _ in range(3):
        async with database().read() as session:
            await session.execute(select(ProcessedEvent.key))
    assert pings == []


async def test_a_pooled_connection_the_server_closed_is_replaced_before_use():
    """A restart or ``pg_terminate_backend`` closes the pool's connections: the next command still works."""
    if database().is_sqlite:
        pytest.skip("PostgreSQL only")
    async with database().read() as session:
        await session.execute(text("SELECT 1"))  # the pool holds at least one idle connection now
    from sqlalchemy.ext.asyncio import create_async_engine
    from sqlalchemy.pool import NullPool

    other = create_async_engine(database().url, poolclass=NullPool)
    async with other.connect() as connection:
        ended = set(await connection.scalars(text(  # OFFSET 0: the filter runs before any termination
            "SELECT pid FROM (SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND state = 'idle' OFFSET 0) idle WHERE pg_terminate_backend(pid)")))
    await other.dispose()
    assert ended
    await asyncio.sleep(0.05)  # the driver notices the closed socket when the loop next runs
    async with database().read() as session:
        assert await session.scalar(text("SELECT pg_backend_pid()")) not in ended


async def test_a_read_on_postgresql_costs_no_begin_and_no_rollback():
    """At READ COMMITTED a transaction gives a read nothing (each statement takes its own snapshot) and cost
    two round trips of a command's five or six (BENCHMARKS.md, round 5). SQLite's is the WAL snapshot the
    first test here relies on."""
    if database().is_sqlite:
        pytest.skip("PostgreSQL only")
    async with database().reads():
        async with database().read() as session:
            await session.execute(select(ProcessedEvent.key))
            connection = (await session.connection()).sync_connection.connection.dbapi_connection
            assert not connection.driver_connection.is_in_transaction()


async def test_a_read_session_refuses_to_write():
    """On PostgreSQL a read has no transaction: a write there would be committed, not rolled back."""
    from sqlalchemy import insert

    with pytest.raises(RuntimeError, match="does not write"):
        async with database().read() as session:
            session.add(ProcessedEvent(key="added"))
            await session.flush()
    with pytest.raises(RuntimeError, match="does not write"):
        async with database().reads():
            async with database().read() as session:
                await session.execute(insert(ProcessedEvent).values(key="inserted"))
    assert await _keys() == set()
