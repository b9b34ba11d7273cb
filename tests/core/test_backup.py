"""Online backups: consistent copies while the database is in use, old ones pruned, /备份 for superusers."""

import sqlite3
from datetime import datetime, timedelta, timezone

from nonebug import App

from tests.factories import SUPERUSER, Capture, give_roles, group_msg, say
from xietong.core import backup
from xietong.core.db import database
from xietong.core.roles import Role

AT = datetime(2026, 11, 26, 18, 30, tzinfo=timezone.utc)  # 02:30 on the 27th in Shanghai


def test_backup_is_a_consistent_copy_while_a_writer_holds_a_transaction(tmp_path):
    source = tmp_path / "live.db"
    writer = sqlite3.connect(source)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE t (v INTEGER)")
    writer.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(1000)])
    writer.commit()
    writer.execute("INSERT INTO t VALUES (-1)")  # uncommitted: must not be in the copy
    path = backup.backup_sqlite(source, tmp_path / "backups", AT)
    writer.rollback()
    writer.close()
    assert path.name == "xietong-20261127-023000.db"
    copy = sqlite3.connect(path)
    assert copy.execute("SELECT count(*), min(v) FROM t").fetchone() == (1000, 0)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_prune_keeps_the_last_days_and_foreign_files(tmp_path):
    for days in (0, 13, 14, 15, 30):
        made = AT - timedelta(days=days)
        (tmp_path / f"xietong-{made.astimezone(backup.clock.LOCAL_TZ):%Y%m%d-%H%M%S}.db").touch()
    (tmp_path / "notes.txt").touch()
    (tmp_path / "xietong-garbage.db").touch()
    removed = backup.prune(tmp_path, 14, AT + timedelta(seconds=1))
    assert sorted(p.name for p in removed) == [
        "xietong-20261028-023000.db", "xietong-20261112-023000.db", "xietong-20261113-023000.db",
    ]
    assert sorted(p.name for p in tmp_path.glob("xietong-2026*.db")) == [
        "xietong-20261114-023000.db", "xietong-20261127-023000.db",
    ]
    assert (tmp_path / "notes.txt").exists() and (tmp_path / "xietong-garbage.db").exists()


async def test_backup_command_for_superusers(app: App, data_dir):
    event = group_msg("/备份", SUPERUSER)
    sent: list[str] = []
    await say(app, event, sends={event.message_id: Capture(sent)})
    if database().is_sqlite:
        assert sent[0].startswith("已备份：xietong-") and str(data_dir) not in sent[0]
        assert len(list((data_dir / "backups").glob("xietong-*.db"))) >= 1
    else:
        assert sent[0] == "数据库是 PostgreSQL：请用 pg_dump 备份（见 README「备份与恢复」）。"


async def test_backup_refused_for_everyone_else(app: App):
    await give_roles(20041, Role.director)
    event = group_msg("/备份", 20041)
    await say(app, event, sends={event.message_id: "这一步只有超级用户可以做。"})
