"""manage.py check's database part: reachable or not, and whether QQ was heard from recently."""

from datetime import datetime, timedelta, timezone

from tests.conftest import DATABASE_URL
from xietong.core import check, clock
from xietong.core.presence import Presence


async def test_check_says_when_qq_was_last_heard_from():
    at = datetime(2026, 11, 26, 2, 0, tzinfo=timezone.utc)
    clock.set_clock(lambda: at)
    ok, lines = await check._database(DATABASE_URL)
    assert ok and "QQ 还没有连接过" in lines[-1]
    presence = Presence()
    await presence.connected(80000001)
    clock.set_clock(lambda: at + timedelta(seconds=30))
    await presence.heard(80000001)  # within the minute: not written again
    ok, lines = await check._database(DATABASE_URL)
    assert lines[0] == "✓ 数据库可以连接" and lines[-1] == "✓ QQ（80000001）最后联系：11-26 10:00"
    clock.set_clock(lambda: at + timedelta(minutes=30))
    ok, lines = await check._database(DATABASE_URL)
    assert lines[-1].startswith("· QQ（80000001）最后联系：11-26 10:00，最近几分钟没有联系")


async def test_check_names_a_database_it_cannot_reach():
    ok, lines = await check._database("postgresql+asyncpg://xt:pw@127.0.0.1:1/xt")
    assert not ok and lines[0].startswith("✗ 数据库连不上：") and "pw" not in lines[0]
