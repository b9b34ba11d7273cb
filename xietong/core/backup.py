"""Online SQLite backups: consistent while the bot writes (sqlite3's backup API), kept N days."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from . import clock

PREFIX = "xietong-"
SUFFIX = ".db"


def backup_sqlite(database: Path, folder: Path, at: datetime | None = None) -> Path:
    """Copy ``database`` page by page into ``folder/xietong-YYYYMMDD-HHMMSS.db`` and return its path."""
    at = clock.local(at or clock.now())
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{PREFIX}{at:%Y%m%d-%H%M%S}{SUFFIX}"
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    return target


def prune(folder: Path, keep_days: int, at: datetime | None = None) -> list[Path]:
    """Delete backups older than ``keep_days`` (judged by the time in their name); return them."""
    cutoff = clock.local(at or clock.now()) - timedelta(days=keep_days)
    removed = []
    for path in sorted(folder.glob(f"{PREFIX}*{SUFFIX}")):
        try:
            made = datetime.strptime(path.name[len(PREFIX):-len(SUFFIX)], "%Y%m%d-%H%M%S")
        except ValueError:
            continue  # not one of ours
        if made.replace(tzinfo=cutoff.tzinfo) < cutoff:
            path.unlink()
            removed.append(path)
    return removed
