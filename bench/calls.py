"""The work a command costs the bot, counted rather than timed: Python function calls (cProfile), SQL
statements and log records per message, in one process, through NoneBot's own ``handle_event``.

On a shared machine a millisecond moves with the neighbours' load; a count does not. Used to compare the
changes of issue 19 one by one (BENCHMARKS.md):

    .venv/bin/python bench/calls.py [MESSAGES] [--postgres postgresql+asyncpg://USER@HOST:PORT/postgres]

The bot is the real one (every plugin, a fresh SQLite file, migrations, LOG_LEVEL=INFO) behind a fake OneBot
connection whose API calls answer at once; the notifications of the state changes (/接单, /备货完成, /收款)
are delivered by the outbox's own ``Deliverer``, woken by their commits, inside the count. /岗位 (one roster
read, a short answer) is the cheapest command, for reference. "/订单 ×16" sends sixteen /订单 at once (as bench/run.py's saturation
does), counted a message.
Log lines are those written to the log file (the console gets the same).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import itertools
import json
import os
import pstats
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.onebot_sim import databases  # noqa: E402


async def measure(messages: int) -> dict[str, dict[str, float]]:
    import nonebot
    from nonebot.adapters.onebot.v11 import Adapter, Bot
    from nonebot.message import handle_event
    from sqlalchemy import event as sa_event

    from tests.factories import CS, FINANCE, INTAKE_TEXT, WORKSHOP, group_msg, staff
    from xietong.core.db import database
    from xietong.core.outbox import Deliverer
    from xietong.core.work import on_outbox_commit

    driver = nonebot.get_driver()
    await driver._lifespan.__aenter__()
    await staff()
    adapter = nonebot.get_adapter(Adapter)
    ids = itertools.count(900_000)

    async def answer(_bot, api: str, **data):
        return {"message_id": next(ids)} if api.startswith(("send", "upload")) else {}

    adapter._call_api = answer  # type: ignore[method-assign]
    bot = Bot(adapter, "42")

    async def send(_target, _segments):
        return next(ids)

    # Woken by each commit with the chats it wrote to, as plugins/core wires the bot's; its rounds run by hand
    # below, after each state change (no timer here: the bot's looks at every chat once a second).
    deliverer = Deliverer(database(), send, poll_seconds=3600)
    on_outbox_commit(deliverer.wake)
    statements = [0]
    sa_event.listen(database().engine.sync_engine, "before_cursor_execute", lambda *_: statements.__setitem__(
        0, statements[0] + 1))
    log_file = Path(nonebot.get_driver().config.xietong_data_dir) / "logs" / "xietong.log"

    def log_lines() -> int:
        nonebot.logger.complete()  # the file sink writes from a thread of its own
        return len(log_file.read_text(encoding="utf-8").splitlines()) if log_file.exists() else 0

    numbers: list[str] = []

    quantities = itertools.count(31)

    async def intake() -> None:  # each order a different quantity: the same order twice is asked about, not taken
        text = INTAKE_TEXT.format(payment="款到发货").replace("数量：30吨", f"数量：{next(quantities)}吨")
        await handle_event(bot, group_msg(text, CS))
        await deliverer.deliver_due()

    async def show() -> None:
        await handle_event(bot, group_msg(f"/订单 {numbers[len(numbers) // 2]}", FINANCE))

    async def show_together() -> None:  # 16 in flight, as bench/run.py's saturation: their handled-marks share writes
        await asyncio.gather(*(handle_event(bot, group_msg(f"/订单 {numbers[n % len(numbers)]}", FINANCE))
                               for n in range(16)))

    async def board() -> None:
        await handle_event(bot, group_msg("/看板", CS))

    stocked, paid = iter(numbers), iter(numbers)  # each order once: a second /备货完成 is refused, not done

    async def stock_done() -> None:
        await handle_event(bot, group_msg(f"/备货完成 {next(stocked)}", WORKSHOP))
        await deliverer.deliver_due()

    async def payment() -> None:  # a part of the amount: the answer also @-mentions cs to ask for the rest
        await handle_event(bot, group_msg(f"/收款 {next(paid)} 100", FINANCE))
        await deliverer.deliver_due()

    async def todo() -> None:
        await handle_event(bot, group_msg("/待办", WORKSHOP))

    async def roles() -> None:
        await handle_event(bot, group_msg("/岗位", CS))

    from xietong.core.models import OutboxMessage

    async def count(name: str, step, per_step: int = 1) -> dict[str, float]:
        for _ in range(3):
            await step()
        statements[0] = 0
        lines = log_lines()
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(messages):
            await step()
        profile.disable()
        calls, handled = pstats.Stats(profile).total_calls, messages * per_step
        return {"calls": round(calls / handled), "statements": round(statements[0] / handled, 1),
                "log_lines": round((log_lines() - lines) / handled, 1)}

    results = {"/岗位": await count("/岗位", roles), "/接单": await count("/接单", intake)}
    async with database().read() as session:
        from sqlalchemy import select

        numbers.extend(n for n in (await session.scalars(
            select(OutboxMessage.subject).where(OutboxMessage.subject.is_not(None)).distinct())).all())
    results |= {"/订单": await count("/订单", show), "/看板": await count("/看板", board),
                "/待办": await count("/待办", todo), "/订单 ×16": await count("/订单 ×16", show_together, 16),
                "/备货完成": await count("/备货完成", stock_done), "/收款": await count("/收款", payment)}
    await driver._lifespan.__aexit__(None, None, None)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description="Python calls and statements a message costs the bot.")
    parser.add_argument("messages", type=int, nargs="?", default=30)
    parser.add_argument("--postgres", help="postgresql+asyncpg:// URL of a server where a scratch database may be "
                                           "created (default: a SQLite file)")
    args = parser.parse_args()
    import nonebot
    from nonebot.adapters.onebot.v11 import Adapter

    tmp = Path(tempfile.mkdtemp(prefix="xietong-calls-"))
    url = f"sqlite+aiosqlite:///{tmp}/calls.db"
    if args.postgres:
        os.environ[databases.ENV] = args.postgres
        url = asyncio.run(databases.create_database())
    nonebot.init(driver="~fastapi", superusers={"10001"}, command_start={"/"}, command_sep={" "},
                 xietong_groups=[9001], xietong_database_url=url,
                 xietong_data_dir=str(tmp), xietong_delivery=False, log_level="INFO")
    nonebot.get_driver().register_adapter(Adapter)
    nonebot.load_from_toml("pyproject.toml")
    try:
        print(json.dumps(asyncio.run(measure(args.messages)), ensure_ascii=False))
    finally:
        if args.postgres:
            asyncio.run(databases.drop_database(url))


if __name__ == "__main__":
    main()
