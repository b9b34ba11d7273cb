"""Handled-marks of read answers written together (xietong.core.dedupe.Marks): durable, batched, never hanging."""

import asyncio
import logging
from contextlib import asynccontextmanager

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from xietong.core import dedupe
from xietong.core.db import database


async def claim(key: str) -> bool:
    dedupe.begin(key)  # each task its own claim (a task runs in a copy of the context)
    return await dedupe.claim()


class Writes:
    """Transactions begun and INSERTs into processed_event meanwhile."""

    def __init__(self):
        self.engine = database().engine.sync_engine
        self.begins = self.inserts = 0

    def _begin(self, _conn):
        self.begins += 1

    def _statement(self, _conn, _cursor, statement, *_):
        self.inserts += statement.lstrip().upper().startswith("INSERT INTO PROCESSED_EVENT")

    def __enter__(self):
        event.listen(self.engine, "begin", self._begin)
        event.listen(self.engine, "before_cursor_execute", self._statement)
        return self

    def __exit__(self, *_):
        event.remove(self.engine, "begin", self._begin)
        event.remove(self.engine, "before_cursor_execute", self._statement)


async def test_answers_ready_together_are_marked_in_one_transaction():
    with Writes() as writes:
        results = await asyncio.gather(*(claim(f"batch-{n}") for n in range(6)))
    assert results == [True] * 6
    assert (writes.begins, writes.inserts) == (1, 1)
    assert all([await dedupe.seen(f"batch-{n}") for n in range(6)])


async def test_an_idle_mark_is_written_at_once_and_what_arrives_meanwhile_waits_for_the_next():
    with Writes() as writes:
        first = asyncio.create_task(claim("alone"))
        await asyncio.sleep(0)  # the writer has taken "alone" and is writing it
        await asyncio.sleep(0)
        rest = [asyncio.create_task(claim(f"after-{n}")) for n in range(3)]
        assert await first and await asyncio.gather(*rest) == [True] * 3
    assert (writes.begins, writes.inserts) == (2, 2)


async def test_a_duplicate_in_the_batch_or_in_the_table_is_false_for_that_one_only():
    assert await claim("old")
    results = await asyncio.gather(claim("a"), claim("old"), claim("b"), claim("a"))
    assert results == [True, False, True, False]


async def test_when_the_marks_cannot_be_written_the_answers_go_anyway(monkeypatch, caplog):
    @asynccontextmanager
    async def refused():
        raise OperationalError("INSERT", {}, Exception("database or disk is full"))
        yield

    monkeypatch.setattr(database(), "connection", refused)
    with caplog.at_level(logging.WARNING, logger="xietong.dedupe"):
        assert await asyncio.gather(claim("full-1"), claim("full-2")) == [True, True]
    assert "could not record 2 message(s)" in caplog.text
    dedupe.begin("full-1")
    monkeypatch.undo()
    assert await dedupe.claim()  # the claim stayed open: marked when the database takes writes again
    assert await dedupe.seen("full-1")


async def test_a_stopped_writer_leaves_nobody_waiting(monkeypatch):
    stuck = asyncio.Event()

    @asynccontextmanager
    async def hanging():
        await stuck.wait()  # never set: the write is in progress at shutdown
        yield

    monkeypatch.setattr(database(), "connection", hanging)
    waiters = [asyncio.create_task(claim(f"stop-{n}")) for n in range(2)]
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    late = asyncio.create_task(claim("stop-late"))  # waiting for the next batch
    await asyncio.sleep(0)
    marks = dedupe.Marks.of(database())
    marks.writer.cancel()
    done = await asyncio.wait_for(asyncio.gather(*waiters, late), timeout=2)
    assert done == [True, True, True]  # unmarked, answered anyway (as when the database refuses)
    monkeypatch.undo()
    assert await claim("after-stop")  # a new writer starts for the next mark


async def test_a_waiter_cancelled_meanwhile_does_not_spoil_the_batch():
    gone = asyncio.create_task(claim("gone"))
    kept = asyncio.create_task(claim("kept"))
    await asyncio.sleep(0)
    gone.cancel()
    assert await kept
    with pytest.raises(asyncio.CancelledError):
        await gone
    await dedupe.Marks.of(database()).settle()
    assert await dedupe.seen("kept")


async def test_an_answer_from_inside_a_write_transaction_does_not_wait_for_itself():
    """On SQLite the writer needs the turn this task holds: the answer goes unmarked instead of hanging."""
    async with database().session():
        assert await asyncio.wait_for(claim("inside"), timeout=2)
    assert await claim("after-inside")
