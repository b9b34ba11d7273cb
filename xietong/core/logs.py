"""The log on disk: ``data/logs/xietong.log`` besides the console, rotated by size, old files deleted.

NoneBot logs through loguru, so loguru's own rotation and retention do the work: a year of INFO lines
never fills the disk, and the last ``XIETONG_LOG_KEEP_DAYS`` days stay readable after a crash or a
restart (the console of a service is gone by then).
"""

from __future__ import annotations

from collections.abc import Callable
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


# NoneBot's INFO lines around every matcher it runs ("Event will be handled by …", "… running complete"): with
# the command router that is four lines a command beside the one naming the event. Kept at DEBUG only.
MATCHER_CHATTER = ("Event will be handled by ", " running complete")


def level_number(logger: Any, level: int | str) -> int:
    return logger.level(level).no if isinstance(level, str) else int(level)


def quiet_filter(logger: Any, level: int | str, passes: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """``passes`` (NoneBot's level filter) without the matcher chatter, unless the log is at DEBUG: at INFO a
    command leaves one line, the event NoneBot received (and anything that went wrong)."""
    if level_number(logger, level) <= logger.level("DEBUG").no:
        return passes
    info = logger.level("INFO").no

    def filter_(record: Any) -> bool:
        if record["level"].no == info and record["name"].startswith("nonebot"):
            message = record["message"]
            if message.startswith(MATCHER_CHATTER[0]) or message.endswith(MATCHER_CHATTER[1]):
                return False
        return passes(record)

    return filter_
