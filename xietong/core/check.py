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

from . import clock, messages, preflight
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
        return False, [messages.database_unreachable(exc)]
    finally:
        await db.dispose()
    lines = [messages.DATABASE_OK]
    if revision is None:
        lines.append(messages.DATABASE_EMPTY)
    elif revision != head_revision():
        lines.append(messages.DATABASE_BEHIND)
    if last is None:
        lines.append(messages.QQ_NEVER_SEEN)
    else:
        recent = clock.now() - last.seen_at < RECENT
        lines.append(messages.qq_last_seen(last.self_id, clock.fmt_local(last.seen_at), recent))
    return True, lines


def main(root: Path) -> int:
    values = preflight.effective(os.environ, root)
    try:
        fixed, settings = preflight.check(values)
    except preflight.SettingProblem as problem:
        print(f"✗ {problem.line}")
        return 2
    print(messages.SETTINGS_HEAD)
    for name, value in preflight.masked({**values, **fixed}, settings).items():
        print(f"  {name}={value}")
    print(messages.SETTINGS_OK)
    for reminder in preflight.reminders(settings, json.loads(fixed["SUPERUSERS"])):
        print(f"· {reminder}")
    ok, lines = asyncio.run(_database(settings.xietong_database_url))
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(Path.cwd()))
