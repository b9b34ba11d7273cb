"""What comes in from QQ is cleaned once, and what goes back that echoes it stays within the budget."""

from nonebug import App
from sqlalchemy import select

from tests.factories import (
    CS,
    INTAKE_TEXT,
    SUPERUSER,
    Capture,
    give_roles,
    group_msg,
    last_outbox_id,
    queued,
    say,
    staff,
)
from xietong.core.db import database
from xietong.core.models import Member
from xietong.core.text import CUT, QQ_TEXT_LIMIT, clean, clip, problem_list
from xietong.orders.models import Order


def test_clean_strips_control_characters_and_bidi_overrides_but_keeps_lines() -> None:
    assert clean("金陵\x00建材\x1b[31m\u202e有限\u2066公司\u2069\n第二行\t!") == "金陵建材[31m有限公司\n第二行\t!"


def test_clip_and_problem_list_stay_within_the_budget() -> None:
    assert clip("短") == "短"
    cut = clip("长" * 5000)
    assert len(cut) == QQ_TEXT_LIMIT and cut.endswith(CUT)
    many = problem_list("订单没有登记", [f"第 {i} 行看不懂：" + "字" * 30 for i in range(10_000)], "\n\n参考格式：…")
    assert len(many) <= QQ_TEXT_LIMIT and CUT in many and many.endswith("参考格式：…")
    one_huge = problem_list("订单没有登记", ["字" * 100_000])
    assert len(one_huge) <= QQ_TEXT_LIMIT and one_huge.endswith(CUT)


async def test_an_unknown_help_topic_of_100k_characters_answers_within_the_budget(app: App):
    shown: list[str] = []
    event = group_msg("/帮助 " + "长" * 100_000, SUPERUSER)
    await say(app, event, sends={event.message_id: Capture(shown)})
    assert len(shown[0]) <= QQ_TEXT_LIMIT and shown[0].endswith(CUT)


async def test_a_10k_line_intake_answers_within_the_budget(app: App):
    await staff()
    shown: list[str] = []
    text = "/接单\n" + "\n".join(f"乱写第{i}行：？？" for i in range(10_000))
    event = group_msg(text, CS)
    await say(app, event, sends={event.message_id: Capture(shown)})
    assert len(shown) == 1 and len(shown[0]) <= QQ_TEXT_LIMIT


async def test_control_characters_never_reach_the_database(app: App):
    await staff()
    before = await last_outbox_id()
    text = INTAKE_TEXT.format(payment="款到发货").replace("金陵建材", "金陵\x00建\u202e材").replace("王工", "王\x1b工")
    await say(app, group_msg(text, CS, card="王\u202e客服\x00"))
    async with database().session() as session:
        order = await session.scalar(select(Order))
    assert order is not None and order.customer_name == "金陵建材" and order.consignee == "王工"
    assert all("\x00" not in q.text and "\u202e" not in q.text for q in await queued(before))


async def test_names_from_qq_are_cleaned_and_bounded(app: App):
    from nonebot.adapters.onebot.v11 import Bot

    await give_roles(SUPERUSER, name="超管")
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, group_msg("/设岗 [CQ:at,qq=20777] 客服", SUPERUSER))
        ctx.should_call_api(
            "get_group_member_info", {"group_id": 9001, "user_id": 20777}, {"card": "\u202e坏\x00名" + "长" * 500}
        )
    async with database().session() as session:
        name = await session.scalar(select(Member.name).where(Member.qq == 20777))
    assert name is not None and name.startswith("坏名") and len(name) <= 64
