"""Liveness over the wire (issue 15): a message QQ refuses forever never silences the group, a SIGKILL
never holds messages behind a dead process's lease, a reused message id is a new message, and a full
disk gets one line to the person and one to the superusers, and passes by itself."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from tests.wire.company import (
    CS,
    WORKSHOP,
    intake,
    is_registration,
    number_in,
    register,
    staff_the_group,
    wait_open_orders,
)
from tools.onebot_sim import (
    GROUP,
    SUPERUSER,
    ApiError,
    BotProcess,
    OneBotClient,
    SentMessage,
    plain_text,
    segments_of,
)

GIVE_UP = 4.0
DIRECTOR = 20141
POISON = "海关扣留"  # QQ refuses every message containing it, as it does with some contents


@pytest.fixture(scope="module")
def bot_extra_env() -> dict[str, str]:
    return {"API_TIMEOUT": "1.5", "XIETONG_SEND_GIVE_UP": f"{GIVE_UP:g}s"}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def staffed(_connection: OneBotClient) -> None:
    await staff_the_group(_connection)
    _connection.set_member(GROUP, DIRECTOR, card="陈主任")
    await _connection.send_group_message(GROUP, SUPERUSER, f"/设岗 [CQ:at,qq={DIRECTOR}] 主任")
    await _connection.wait_for_sent("陈主任")


def refuse_poison(client: OneBotClient) -> None:
    accept = client._handlers["send_group_msg"]

    def handler(params: dict) -> dict:
        if POISON in plain_text(segments_of(params["message"])):
            raise ApiError(1200, "消息发送失败，请尝试重发")
        return accept(params)

    client.set_handler("send_group_msg", handler)
    return accept


async def tried_poison(client: OneBotClient) -> None:
    def poisoned() -> bool:
        return any(POISON in plain_text(segments_of(c.params["message"])) for c in client.calls_for("send_group_msg"))

    while not poisoned():
        await client.wait_for_call("send_group_msg", count=len(client.calls_for("send_group_msg")) + 1)


def group_notice(sent: SentMessage) -> bool:
    return sent.action == "send_group_msg" and sent.target == GROUP


async def test_a_message_refused_forever_is_set_aside_the_rest_flows_and_resend_works(
    staffed: None, client: OneBotClient
) -> None:
    _, reply = await register(client)
    number = number_in(reply.text)
    accept = refuse_poison(client)
    start, began = client.mark(), time.monotonic()
    await client.send_group_message(GROUP, WORKSHOP, f"/缺货 {number} 原料被{POISON}，下周才到")
    await tried_poison(client)  # the bot handles messages concurrently: the notice is queued before the orders
    for customer in ("江北水泥", "栖霞石材", "浦口建工"):
        await client.send_group_message(GROUP, CS, intake(customer))

    registered = await client.wait_for_all(is_registration, 3, timeout=GIVE_UP + 20, start=start)
    assert registered[0].at - began >= GIVE_UP - 0.5, "the group's order was not kept while QQ might take it"
    told = await client.wait_for_sent(
        lambda m: m.action == "send_private_msg" and m.target == SUPERUSER and "/补发" in m.text, start=start
    )
    aside = int(told.text.split("第 ")[1].split(" 条")[0])
    in_group = await client.wait_for_sent(lambda m: group_notice(m) and "/补发" in m.text, start=start)
    assert in_group.mentions == [DIRECTOR] and f"/补发 {aside}" in in_group.text and POISON not in in_group.text
    refused = [c for c in client.calls_for("send_group_msg") if c.outcome == "failed"]
    assert 3 <= len(refused) <= 12, "back-off, not a try per poll"
    last = segments_of(refused[-1].params["message"])
    assert {seg["type"] for seg in last} == {"text"}, "the last try is plain text"
    assert not client.matching(POISON, start=start)

    client.set_handler("send_group_msg", accept)  # QQ takes it now
    mark = client.mark()
    await client.send_private_message(SUPERUSER, f"/补发 {aside}")
    resent = await client.wait_for_sent(POISON, start=mark)
    assert group_notice(resent)
    assert "已重新排队" in (await client.wait_for_sent("已重新排队", start=mark)).text
    await client.expect_silence(1.5, POISON, start=client.mark())


async def test_a_reused_message_id_is_a_new_message_and_a_true_repeat_is_not(
    staffed: None, client: OneBotClient
) -> None:
    """An implementation restarted numbers its messages from the same start: the same id, later, from the
    same person, is a different /接单; from someone else at once, too. The same event again is not."""
    start = client.mark()
    reused = client.next_message_id()
    await client.send_group_message(GROUP, CS, intake("六合钢构"), message_id=reused)
    await client.wait_for_sent(lambda m: is_registration(m) and m.reply_to == reused, start=start)
    await asyncio.sleep(1.1)  # event times are whole seconds: the next one is a later message
    await client.send_group_message(GROUP, CS, intake("溧水砂石"), message_id=reused)
    await client.send_group_message(GROUP, WORKSHOP, f"/缺货 {number_in(client.matching(is_registration, start=start)[0].text)} 砂石不足", message_id=reused)
    await client.wait_for_all(is_registration, 2, start=start)
    await client.wait_for_sent("砂石不足", start=start)
    await client.redeliver(reused)
    await client.expect_silence(1.5, is_registration, start=client.mark())
    assert len(client.matching(is_registration, start=start)) == 2


# ---------------------------------------------------------------------------------------------
# SIGKILL with messages leased and pending
# ---------------------------------------------------------------------------------------------


async def test_after_sigkill_pending_messages_go_out_within_seconds_of_reconnecting_once_each(
    tmp_path: Path,
) -> None:
    """QQ leaves sends unanswered (so the head of the group's queue is leased, in flight) while three
    orders come in; the bot is killed. The restarted bot releases the dead process's lease at once."""
    env = {"API_TIMEOUT": "30"}
    async with BotProcess(data_dir=tmp_path, extra_env=env) as bot, bot.client() as qq:
        await staff_the_group(qq)
        start = qq.mark()
        qq.ignore_next("send_group_msg", 10_000)
        for customer in ("金陵建材", "江北水泥", "栖霞石材"):
            await qq.send_group_message(GROUP, CS, intake(customer))
        await wait_open_orders(qq, 3)
        await qq.wait_for_call("send_group_msg")  # a send is in flight, its message leased
        assert await bot.kill() == -signal.SIGKILL
        await qq.wait_disconnected()
        qq.clear_faults()
        await bot.start()
        await qq.reconnect()
        back = time.monotonic()
        group = await qq.wait_for_all(group_notice, 12, timeout=20, start=start)
        assert group[-1].at - back < 20
        await qq.expect_silence(2, group_notice, start=qq.mark())
        texts = [m.text for m in qq.matching(group_notice, start=start)]
        assert [t for t, n in Counter(texts).items() if n > 1] == [], "sent twice"
        assert len(texts) == 12


# ---------------------------------------------------------------------------------------------
# Disk full
# ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def small_filesystem(path: Path, size: str = "16m") -> Iterator[Path]:
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a small filesystem here (needs root)")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    with filler.open("wb") as out:
        with contextlib.suppress(OSError):
            while True:
                out.write(b"\0" * 65536)
                out.flush()
                os.fsync(out.fileno())
    return filler


async def test_a_full_disk_gets_one_line_the_superusers_are_told_once_and_it_passes(tmp_path: Path) -> None:
    with small_filesystem(tmp_path / "disk") as disk:
        url = f"sqlite+aiosqlite:///{disk / 'xietong.db'}"
        async with BotProcess(data_dir=tmp_path / "data", database=url) as bot, bot.client() as qq:
            await staff_the_group(qq)
            with sqlite3.connect(disk / "xietong.db") as db:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the next write must grow the log
            filler = fill(disk)
            start = qq.mark()
            first = await qq.send_group_message(GROUP, CS, intake("金陵建材"))
            line = "数据库暂时无法写入，已通知管理员，请稍后重试。"
            await qq.wait_for_sent(lambda m: m.text == line and m.reply_to in (first, None), timeout=30, start=start)
            await qq.wait_for_sent(lambda m: m.action == "send_private_msg" and m.target == SUPERUSER, start=start)
            second = qq.mark()
            await qq.send_group_message(GROUP, CS, intake("江北水泥"))
            await qq.wait_for_sent(line, timeout=30, start=second)
            board = await qq.send_group_message(GROUP, CS, "/看板")  # reading still works
            await qq.wait_for_sent(lambda m: m.reply_to == board or "未完结" in m.text, start=second)
            assert not qq.matching(lambda m: m.action == "send_private_msg", start=second), "told twice"

            filler.unlink()  # space is back: no restart, no command needed
            back = qq.mark()
            _, reply = await register(qq)
            assert is_registration(reply) and qq.matching(is_registration, start=back)
