"""The reverse WebSocket handshake, the start-up safety check, and implementations' quirks."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tools.onebot_sim import (
    GROUP,
    SUPERUSER,
    TOKEN,
    BotExited,
    BotProcess,
    HandshakeRefused,
    MessageFormat,
    OneBotClient,
    Quirks,
    databases,
)


async def test_the_right_token_is_accepted(bot_process: BotProcess, client: OneBotClient) -> None:
    assert client.connected
    await bot_process.wait_for_log(f"Bot {client.self_id} connected")
    asked = await client.send_group_message(GROUP, SUPERUSER, "/帮助")
    answer = await client.wait_for_sent("/岗位")
    assert (answer.action, answer.message_type, answer.target) == ("send_msg", "group", GROUP)
    assert asked > 0


async def test_the_bot_runs_on_the_database_it_was_given(bot_process: BotProcess) -> None:
    """SQLite by default; a fresh PostgreSQL database when XIETONG_TEST_DATABASE_URL names a server."""
    expected = "postgresql" if databases.postgres_available() else "sqlite"
    assert bot_process.backend == expected
    ready = await bot_process.wait_for_log("数据库就绪")
    assert expected in ready and make_url(bot_process.database_url).database in ready


@pytest.mark.parametrize(
    ("self_id", "token", "logged"),
    [
        (80000101, "not-the-secret", "Authorization Header is invalid"),
        (80000102, None, "Missing Authorization Header"),
    ],
    ids=["wrong-token", "no-token"],
)
async def test_a_bad_token_is_refused(
    bot_process: BotProcess, self_id: int, token: str | None, logged: str
) -> None:
    # The adapter closes the socket before accepting it; uvicorn turns that into HTTP 403 in both cases.
    with pytest.raises(HandshakeRefused) as refused:
        await OneBotClient(bot_process.ws_url, self_id=self_id, token=token).connect()
    assert refused.value.status == 403
    await bot_process.wait_for_log(logged)
    assert f"Bot {self_id} connected" not in bot_process.log_text()


async def test_an_exposed_host_without_a_token_refuses_to_start(tmp_path: Path) -> None:
    bot = BotProcess(token=None, host="0.0.0.0", data_dir=tmp_path)
    try:
        await bot.start()
    except BotExited as exited:
        assert exited.returncode != 0
        assert "ONEBOT_ACCESS_TOKEN" in exited.log
    else:
        pytest.fail("bot.py is listening on 0.0.0.0 without ONEBOT_ACCESS_TOKEN")
    finally:
        await bot.close()


async def test_loopback_without_a_token_starts_and_takes_anyone(tmp_path: Path) -> None:
    async with BotProcess(token=None, data_dir=tmp_path) as bot, bot.client() as qq:
        await qq.send_group_message(GROUP, SUPERUSER, "/帮助")
        assert "/岗位" in (await qq.wait_for_sent("/岗位")).text


@pytest.mark.parametrize(
    ("quirks", "self_id"),
    [(Quirks.gocq(), 80000210), (Quirks.napcat(), 80000220), (Quirks.lagrange(), 80000230)],
    ids=["go-cqhttp", "napcat", "lagrange"],
)
@pytest.mark.parametrize("fmt", ["array", "string"])
async def test_implementations_quirks_are_understood(
    bot_process: BotProcess, quirks: Quirks, self_id: int, fmt: MessageFormat
) -> None:
    """Font, missing ``anonymous``, negative ids, string levels; a quote makes the adapter call get_msg."""
    self_id += fmt == "string"
    async with OneBotClient(bot_process.ws_url, self_id=self_id, token=TOKEN, quirks=quirks) as qq:
        await qq.send_heartbeat()
        first = await qq.send_group_message(GROUP, 20090, "大家好 & [欢迎]", card="小刘", fmt=fmt)
        await qq.send_group_message(GROUP, 20090, "/帮助", reply_to=first, fmt=fmt)
        answer = await qq.wait_for_sent("/岗位")
        assert answer.target == GROUP
        lookup = await qq.wait_for_call("get_msg")
        assert (int(lookup.params["message_id"]), lookup.outcome) == (first, "ok")
        assert (first < 0) == quirks.negative_ids
        assert not qq.errors
