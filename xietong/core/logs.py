"""The log on disk: ``data/logs/xietong.log`` besides the console, rotated by size, old files deleted.

NoneBot logs through loguru, so loguru's own rotation and retention do the work: a year of INFO lines
never fills the disk, and the last ``XIETONG_LOG_KEEP_DAYS`` days stay readable after a crash or a
restart (the console of a service is gone by then).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROTATE_AT = "10 MB"
FILE_NAME = "xietong.log"
FILE_FORMAT = "{time:YYYY-MM-DD HH:mm:ss.SSS} [{level}] {name} | {message}"  # a year on disk needs the year


def log_to_files(logger: Any, folder: Path, keep_days: int, *, rotation: str | int = ROTATE_AT, **options: Any) -> int:
    """Add a file sink to the loguru ``logger``; returns its handler id (to remove it again)."""
    folder.mkdir(parents=True, exist_ok=True)
    return logger.add(
        folder / FILE_NAME,
        rotation=rotation,
        retention=f"{keep_days} days",
        encoding="utf-8",
        format=FILE_FORMAT,
        colorize=False,
        diagnose=False,  # tracebacks without local variables: no message text or tokens on disk
        enqueue=True,  # one writer thread: rotation is safe while several tasks log
        **options,
    )
