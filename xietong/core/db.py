"""Async engine and sessions; SQLite is tuned for one bot writing from many coroutines.

On SQLite every transaction of :meth:`Database.session` starts with ``BEGIN IMMEDIATE``: the
write lock is taken at the start, so two coroutines that read-then-write the same order queue
up (on an in-process lock, and across processes behind the busy timeout) instead of failing
(or silently losing an update) when the second one upgrades its lock. :meth:`Database.read`
is for sessions that only read: a WAL reader, which waits for nobody. On PostgreSQL, services
lock the rows they change with ``SELECT … FOR UPDATE``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import ORMExecuteState, Session

from xietong.core.sqlite_driver import OneHopConnection, one_hop_dbapi

SQLITE_BUSY_TIMEOUT_MS = 15_000
SQLITE_POOL = 20

# Within one process, SQLite transactions queue on an asyncio lock rather than in SQLite's busy handler,
# which polls with sleeps of up to 100 ms: under load that, not the work, was the latency (BENCHMARKS.md).
# BEGIN IMMEDIATE still serialises writers of other processes. A session opened inside another one in the
# same task does not wait for the lock it already holds.
_in_transaction: ContextVar[bool] = ContextVar("xietong_sqlite_transaction", default=False)
# Set inside :meth:`Database.read`: its transaction begins DEFERRED (a WAL reader), not IMMEDIATE.
_reading: ContextVar[bool] = ContextVar("xietong_sqlite_reading", default=False)
# Set inside :meth:`Database.reads`: the one session every :meth:`Database.read` of a message shares.
_shared: ContextVar[AsyncSession | None] = ContextVar("xietong_shared_read", default=None)


class Database:
    def __init__(self, url: str, *, schema: str | None = None):
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        kwargs: dict = {}
        if self.is_sqlite:
            _ensure_sqlite_folder(self.url.database)
            kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
            # Kept open, not the default 5: a connection beyond the pool's size was closed when returned, and
            # opening one is a thread and four PRAGMAs (at 16 commands in flight, one a message; BENCHMARKS.md).
            kwargs.update(pool_size=SQLITE_POOL, max_overflow=10)
            if self.url.get_driver_name() == "aiosqlite":
                kwargs["module"] = one_hop_dbapi()  # one thread hand-off a statement (sqlite_driver.py)
        else:
            # No pre-ping: it cost three round trips each time a connection left the pool (BEGIN, ``;``,
            # ROLLBACK; BENCHMARKS.md, round 5). A connection the server closed is found without one
            # (_drop_connections_the_server_closed).
            kwargs.update(pool_size=5, max_overflow=10)
            # No JIT: it compiles any plan whose estimated cost is high, and a misestimated short query paid
            # 180 ms of compiling for 30 ms of work (logistics' /待办 at 1M orders; BENCHMARKS.md, round 3).
            server_settings = {"jit": "off"}
            if schema:  # a separate schema on the same server (the migration check in the tests)
                server_settings["search_path"] = schema
            kwargs["connect_args"] = {"server_settings": server_settings}
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        if self.is_sqlite:
            _tune_sqlite(self.engine)
        else:
            _drop_connections_the_server_closed(self.engine)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # Reads on PostgreSQL run without BEGIN and ROLLBACK, two round trips of a command's five or six: at
        # READ COMMITTED each statement sees its own snapshot inside a transaction too, so a transaction
        # bought a read nothing. On SQLite the transaction is the WAL snapshot every read of a message shares.
        self._read_sessions = async_sessionmaker(
            self.engine if self.is_sqlite else self.engine.execution_options(isolation_level="AUTOCOMMIT"),
            expire_on_commit=False, sync_session_class=ReadSession)
        self._lock: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None

    def _sqlite_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock[0] is not loop:
            self._lock = (loop, asyncio.Lock())
        return self._lock[1]

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session in one transaction: committed on success, rolled back on any error."""
        async with self._writing():
            async with self.sessions() as session, session.begin():
                yield session

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction like :meth:`session`'s, on a bare connection: for one statement where the
        ORM's unit of work would cost more than the statement (marking a message handled)."""
        async with self._writing(), self.engine.begin() as connection:
            yield connection

    @asynccontextmanager
    async def _writing(self) -> AsyncIterator[None]:
        """What every write transaction waits for: on SQLite the process's turn (the lock); and the
        message's shared read transaction ends first (:meth:`reads`)."""
        await self.end_reads()  # what is read after this write sees it; one pooled connection at a time
        reading = _reading.set(False)
        try:
            if not self.is_sqlite or _in_transaction.get():
                yield
                return
            async with self._sqlite_lock():
                token = _in_transaction.set(True)
                try:
                    yield
                finally:
                    _in_transaction.reset(token)
        finally:
            _reading.reset(reading)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session that only reads. On SQLite its transaction is a WAL reader (BEGIN DEFERRED, outside
        the lock): it neither waits for writers nor holds them up, and sees one consistent snapshot.
        On PostgreSQL no transaction: each statement its own snapshot, as it is at READ COMMITTED inside one.
        It refuses to write (:class:`ReadSession`): that is what :meth:`session` is for."""
        token = _reading.set(True)
        try:
            shared = _shared.get()
            if shared is None:
                async with self._read_sessions() as session, session.begin():
                    yield session
                return
            try:
                yield shared
            except BaseException:
                await shared.close()  # a failed statement must not spoil the next read
                raise
        finally:
            _reading.reset(token)

    @asynccontextmanager
    async def reads(self) -> AsyncIterator[None]:
        """One read transaction for every :meth:`read` inside (a message's dedupe check, its access check
        and a read-only command's own reads): one session and one BEGIN instead of one each, each a few
        round trips to the driver (BENCHMARKS.md). A :meth:`session` opened meanwhile ends that
        transaction first, so what is read after a write sees it, and a command holds one pooled
        connection at a time; the next read begins a new one."""
        session = self._read_sessions()
        token = _shared.set(session)
        try:
            yield
        finally:
            _shared.reset(token)
            await session.close()

    def holds_write_turn(self) -> bool:
        """Whether this task is inside a write transaction holding SQLite's in-process turn (:meth:`_writing`)."""
        return self.is_sqlite and _in_transaction.get()

    async def end_reads(self) -> None:
        """End the message's shared read transaction (:meth:`reads`), if one is open: the next read begins
        a new one, and its pooled connection is free meanwhile."""
        shared = _shared.get()
        if shared is not None and shared.in_transaction():
            await shared.close()

    async def dispose(self) -> None:
        await self.engine.dispose()


class ReadSession(Session):
    """The session of :meth:`Database.read`: it refuses to write. On PostgreSQL it has no transaction, so a
    write there would be committed at once, not rolled back with the read."""


_READS_DO_NOT_WRITE = "a read session does not write: use database().session()"


@event.listens_for(ReadSession, "before_flush")
def _no_flush_in_a_read(session: Session, _context: object, _instances: object) -> None:
    if session.new or session.dirty or session.deleted:
        raise RuntimeError(_READS_DO_NOT_WRITE)


@event.listens_for(ReadSession, "do_orm_execute")
def _no_statement_that_writes_in_a_read(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        raise RuntimeError(_READS_DO_NOT_WRITE)


def _ensure_sqlite_folder(database: str | None) -> None:
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def _tune_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn):
        begin = "BEGIN" if _reading.get() else "BEGIN IMMEDIATE"
        dbapi_connection = conn.connection.dbapi_connection
        if isinstance(dbapi_connection, OneHopConnection):
            dbapi_connection.begin_with_next_statement(begin)  # one hop with the first statement
        else:
            conn.exec_driver_sql(begin)


def _drop_connections_the_server_closed(engine: AsyncEngine) -> None:
    """A pooled connection whose server side is gone (a restart, ``pg_terminate_backend``, an idle timeout)
    is replaced before use: the driver saw the socket close, so asking it costs no round trip. Raising
    DisconnectionError at checkout makes the pool discard it and hand out another (SQLAlchemy's documented
    pessimistic check). A connection cut without the server closing it fails its first statement instead,
    and SQLAlchemy then empties the pool, as it did with pre-ping after such a failure."""

    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_connection, _record, _proxy):
        driver_connection = getattr(dbapi_connection, "driver_connection", None)
        is_closed = getattr(driver_connection, "is_closed", None)
        if is_closed is not None and is_closed():
            raise DisconnectionError("the server closed this connection")


_database: Database | None = None


def configure(url: str) -> Database:
    """Open the database the settings name (called once at start-up, and by tests)."""
    global _database
    _database = Database(url)
    return _database


def database() -> Database:
    if _database is None:
        raise RuntimeError("database not configured: call xietong.core.db.configure() first")
    return _database
