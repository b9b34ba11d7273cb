"""Commands as people type them: aliases, mistyped commands, /帮助 per person, punctuation after a number."""

from nonebug import App

from tests.factories import (
    CS,
    DIRECTOR,
    FINANCE,
    INTAKE_TEXT,
    LOGISTICS,
    SUPERUSER,
    WORKSHOP,
    Capture,
    give_roles,
    group_msg,
    last_outbox_id,
    private_msg,
    queued,
    say,
    staff,
)
from xietong.core.nearest import nearest, typed_word
from xietong.core.roles import Role

STRANGER = 20999


async def register(app: App) -> str:
    before = await last_outbox_id()
    await say(app, group_msg(INTAKE_TEXT.format(payment="款到发货"), CS))
    return next(q.subject for q in await queued(before) if q.text.startswith("已登记订单"))


def test_nearest_command_by_edit_distance():
    names = [("到账", "到账"), ("到帐", "到账"), ("订单", "订单"), ("查单", "订单"), ("备货完成", "备货完成")]
    assert nearest("到张", names) == "到账"
    assert nearest("备货完", names) == "备货完成"
    assert nearest("查丹", names) == "订单"
    assert nearest("天气预报", names) is None
    assert typed_word("查单D261124-003") == "查单" and typed_word("hlep me") == "hlep" and typed_word("123") == ""


async def test_aliases_act_like_the_command(app: App):
    await staff()
    number = await register(app)
    before = await last_outbox_id()
    await say(app, group_msg(f"/到帐 {number} 12600", FINANCE))
    assert any("到账 12,600 元" in q.text for q in await queued(before))
    shown: list[str] = []
    await say(app, event := group_msg(f"/查单 {number}", CS), sends={event.message_id: Capture(shown)})
    assert shown[0].startswith(f"订单 {number}")


async def test_a_trailing_full_stop_after_the_number_is_no_part_of_it(app: App):
    await staff()
    number = await register(app)
    before = await last_outbox_id()
    await say(app, group_msg(f"/备货完成 {number}。", WORKSHOP))
    await say(app, group_msg(f"/缺货 {number}，黄沙只有20吨", WORKSHOP + 1))
    texts = [q.text for q in await queued(before)]
    assert f"订单 {number}：车间 备货已完成。" in texts
    assert any("黄沙只有20吨" in t and number in t for t in texts)


async def test_unknown_command_from_someone_with_a_post_suggests_the_nearest(app: App):
    await staff()
    typo = group_msg("/到张 D261124-003", FINANCE)
    not_theirs = group_msg("/放形", CS)  # 放行 is finance's: CS is not offered it
    nothing_near = group_msg("/天气预报", LOGISTICS)
    await say(app, typo, not_theirs, nothing_near, sends={
        typo.message_id: "没有这个命令 /到张，你是不是要 /到账？全部命令：/帮助",
        not_theirs.message_id: "没有这个命令 /放形，全部命令：/帮助",
        nothing_near.message_id: "没有这个命令 /天气预报，全部命令：/帮助",
    })


async def test_unknown_command_from_someone_without_a_post_is_quiet(app: App):
    await staff()
    before = await last_outbox_id()
    await say(app, group_msg("/到张", STRANGER), group_msg("/查账", STRANGER))  # no send expected: nonebug fails on any
    assert await queued(before) == []


async def test_bad_input_a_lone_slash_or_a_path_is_no_command(app: App):
    await staff()
    await say(app, group_msg("/", CS), group_msg("/ 你好", CS), group_msg("/123", CS))


async def test_help_is_grouped_and_short_for_everyone(app: App):
    from plugins.core.commands import all_docs
    from xietong.core.messages import help_text

    docs = all_docs()
    for held in ({Role.cs}, {Role.workshop}, {Role.finance}, {Role.director}, set(Role)):
        text = help_text(docs, held, superuser=False)
        assert len(text) <= 600, (held, len(text))
    admin = help_text(docs, set(), superuser=True)
    assert len(admin) <= 600 and "管理：" in admin and "/设岗" in admin
    finance = help_text(docs, {Role.finance}, superuser=False)
    assert finance.splitlines()[1].startswith("财务：/到账")  # their own department first
    assert "/派车" not in finance


async def test_help_for_one_command_names_aliases_and_an_example_with_their_own_number(app: App):
    await staff()
    number = await register(app)
    await say(app, group_msg(f"/备货完成 {number}", WORKSHOP))
    shown: list[str] = []
    await say(app, event := group_msg("/帮助 到帐", WORKSHOP), sends={event.message_id: Capture(shown)})
    assert "财务可以用" in shown[0] and "也可以写：/到帐" in shown[0]
    assert f"例子：/到账 {number} 3000" in shown[0]
    await say(app, event := group_msg("/帮助 接单", CS), sends={event.message_id: Capture(shown)})
    assert "客服、助理或主任可以用" in shown[1] and "也可以写：/下单" in shown[1]


async def test_help_refused_for_nobody_and_unknown_name_answered(app: App):
    await give_roles(DIRECTOR, Role.director)
    event = private_msg("/帮助 飞天", SUPERUSER)
    await say(app, event, sends={event.message_id: "没有「飞天」这个命令。全部命令：/帮助"})
