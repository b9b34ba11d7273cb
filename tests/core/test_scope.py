"""Scope, dedupe and errors: what the bot ignores, handles once, and never shows."""

from nonebot.adapters.onebot.v11 import Bot
from nonebug import App

from tests.factories import SUPERUSER, give_roles, group_msg, private_msg
from xietong.core.roles import Role


async def test_other_groups_are_ignored_silently(app: App):
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, group_msg("/岗位", 20002, group_id=1234))
        # no send is expected: nonebug fails the test on an unexpected call


async def test_private_chat_only_from_the_roster(app: App):
    await give_roles(20002, Role.cs, name="王客服")
    stranger = private_msg("/帮助", 30009)
    member = private_msg("/岗位", 20002)
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, stranger)
        ctx.receive_event(bot, member)
        ctx.should_call_send(
            member, "主任：—\n客服：王客服\n物流：—\n助理：—\n车间：—\n财务：—\n副总：—\n总经理：—", None
        )


async def test_the_same_message_twice_is_handled_once(app: App):
    event = group_msg("/岗位", 20002, message_id=777)
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_send(event, "主任：—\n客服：—\n物流：—\n助理：—\n车间：—\n财务：—\n副总：—\n总经理：—\n"
                             "（还没有成员，主任可用 /设岗 @成员 岗位 添加）", None)
        ctx.receive_event(bot, group_msg("/岗位", 20002, message_id=777))


async def test_an_unexpected_error_is_logged_and_answered_with_an_apology(app: App):
    from plugins.core import _apologise
    from plugins.core.roster_commands import show_roles

    assert show_roles.plugin_name == "core"
    event = group_msg("/岗位", SUPERUSER)
    async with app.test_api() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.should_call_send(event, "抱歉，处理时出了点问题，已记录。请稍后再试，或联系管理员。", None)
        await _apologise(bot, event, show_roles(), RuntimeError("disk on fire"))
        await _apologise(bot, event, show_roles(), None)  # a clean run says nothing more
