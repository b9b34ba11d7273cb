"""The company of the wire tests: who holds which post, how they register orders, and readers of the answers.

Everything goes over the wire: posts are assigned with ``/设岗`` by the superuser, orders are
registered with ``/接单``, and state is read back with ``/订单`` and ``/看板``.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Sequence

from tools.onebot_sim import GROUP, SUPERUSER, MessageFormat, OneBotClient, SentMessage

CS, ASSISTANT = 20101, 20151
WORKSHOP, WORKSHOP_2 = 20111, 20112
FINANCE, LOGISTICS = 20121, 20131
CARDS = {
    CS: "王客服",
    ASSISTANT: "周助理",
    WORKSHOP: "老张",
    WORKSHOP_2: "小李",
    FINANCE: "钱会计",
    LOGISTICS: "孙物流",
}
POSTS: tuple[tuple[tuple[int, ...], str], ...] = (
    ((CS,), "客服"),
    ((ASSISTANT,), "助理"),
    ((WORKSHOP, WORKSHOP_2), "车间"),
    ((FINANCE,), "财务"),
    ((LOGISTICS,), "物流"),
)
# Who each department's instruction must @-mention.
DEPARTMENTS = {"车间": [WORKSHOP, WORKSHOP_2], "财务": [FINANCE], "物流": [LOGISTICS]}

NUMBER = re.compile(r"D\d{6}-\d{3}")
OPEN_COUNT = re.compile(r"未完结 (\d+) 单")


async def staff_the_group(client: OneBotClient, group: int = GROUP) -> None:
    """The superuser assigns every post with /设岗 (one command per post, people @-mentioned)."""
    for people, post in POSTS:
        for qq in people:
            client.set_member(group, qq, card=CARDS[qq], nickname=f"nick{qq}")
        start = client.mark()
        mentions = " ".join(f"[CQ:at,qq={qq}]" for qq in people)
        await client.send_group_message(group, SUPERUSER, f"/设岗 {mentions} {post}", card="超管")
        await client.wait_for_sent(
            lambda m, people=people: (
                m.text.startswith("已设岗") and all(CARDS[qq] in m.text for qq in people)
            ),
            start=start,
        )


def intake(
    customer: str = "金陵建材", *, payment: str = "款到发货", quantity: str = "30吨", confirmed: bool = True
) -> str:
    """A /接单 message as the CS manager pastes it; ``confirmed``: with 确认 at the end, because the tests
    register the same order again and again on purpose (a second paste within a day would ask first)."""
    return (
        "/接单\n"
        f"客户：{customer}\n"
        "品名：水泥\n"
        f"数量：{quantity}\n"
        "单价：420\n"
        f"付款方式：{payment}\n"
        "收货人：王工\n"
        "电话：13800000000\n"
        "地址：南京市江宁区天元路1号\n"
        "包装：吨袋" + ("\n确认" if confirmed else "")
    )


def number_in(text: str) -> str:
    found = NUMBER.search(text)
    assert found, f"no order number in {text!r}"
    return found.group()


def is_registration(sent: SentMessage) -> bool:
    return sent.text.startswith("已登记订单")


def instruction_to(department: str, number: str | None = None) -> Callable[[SentMessage], bool]:
    """The instruction to ``department`` (车间/财务/物流), about ``number`` if given."""
    return lambda m: m.text.lstrip().startswith(f"【{department}】订单 {number or ''}")


def about(number: str) -> Callable[[SentMessage], bool]:
    return lambda m: number in m.text


def notification_kind(sent: SentMessage) -> str:
    """A short name for what a notification is, for comparing sequences."""
    text = sent.text.lstrip()  # after the @-mentions, a space each
    if text.startswith("【"):
        return text[1:3]
    if is_registration(sent):
        return "登记"
    if "备货已完成" in text:
        return "备货完成"
    if "车间已备好货" in text:
        return "告知物流"
    return text[:20]


def fan_out(number: str) -> list[tuple[str, str]]:
    """What the group must read, in this order, after a group /接单: three instructions, then the reply."""
    return [(number, "车间"), (number, "财务"), (number, "物流"), (number, "登记")]


def as_sequence(messages: Sequence[SentMessage]) -> list[tuple[str, str]]:
    return [(number_in(m.text), notification_kind(m)) for m in messages]


async def ask(
    client: OneBotClient, user: int, text: str, *, group: int = GROUP, timeout: float = 10.0
) -> str:
    """A read-only command; its direct answer (``send_msg``, never the outbox)."""
    start = client.mark()
    asked = await client.send_group_message(group, user, text)
    answer = await client.wait_for_sent(
        lambda m: m.action == "send_msg" and m.reply_to in (asked, None), timeout, start=start
    )
    return answer.text


async def board(client: OneBotClient) -> str:
    return await ask(client, CS, "/看板")


async def open_orders(client: OneBotClient) -> int:
    """How many orders /看板 counts as open."""
    found = OPEN_COUNT.search(await board(client))
    return int(found.group(1)) if found else 0


async def wait_open_orders(client: OneBotClient, count: int, timeout: float = 10.0) -> None:
    """Until /看板 counts ``count`` open orders: an intake was handled and committed."""
    deadline = time.monotonic() + timeout
    while (seen := await open_orders(client)) != count:
        if time.monotonic() >= deadline:
            raise AssertionError(f"/看板 counts {seen} open orders, expected {count}")
        await asyncio.sleep(0.1)


async def order_card(client: OneBotClient, number: str) -> str:
    card = await ask(client, CS, f"/订单 {number}")
    assert card.startswith(f"订单 {number}"), card
    return card


async def wait_card(client: OneBotClient, number: str, needle: str, timeout: float = 10.0) -> str:
    """/订单 until its card shows ``needle``: a command sent just before was handled and committed."""
    deadline = time.monotonic() + timeout
    while needle not in (card := await order_card(client, number)):
        if time.monotonic() >= deadline:
            raise AssertionError(f"/订单 {number} never showed {needle!r}; last card:\n{card}")
        await asyncio.sleep(0.1)
    return card


async def register(
    client: OneBotClient, user: int = CS, text: str | None = None, *, fmt: MessageFormat = "array"
) -> tuple[int, SentMessage]:
    """A group /接单 whose notifications go out; the command's message id and the bot's reply."""
    start = client.mark()
    asked = await client.send_group_message(GROUP, user, text or intake(), fmt=fmt)
    reply = await client.wait_for_sent(lambda m: is_registration(m) and m.reply_to == asked, start=start)
    return asked, reply
