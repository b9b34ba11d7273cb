"""Restore drill: an online backup taken while the bot is writing, restored into a fresh data folder (or a
fresh PostgreSQL database), and a bot started on it answers /订单 and /应收 with the same figures.

SQLite: the bot's own backup (SQLite's online backup API, as the daily job and /备份 use it). PostgreSQL
(when the suite runs on it): ``pg_dump -Fc`` while the bot writes, ``pg_restore`` into a new database —
the commands README's "Running it for years" gives.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.wire.company import (
    CS,
    FINANCE,
    WORKSHOP,
    ask,
    intake,
    number_in,
    order_card,
    register,
    staff_the_group,
    wait_card,
)
from tools.onebot_sim import GROUP, SELF_ID, BotProcess, databases
from xietong.core import backup


def _pg_bin() -> Path:
    """Where pg_dump and pg_restore are: XIETONG_PG_BIN (.ci/run sets it), else the newest installed."""
    if os.environ.get("XIETONG_PG_BIN"):
        return Path(os.environ["XIETONG_PG_BIN"])
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    return found[-1] if found else Path(shutil.which("pg_dump") or "pg_dump").parent


PG_BIN = _pg_bin()
OLD_CUSTOMERS = ("金陵建材", "江宁水泥厂")

Backup = Callable[[BotProcess, Path], Awaitable[str]]
"""Takes a backup of a running bot's database into a folder; returns the database URL to restore into."""


async def _pay(client, number: str, yuan: int) -> None:
    start = client.mark()
    asked = await client.send_group_message(GROUP, FINANCE, f"/收款 {number} {yuan}")
    await client.wait_for_sent(lambda m: m.reply_to == asked, start=start)


async def _figures(client, numbers: list[str]) -> dict[str, str]:
    answers = {number: await order_card(client, number) for number in numbers}
    for customer in OLD_CUSTOMERS:
        answers[customer] = await ask(client, FINANCE, f"/应收 {customer}")
    return answers


async def drill(tmp_path: Path, database: str, take_backup: Backup) -> None:
    live = BotProcess(database=database, data_dir=tmp_path / "live")
    async with live, live.client(self_id=SELF_ID) as client:
        await staff_the_group(client)
        numbers = []
        for customer, payment in (("金陵建材", "月结"), ("金陵建材", "款到发货"), ("江宁水泥厂", "货到付款")):
            _, reply = await register(client, CS, intake(customer, payment=payment))
            numbers.append(number_in(reply.text))
        await client.send_group_message(GROUP, WORKSHOP, f"/备货完成 {numbers[0]}")
        await client.send_group_message(GROUP, FINANCE, f"/放行 {numbers[0]}")
        await wait_card(client, numbers[0], "可开单")
        await client.send_group_message(GROUP, CS, f"/开单 {numbers[0]}")  # a receivable from its slip on
        await wait_card(client, numbers[0], "已开单")
        await _pay(client, numbers[0], 2000)
        await _pay(client, numbers[2], 500)
        before = await _figures(client, numbers)
        assert f"{numbers[0]}【已开单】未收 10,600 元" in before["金陵建材"]  # 12,600 less the 2,000 paid

        writing = asyncio.gather(*(register(client, CS, intake("苏州贸易")) for _ in range(4)))
        await asyncio.sleep(0)  # the registrations are on the wire when the backup starts
        restore_url = await take_backup(live, tmp_path / "backup")
        await writing
        assert await _figures(client, numbers) == before  # the writes touched other customers only

    restored = BotProcess(database=restore_url, data_dir=tmp_path / "restored")
    async with restored, restored.client(self_id=SELF_ID) as client:
        assert await _figures(client, numbers) == before


async def test_sqlite_online_backup_restored_into_a_fresh_data_folder(tmp_path: Path):
    async def sqlite_backup(bot: BotProcess, folder: Path) -> str:
        copy = await asyncio.to_thread(backup.backup_sqlite, Path(make_url(bot.database_url).database), folder)
        fresh = tmp_path / "restored"
        fresh.mkdir()
        shutil.copy(copy, fresh / "xietong.db")
        return f"sqlite+aiosqlite:///{fresh / 'xietong.db'}"

    await drill(tmp_path, "sqlite", sqlite_backup)


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _run(*args: str) -> None:
    process = await asyncio.create_subprocess_exec(*args, stdout=asyncio.subprocess.PIPE,
                                                   stderr=asyncio.subprocess.PIPE)
    _out, err = await process.communicate()
    assert process.returncode == 0, f"{args[0]} failed: {err.decode(errors='replace')}"


@pytest.mark.skipif(not databases.postgres_available(), reason="the suite runs on SQLite")
async def test_postgresql_pg_dump_and_pg_restore_into_a_fresh_database(tmp_path: Path):
    made: list[str] = []

    async def pg_backup(bot: BotProcess, folder: Path) -> str:
        dump = tmp_path / "xietong.dump"
        await _run(str(PG_BIN / "pg_dump"), "-Fc", "-f", str(dump), _libpq(bot.database_url))
        fresh = await databases.create_database()
        made.append(fresh)
        await _run(str(PG_BIN / "pg_restore"), "--no-owner", "--no-privileges", "-d", _libpq(fresh), str(dump))
        return fresh

    try:
        await drill(tmp_path, "postgresql", pg_backup)
    finally:
        for url in made:
            await databases.drop_database(url)
