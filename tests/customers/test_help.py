"""The three plugins declare their commands in their metadata: /帮助 shows each to who may use it."""

from nonebot.adapters.onebot.v11 import Bot
from nonebug import App

from tests.factories import CS, WORKSHOP, Capture, group_msg, staff


async def help_for(app: App, user: int) -> str:
    event = group_msg("/帮助", user)
    sent: list[str] = []
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_send(event, Capture(sent), None)
    return sent[0]


async def test_help_lists_customer_meeting_and_report_commands_by_role(app: App):
    from plugins.customers import __plugin_meta__ as customers
    from plugins.meetings import __plugin_meta__ as meetings
    from plugins.reports import __plugin_meta__ as reports

    assert [d.name for d in customers.extra["commands"]] == ["客户", "区域", "跟进", "投诉", "处理"]
    assert [d.name for d in meetings.extra["commands"]] == ["纪要"]
    assert [d.name for d in reports.extra["commands"]] == ["月报", "目标"]
    await staff()
    for_cs, for_workshop = await help_for(app, CS), await help_for(app, WORKSHOP)
    for usage in ("/客户 名称", "/投诉 单号|客户 内容", "/处理 T号 结果", "/纪要 内容", "/月报 [YYYY-MM]"):
        assert usage in for_cs
    assert "/投诉 单号|客户 内容" in for_workshop and "/纪要 内容" in for_workshop
    for usage in ("/客户 名称", "/处理 T号", "/月报"):
        assert usage not in for_workshop


async def test_help_for_one_command_names_its_roles(app: App):
    event = group_msg("/帮助 月报", WORKSHOP)
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_send(event, (
            "/月报 [YYYY-MM]（默认本月）\n月销量报表：按品名、客户、付款方式汇总，回款和环比，附 Excel（副总或总经理或主任或客服可用）"
        ), None)


async def test_help_lists_the_regulation_commands_to_their_roles(app: App):
    from tests.factories import ASSISTANT, FINANCE

    await staff()
    for_workshop, for_assistant = await help_for(app, WORKSHOP), await help_for(app, ASSISTANT)
    for_finance, for_cs = await help_for(app, FINANCE), await help_for(app, CS)
    assert "/目标 [YYYY-MM]" in for_workshop and "/跟进" not in for_workshop and "/对账" not in for_workshop
    assert "/跟进 客户 内容" in for_assistant and "/区域" not in for_assistant
    assert "/对账 客户 [YYYY-MM]" in for_finance
    assert all(usage in for_cs for usage in ("/区域 业务员 姓名 区域 [电话]", "/跟进 列表", "/对账 客户"))
