"""What a state change's transaction writes, statement by statement (BENCHMARKS.md, round 5, part F).

/接单 reads everything before it draws the order number (the counter's row stays locked from its UPDATE to the
commit, and every other /接单 waits for it); each kind of row a transaction writes goes in by one statement."""

import re
from collections import Counter

from nonebug import App
from sqlalchemy import select

from tests.factories import (
    CS,
    INTAKE_TEXT,
    WORKSHOP,
    Statements,
    group_msg,
    last_outbox_id,
    queued,
    say,
    staff,
)
from xietong.core.db import database
from xietong.orders.models import Order, OrderItem

TWO_ITEMS = INTAKE_TEXT.replace("单价：420", "单价：420\n品名：黄沙\n数量：5吨\n单价：80")
LOCK = "pg_advisory_xact_lock"  # PostgreSQL: notifications' ids in commit order (xietong.core.outbox)


def _words(statement: str) -> tuple[str, str]:
    """The verb and the table an INSERT or UPDATE writes (the verb alone for anything else)."""
    verb = statement.split(None, 1)[0].upper()
    table = re.match(r"\s*(?:INSERT INTO|UPDATE)\s+(\w+)", statement, re.IGNORECASE)
    return verb, table.group(1) if table else ""


async def _intake_statements(app: App, text: str) -> list[str]:
    """The statements of one /接单 (its transaction), after a first one created the day's counter."""
    await staff()
    await say(app, group_msg(INTAKE_TEXT.format(payment="月结"), CS))
    with Statements(database()) as seen:
        await say(app, group_msg(text.format(payment="款到发货") + "\n确认", CS))
    return [s for s in seen if "qq_connection" not in s]  # the test bot connecting, not the message


async def test_intake_reads_everything_before_it_draws_the_number(app: App):
    seen = await _intake_statements(app, INTAKE_TEXT)
    drawn = next(i for i, s in enumerate(seen) if _words(s) == ("UPDATE", "counter"))
    after = [_words(s) for s in seen[drawn + 1:] if LOCK not in s]
    assert after and all(verb == "INSERT" for verb, _ in after), seen[drawn:]
    assert any(_words(s) == ("SELECT", "") and "member_role.role IN" in s for s in seen[:drawn])  # the holders


async def test_intake_inserts_each_kind_of_row_by_one_statement(app: App):
    before = await last_outbox_id()
    seen = await _intake_statements(app, TWO_ITEMS)
    inserts = Counter(table for verb, table in map(_words, seen) if verb == "INSERT")
    assert inserts == Counter(
        processed_event=1, audit_event=1, sales_order=1, order_item=1, order_task=1, outbox_message=1
    ), seen
    locks = sum(LOCK in s for s in seen)
    assert locks == (database().engine.dialect.name == "postgresql")
    # the dedupe check, the caller's roles, the customer, the departments' holders, the counter, six inserts
    assert len(seen) == 11 + locks, seen
    out = await queued(before)
    number = out[-1].subject
    assert [q.text[:4] for q in out[-4:]] == ["【车间】", "【财务】", "【物流】", "已登记订"]
    assert "品名数量：水泥 30吨；黄沙 5吨" in out[-4].text  # the rows of one INSERT in the order they were added
    async with database().read() as session:
        lines = await session.scalars(
            select(OrderItem.line).join(Order).where(Order.number == number).order_by(OrderItem.id))
        assert lines.all() == [1, 2]



async def test_stocking_done_writes_its_answer_and_the_logistics_notice_by_one_insert(app: App):
    """The logistics holders are read after the answer was written: that read leaves the answer pending."""
    await _intake_statements(app, INTAKE_TEXT)
    number = next(q for q in await queued() if q.text.startswith("已登记订")).subject
    before = await last_outbox_id()
    with Statements(database()) as seen:
        await say(app, group_msg(f"/备货完成 {number}", WORKSHOP))
    answer, notice = await queued(before)
    assert answer.text.startswith(f"订单 {number}：") and "请安排车辆" in notice.text
    assert Counter(map(_words, seen))[("INSERT", "outbox_message")] == 1, seen
