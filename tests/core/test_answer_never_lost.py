"""A read-only answer QQ refuses is handed to the outbox (quoting the question), never lost; so is the apology."""

from nonebot.adapters.onebot.v11 import Bot
from nonebot.adapters.onebot.v11.exception import ActionFailed, NetworkError
from nonebug import App

from tests.factories import CS, group_msg, last_outbox_id, queued, staff


async def test_a_refused_answer_goes_to_the_outbox(app: App):
    await staff()
    before = await last_outbox_id()
    event = group_msg("/看板", CS)
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_send(event, "看板：没有未完结的订单。", None, exception=ActionFailed(retcode=100))
    [kept] = await queued(before)
    assert (kept.target, kept.reply_to) == (("group", 9001), event.message_id)
    assert kept.text == "看板：没有未完结的订单。"


async def test_an_answer_qq_takes_is_sent_directly_and_not_queued(app: App):
    await staff()
    before = await last_outbox_id()
    event = group_msg("/看板", CS)
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_send(event, "看板：没有未完结的订单。", None)
    assert await queued(before) == []


async def test_a_refused_error_answer_is_kept_too(app: App):
    await staff()
    before = await last_outbox_id()
    event = group_msg("/帮助 飞天", CS)  # answered with a DomainError
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_send(event, "没有「飞天」这个命令。全部命令：/帮助", None, exception=NetworkError("timeout"))
    [kept] = await queued(before)
    assert kept.text == "没有「飞天」这个命令。全部命令：/帮助"
