"""Security over the wire: forged HTTP events are refused, the token may come from the environment,
secrets never reach the log, people with no post reach only what SPEC §9 allows."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import shutil
import time
from pathlib import Path

import httpx
import pytest

from tools.onebot_sim import GROUP, REPO_ROOT, SELF_ID, SUPERUSER, TOKEN, BotProcess, OneBotClient

TARGET = 20777  # the member a forged /设岗 tries to promote
NEW_SELF_ID = 80000999
ROUTES = ["/onebot/v11/", "/onebot/v11/http", "/onebot/v11/http/", "/onebot/v11", "//onebot/v11/http", "/OneBot/v11/http"]


def forged_frame(self_id: int, message_id: int) -> bytes:
    text = f"/设岗 [CQ:at,qq={TARGET}] 主任"
    return json.dumps({
        "time": int(time.time()), "self_id": self_id, "post_type": "message", "message_type": "group",
        "sub_type": "normal", "message_id": message_id, "group_id": GROUP, "user_id": SUPERUSER,
        "message": text, "raw_message": text, "font": 0,
        "sender": {"user_id": SUPERUSER, "nickname": "超管", "card": "超管", "role": "owner"},
    }, ensure_ascii=False).encode()


def headers(kind: str, self_id: int, body: bytes) -> dict[str, str]:
    base = {"Content-Type": "application/json", "X-Self-ID": str(self_id)}
    if kind == "wrong-token":
        base["Authorization"] = "Bearer not-the-secret"
    elif kind == "right-token":
        base["Authorization"] = f"Bearer {TOKEN}"
    elif kind == "wrong-signature":
        base["X-Signature"] = "sha1=" + hmac.new(b"guess", body, hashlib.sha1).hexdigest()
    return base


async def roles_listing(client: OneBotClient) -> str:
    start = client.mark()
    await client.send_group_message(GROUP, SUPERUSER, "/岗位")
    return (await client.wait_for_sent(lambda m: m.action == "send_msg", start=start)).text


@pytest.mark.parametrize("kind", ["no-token", "wrong-token", "right-token", "wrong-signature"])
@pytest.mark.parametrize("self_id", [SELF_ID, NEW_SELF_ID], ids=["real-self-id", "new-self-id"])
async def test_forged_http_events_are_refused(
    bot_process: BotProcess, client: OneBotClient, kind: str, self_id: int
) -> None:
    before = await roles_listing(client)
    base = f"http://{bot_process.connect_host}:{bot_process.port}"
    async with httpx.AsyncClient(base_url=base, follow_redirects=True) as http:
        for number, route in enumerate(ROUTES):
            body = forged_frame(self_id, 990_000 + number)
            response = await http.post(route, content=body, headers=headers(kind, self_id, body))
            assert response.status_code in (401, 403, 404, 405), (route, response.status_code)

    assert f"Bot {NEW_SELF_ID} connected" not in bot_process.log_text()
    await client.expect_silence(0.5, lambda m: "已设岗" in m.text)
    after = await roles_listing(client)  # the real connection still answers, nothing changed
    assert after == before and str(TARGET) not in after


async def test_the_real_connection_survives_a_forged_post_with_its_id(bot_process: BotProcess) -> None:
    """A POST with QQ's own id while QQ is away used to register a bot that locked QQ out."""
    async with bot_process.client(self_id=SELF_ID + 5) as qq:
        await qq.close()
        body = forged_frame(SELF_ID + 5, 991_000)
        async with httpx.AsyncClient() as http:
            await http.post(f"http://{bot_process.connect_host}:{bot_process.port}/onebot/v11/http",
                            content=body, headers=headers("no-token", SELF_ID + 5, body))
        await qq.reconnect()
        await qq.send_group_message(GROUP, SUPERUSER, "/帮助")
        assert "/岗位" in (await qq.wait_for_sent("/岗位")).text


def _env_file_sets_token() -> bool:
    env = REPO_ROOT / ".env"
    return env.exists() and "ONEBOT_ACCESS_TOKEN" in env.read_text("utf-8").upper()


@pytest.mark.skipif(_env_file_sets_token(), reason="a .env with ONEBOT_ACCESS_TOKEN hides what this tests")
async def test_a_token_from_the_environment_lets_an_exposed_host_start(tmp_path: Path) -> None:
    """HOST=0.0.0.0 ONEBOT_ACCESS_TOKEN=… python bot.py, as under docker or systemd: no .env needed."""
    async with BotProcess(host="0.0.0.0", data_dir=tmp_path) as bot, bot.client() as qq:
        await qq.send_group_message(GROUP, SUPERUSER, "/帮助")
        assert "/岗位" in (await qq.wait_for_sent("/岗位")).text


def checkout_with_env_file(tmp_path: Path, env_file: str) -> Path:
    """The repository's files, linked into ``tmp_path``, with a ``.env`` of our own."""
    root = tmp_path / "checkout"
    root.mkdir()
    for name in ("bot.py", "pyproject.toml", "alembic.ini", "xietong", "migrations"):
        (root / name).symlink_to(REPO_ROOT / name)
    # NoneBot names plugins by their path relative to the working directory: a real copy, not a link
    shutil.copytree(REPO_ROOT / "plugins", root / "plugins", ignore=shutil.ignore_patterns("__pycache__"))
    (root / ".env").write_text(env_file, "utf-8")
    return root


def read(path: Path) -> str:
    return path.read_text("utf-8") if path.exists() else ""


async def written(path: Path, needle: str, timeout: float = 10.0) -> str:
    """The log file once ``needle`` is in it (its sink writes from a thread of its own)."""
    deadline = time.monotonic() + timeout
    while True:
        text = read(path)
        if needle in text or time.monotonic() >= deadline:
            return text
        await asyncio.sleep(0.1)


async def test_secrets_never_reach_the_log(tmp_path: Path) -> None:
    """At DEBUG NoneBot prints its whole configuration ("Loaded Config"), .env keys included."""
    root = checkout_with_env_file(tmp_path, "ONEBOT_ACCESS_TOKEN=\nLOG_LEVEL=DEBUG\n")
    async with BotProcess(data_dir=tmp_path / "data", cwd=root) as bot, bot.client() as qq:
        await qq.send_group_message(GROUP, SUPERUSER, "/帮助")
        await qq.wait_for_sent("/岗位")
        await qq.send_group_message(GROUP, SUPERUSER, f"/帮助 {TOKEN}")  # the token once read: masked anywhere
        await qq.wait_for_sent("没有")
        log = bot.log_text()
        log_file = await written(tmp_path / "data" / "logs" / "xietong.log", "/帮助 ***")
    assert "'onebot_access_token': '***'" in log
    assert [line for line in (log + log_file).splitlines() if TOKEN in line] == []
    assert "/帮助 ***" in log_file


async def test_a_private_archive_command_is_logged_without_its_contents(
    bot_process: BotProcess, client: OneBotClient
) -> None:
    mark = bot_process.log_mark()
    await client.send_private_message(SUPERUSER, "/客户 新增\n名称：保密商贸\n电话：13911112222\n信用额度：50000")
    await client.wait_for_sent("保密商贸")
    await client.send_private_message(SUPERUSER, "/帮助 客户")
    await client.wait_for_sent("客户档案")
    log = bot_process.log_text()[mark:]
    assert "/客户 (contents not logged)" in log
    assert "13911112222" not in log and "50000" not in log
    assert "/帮助 客户" in log  # other messages are logged as before


async def test_people_with_no_post_reach_only_help_roles_and_complaints(client: OneBotClient) -> None:
    nobody = 30777
    start = client.mark()
    await client.send_group_message(GROUP, nobody, "/订单 D261126-001")
    refused = await client.wait_for_sent("设个岗位", start=start)
    assert "/投诉" in refused.text and "\n" not in refused.text

    start = client.mark()
    await client.send_group_message(GROUP, nobody, "/不存在的命令")
    await client.expect_silence(0.5, start=start)

    await client.send_group_message(GROUP, nobody, "/岗位")
    await client.wait_for_sent(lambda m: m.text.startswith("主任"), start=start)
    await client.send_group_message(GROUP, nobody, "/投诉 某客户 送货晚了")  # reaches the command itself
    answer = await client.wait_for_sent("某客户", start=start)
    assert "设个岗位" not in answer.text


COMMANDS = [*(
    "设岗 撤岗 岗位 帮助 客户 投诉 处理 到账 未到账 放行 收款 代收入账 冲销 收款记录 应收 催收 运费结算 派车 发货 到货 "
    "异常 异常解除 代收 运费 纪要 接单 备货完成 缺货 订单 看板 待办 改单 撤单 开单 强制开单 销售单 已通知 月报 周报 提醒"
).split(), "客户 列表", "客户 新增", "客户 修改", "帮助 客户"]
HUGE = {
    "one line": "D261126-001 " + "长" * 20_000,
    "many lines": "D261126-001\n" + "\n".join(f"第{i}行：乱写{i}" for i in range(3_000)),
}


@pytest.mark.parametrize("chat", ["group", "private"])
@pytest.mark.parametrize("payload", HUGE.values(), ids=HUGE.keys())
async def test_no_answer_to_a_huge_input_exceeds_the_budget(client: OneBotClient, payload: str, chat: str) -> None:
    """Every reply and notification echoing input stays within 1,500 characters, whatever was typed."""
    for name in COMMANDS:
        start = client.mark()
        if chat == "group":
            await client.send_group_message(GROUP, SUPERUSER, f"/{name} {payload}")
        else:
            await client.send_private_message(SUPERUSER, f"/{name} {payload}")
        await client.wait_for_sent(lambda m: True, start=start, timeout=20)
        await asyncio.sleep(0.3)
        answers = client.matching(start=start)
        sizes = [len(m.text) for m in answers]
        assert max(sizes) <= 1500 and sum(sizes) <= 3000, (name, sizes)
