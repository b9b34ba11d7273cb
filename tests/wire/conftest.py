"""Wire-test fixtures: the real bot in a subprocess (one per test module) and a simulated QQ connected to it.

The bot runs on its own database, whatever database the rest of the suite uses: a SQLite file in a
pytest temporary directory, or, when ``XIETONG_TEST_DATABASE_URL`` names a PostgreSQL server, a fresh
database created on that server for it and dropped afterwards (tools/onebot_sim/databases.py). A module
changes the bot's settings by overriding the ``bot_extra_env`` fixture. When a wire test fails, the
tail of the log of every bot it used is added to the report.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator

import pytest
import pytest_asyncio

from tools.onebot_sim import GROUP, SELF_ID, SUPERUSER, TOKEN, BotProcess, OneBotClient, databases


@pytest_asyncio.fixture(scope="session", loop_scope="session", autouse=True)
async def _drop_leftover_databases() -> AsyncIterator[None]:
    """PostgreSQL databases of bots a test forgot to close are dropped at the end of the run."""
    yield
    await databases.drop_leftovers()


@pytest.fixture(scope="module")
def bot_extra_env() -> dict[str, str]:
    """Extra environment of the module's bot (e.g. ``{"API_TIMEOUT": "1.5"}``); override per module."""
    return {}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def bot_process(
    tmp_path_factory: pytest.TempPathFactory, bot_extra_env: dict[str, str]
) -> AsyncIterator[BotProcess]:
    """``bot.py`` with token ``wire-secret``, group 9001 and superuser 10001, for the whole module."""
    bot = BotProcess(
        token=TOKEN,
        groups=[GROUP],
        superusers=[str(SUPERUSER)],
        data_dir=tmp_path_factory.mktemp("wire-bot"),
        extra_env=bot_extra_env,
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


_BOTS_BEFORE = pytest.StashKey[int]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    item.stash[_BOTS_BEFORE] = len(BotProcess.started)
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.failed:
        bots = [bot for bot in getattr(item, "funcargs", {}).values() if isinstance(bot, BotProcess)]
        bots += BotProcess.started[item.stash.get(_BOTS_BEFORE, len(BotProcess.started)) :]
        for index, bot in enumerate(dict.fromkeys(bots)):
            title = "bot.py log (tail)" if index == 0 else f"bot.py log #{index + 1} (tail)"
            report.sections.append((f"{title}: {bot.data_dir}", bot.log_tail(80)))
    return report
