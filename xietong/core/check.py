"""``python3 manage.py check``: are the settings right, can the database be reached, has QQ connected?

Reads the settings as the bot would (environment over ``.env``), prints them with secrets masked,
opens the database and reads when QQ was last heard from. Exit status 0 when all is well, 1 when
the database cannot be reached, 2 when a setting is wrong.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from sqlalchemy import text

from . import clock, preflight
from .db import Database
from .migrate import current_revision, head_revision
from .presence import RECENT, latest


async def _database(url: str) -> tuple[bool, list[str]]:
    db = Database(url)
    try:
        async with db.read() as session:
            await session.execute(text("SELECT 1"))
            revision = await current_revision(db.engine)
            last = await latest(session) if revision else None
    except Exception as exc:  # the point is to say what is wrong, in one line
        return False, [f"✗ 数据库连不上：{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"]
    finally:
        await db.dispose()
    lines = ["✓ 数据库可以连接"]
    if revision is None:
        lines.append("· 数据库还是空的：第一次启动时会建表")
    elif revision != head_revision():
        lines.append("· 数据库结构不是最新的：启动时会自动升级")
    if last is None:
        lines.append("· QQ 还没有连接过：启动机器人后，在 OneBot 实现里填 ws://HOST:PORT/onebot/v11/ws")
    else:
        recent = clock.now() - last.seen_at < RECENT
        mark = "✓" if recent else "·"
        lines.append(f"{mark} QQ（{last.self_id}）最后联系：{clock.fmt_local(last.seen_at)}"
                     + ("" if recent else "，最近几分钟没有联系（机器人没在运行，或 QQ 没连上）"))
    return True, lines


def main(root: Path) -> int:
    values = preflight.effective(os.environ, root)
    try:
        fixed, settings = preflight.check(values)
    except preflight.SettingProblem as problem:
        print(f"✗ {problem.line}")
        return 2
    print("设置（环境变量优先于 .env；未写的用默认值）：")
    for name, value in preflight.masked({**values, **fixed}, settings).items():
        print(f"  {name}={value}")
    print("✓ 设置没有问题")
    for reminder in preflight.reminders(settings, json.loads(fixed["SUPERUSERS"])):
        print(f"· {reminder}")
    ok, lines = asyncio.run(_database(settings.xietong_database_url))
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(Path.cwd()))
