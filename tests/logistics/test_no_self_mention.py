"""The person who just acted is never @-mentioned: they know; the others must act."""

from nonebug import App

from tests.factories import CS, DIRECTOR, LOGISTICS, group_msg, last_outbox_id, queued, say, staff
from tests.logistics.steps import register


async def test_cs_reporting_an_exception_is_not_mentioned(app: App):
    await staff()
    number = await register(app)
    before = await last_outbox_id()
    await say(app, group_msg(f"/异常 {number} 客户电话打不通", CS))
    [notice] = [q for q in await queued(before) if "出现异常" in q.text]
    assert notice.mentions == [DIRECTOR]


async def test_logistics_reporting_an_exception_mentions_cs_and_the_director(app: App):
    await staff()
    number = await register(app)
    before = await last_outbox_id()
    await say(app, group_msg(f"/异常 {number} 车坏在半路", LOGISTICS))
    [notice] = [q for q in await queued(before) if "出现异常" in q.text]
    assert sorted(notice.mentions) == sorted([CS, DIRECTOR])
