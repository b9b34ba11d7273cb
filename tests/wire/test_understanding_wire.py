"""Quote-replies over the wire that must not act: questions, negations, deferrals and dates are no confirmation.

Each case quotes the bot's own instruction the way QQ sends it, then checks the order card: nothing moved, and
the bot either stayed quiet (questions, acknowledgements) or asked in one line for the exact command.
"""

from __future__ import annotations

import pytest
import pytest_asyncio

from tests.wire.company import (
    CARDS,
    FINANCE,
    WORKSHOP,
    instruction_to,
    intake,
    number_in,
    order_card,
    register,
    staff_the_group,
)
from tools.onebot_sim import GROUP, OneBotClient, at_segment, text_segment

QUIET = None
ASKS = "我不确定你的意思"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def staffed(_connection: OneBotClient) -> None:
    await staff_the_group(_connection)


async def quote(client: OneBotClient, user: int, words, quoted: int, expect: str | None) -> None:
    """Send a quote-reply; expect a one-line question back that names the order's commands, or silence."""
    start = client.mark()
    await client.send_group_message(GROUP, user, words, reply_to=quoted)
    if expect is None:
        await client.expect_silence(1.0, start=start)
        return
    answer = await client.wait_for_sent(lambda m: m.action == "send_msg", start=start)
    assert expect in answer.text and "\n" not in answer.text
    assert answer.mentions == []  # never @ the person who just spoke


@pytest.mark.parametrize(("words", "expect"), [
    ("到账了吗？", QUIET),
    ("到账了没", QUIET),
    ("已到账 11.20", ASKS),  # a date, not 11.20 元
    ("已到账 20", ASKS),
    ("应该到账了", ASKS),
    ("收到", QUIET),
])
async def test_finance_words_that_book_no_money(
    staffed: None, client: OneBotClient, words: str, expect: str | None
) -> None:
    _, reply = await register(client, text=intake("不记账建材"))
    number = number_in(reply.text)
    instruction = await client.wait_for_sent(instruction_to("财务", number))
    await quote(client, FINANCE, words, instruction.message_id, expect)
    card = await order_card(client, number)
    assert "财务 款项：待回复" in card and "到账" not in card.split("—— 经过 ——")[1]


@pytest.mark.parametrize(("words", "expect"), [
    ("可以放行吗？", QUIET),
    ("放行？先问下主任", QUIET),
    ("先别放行", ASKS),
    ("等主任确认再放行", ASKS),
])
async def test_finance_words_that_release_nothing(
    staffed: None, client: OneBotClient, words: str, expect: str | None
) -> None:
    _, reply = await register(client, text=intake("不放行建材", payment="货到付款"))
    number = number_in(reply.text)
    instruction = await client.wait_for_sent(instruction_to("财务", number))
    await quote(client, FINANCE, words, instruction.message_id, expect)
    card = await order_card(client, number)
    assert "财务 款项：待回复" in card and "放行" not in card.split("—— 经过 ——")[1]


@pytest.mark.parametrize(("words", "expect"), [
    ("备好了吗？", QUIET),
    ([at_segment(20001), text_segment(" 备好了吗")], QUIET),
    ("还没备货完成", ASKS),
    ("不缺货", ASKS),
    ("明天能备好", ASKS),
    ("👌", QUIET),
])
async def test_workshop_words_that_mark_nothing(
    staffed: None, client: OneBotClient, words, expect: str | None
) -> None:
    _, reply = await register(client, text=intake("不备货建材"))
    number = number_in(reply.text)
    instruction = await client.wait_for_sent(instruction_to("车间", number))
    await quote(client, WORKSHOP, words, instruction.message_id, expect)
    card = await order_card(client, number)
    assert "车间 备货：待回复" in card


async def test_workshop_problem_in_plain_words_records_the_shortage(staffed: None, client: OneBotClient) -> None:
    _, reply = await register(client, text=intake("缺黄沙建材"))
    number = number_in(reply.text)
    instruction = await client.wait_for_sent(instruction_to("车间", number))
    start = client.mark()
    await client.send_group_message(GROUP, WORKSHOP, "备不了，黄沙不够", reply_to=instruction.message_id)
    notice = await client.wait_for_sent(lambda m: number in m.text and "黄沙不够" in m.text, start=start)
    assert WORKSHOP not in notice.mentions
    card = await order_card(client, number)
    assert "车间 备货：有问题" in card and CARDS[WORKSHOP] in card
