"""The regulation's commands over the wire: /区域, /目标, /跟进, /对账 (one bot process for the module)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest_asyncio

from tests.wire.company import ASSISTANT, CS, FINANCE, WORKSHOP, register, staff_the_group
from tools.onebot_sim import GROUP, SUPERUSER, OneBotClient

DIRECTOR = 20141


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def staffed(_connection: OneBotClient) -> None:
    await staff_the_group(_connection)
    _connection.set_member(GROUP, DIRECTOR, card="陈主任", nickname="chen")
    start = _connection.mark()
    await _connection.send_group_message(GROUP, SUPERUSER, f"/设岗 [CQ:at,qq={DIRECTOR}] 主任", card="超管")
    await _connection.wait_for_sent(lambda m: m.text.startswith("已设岗") and "陈主任" in m.text, start=start)


async def private_answer(client: OneBotClient, user: int, text: str, needle: str) -> str:
    start = client.mark()
    await client.send_private_message(user, text)
    sent = await client.wait_for_sent(lambda m: m.message_type == "private" and needle in m.text, start=start)
    assert sent.target == user
    return sent.text


async def test_region_entries_are_filed_and_listed_in_private(staffed: None, client: OneBotClient) -> None:
    assert await private_answer(client, CS, "/区域 业务员 张三 苏南 13800000001", "已建档") == (
        "已建档：业务员 张三，区域 苏南，电话 13800000001")
    listing = await private_answer(client, DIRECTOR, "/区域", "区域档案")
    assert "【苏南】" in listing and "业务员：张三 13800000001" in listing


async def test_targets_are_set_by_the_director_and_read_by_the_workshop(staffed: None, client: OneBotClient) -> None:
    month = datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
    start = client.mark()
    await client.send_group_message(GROUP, DIRECTOR, f"/目标 {month} 500万")
    done = await client.wait_for_sent(lambda m: m.text.startswith(f"已设定 {month} 公司销售目标"), start=start)
    assert done.target == GROUP
    start = client.mark()
    await client.send_group_message(GROUP, WORKSHOP, "/目标")
    answer = await client.wait_for_sent(lambda m: "【销售目标】" in m.text, start=start)
    assert "公司：完成 0 / 目标 5,000,000 元，完成率 0.0%" in answer.text


async def test_follow_up_and_statement_in_private(staffed: None, client: OneBotClient) -> None:
    await register(client, CS)  # 金陵建材 gets an order, and so an archive entry
    assert await private_answer(client, ASSISTANT, "/跟进 金陵建材 电话回访，下月要货", "已记下") == (
        "已记下对「金陵建材」的跟进（第 1 次）。查看：/跟进 金陵建材")
    history = await private_answer(client, DIRECTOR, "/跟进 金陵建材", "跟进记录")
    assert "周助理：电话回访，下月要货" in history
    statement = await private_answer(client, FINANCE, "/对账 金陵建材", "【对账单】")
    assert statement.startswith("【对账单】金陵建材 ") and "期末余额：0 元" in statement
    [upload] = client.calls_for("upload_private_file")
    assert int(upload.params["user_id"]) == FINANCE and upload.params["name"].startswith("对账单-金陵建材-")
