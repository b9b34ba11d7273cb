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
    assert "客户：/客户 /投诉 /处理" in for_cs and "/纪要" in for_cs and "/月报" in for_cs
    assert "客户：/投诉 /目标\n" in for_workshop and "/纪要" in for_workshop
    for name in ("/客户", "/处理", "/月报"):
        assert name not in for_workshop


async def test_help_for_one_command_names_its_roles(app: App):
    event = group_msg("/帮助 月报", WORKSHOP)
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_send(event, (
            "/月报 [YYYY-MM]（默认本月）\n月销量报表：按品名、客户、付款方式汇总，回款和环比，附 Excel\n"
            "副总、总经理、主任或客服可以用\n也可以写：/月销量报表\n例子：/月报"
        ), None)


async def test_help_lists_the_regulation_commands_to_their_roles(app: App):
    from tests.factories import ASSISTANT, FINANCE

    await staff()
    for_workshop, for_assistant = await help_for(app, WORKSHOP), await help_for(app, ASSISTANT)
    for_finance, for_cs = await help_for(app, FINANCE), await help_for(app, CS)
    assert "/目标" in for_workshop and "/跟进" not in for_workshop and "/对账" not in for_workshop
    assert "/跟进" in for_assistant and "/区域" not in for_assistant
    assert "/对账" in for_finance
    assert all(name in for_cs for name in ("/区域", "/跟进", "/对账"))
