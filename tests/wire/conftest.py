"""Wire-test fixtures: the real bot in a subprocess (one per test module) and a simulated QQ connected to it.

The bot always runs on its own SQLite file in a pytest temporary directory, whatever database the
rest of the suite uses. When a wire test fails, the tail of the bot's log is added to the report.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator

import pytest
import pytest_asyncio

from tests.wire.onebot_sim import GROUP, SELF_ID, SUPERUSER, TOKEN, BotProcess, OneBotClient


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def bot_process(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BotProcess]:
    """``bot.py`` with token ``wire-secret``, group 9001 and superuser 10001, for the whole module."""
    bot = BotProcess(
        token=TOKEN, groups=[GROUP], superusers=[str(SUPERUSER)], data_dir=tmp_path_factory.mktemp("wire-bot")
    )
    async with bot:
        yield bot


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def _connection(bot_process: BotProcess) -> AsyncIterator[OneBotClient]:
    """One long-lived connection per module, as a real QQ implementation keeps."""
    async with bot_process.client(self_id=SELF_ID) as client:
        yield client


@pytest_asyncio.fixture(loop_scope="session")
async def client(_connection: OneBotClient) -> OneBotClient:
    """The connected simulator, with the previous test's records and faults forgotten."""
    _connection.reset()
    return _connection


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    bot = getattr(item, "funcargs", {}).get("bot_process")
    if report.failed and isinstance(bot, BotProcess):
        report.sections.append(("bot.py log (tail)", bot.log_tail(80)))
    return report
