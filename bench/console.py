"""Page latency of the web console on a seeded order book (a benchmark, not a timed test).

    .venv/bin/python bench/console.py                 # 100,000 orders on SQLite (seeded once by bench/seed.py)
    .venv/bin/python bench/console.py 10000 --rounds 10

The bot's FastAPI app is built in process (NoneBot with every plugin, as ``bot.py`` loads them) on a copy of
the seeded database; a signed-in session for the seeded CS manager (whose post sees every page) is written
directly, and each page is fetched through the ASGI interface: the time includes the roster check, the
queries, the template and the response, not the network. The goal in the issue is ≤ 300 ms per page.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import nonebot  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from bench import seed  # noqa: E402

GOAL_MS = 300


async def measure(orders: int, rounds: int) -> list[tuple[str, float, float]]:
    from nonebot.adapters.onebot.v11 import Adapter

    source = await asyncio.to_thread(seed.seed_sqlite, orders)
    folder = Path(tempfile.mkdtemp(prefix="xietong-console-bench-"))
    copy = folder / "book.db"
    shutil.copy(source, copy)
    url = f"sqlite+aiosqlite:///{copy}"
    nonebot.init(driver="~fastapi", xietong_database_url=url, xietong_data_dir=str(folder), xietong_delivery=False,
                 log_level="WARNING", superusers=set())
    nonebot.get_driver().register_adapter(Adapter)
    nonebot.load_from_toml(str(ROOT / "pyproject.toml"))

    from xietong.console import signin
    from xietong.console.models import TokenKind, WebToken
    from xietong.core import clock, db, migrate
    from xietong.orders.models import Order

    database = db.configure(url)
    await migrate.upgrade(database.engine)
    token = "bench-session-token"
    async with database.session() as session:
        session.add(WebToken(digest=signin.digest(token), kind=TokenKind.session, qq=seed.CS,
                             expires_at=clock.now() + timedelta(hours=12)))
        number, customer = (await session.execute(
            select(Order.number, Order.customer_name).where(Order.id == select(func.max(Order.id)).scalar_subquery())
        )).one()
    paths = {
        "看板": "/console/",
        "看板 筛选": f"/console/?customer={customer[:2]}&payment=月结",
        "订单": f"/console/order/{number}",
        "应收": "/console/receivables",
        "月报": "/console/monthly",
        "待办": "/console/todo",
        "客户 列表": "/console/customers",
        "客户 档案卡": f"/console/customers?name={customer}",
    }
    transport = httpx.ASGITransport(app=nonebot.get_app())
    results = []
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        client.cookies.set("xietong_console", token, path="/console")
        for name, path in paths.items():
            timings = []
            for _ in range(rounds + 1):  # the first one warms caches and is not counted
                started = time.perf_counter()
                response = await client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (path, response.status_code, response.text[:300])
            timings = sorted(timings[1:])
            results.append((name, statistics.median(timings), timings[max(0, int(len(timings) * 0.95) - 1)]))
    await database.dispose()
    shutil.rmtree(folder, ignore_errors=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("orders", type=int, nargs="?", default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    results = asyncio.run(measure(args.orders, args.rounds))
    print(f"console pages, {args.orders:,} orders on SQLite, {args.rounds} rounds each (ms)")
    print(f"{'page':<12}{'median':>10}{'p95':>10}")
    for name, median, p95 in results:
        mark = "" if p95 <= GOAL_MS else f"  > {GOAL_MS} ms"
        print(f"{name:<12}{median:>10.1f}{p95:>10.1f}{mark}")


if __name__ == "__main__":
    main()
