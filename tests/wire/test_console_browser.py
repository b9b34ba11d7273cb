"""The web console in a real browser: Debian's chromium driven by Playwright, against the real bot process.

The sign-in link is the one the bot sends in the simulated private chat; every page is visited and its figures
are checked against the QQ answers; the archive is refused to a workshop hand; a used and an expired link are
refused; no page asks anything of another host. Screenshots of each page go to docs/console/.
The test skips only when chromium is missing and cannot be installed (.ci/run installs it). Screenshots are
written to docs/console/ with XIETONG_SCREENSHOTS=1 (to refresh the README's), else to a temporary folder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.wire.company import (
    CS,
    FINANCE,
    WORKSHOP,
    ask,
    intake,
    number_in,
    register,
    staff_the_group,
    wait_card,
)
from tools.onebot_sim import GROUP, SUPERUSER, TOKEN, BotProcess, OneBotClient, free_port

CHROMIUM = Path("/usr/bin/chromium")
DOCS_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "console"
LINK = re.compile(r"http://\S+/console/signin/\S+")


def chromium() -> Path:
    """Debian's chromium, installed with apt-get when missing and possible; the test skips otherwise."""
    if not CHROMIUM.exists() and shutil.which("apt-get") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], env=env, capture_output=True, check=False)
    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed and cannot be installed here (apt-get install chromium)")
    return CHROMIUM


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def bot_process(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BotProcess]:
    """The bot with XIETONG_WEB_URL pointing at its own port."""
    port = free_port()
    bot = BotProcess(
        token=TOKEN, groups=[GROUP], superusers=[str(SUPERUSER)], port=port,
        data_dir=tmp_path_factory.mktemp("console-bot"),
        extra_env={"XIETONG_WEB_URL": f"http://127.0.0.1:{port}"},
    )
    async with bot:
        yield bot


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def browser(bot_process: BotProcess):
    path = chromium()
    playwright_api = pytest.importorskip("playwright.async_api")
    async with playwright_api.async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(path), args=["--no-sandbox"])
        yield launched
        await launched.close()


async def link_from_chat(client: OneBotClient, user: int) -> str:
    start = client.mark()
    await client.send_private_message(user, "/网页")
    sent = await client.wait_for_sent(lambda m: m.target == user and "/console/signin/" in m.text, start=start)
    found = LINK.search(sent.text)
    assert found, sent.text
    return found.group()


class Visit:
    """One signed-in browser context that records every request it makes."""

    def __init__(self, context, page, origin: str, shots: Path):
        self.context, self.page, self.origin, self.shots = context, page, origin, shots
        self.requests: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))

    async def goto(self, path: str, shot: str | None = None) -> str:
        response = await self.page.goto(self.origin + path)
        assert response is not None
        if shot:
            self.shots.mkdir(parents=True, exist_ok=True)
            await self.page.screenshot(path=str(self.shots / f"{shot}.png"), full_page=True)
        return await self.page.content()

    def text(self, selector: str):
        return self.page.locator(selector).first.inner_text()

    def foreign(self) -> list[str]:
        return [url for url in self.requests if urlsplit(url).netloc != urlsplit(self.origin).netloc]


async def sign_in(browser, link: str, shots: Path, **context_options) -> Visit:
    context = await browser.new_context(locale="zh-CN", **context_options)
    page = await context.new_page()
    origin = f"{urlsplit(link).scheme}://{urlsplit(link).netloc}"
    visit = Visit(context, page, origin, shots)
    await page.goto(link)
    await page.click("#enter")
    await page.wait_for_url(origin + "/console/")
    return visit


async def expire_links(bot: BotProcess) -> None:
    """Ten minutes pass for every unused link (the bot's clock cannot be set from here: its rows can)."""
    engine = create_async_engine(bot.database_url)
    async with engine.begin() as connection:
        await connection.execute(text(
            "UPDATE web_token SET expires_at = created_at WHERE kind = 'link' AND used_at IS NULL"
        ))
    await engine.dispose()


def chat_figure(pattern: str, chat: str) -> str:
    found = re.search(pattern, chat)
    assert found, (pattern, chat)
    return found.group(1)


async def test_console_in_a_real_browser(
    client: OneBotClient, bot_process: BotProcess, browser, tmp_path: Path
) -> None:
    shots = DOCS_SHOTS if os.environ.get("XIETONG_SCREENSHOTS") == "1" else tmp_path
    await staff_the_group(client)
    _, first = await register(client, text=intake("金陵建材"))
    _, second = await register(client, text=intake("江宁五金", payment="月结", quantity="10吨"))
    paid, open_one = number_in(first.text), number_in(second.text)
    await client.send_group_message(GROUP, WORKSHOP, f"/备货完成 {paid}")
    await client.send_group_message(GROUP, FINANCE, f"/到账 {paid}")
    await wait_card(client, paid, "可开单")
    await client.send_group_message(GROUP, CS, f"/开单 {paid}")
    await wait_card(client, paid, "已开单")
    _, third = await register(client, text=intake("江宁五金", payment="月结", quantity="5吨"))
    owed = number_in(third.text)  # a receivable from its slip on: /应收 has something to show
    await client.send_group_message(GROUP, WORKSHOP, f"/备货完成 {owed}")
    await client.send_group_message(GROUP, FINANCE, f"/放行 {owed}")
    await wait_card(client, owed, "可开单")
    await client.send_group_message(GROUP, CS, f"/开单 {owed}")
    await wait_card(client, owed, "已开单")

    link = await link_from_chat(client, CS)
    cs = await sign_in(browser, link, shots, viewport={"width": 1100, "height": 900})

    board_chat = await ask(client, CS, "/看板")
    await cs.goto("/console/", "board")
    assert f"未完结 {await cs.text('#open-total')} 单" in board_chat
    for stage in ("处理中", "已开单"):
        count = await cs.text(f'li[data-stage="{stage}"] b')
        assert f"【{stage}】{count} 单" in board_chat

    card_chat = await ask(client, CS, f"/订单 {paid}")
    await cs.goto(f"/console/order/{paid}", "order")
    assert f"金额：{await cs.text('#amount')}" in card_chat

    receivables_chat = await ask(client, CS, "/应收")
    await cs.goto("/console/receivables", "receivables")
    total, orders = await cs.text("#total"), await cs.text("#orders")
    assert f"合计 {total} 元，{orders} 单" in receivables_chat

    start = client.mark()
    await client.send_group_message(GROUP, CS, "/月报")
    summary = await client.wait_for_sent(lambda m: m.text.lstrip().startswith("【月销量报表】"), start=start)
    await cs.goto("/console/monthly", "monthly")
    assert chat_figure(r"销售：(\d+) 单", summary.text) == await cs.text("#sales-orders")
    assert chat_figure(r"销售：\d+ 单，([\d,.]+) 元", summary.text) == await cs.text("#sales")
    assert chat_figure(r"回款：([\d,.]+) 元", summary.text) == await cs.text("#collected")
    async with cs.page.expect_download() as download_info:
        await cs.page.click("#download")
    download = await download_info.value
    assert download.suggested_filename.startswith("月销量报表-") and download.suggested_filename.endswith(".xlsx")

    await cs.goto("/console/customers", "customers")
    assert "金陵建材" in await cs.text("#archive")

    workshop_link = await link_from_chat(client, WORKSHOP)
    workshop = await sign_in(browser, workshop_link, shots, viewport={"width": 390, "height": 844}, is_mobile=True)
    todo_chat = await ask(client, WORKSHOP, "/待办")
    page = await workshop.goto("/console/todo", "todo-phone")
    assert open_one in page and open_one in todo_chat and paid not in todo_chat
    await workshop.goto("/console/", "board-phone")
    refused = await workshop.page.goto(workshop.origin + "/console/customers")
    assert refused is not None and refused.status == 403 and "岗位" in await workshop.text("#message")

    used = await browser.new_page()
    await used.goto(link)
    assert "已经用过" in await used.locator("#message").inner_text()
    stale = await link_from_chat(client, CS)
    await expire_links(bot_process)
    await used.goto(stale)
    assert "已过期" in await used.locator("#message").inner_text()

    start = client.mark()
    await client.send_private_message(CS, "/网页 退出")
    await client.wait_for_sent(lambda m: m.target == CS and "已退出网页控制台" in m.text, start=start)
    after = await cs.page.goto(cs.origin + "/console/")
    assert after is not None and after.status == 401

    assert cs.foreign() == [] and workshop.foreign() == []
    await used.close()
    await cs.context.close()
    await workshop.context.close()
