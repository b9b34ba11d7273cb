"""The outbox: refused sends retried with back-off, order per target, survival across a restart."""

import asyncio
import contextvars
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event, select, text, update
from sqlalchemy.orm import Session

from tests.factories import Statements
from xietong.core import clock, outbox
from xietong.core import work as work_module
from xietong.core.db import database
from xietong.core.models import OutboxMessage
from xietong.core.outbox import BATCH, Deliverer, Target, backoff, subject_of_message
from xietong.core.text import split_text
from xietong.core.work import work

GROUP = Target.group(9001)


class FlakyQQ:
    """Refuses the first ``failures`` sends, then accepts, numbering messages like QQ does."""

    def __init__(self, failures: int = 0):
        self.failures = failures
        self.delivered: list[tuple[Target, str]] = []
        self.calls = 0

    async def __call__(self, target, segments):
        self.calls += 1
        if self.failures > 0:
            self.failures -= 1
            raise RuntimeError("retcode=100")
        self.delivered.append((target, "".join(s["data"].get("text", "") for s in segments).strip()))
        return 7000 + len(self.delivered)


class Clock:
    def __init__(self):
        self.at = datetime(2026, 11, 26, 2, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.at


async def enqueue(*texts: str, target: Target = GROUP, subject: str | None = None) -> None:
    async with work() as w:
        for text in texts:
            w.notify(target, text, mentions=[20002], subject=subject)


async def written_elsewhere(text: str, target: Target) -> None:
    """A notification committed without waking this deliverer, as by another process."""
    async with database().session() as session:
        outbox.enqueue(session, target, text)


async def test_a_message_refused_three_times_goes_out_once():
    fake_clock = Clock()
    clock.set_clock(fake_clock)
    qq = FlakyQQ(failures=3)
    deliverer = Deliverer(database(), qq)
    await enqueue("备货指令")
    for _ in range(3):
        assert await deliverer.deliver_due() == 0
        assert await deliverer.deliver_due() == 0  # not due again before its back-off
        fake_clock.at += timedelta(minutes=5)
    assert await deliverer.deliver_due() == 1
    assert await deliverer.deliver_due() == 0
    assert qq.delivered == [(GROUP, "备货指令")]
    assert qq.calls == 4
    async with database().session() as session:
        row = await session.scalar(select(OutboxMessage))
    assert (row.status, row.attempts, row.message_id) == ("sent", 4, 7001)


async def test_order_per_target_is_kept_when_the_head_fails():
    fake_clock = Clock()
    clock.set_clock(fake_clock)
    qq = FlakyQQ(failures=1)
    other = Target.private(20002)
    await enqueue("第一条", "第二条", "第三条")
    await enqueue("私聊", target=other)
    deliverer = Deliverer(database(), qq)
    await deliverer.deliver_due()
    # the group's head was refused: nothing behind it may overtake; the private chat is not held up
    assert [t for _, t in qq.delivered] == ["私聊"]
    fake_clock.at += timedelta(seconds=5)
    await deliverer.deliver_due()
    assert [t for tg, t in qq.delivered if tg == GROUP] == ["第一条", "第二条", "第三条"]


class FailsAt(FlakyQQ):
    """Times out on the ``nth`` send (counting from 1), once."""

    def __init__(self, nth: int):
        super().__init__()
        self.nth = nth

    async def __call__(self, target, segments):
        if self.calls + 1 == self.nth:
            self.calls += 1
            raise TimeoutError("no answer from QQ")
        return await super().__call__(target, segments)


def counting_transactions(deliverer: Deliverer) -> list[int]:
    count = [0]
    opened = deliverer.db.session

    def session():
        count[0] += 1
        return opened()

    deliverer.db = type("Counted", (), {"session": staticmethod(session)})()
    return count


async def test_a_targets_messages_go_out_back_to_back_in_one_recording():
    """/接单's four messages to a group: leased together, sent in order, recorded sent in one transaction."""
    clock.set_clock(Clock())
    await enqueue("车间", "财务", "物流", "已登记")
    qq = FlakyQQ()
    deliverer = Deliverer(database(), qq)
    transactions = counting_transactions(deliverer)
    assert await deliverer.deliver_due() == 4
    assert [t for _, t in qq.delivered] == ["车间", "财务", "物流", "已登记"]
    assert transactions[0] == 2  # lease; record the four (fewer than a batch: nothing more was due)
    async with database().session() as session:
        rows = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    assert [(r.status, r.message_id, r.lease_owner) for r in rows] == [("sent", 7001 + i, None) for i in range(4)]


@pytest.fixture
def woken_by_commits(monkeypatch):
    """The bot's wiring (plugins/core): each commit that wrote notifications wakes the deliverer."""
    def wire(deliverer: Deliverer) -> Deliverer:
        monkeypatch.setattr(work_module, "_after_commit", [deliverer.wake])
        return deliverer
    return wire


async def test_the_delivery_round_after_a_state_change_costs_two_statements(woken_by_commits):
    """/接单's four notifications to its group, committed together: the round its commit wakes goes straight to
    that group (no look for every target with messages), leases them and records them sent, and no statement
    looks for more."""
    clock.set_clock(Clock())
    deliverer = woken_by_commits(Deliverer(database(), qq := FlakyQQ(), poll_seconds=3600))
    await deliverer.deliver_due()  # the first round looks everywhere
    await enqueue("车间", "财务", "物流", "已登记")
    with Statements() as seen:
        assert await deliverer.deliver_due() == 4
    assert [t for _, t in qq.delivered] == ["车间", "财务", "物流", "已登记"]
    assert [statement.split()[0] for statement in seen] == ["UPDATE", "UPDATE"]


async def test_a_commit_wakes_the_deliverer_with_the_chats_it_wrote_to(monkeypatch):
    woken = []
    monkeypatch.setattr(work_module, "_after_commit", [woken.append])
    other = Target.private(20002)
    await enqueue("一", "二")
    async with work() as w:
        w.notify(other, "私聊")
        w.notify(GROUP, "群里")
    async with work() as w:  # a writer that does not say where (as /补发 does): anywhere
        w.session.info[outbox.WRITTEN] = True
        w.notify(GROUP, "群里")
    async with work():
        pass
    assert woken == [{GROUP}, {other, GROUP}, None]


async def test_a_round_woken_for_some_chats_leaves_the_others_to_the_next_round_that_looks_everywhere(
        woken_by_commits):
    """What a commit did not write (another process's notifications, a retry after its back-off) is not lost:
    the timer's round finds it, and so does a woken round once ``poll_seconds`` have passed without one."""
    clock.set_clock(Clock())
    other = Target.private(20002)
    deliverer = Deliverer(database(), qq := FlakyQQ(), poll_seconds=3600)
    await deliverer.deliver_due()  # the first round looks everywhere
    woken_by_commits(deliverer)
    await written_elsewhere("另一个进程写下的私聊", other)
    await enqueue("群里一")
    assert await deliverer.deliver_due() == 1
    assert await deliverer.deliver_due() == 1  # not woken: the timer's round
    await enqueue("群里二")
    await written_elsewhere("又一条私聊", other)
    deliverer.poll_seconds = 0  # as if the timer's period had passed while commits kept waking it
    assert await deliverer.deliver_due() == 2
    assert qq.delivered == [(GROUP, "群里一"), (other, "另一个进程写下的私聊"), (GROUP, "群里二"),
                            (other, "又一条私聊")]


async def test_a_full_batch_is_followed_by_the_next_in_the_same_round():
    clock.set_clock(Clock())
    texts = [f"第{n}条" for n in range(1, 2 * BATCH + 2)]
    await enqueue(*texts)
    qq = FlakyQQ()
    assert await Deliverer(database(), qq).deliver_due() == len(texts)
    assert [t for _, t in qq.delivered] == texts


async def test_a_notification_committed_while_a_round_sends_goes_out_in_the_same_round_of_calls():
    """Each commit wakes the deliverer (the bot's commit hook): a round does not end on a notification
    written to another chat while it was sending."""
    clock.set_clock(Clock())
    await enqueue("群里的第一条")
    other = Target.private(20002)

    class WritesWhileSending(FlakyQQ):
        async def __call__(self, target, segments):
            message_id = await super().__call__(target, segments)
            if len(self.delivered) == 1:
                await enqueue("发送时写下的私聊", target=other)
                deliverer.wake()
            return message_id

    qq = WritesWhileSending()
    deliverer = Deliverer(database(), qq)
    assert await deliverer.deliver_due() == 2
    assert qq.delivered == [(GROUP, "群里的第一条"), (other, "发送时写下的私聊")]


async def test_a_message_that_waits_mid_batch_holds_back_the_rest_of_its_batch_and_lets_go_of_their_leases():
    fake_clock = Clock()
    clock.set_clock(fake_clock)
    await enqueue("一", "二", "三", "四")
    qq = FailsAt(2)
    deliverer = Deliverer(database(), qq)
    assert await deliverer.deliver_due() == 1
    async with database().session() as session:
        rows = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    assert [(r.status, r.attempts, r.lease_owner) for r in rows] == [
        ("sent", 1, None), ("pending", 1, None), ("pending", 0, None), ("pending", 0, None)]
    assert await Deliverer(database(), FlakyQQ()).deliver_due() == 0  # nothing overtakes the one that waits
    fake_clock.at += timedelta(seconds=5)
    assert await deliverer.deliver_due() == 3
    assert [t for _, t in qq.delivered] == ["一", "二", "三", "四"]


async def test_the_last_of_a_batch_waiting_leaves_the_messages_behind_it_unleased():
    clock.set_clock(Clock())
    await enqueue(*(f"第{n}条" for n in range(1, BATCH + 3)))
    assert await Deliverer(database(), FailsAt(BATCH)).deliver_due() == BATCH - 1
    async with database().session() as session:
        rows = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    assert [r.status for r in rows] == ["sent"] * (BATCH - 1) + ["pending"] * 3
    assert all(r.lease_owner is None for r in rows)


async def test_a_message_of_a_batch_traces_to_its_subject_as_soon_as_qq_has_it():
    """A quote-reply to the first instruction of /接单 can come before the batch is recorded."""
    clock.set_clock(Clock())
    await enqueue("车间指令", subject="D261126-001")
    await enqueue("财务指令", subject="D261126-001")
    seen: list[str | None] = []

    class Quoted(FlakyQQ):
        async def __call__(self, target, segments):
            if self.delivered:  # the first went out; its batch is not recorded yet
                async with database().read() as session:
                    seen.append(await subject_of_message(session, GROUP, 7001))
            return await super().__call__(target, segments)

    assert await Deliverer(database(), Quoted()).deliver_due() == 2
    assert seen == ["D261126-001"]


async def test_a_read_begun_before_the_batch_was_recorded_still_traces_its_messages():
    """A command reads in one transaction from its start (``Database.reads``): a quote-reply whose reading
    began before the instruction's batch was recorded must still find the order (the wire test of a quoted
    /备货完成 when QQ cannot answer get_msg lost it once)."""
    clock.set_clock(Clock())
    await enqueue("车间指令", subject="D261126-001")
    async with database().reads():
        async with database().read() as session:
            await session.scalar(select(OutboxMessage.id).limit(1))  # the snapshot begins: nothing sent yet
        delivery = Deliverer(database(), FlakyQQ()).deliver_due()  # the worker's task: a context of its own
        assert await asyncio.create_task(delivery, context=contextvars.Context()) == 1  # sent and recorded
        async with database().read() as session:
            assert await subject_of_message(session, GROUP, 7001) == "D261126-001"


async def test_pending_messages_survive_a_restart():
    clock.set_clock(Clock())
    await enqueue("重启前写下的通知")
    first = Deliverer(database(), FlakyQQ(failures=99))
    await first.deliver_due()
    await first.stop()
    # a new process: a new deliverer; the lease the old one held has expired
    clock.set_clock(lambda: Clock().at + timedelta(minutes=10))
    qq = FlakyQQ()
    assert await Deliverer(database(), qq).deliver_due() == 1
    assert qq.delivered == [(GROUP, "重启前写下的通知")]


async def test_a_second_process_does_not_send_a_leased_message():
    clock.set_clock(Clock())
    await enqueue("只发一次")
    qq = FlakyQQ()
    a, b = Deliverer(database(), qq), Deliverer(database(), qq)
    heads_a = await a._claim_heads()
    heads_b = await b._claim_heads()
    assert len(heads_a) == 1 and heads_b == []
    await enqueue("后面的一条", "再后面的一条")
    assert await b._claim_heads() == []  # behind a's lease: not b's to send, even the ones a has not leased


async def leases() -> list[str | None]:
    async with database().session() as session:
        return [row.lease_owner for row in await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


async def test_a_message_another_process_holds_stops_the_batch_before_it():
    at = Clock()
    clock.set_clock(at)
    await enqueue("一", "二", "三")
    async with database().session() as session:  # another process took the second (its lease runs)
        second = (await session.scalars(select(OutboxMessage.id).order_by(OutboxMessage.id))).all()[1]
        await session.execute(update(OutboxMessage).where(OutboxMessage.id == second)
                              .values(lease_owner="other:1", lease_until=at.at + timedelta(minutes=1)))
    a = Deliverer(database(), FlakyQQ())
    heads = await a._claim_heads()
    assert [[row.segments[-1]["data"]["text"].strip() for row in batch] for batch in heads] == [["一"]]
    assert await leases() == [a.owner, "other:1", None]


async def test_a_message_another_process_leases_meanwhile_stops_the_batch_and_what_is_behind_it_is_let_go(monkeypatch):
    """The lease is one UPDATE; on PostgreSQL a row another process takes while it runs is skipped on its
    re-check while the rows behind it are leased (the next test has the real race): the batch stops before the
    gap and lets go of what is behind it. Simulated here on either database: the statement leases all three,
    then the second is as good as the other process's and missing from what the statement returned."""
    at = Clock()
    clock.set_clock(at)
    await enqueue("一", "二", "三")
    a = Deliverer(database(), FlakyQQ())
    run = outbox.AsyncSession.execute

    async def second_taken(session, statement, *args, **kwargs):
        result = await run(session, statement, *args, **kwargs)
        if statement is not outbox._LEASE:
            return result
        taken = result.all()
        await run(session, update(OutboxMessage.__table__).where(OutboxMessage.__table__.c.id == taken[1][0].id)
                  .values(lease_owner="other:1", lease_until=at.at + timedelta(minutes=1)))
        return Rows([taken[0], taken[2]])

    class Rows(list):
        def all(self):
            return self

    monkeypatch.setattr(outbox.AsyncSession, "execute", second_taken)
    heads = await a._claim_heads()
    monkeypatch.undo()
    assert [[row.segments[-1]["data"]["text"].strip() for row in batch] for batch in heads] == [["一"]]
    assert await leases() == [a.owner, "other:1", None]


async def test_on_postgresql_a_message_leased_while_our_lease_waits_for_it_stops_the_batch_there():
    """The real race: another process's transaction leases the second message; our lease, begun before it
    commits, waits for that row, then finds it taken and leases the first and third: the third is let go."""
    if database().engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writer at a time: nothing is taken while our UPDATE runs")
    at = Clock()
    clock.set_clock(at)
    await enqueue("一", "二", "三")
    a = Deliverer(database(), FlakyQQ())
    async with database().engine.connect() as other:
        second = (await other.scalars(select(OutboxMessage.id).order_by(OutboxMessage.id))).all()[1]
        await other.execute(update(OutboxMessage).where(OutboxMessage.id == second)
                            .values(lease_owner="other:1", lease_until=at.at + timedelta(minutes=1)))
        claim = asyncio.create_task(a._claim_heads())
        async with database().engine.connect() as watch:
            for _ in range(1000):  # until our UPDATE waits for the other's row lock
                waiting = await watch.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                                                  " AND datname = current_database()"))
                await watch.rollback()  # pg_stat_activity is read once a transaction
                if waiting:
                    break
                assert not claim.done(), f"the lease did not wait for the other process's row: {await claim}"
                await asyncio.sleep(0.01)
            else:
                raise AssertionError("the lease never began")
        await other.commit()
    heads = await claim
    assert [[row.segments[-1]["data"]["text"].strip() for row in batch] for batch in heads] == [["一"]]
    assert await leases() == [a.owner, "other:1", None]


async def test_sent_message_ids_trace_back_to_their_subject():
    clock.set_clock(Clock())
    await enqueue("关于订单", subject="D261126-001")
    await Deliverer(database(), FlakyQQ()).deliver_due()
    async with database().session() as session:
        assert await subject_of_message(session, GROUP, 7001) == "D261126-001"
        assert await subject_of_message(session, GROUP, 9999) is None
        # the same id in another chat is another message: it never acts on the order
        assert await subject_of_message(session, Target.group(GROUP.id + 1), 7001) is None
        assert await subject_of_message(session, Target.private(GROUP.id), 7001) is None


async def test_long_messages_are_split_and_mentions_go_first():
    text = "\n".join(f"第{i}行：" + "货" * 60 for i in range(60))
    async with work() as w:
        w.notify(GROUP, text, mentions=[1, 2, 2])
    async with database().session() as session:
        rows = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    assert len(rows) == 3
    assert [s["data"]["qq"] for s in rows[0].segments if s["type"] == "at"] == ["1", "2"]
    assert all(s["type"] == "text" for s in rows[1].segments)
    joined = "\n".join(r.segments[-1]["data"]["text"] for r in rows)
    assert joined == text


def test_split_text_limits():
    assert split_text("短") == ["短"]
    assert split_text("") == [""]
    parts = split_text("a" * 3100, limit=1500)
    assert [len(p) for p in parts] == [1500, 1500, 100]
    assert split_text("ab\ncd\nef", limit=5) == ["ab\ncd", "ef"]


def test_backoff_grows_and_is_capped():
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert backoff(30) == timedelta(seconds=120)


async def test_no_at_in_private_messages():
    async with work() as w:
        w.notify(Target.private(20002), "私聊", mentions=[20002])
    async with database().session() as session:
        row = await session.scalar(select(OutboxMessage))
    assert [s["type"] for s in row.segments] == ["text"]


async def test_nothing_is_tried_while_qq_is_away_so_no_back_off_builds_up():
    clock.set_clock(Clock())
    await enqueue("等QQ上线")
    qq = FlakyQQ()
    connected = False
    deliverer = Deliverer(database(), qq, ready=lambda: connected)
    assert await deliverer.deliver_due() == 0
    assert qq.calls == 0
    connected = True
    assert await deliverer.deliver_due() == 1  # at once: no back-off was accumulated


async def test_a_wake_while_qq_is_away_does_not_spin_the_delivery_loop():
    """The worker's start wakes it (what waited goes out at once); with QQ away that round does nothing, and
    the loop must then wait for the next commit or tick instead of going round on the same wake."""
    asked = 0
    first_round = asyncio.Event()

    def ready() -> bool:
        nonlocal asked
        asked += 1
        first_round.set()
        return False

    deliverer = Deliverer(database(), FlakyQQ(), poll_seconds=60, ready=ready)
    deliverer.start()
    try:
        await asyncio.wait_for(first_round.wait(), 10)
        for _ in range(200):  # the loop's turns, had it kept going
            await asyncio.sleep(0)
        assert asked == 1
    finally:
        if asked == 1:
            await deliverer.stop()
        else:  # a spinning loop swallows its cancellation (wait_for on a done wake): do not wait for it
            deliverer._task.cancel()


async def test_ids_follow_commit_order_so_a_later_commit_never_overtakes():
    """The first writer draws its id first but commits last: the second writer must wait for it, or on
    PostgreSQL the second message (higher id, committed first) would go out and the first land behind it."""
    committed: list[str] = []

    def note_commit(session):
        committed.extend(row.segments[-1]["data"]["text"] for row in session.info.get("_rows", []))

    event.listen(Session, "after_commit", note_commit)
    try:
        first_flushed, first_may_commit = asyncio.Event(), asyncio.Event()

        async def first():
            async with database().session() as session:
                session.info["_rows"] = outbox.enqueue(session, GROUP, "先")
                await session.flush()
                first_flushed.set()
                await first_may_commit.wait()

        async def second():
            await first_flushed.wait()
            async with database().session() as session:
                session.info["_rows"] = outbox.enqueue(session, GROUP, "后")

        one, two = asyncio.create_task(first()), asyncio.create_task(second())
        await first_flushed.wait()
        for _ in range(20):  # give the second writer every chance to commit ahead
            await asyncio.sleep(0.01)
        first_may_commit.set()
        await asyncio.gather(one, two)
    finally:
        event.remove(Session, "after_commit", note_commit)
    async with database().read() as session:
        by_id = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    assert [row.segments[-1]["data"]["text"] for row in by_id] == committed == ["先", "后"]

