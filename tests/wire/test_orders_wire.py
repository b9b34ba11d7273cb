"""Orders over the wire: /接单 → an instruction to each department → a quote-reply moves the order.

One bot process (and database) for the module; posts are assigned over the wire by the superuser.
"""

from __future__ import annotations

import pytest
import pytest_asyncio

from tests.wire.company import (
    ASSISTANT,
    CARDS,
    CS,
    DEPARTMENTS,
    WORKSHOP,
    WORKSHOP_2,
    about,
    as_sequence,
    fan_out,
    instruction_to,
    intake,
    number_in,
    order_card,
    register,
    staff_the_group,
)
from tools.onebot_sim import (
    GROUP,
    MessageFormat,
    OneBotClient,
    at_segment,
    parse_cq,
    text_segment,
)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def staffed(_connection: OneBotClient) -> None:
    await staff_the_group(_connection)


@pytest.mark.parametrize(("fmt", "user"), [("string", CS), ("array", ASSISTANT)])
async def test_intake_sends_each_department_its_instruction(
    staffed: None, client: OneBotClient, fmt: MessageFormat, user: int
) -> None:
    start = client.mark()
    asked, reply = await register(client, user, intake("金陵建材"), fmt=fmt)
    number = number_in(reply.text)

    notifications = client.matching(about(number), start=start)
    assert as_sequence(notifications) == fan_out(number)
    workshop, finance, logistics, _ = notifications
    for sent, department in ((workshop, "车间"), (finance, "财务"), (logistics, "物流")):
        assert (sent.action, sent.target) == ("send_group_msg", GROUP)
        assert sent.mentions == DEPARTMENTS[department], department
        assert sent.segments[0] == at_segment(DEPARTMENTS[department][0])  # the @ comes first
        assert sent.reply_to is None
    assert "品名数量：水泥 30吨\n包装：吨袋" in workshop.text and f"/备货完成 {number}" in workshop.text
    assert "金额：12,600 元\n付款方式：款到发货" in finance.text and "水泥" not in finance.text
    assert "收货人：王工 13800000000\n地址：南京市江宁区天元路1号" in logistics.text
    assert (reply.target, reply.reply_to, reply.mentions) == (GROUP, asked, [])
    assert f"已登记订单 {number}：金陵建材，12,600 元，款到发货。" in reply.text
    assert "已通知 车间、财务、物流。" in reply.text

    card = await order_card(client, number)
    assert card.startswith(f"订单 {number}【处理中】")
    for task in ("车间 备货：待回复", "财务 款项：待回复", "物流 派车：待回复"):
        assert task in card


@pytest.mark.parametrize(
    ("fmt", "with_at"), [("array", False), ("string", True)], ids=["array", "string-with-auto-at"]
)
async def test_quote_reply_to_the_workshop_instruction_marks_goods_ready(
    staffed: None, client: OneBotClient, fmt: MessageFormat, with_at: bool
) -> None:
    _, reply = await register(client, CS, intake("栖霞石材"))
    number = number_in(reply.text)
    instruction = await client.wait_for_sent(instruction_to("车间", number))

    # QQ puts the quoted message's author (the bot) in an @ after the quote when one replies to it.
    words = (
        [at_segment(client.self_id), text_segment(" 备好了，随时可以拉")] if with_at else "备好了，随时可以拉"
    )
    start = client.mark()
    quoted = await client.send_group_message(
        GROUP, WORKSHOP_2, words, reply_to=instruction.message_id, fmt=fmt
    )
    if fmt == "string":
        assert client.events[-1]["message"].startswith(f"[CQ:reply,id={instruction.message_id}]")
    done = await client.wait_for_sent(lambda m: m.text == f"订单 {number}：车间 备货已完成。", start=start)
    assert (done.target, done.reply_to) == (GROUP, quoted)

    lookup = await client.wait_for_call("get_msg")  # the adapter fetched the quoted message
    assert (int(lookup.params["message_id"]), lookup.outcome) == (instruction.message_id, "ok")

    card = await order_card(client, number)
    assert f"车间 备货：已完成（{CARDS[WORKSHOP_2]} " in card
    assert "财务 款项：待回复" in card and card.startswith(f"订单 {number}【处理中】")
    assert f" {CARDS[WORKSHOP_2]} 备货完成" in card.split("—— 经过 ——")[1]


async def test_stock_done_by_number_and_a_quote_to_an_unrelated_message(
    staffed: None, client: OneBotClient
) -> None:
    _, reply = await register(client, CS, intake("江北水泥", payment="月结"))
    number = number_in(reply.text)

    chatter = await client.send_group_message(GROUP, CS, "今天下午开会")
    await client.send_group_message(GROUP, WORKSHOP, "备好了", reply_to=chatter)  # not about an order
    start = client.mark()
    await client.send_group_message(GROUP, WORKSHOP, f"/备货完成 {number[1:].lower()}")
    done = await client.wait_for_sent(about(number), start=start)
    assert done.text == f"订单 {number}：车间 备货已完成。"

    card = await order_card(client, number)
    assert f"车间 备货：已完成（{CARDS[WORKSHOP]} " in card
    assert len(client.matching(lambda m: "备货已完成" in m.text, start=start)) == 1


async def test_intake_by_a_workshop_member_is_refused_and_creates_nothing(
    staffed: None, client: OneBotClient
) -> None:
    start = client.mark()
    await client.send_group_message(GROUP, WORKSHOP, parse_cq(intake("无名公司")))
    refusal = await client.wait_for_sent(start=start)
    assert refusal.action == "send_msg" and "客服" in refusal.text
    await client.expect_silence(1.0, start=start + 1)
    assert not client.matching("无名公司")
