"""audit_event.changes (issue 18): added empty; on the way down the changes are folded into ``detail`` in the
timeline's words, so an older version reads tracked events as this one showed them."""

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import command

from tests.core.test_codes_migration import _run
from tests.core.test_schema import fresh_database  # noqa: F401  (the fixture)
from xietong.core.types import UTCDateTime

BEFORE, AFTER = "1b0b38f7f5ea", "5e1f0c2a9d3b"

AT = datetime(2026, 11, 26, 2, tzinfo=timezone.utc)
audit = sa.table("audit_event", sa.column("id"), sa.column("at", UTCDateTime()), sa.column("action"), sa.column("subject"),
                 sa.column("detail"), sa.column("changes", sa.JSON(none_as_null=True)))
AMOUNT = {"field": "amount_fen", "label": "金额", "old": "12,600 元", "new": "13,000 元"}
STAGE = {"field": "stage", "label": "阶段", "old": "已发货", "new": "已到货"}
EXCEPTION = {"field": "exception_note", "label": "异常", "old": "封路", "new": None}


async def test_tracked_changes_fold_into_the_detail_on_the_way_down(fresh_database):  # noqa: F811
    engine = fresh_database.engine
    await _run(engine, command.upgrade, AFTER)
    rows = [
        ("改单", "", [AMOUNT]),
        ("到货", "", [STAGE]),
        ("异常解除", "已通行", [EXCEPTION]),
        ("催收", "电话未接", None),
    ]
    async with engine.begin() as c:
        await c.execute(audit.insert(), [
            {"id": i, "at": AT, "action": action, "subject": "D261126-001", "detail": detail,
             "changes": changes}
            for i, (action, detail, changes) in enumerate(rows, start=1)
        ])
    await _run(engine, command.downgrade, BEFORE)
    async with engine.connect() as c:
        stored = (await c.execute(sa.select(sa.column("action"), sa.column("detail")).select_from(
            sa.table("audit_event")).order_by(sa.column("id")))).all()
    assert [tuple(r) for r in stored] == [
        ("改单", "金额：12,600 元 → 13,000 元"), ("到货", ""), ("异常解除", "封路 → 已通行"), ("催收", "电话未接"),
    ]
    await _run(engine, command.upgrade, AFTER)
