"""/接单's write transaction: everything read before the order number is drawn, each kind of row inserted by one
statement. The number's counter row stays locked from its UPDATE to the commit, and every other /接单 waits
for it (BENCHMARKS.md, round 5, part F)."""

import re

from nonebug import App

from tests.factories import CS, INTAKE_TEXT, Statements, group_msg, say, staff
from xietong.core.db import database

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

