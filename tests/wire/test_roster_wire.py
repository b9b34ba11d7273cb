"""Roster commands over the wire: /设岗, /岗位, /帮助, scope, dedupe, refusals and reliable delivery.

All tests of this module share one bot process (and database): each uses its own QQ numbers.
"""

from __future__ import annotations

import itertools

import pytest

from tools.onebot_sim import GROUP, SUPERUSER, MessageFormat, OneBotClient, SentMessage

OTHER_GROUP = 9999


def assigned(sent: SentMessage) -> bool:
    return sent.text.startswith("已设岗")


async def assign(client: OneBotClient, qq: int, card: str, role: str) -> tuple[int, SentMessage]:
    """The superuser gives ``qq`` a role; returns the command's message id and the bot's notification."""
    client.set_member(GROUP, qq, card=card, nickname=f"nick{qq}")
    start = client.mark()
    asked = await client.send_group_message(GROUP, SUPERUSER, f"/设岗 [CQ:at,qq={qq}] {role}", card="超管")
    done = await client.wait_for_sent(lambda m: assigned(m) and card in m.text, start=start)
    return asked, done


async def roles_listing(client: OneBotClient, user_id: int = SUPERUSER) -> SentMessage:
    start = client.mark()
    await client.send_group_message(GROUP, user_id, "/岗位")
    return await client.wait_for_sent(lambda m: m.action == "send_msg", start=start)


def holders(listing: SentMessage, role: str) -> str:
    """The members listed on the line of ``role`` in a /岗位 answer."""
    line = next((line for line in listing.text.splitlines() if line.startswith(role)), "")
    return line.removeprefix(role)


@pytest.mark.parametrize(("fmt", "qq", "card"), [("string", 20002, "王客服"), ("array", 20003, "李客服")])
async def test_superuser_assigns_a_role(client: OneBotClient, fmt: MessageFormat, qq: int, card: str) -> None:
    client.set_member(GROUP, qq, card=card, nickname="wang")
    asked = await client.send_group_message(GROUP, SUPERUSER, f"/设岗 [CQ:at,qq={qq}] 客服", fmt=fmt)

    done = await client.wait_for_sent("已设岗")
    assert (done.action, done.message_type, done.target) == ("send_group_msg", "group", GROUP)
    assert card in done.text and "客服" in done.text
    assert done.reply_to == asked  # the notification quotes the command
    lookups = client.calls_for("get_group_member_info")
    assert [(int(c.params["group_id"]), int(c.params["user_id"])) for c in lookups] == [(GROUP, qq)]


async def test_roles_lists_the_assignment(client: OneBotClient) -> None:
    await assign(client, 20004, "赵车间", "车间")
    listing = await roles_listing(client)
    assert listing.target == GROUP
    assert "赵车间" in holders(listing, "车间")


async def test_help_lists_the_commands_a_member_may_use(client: OneBotClient) -> None:
    await assign(client, 20005, "孙客服", "客服")

    start = client.mark()
    await client.send_group_message(GROUP, 20005, "/帮助")
    member_help = await client.wait_for_sent(start=start)
    assert "/岗位" in member_help.text and "/帮助" in member_help.text
    assert "/设岗" not in member_help.text  # 客服 may not assign roles

    start = client.mark()
    await client.send_group_message(GROUP, SUPERUSER, "/帮助")
    superuser_help = await client.wait_for_sent(start=start)
    assert "/设岗" in superuser_help.text


async def test_another_group_is_ignored_silently(client: OneBotClient) -> None:
    client.set_member(OTHER_GROUP, 20006, card="周外人")
    await client.send_group_message(OTHER_GROUP, SUPERUSER, "/设岗 [CQ:at,qq=20006] 客服")
    await client.send_group_message(OTHER_GROUP, 20006, "/帮助")
    await client.expect_silence(1.5)
    assert client.calls == []  # not even a member lookup

    assert "周外人" not in (await roles_listing(client)).text


async def test_the_same_event_twice_is_answered_once(client: OneBotClient) -> None:
    client.set_member(GROUP, 20007, card="吴助理")
    message_id = await client.send_group_message(GROUP, SUPERUSER, "/设岗 [CQ:at,qq=20007] 助理")
    await client.redeliver(message_id)  # while the first delivery is being handled
    await client.wait_for_sent("吴助理")
    await client.expect_silence(2.5, "吴助理")
    await client.redeliver(message_id)  # and later, after a reconnect
    await client.expect_silence(1.5, "吴助理")
    assert len(client.matching("吴助理")) == 1  # the repeat, racing or late, changed and said nothing


async def test_a_member_without_the_director_role_is_refused(client: OneBotClient) -> None:
    await assign(client, 20008, "郑客服", "客服")
    client.set_member(GROUP, 20009, card="冯新人")

    start = client.mark()
    await client.send_group_message(GROUP, 20008, "/设岗 [CQ:at,qq=20009] 客服")
    refusal = await client.wait_for_sent(start=start)
    assert refusal.action == "send_msg" and refusal.target == GROUP
    assert "主任" in refusal.text
    await client.expect_silence(1.5, assigned)

    assert "冯新人" not in (await roles_listing(client)).text


async def test_quoting_the_bot_is_answered_through_get_msg(client: OneBotClient) -> None:
    _, done = await assign(client, 20010, "陈物流", "物流")

    start = client.mark()
    await client.send_group_message(GROUP, 20010, "/岗位", reply_to=done.message_id)
    listing = await client.wait_for_sent(start=start)
    assert "陈物流" in holders(listing, "物流")
    lookup = await client.wait_for_call("get_msg")
    assert (int(lookup.params["message_id"]), lookup.outcome) == (done.message_id, "ok")


async def test_private_chat_only_from_roster_members_and_superusers(client: OneBotClient) -> None:
    await client.send_private_message(20099, "/帮助")
    await client.expect_silence(1.5)

    await client.send_private_message(SUPERUSER, "/岗位")
    answer = await client.wait_for_sent()
    assert (answer.message_type, answer.target) == ("private", SUPERUSER)


async def test_a_refused_notification_is_retried_until_it_goes_out_once(client: OneBotClient) -> None:
    client.set_member(GROUP, 20011, card="褚物流")
    client.fail_next("send_group_msg", 2, retcode=100)

    await client.send_group_message(GROUP, SUPERUSER, "/设岗 [CQ:at,qq=20011] 物流")
    done = await client.wait_for_sent("褚物流", timeout=30)

    attempts = client.calls_for("send_group_msg")
    assert [(c.outcome, c.retcode) for c in attempts] == [("failed", 100)] * 2 + [("ok", 0)]
    assert all(c.params["message"] == attempts[0].params["message"] for c in attempts)
    gaps = [later.at - earlier.at for earlier, later in itertools.pairwise(attempts)]
    assert all(gap >= backoff - 0.3 for gap, backoff in zip(gaps, [1, 2], strict=True)), gaps

    await client.expect_silence(1.5, "褚物流")
    assert client.matching("褚物流") == [done]
