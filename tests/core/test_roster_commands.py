"""/设岗 /撤岗 /岗位 /帮助 through NoneBot (nonebug)."""

from nonebot.adapters.onebot.v11 import Bot
from nonebug import App

from tests.factories import SUPERUSER, Capture, give_roles, group_msg, last_outbox_id, private_msg, queued
from xietong.core import roster
from xietong.core.db import database
from xietong.core.roles import Role
from xietong.core.text import split_text


def help_text(held: set[Role], superuser: bool) -> str:
    """What /帮助 should say (plugins import only after NoneBot is initialised)."""
    from plugins.core.commands import all_docs
    from xietong.core.messages import help_text

    return help_text(all_docs(), held, superuser)


async def roles(qq: int) -> set[Role]:
    async with database().session() as session:
        return await roster.roles_of(session, qq)


async def test_superuser_assigns_roles_with_names_from_qq(app: App):
    event = group_msg("/设岗 [CQ:at,qq=20002] 客服 助理", SUPERUSER)
    before = await last_outbox_id()
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_api("get_group_member_info", {"group_id": 9001, "user_id": 20002}, {"card": "王客服"})
    assert await roles(20002) == {Role.cs, Role.assistant}
    [reply] = await queued(before)
    assert reply.text == "已设岗：王客服 → 客服、助理"
    assert reply.target == ("group", 9001)
    assert reply.reply_to == event.message_id


async def test_director_may_assign_and_aliases_are_understood(app: App):
    await give_roles(30001, Role.director)
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, group_msg("/设岗 [CQ:at,qq=20003] 物流管理员", 30001))
        ctx.should_call_api("get_group_member_info", {"group_id": 9001, "user_id": 20003}, {"nickname": "小李"})
    assert await roles(20003) == {Role.logistics}


async def test_non_director_is_refused_and_nothing_changes(app: App):
    await give_roles(20001, Role.cs)
    event = group_msg("/设岗 [CQ:at,qq=20002] 财务", 20001)
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_api("get_group_member_info", {"group_id": 9001, "user_id": 20002}, {"card": "x"})
        ctx.should_call_send(event, "这一步需要「主任」岗位。", None)
    assert await roles(20002) == set()


async def test_unknown_role_and_missing_mention_are_explained(app: App):
    unknown = group_msg("/设岗 [CQ:at,qq=20002] 厨师 客服", SUPERUSER)
    no_at = group_msg("/设岗 客服", SUPERUSER)
    no_role = group_msg("/设岗 [CQ:at,qq=20002]", SUPERUSER)
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, unknown)
        ctx.should_call_send(
            unknown, "没有这个岗位：厨师。可用岗位：主任、客服、物流、助理、车间、财务、副总、总经理", None
        )
        ctx.receive_event(bot, no_at)
        ctx.should_call_send(no_at, "请 @ 要设置的成员，例如：/设岗 @张三 客服", None)
        ctx.receive_event(bot, no_role)
        ctx.should_call_send(no_role, "请写上岗位，例如：/设岗 @张三 客服 助理", None)
    assert await roles(20002) == set()


async def test_unset_named_roles_or_all(app: App):
    await give_roles(20002, Role.cs, Role.assistant, name="王客服")
    before = await last_outbox_id()
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, group_msg("/撤岗 [CQ:at,qq=20002] 助理", SUPERUSER))
    assert await roles(20002) == {Role.cs}
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, group_msg("/撤岗 [CQ:at,qq=20002]", SUPERUSER))
    assert await roles(20002) == set()
    assert [q.text for q in await queued(before)] == ["已撤岗：\n王客服：助理", "已撤岗：\n王客服：客服"]


async def test_unset_refused_for_cs_and_needs_a_mention(app: App):
    await give_roles(20001, Role.cs)
    refused = group_msg("/撤岗 [CQ:at,qq=20001] 客服", 20001)
    no_at = group_msg("/撤岗 客服", SUPERUSER)
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, refused)
        ctx.should_call_send(refused, "这一步需要「主任」岗位。", None)
        ctx.receive_event(bot, no_at)
        ctx.should_call_send(no_at, "请 @ 要撤岗的成员，例如：/撤岗 @张三 客服（不写岗位则全部撤掉）", None)
    assert await roles(20001) == {Role.cs}


async def test_roles_lists_every_role(app: App):
    await give_roles(20002, Role.cs, name="王客服")
    await give_roles(20003, Role.workshop, name="车间老张")
    await give_roles(20004, Role.workshop, name="车间小刘")
    event = group_msg("/岗位", 20002)
    expected = "\n".join(
        ["主任：—", "客服：王客服", "物流：—", "助理：—", "车间：车间老张、车间小刘", "财务：—", "副总：—", "总经理：—"]
    )
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_send(event, expected, None)


async def test_help_shows_only_what_the_caller_may_use(app: App):
    await give_roles(20002, Role.cs)
    event = group_msg("/帮助", 20002)
    expected = help_text({Role.cs}, superuser=False)
    assert "/岗位" in expected and "/帮助" in expected and "/设岗" not in expected
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_send(event, expected, None)


async def test_help_for_one_command_and_an_unknown_one(app: App):
    one = group_msg("/帮助 设岗", 20002)
    unknown = group_msg("/帮助 飞天", 20002)
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, one)
        ctx.should_call_send(one, "/设岗 @成员 岗位…\n给成员设岗位（可多个）\n主任可以用\n例子：/设岗 @张三 客服", None)
        ctx.receive_event(bot, unknown)
        ctx.should_call_send(unknown, "没有「飞天」这个命令。全部命令：/帮助", None)


async def test_superuser_help_lists_admin_commands(app: App):
    event = private_msg("/帮助", SUPERUSER)
    expected = help_text(set(), superuser=True)
    assert "/设岗" in expected and "/补发" in expected and "/状态" in expected
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        for part in split_text(expected):  # every command of every plugin: longer than one QQ message
            ctx.should_call_send(event, part, None)


async def test_a_long_answer_goes_out_in_parts_under_qqs_limit(app: App):
    for i in range(120):
        await give_roles(30000 + i, Role.workshop, name=f"车间第{i:03d}号同事的名字很长很长")
    event = group_msg("/岗位", SUPERUSER)
    parts: list[str] = []
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_send(event, Capture(parts), None)
        ctx.should_call_send(event, Capture(parts), None)
        ctx.should_call_send(event, Capture(parts), None)
    assert len(parts) == 3 and all(len(p) <= 1500 for p in parts)
    assert "".join(parts).count("车间第") == 120  # nothing lost at the cuts
