"""Pruning sent messages after XIETONG_OUTBOX_KEEP_DAYS, quote-replies to pruned ones, and the storage figures."""

from datetime import datetime, timedelta, timezone

from nonebug import App
from sqlalchemy import select

from tests.factories import CS, WORKSHOP, group_msg, say, staff
from tests.scheduling.support import fix_clock, local, make_order
from xietong.core.db import database
from xietong.core.housekeeping import prune_outbox, storage
from xietong.core.models import OutboxMessage, ProcessedEvent
from xietong.orders.enums import Department, TaskState

KEEP = timedelta(days=180)
TOO_OLD = "消息太久了，请写单号。"


def message(at: datetime, *, status: str = "sent", key: str | None = None, message_id: int | None = None,
            subject: str | None = None) -> OutboxMessage:
    return OutboxMessage(
        created_at=at, next_attempt_at=at, target_kind="group", target_id=9001, segments=[], status=status,
        sent_at=at if status == "sent" else None, dedupe_key=key, message_id=message_id, subject=subject,
    )


async def texts() -> list[tuple[str, str | None]]:
    async with database().session() as session:
        rows = await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return [(row.status, row.dedupe_key or row.subject) for row in rows]


async def test_sent_messages_older_than_the_keep_window_go_but_period_keys_and_pending_ones_stay():
    old, recent, now = local(2026, 1, 5, 9), local(2026, 6, 1, 9), local(2026, 7, 6, 9)
    async with database().session() as session:
        session.add_all([
            message(old, subject="D260105-001"),  # pruned
            message(old, key="meeting:2026-W02"),  # an announcement's period key: kept
            message(old, key="escalate:D260105-001:车间:1:260105090000"),  # an escalation's key: kept
            message(old, status="pending", subject="D260105-002"),  # not sent yet: kept
            message(recent, subject="D260601-001"),  # within 180 days: kept
        ])
    async with database().session() as session:
        assert await prune_outbox(session, now, KEEP) == 1
    assert await texts() == [
        ("sent", "meeting:2026-W02"), ("sent", "escalate:D260105-001:车间:1:260105090000"),
        ("pending", "D260105-002"), ("sent", "D260601-001"),
    ]
    async with database().session() as session:
        assert await prune_outbox(session, now, KEEP) == 0


async def test_the_daily_job_prunes_with_the_setting_and_the_injected_clock():
    from plugins.core.housekeeping import prune

    fake = fix_clock(2026, 1, 5, 9)
    async with database().session() as session:
        session.add(message(local(2026, 1, 5, 9), subject="D260105-001"))
    fake.set(2026, 7, 4, 9)  # 180 days later: still kept
    assert await prune() == 0
    fake.set(2026, 7, 4, 9, 1)
    assert await prune() == 1


async def sent_then_pruned(app_order: str, message_id: int) -> datetime:
    """An order's instruction, sent on 2026-01-05 and pruned half a year later; returns when it was sent."""
    sent = local(2026, 1, 5, 9)
    async with database().session() as session:
        session.add(message(sent, message_id=message_id, subject=app_order))
    fix_clock(2026, 7, 10, 9)
    async with database().session() as session:
        await prune_outbox(session, local(2026, 7, 10, 9), KEEP)
    return sent


def quoting(text: str, user: int, message_id: int, sent: datetime):
    event = group_msg(text, user, reply_to=message_id)
    event.reply.time = int(sent.timestamp())  # QQ says when the quoted message was sent
    return event


async def test_a_quote_reply_to_a_pruned_message_asks_for_the_order_number(app: App):
    await staff()
    order = await make_order("D260105-001", created_at=local(2026, 1, 5, 8))
    sent = await sent_then_pruned("D260105-001", 88001)
    plain, command = quoting("备好了", WORKSHOP, 88001, sent), quoting("/订单", CS, 88001, sent)
    await say(app, plain, command, sends={plain.message_id: TOO_OLD, command.message_id: TOO_OLD})
    from tests.scheduling.support import task_row

    assert (await task_row(order, Department.workshop)).state == TaskState.pending


async def test_a_quote_of_a_pruned_message_by_someone_without_the_post_stays_conversation(app: App):
    await staff()
    await make_order("D260105-001", created_at=local(2026, 1, 5, 8))
    sent = await sent_then_pruned("D260105-001", 88001)
    await say(app, quoting("备好了", CS, 88001, sent))  # CS does not prepare goods: quiet (nonebug fails on a reply)


async def test_storage_reports_the_database_size_and_the_oldest_transient_row():
    async with database().session() as session:
        empty = await storage(session)
    assert empty.database_bytes and empty.database_bytes > 0
    assert (empty.oldest_table, empty.oldest_at) == (None, None)
    async with database().session() as session:
        session.add(message(local(2026, 3, 1, 9), subject="D260301-001"))
        session.add(ProcessedEvent(key="group:9001:1", at=local(2026, 2, 1, 9)))
    async with database().session() as session:
        found = await storage(session)
    assert found.oldest_table == "processed_event"
    assert found.oldest_at == datetime(2026, 2, 1, 1, tzinfo=timezone.utc)
