"""SQLite through aiosqlite with one hand-off to its thread a statement, not four.

aiosqlite runs every call on a connection's own thread: the caller queues a function and awaits a future
that the thread resolves with ``call_soon_threadsafe``, which wakes the event loop. SQLAlchemy's stock
adapter (``sqlalchemy.dialects.sqlite.aiosqlite``) makes one such round trip to create a cursor, one to
execute, one to fetch the rows and one to close the cursor: four thread wake-ups and four loop wake-ups
for a statement whose SQLite work is microseconds (a py-spy profile of the reads put aiosqlite's thread
at 24 % of the bot, ``Connection.cursor`` alone at 15 %: BENCHMARKS.md, round 3; the change: round 4).

:class:`OneHopCursor` does all of it in one function run on the same thread (cursor, execute, rows,
description, rowcount, lastrowid, close) and keeps the results on the adapter. The concurrency model is
unchanged: SQL never runs on the event loop's thread, a long statement does not block it, and one
connection's statements still queue in order on its thread (so the stock adapter's per-connection
execute lock, which kept execute and fetch of one statement together, has nothing left to guard).
Errors are re-raised as the driver's (``sqlite3``) exceptions, which SQLAlchemy translates as before
(``sqlalchemy.exc.IntegrityError`` etc.). Server-side cursors stay on the stock path.

A transaction's ``BEGIN`` rides with its first statement (:meth:`OneHopConnection.begin_with_next_statement`,
called by db.py's ``begin`` event): it runs first in that statement's hop, so ``BEGIN IMMEDIATE`` still takes
the write lock before anything is read, and a transaction with no statement begins nothing and commits
without a hop.

It relies on ``aiosqlite.Connection._execute(fn, *args)`` (run ``fn`` on the connection's thread) and
``_conn`` (its ``sqlite3.Connection``), which are private; SQLAlchemy's own adapter uses the same
internals. Checked against aiosqlite 0.22 and SQLAlchemy 2.1, the ranges pyproject.toml pins. Plugged in with
``create_async_engine(url, module=one_hop_dbapi())``: ``sqlite+aiosqlite://`` URLs keep working.
"""

from __future__ import annotations

import collections
import sqlite3
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_

# What one statement leaves behind: description, rows, rowcount, lastrowid.
_Outcome = tuple[Any, list[Any], int, int | None]


def _run(connection: aiosqlite.Connection, begin: str | None, many: bool, operation: str, parameters: Any
         ) -> _Outcome:
    """One statement (after its transaction's BEGIN, if deferred to it), start to finish, on the connection's
    thread."""
    cursor = connection._conn.cursor()
    try:
        if begin is not None:
            cursor.execute(begin)
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """A DBAPI cursor whose every statement is one call into aiosqlite's thread; no sqlite3 cursor
    outlives the statement, so closing it costs nothing."""

    __slots__ = ("_arraysize", "_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection):
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]  # made and closed inside each statement
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self._arraysize = 1

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int | None:  # type: ignore[override]
        return self._lastrowid

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    def execute(self, operation: Any, parameters: Any = None) -> None:
        self._hop(False, operation, parameters)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> None:
        self._hop(True, operation, seq_of_parameters)

    def _hop(self, many: bool, operation: Any, parameters: Any) -> None:
        begin = self._adapt_connection.take_deferred_begin()
        try:
            outcome = await_(self._connection._execute(_run, self._connection, begin, many, operation, parameters))
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self._description, rows, self._rowcount, self._lastrowid = outcome
        self._rows = collections.deque(rows)

    async def _async_soft_close(self) -> None:
        """Nothing to close: the sqlite3 cursor was closed with its statement."""

    def close(self) -> None:
        self._rows.clear()

    def nextset(self) -> None:
        raise sqlite3.NotSupportedError("SQLite returns one result set a statement")

    def setinputsizes(self, *inputsizes: Any) -> None:
        """A no-op, as sqlite3's."""


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    """The stock adapter's connection with :class:`OneHopCursor` and a BEGIN that waits for its statement."""

    __slots__ = ("_deferred_begin",)
    _cursor_cls = OneHopCursor

    def __init__(self, dbapi: Any, connection: aiosqlite.Connection):
        super().__init__(dbapi, connection)
        self._deferred_begin: str | None = None

    def begin_with_next_statement(self, begin: str) -> None:
        """Begin the transaction (``BEGIN``, ``BEGIN IMMEDIATE``) in the same hop as its first statement."""
        self._deferred_begin = begin

    def take_deferred_begin(self) -> str | None:
        begin, self._deferred_begin = self._deferred_begin, None
        return begin

    def commit(self) -> None:
        if self.take_deferred_begin() is None:  # else nothing was begun: nothing to commit
            super().commit()

    def rollback(self) -> None:
        if self.take_deferred_begin() is None:
            super().rollback()


class OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The stock aiosqlite DBAPI module, but its connections' cursors are :class:`OneHopCursor`."""

    def connect(self, *arg: Any, **kw: Any) -> OneHopConnection:
        stock = super().connect(*arg, **kw)  # aiosqlite's connection, its thread started and a daemon
        return OneHopConnection(self, stock._connection)


def one_hop_dbapi() -> OneHopDBAPI:
    """The ``module`` to give ``create_async_engine`` for a ``sqlite+aiosqlite`` URL."""
    return OneHopDBAPI(aiosqlite, sqlite3)
