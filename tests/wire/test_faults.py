"""Real faults over the wire, each proving that nothing is lost (SPEC §8).

QQ refuses or never answers sends, the connection drops, QQ cannot answer get_msg for a quote, the
process is killed with SIGKILL, an event arrives twice, replies race, two processes share one
database. The module's bot gives up on an API call after ``API_TIMEOUT`` = 1.5 s, so a send QQ never
answers fails fast; the tests that kill a bot or need two of them start their own.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import pytest_asyncio

from tests.wire.company import (
    ASSISTANT,
    CARDS,
    CS,
    DEPARTMENTS,
    NUMBER,
    WORKSHOP,
    WORKSHOP_2,
    about,
    as_sequence,
    board,
    fan_out,
    instruction_to,
    intake,
    is_registration,
    number_in,
    open_orders,
    order_card,
    register,
    staff_the_group,
    wait_card,
    wait_open_orders,
)
from tools.onebot_sim import GROUP, ApiCall, BotProcess, OneBotClient, SentMessage, databases

API_TIMEOUT = 1.5
FAST = {"API_TIMEOUT": str(API_TIMEOUT)}


@pytest.fixture(scope="module")
def bot_extra_env() -> dict[str, str]:
    return FAST


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def staffed(_connection: OneBotClient) -> None:
    await staff_the_group(_connection)


def group_messages(sent: Sequence[SentMessage]) -> list[SentMessage]:
    """Notifications to the group (the outbox's ``send_group_msg``; direct answers use ``send_msg``)."""
    return [m for m in sent if m.action == "send_group_msg" and m.target == GROUP]


def is_notification_to_group(sent: SentMessage) -> bool:
    return sent.action == "send_group_msg" and sent.target == GROUP


def assert_once_each(messages: Sequence[SentMessage]) -> None:
    repeated = [text for text, n in Counter(m.text for m in messages).items() if n > 1]
    assert not repeated, f"sent more than once: {repeated!r}"


def assert_causal(sequence: list[tuple[str, str]], number: str, kinds: Sequence[str]) -> None:
    """The notifications about ``number`` are exactly ``kinds``, in that order."""
    assert [kind for n, kind in sequence if n == number] == list(kinds), (number, sequence)


# ---------------------------------------------------------------------------------------------
# QQ refuses sends, then recovers
# ---------------------------------------------------------------------------------------------


async def test_refused_and_unanswered_sends_are_delivered_once_in_order_after_recovery(
    staffed: None, client: OneBotClient
) -> None:
    """Three orders registered while QQ first refuses a send (retcode 100) and then leaves the retry
    unanswered (the bot times out, as with a 1200-style timeout): once QQ recovers, the group has read
    every instruction and reply exactly once, in the order they were caused, and the message at the
    head of the queue was the one retried."""
    known = set(NUMBER.findall(await board(client)))
    start = client.mark()
    client.fail_next("send_group_msg", retcode=100, wording="发送失败")
    client.ignore_next("send_group_msg")  # the bot gives up after API_TIMEOUT

    asked = []
    orders = [(CS, "string", "金陵建材"), (ASSISTANT, "array", "江北水泥"), (CS, "array", "栖霞石材")]
    for count, (user, fmt, customer) in enumerate(orders, start=1):
        asked.append(await client.send_group_message(GROUP, user, intake(customer), fmt=fmt))
        await wait_open_orders(client, len(known) + count)  # registered before the next one is typed
    numbers = sorted(set(NUMBER.findall(await board(client))) - known)
    assert len(numbers) == 3
    assert not group_messages(client.sent[start:]), "the refused sends went out anyway"

    def mine(sent: SentMessage) -> bool:
        return is_notification_to_group(sent) and any(number in sent.text for number in numbers)

    delivered = await client.wait_for_all(mine, 12, timeout=30, start=start)
    await client.expect_silence(1.5, mine, start=client.mark())

    attempts = client.calls_for("send_group_msg")
    assert [c.outcome for c in attempts[:3]] == ["failed", "ignored", "ok"]
    assert attempts[0].retcode == 100
    assert attempts[0].params["message"] == attempts[1].params["message"] == attempts[2].params["message"]
    assert attempts[2].at - attempts[1].at >= API_TIMEOUT  # the bot waited for the answer, then backed off

    group = group_messages(client.sent[start:])
    assert group == delivered
    assert_once_each(group)
    replies = [m for m in group if is_registration(m)]
    assert [number_in(m.text) for m in replies] == numbers
    assert [m.reply_to for m in replies] == asked  # each reply quotes its own command
    assert as_sequence(group) == [step for number in numbers for step in fan_out(number)]
    for number in numbers:
        instructions = [m for m in group if about(number)(m) and not is_registration(m)]
        assert [m.mentions for m in instructions] == list(DEPARTMENTS.values())


# ---------------------------------------------------------------------------------------------
# The connection drops and comes back
# ---------------------------------------------------------------------------------------------


async def test_notifications_caused_while_qq_is_gone_go_out_after_reconnecting(
    staffed: None, bot_process: BotProcess, client: OneBotClient
) -> None:
    """An intake in the group and one in private chat arrive right before QQ disconnects: the bot
    handles them with no QQ to send through, and delivers everything once QQ is back."""
    start, log = client.mark(), bot_process.log_mark()
    in_group = await client.send_group_message(GROUP, CS, intake("金陵建材"))
    in_private = await client.send_private_message(ASSISTANT, intake("江北水泥"))
    await client.close()

    await bot_process.wait_for_log("QQ is not connected", start=log)  # delivery found nobody to send through
    await client.reconnect()

    # Group: two orders' instructions and the group reply; private: the assistant's reply.
    await client.wait_for_all(is_notification_to_group, 7, timeout=30, start=start)
    private = await client.wait_for_sent(lambda m: m.message_type == "private", timeout=30, start=start)
    await client.expect_silence(1.5, start=client.mark())

    assert (private.target, private.reply_to) == (ASSISTANT, in_private) and is_registration(private)
    group = group_messages(client.sent[start:])
    assert_once_each(group)
    sequence = as_sequence(group)
    [group_reply] = [m for m in group if is_registration(m)]
    assert group_reply.reply_to == in_group
    assert_causal(sequence, number_in(group_reply.text), ["车间", "财务", "物流", "登记"])
    assert_causal(sequence, number_in(private.text), ["车间", "财务", "物流"])
    assert len(client.sent[start:]) == 8


# ---------------------------------------------------------------------------------------------
# The same event twice, and replies racing
# ---------------------------------------------------------------------------------------------


async def test_the_same_intake_delivered_twice_registers_one_order(
    staffed: None, client: OneBotClient
) -> None:
    open_before = await open_orders(client)
    start = client.mark()
    text = intake("重复公司")
    message_id = await client.send_group_message(GROUP, CS, text)
    await client.redeliver(message_id)  # while the first delivery is being handled
    reply = await client.wait_for_sent(is_registration, start=start)
    number = number_in(reply.text)
    # ... and once more, later, as an implementation re-delivering after a reconnect would
    await client.redeliver(message_id)
    await client.expect_silence(1.5, is_registration, start=client.mark())

    assert client.matching(is_registration, start=start) == [reply]
    assert reply.reply_to == message_id
    assert as_sequence(client.matching(about(number), start=start)) == fan_out(number)
    assert await open_orders(client) == open_before + 1


async def test_two_replies_racing_on_one_order_are_both_applied(staffed: None, client: OneBotClient) -> None:
    """The workshop's /备货完成 and CS's /改单 of the phone arrive together: both land."""
    _, reply = await register(client, CS, intake("并发建材", payment="货到付款"))
    number = number_in(reply.text)

    start = client.mark()
    stock, change = await asyncio.gather(
        client.send_group_message(GROUP, WORKSHOP, f"/备货完成 {number}"),
        client.send_group_message(GROUP, CS, f"/改单 {number} 电话 13900000000"),
    )
    done = await client.wait_for_sent(lambda m: m.reply_to == stock, start=start)
    changed = await client.wait_for_sent(lambda m: m.reply_to == change, start=start)
    assert done.text == f"订单 {number}：车间 备货已完成。"
    assert changed.text == f"订单 {number} 已修改：电话：13800000000 → 13900000000"
    await client.wait_for_sent(instruction_to("物流", number), start=start)  # logistics hears of the phone

    card = await order_card(client, number)
    assert f"车间 备货：已完成（{CARDS[WORKSHOP]} " in card
    assert "收货：王工 13900000000 " in card
    timeline = card.split("—— 经过 ——")[1]
    assert " 备货完成" in timeline and " 改单" in timeline


@pytest.mark.parametrize("words", ["备好了", "/备货完成"], ids=["plain-words", "command"])
async def test_a_quote_reply_acts_on_its_order_when_qq_cannot_answer_get_msg(
    staffed: None, client: OneBotClient, words: str
) -> None:
    """QQ refuses get_msg (an implementation that lost its message cache, a message it cannot fetch):
    the reply segment still names the quoted instruction, so the workshop's answer must not vanish."""
    _, reply = await register(client, CS, intake("缓存建材"))
    number = number_in(reply.text)
    instruction = await client.wait_for_sent(instruction_to("车间", number))

    client.fail_next("get_msg", retcode=100, wording="消息不存在")
    start = client.mark()
    quoted = await client.send_group_message(GROUP, WORKSHOP, words, reply_to=instruction.message_id)
    assert (await client.wait_for_call("get_msg")).outcome == "failed"
    done = await client.wait_for_sent(about(number), timeout=5, start=start)
    assert (done.text, done.reply_to) == (f"订单 {number}：车间 备货已完成。", quoted)
    assert "车间 备货：已完成" in await order_card(client, number)


# ---------------------------------------------------------------------------------------------
# SIGKILL mid-flow
# ---------------------------------------------------------------------------------------------


async def wait_between_attempts(bot: BotProcess, pending: int, timeout: float = 15.0) -> list[dict]:
    """Until ``pending`` outbox rows wait for a retry after a failed attempt, none of them leased."""
    deadline = time.monotonic() + timeout
    while True:
        rows = await databases.outbox_rows(bot.database_url)
        waiting = [r for r in rows if r["status"] == "pending"]
        tried = any(r["attempts"] for r in waiting)
        if len(waiting) == pending and tried and all(r["lease_owner"] is None for r in waiting):
            return waiting
        if time.monotonic() >= deadline:
            raise AssertionError(f"outbox never settled with {pending} pending rows: {rows!r}")
        await asyncio.sleep(0.05)


async def test_sigkill_while_sends_are_refused_loses_nothing(tmp_path: Path) -> None:
    """Two orders and a workshop reply are pending while QQ refuses sends; the bot is killed with
    SIGKILL and restarted on its database: every notification goes out once, in order, the orders and
    their tasks are intact, a quote-reply to an instruction sent after the restart works, and the
    intake re-delivered after the restart is still recognised as handled."""
    async with BotProcess(data_dir=tmp_path, extra_env={"API_TIMEOUT": "3"}) as bot, bot.client() as qq:
        await staff_the_group(qq)
        start = qq.mark()
        qq.ignore_next("send_group_msg")  # the first try hangs while the orders come in...
        qq.fail_next("send_group_msg", 10_000, retcode=100)  # ... and every later one is refused

        first = await qq.send_group_message(GROUP, CS, intake("金陵建材"), fmt="string")
        await wait_open_orders(qq, 1)
        second = await qq.send_group_message(GROUP, ASSISTANT, intake("江北水泥", payment="月结"))
        await wait_open_orders(qq, 2)
        number_1, number_2 = NUMBER.findall(await board(qq))
        stock = await qq.send_group_message(GROUP, WORKSHOP, f"/备货完成 {number_1}")
        await wait_card(qq, number_1, f"车间 备货：已完成（{CARDS[WORKSHOP]} ")

        # Right after the first failure the next try is a second away: kill the bot then, with ten
        # notifications pending and none of them leased (a lease would hold them for a minute).
        await wait_between_attempts(bot, pending=10)
        assert await bot.kill() == -signal.SIGKILL
        assert not group_messages(qq.sent[start:])

        await qq.wait_disconnected()
        qq.clear_faults()
        await bot.start()
        await qq.reconnect()

        group = await qq.wait_for_all(is_notification_to_group, 10, timeout=30, start=start)
        assert as_sequence(group) == [
            *fan_out(number_1), *fan_out(number_2), (number_1, "备货完成"), (number_1, "告知物流"),
        ]
        assert [m.reply_to for m in group if m.reply_to] == [first, second, stock]
        assert group[-2].text == f"订单 {number_1}：车间 备货已完成。"

        card_1, card_2 = await order_card(qq, number_1), await order_card(qq, number_2)
        assert card_1.startswith(f"订单 {number_1}【处理中】") and "金额：12,600 元（款到发货）" in card_1
        assert f"车间 备货：已完成（{CARDS[WORKSHOP]} " in card_1 and "财务 款项：待回复" in card_1
        assert "金额：12,600 元（月结）" in card_2 and "车间 备货：待回复" in card_2

        # The instruction sent after the restart knows its order: a quote-reply acts on it.
        instruction = next(m for m in group if instruction_to("车间", number_2)(m))
        await qq.send_group_message(GROUP, WORKSHOP_2, "备好了", reply_to=instruction.message_id)
        ack = await qq.wait_for_sent(lambda m: m.text == f"订单 {number_2}：车间 备货已完成。", start=start)
        told = await qq.wait_for_sent(lambda m: "车间已备好货" in m.text and number_2 in m.text, start=start)

        # QQ re-delivers the first intake after the restart: still handled, no third order.
        await qq.redeliver(first)
        await qq.expect_silence(1.5, is_notification_to_group, start=qq.mark())
        assert group_messages(qq.sent[start:]) == [*group, ack, told]  # nothing twice, nothing else
        assert [r for r in await databases.outbox_rows(bot.database_url) if r["status"] != "sent"] == []
        assert await open_orders(qq) == 2
        assert bot.starts == 2


# ---------------------------------------------------------------------------------------------
# Two processes, one database
# ---------------------------------------------------------------------------------------------

SHARED_TIMEOUT = 3.0


@pytest.mark.parametrize(
    "backend",
    [
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                not databases.postgres_available(), reason=f"{databases.ENV} names no PostgreSQL server"
            ),
        ),
    ],
)
async def test_two_processes_on_one_database_send_each_notification_once(
    tmp_path: Path, backend: str
) -> None:
    """Bot A hangs on a send to the group (QQ never answers) while it holds that message's lease; bot B,
    on the same database, keeps delivering elsewhere but leaves the group's queue alone until A lets go.
    Across both QQ connections every notification is sent exactly once, in the order caused."""
    env = {"API_TIMEOUT": str(SHARED_TIMEOUT)}
    async with BotProcess(data_dir=tmp_path / "a", database=backend, extra_env=env) as a:
        b = BotProcess(data_dir=tmp_path / "b", database=a.database_url, extra_env=env)
        async with b, a.client() as qa, b.client() as qb:
            assert (a.backend, b.database_url) == (backend, a.database_url)
            await staff_the_group(qa)
            sims = Sims(qa, qb)
            for sim in sims.clients:  # whichever process claims the group's next message hangs on it
                sim.ignore_next("send_group_msg")

            in_group = await qa.send_group_message(GROUP, CS, intake("金陵建材"))
            hung_sim, hung = await sims.first_hang()
            other = qb if hung_sim is qa else qa
            other.clear_faults()
            # The other process takes an intake in private: its instructions queue behind the leased
            # message, its reply to the assistant goes out at once, through whichever process is free.
            in_private = await other.send_private_message(ASSISTANT, intake("江北水泥"))
            [private] = await sims.wait_for(lambda m: m.message_type == "private", 1)
            assert private.at < hung.at + SHARED_TIMEOUT, "the private reply waited for the hung send"

            await sims.wait_for(is_notification_to_group, 7)
            await sims.expect_silence(1.5)  # both poll the outbox every second: a duplicate had its chance
            group = sims.matching(is_notification_to_group)

            assert group[0].at >= hung.at + SHARED_TIMEOUT - 0.1, "the leased message was sent by the other"
            assert_once_each(group)
            assert (private.target, private.reply_to) == (ASSISTANT, in_private)
            first, second = number_in(group[0].text), number_in(private.text)
            assert as_sequence(group) == [
                *fan_out(first),
                (second, "车间"),
                (second, "财务"),
                (second, "物流"),
            ]
            assert group[3].reply_to == in_group
            assert len(sims.matching()) == 8
            ignored = [c for sim in sims.clients for c in sim.calls if c.outcome == "ignored"]
            assert ignored == [hung]


class Sims:
    """Two simulated QQ connections, one per bot process, read as one: what the group saw, in time order."""

    def __init__(self, *clients: OneBotClient):
        self.clients = clients
        self.starts = [client.mark() for client in clients]

    def matching(self, predicate: Callable[[SentMessage], bool] = lambda m: True) -> list[SentMessage]:
        sent = [
            m for client, start in zip(self.clients, self.starts, strict=True) for m in client.sent[start:]
        ]
        return sorted((m for m in sent if predicate(m)), key=lambda m: m.at)

    async def wait_for(
        self, predicate: Callable[[SentMessage], bool], count: int, timeout: float = 30.0
    ) -> list[SentMessage]:
        deadline = time.monotonic() + timeout
        while len(found := self.matching(predicate)) < count:
            if time.monotonic() >= deadline:
                raise AssertionError(f"{len(found)} of {count} sent: {[m.text for m in self.matching()]!r}")
            await asyncio.sleep(0.05)
        return found[:count]

    async def first_hang(self, timeout: float = 10.0) -> tuple[OneBotClient, ApiCall]:
        """The connection whose QQ left a send unanswered, and that call."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for client in self.clients:
                if hung := [c for c in client.calls if c.outcome == "ignored"]:
                    return client, hung[0]
            await asyncio.sleep(0.02)
        raise AssertionError("no process tried to send the group's next message")

    async def expect_silence(self, seconds: float) -> None:
        before = len(self.matching())
        await asyncio.sleep(seconds)
        assert len(self.matching()) == before, (
            f"more was sent: {[m.text for m in self.matching()][before:]!r}"
        )
