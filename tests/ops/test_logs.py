"""Log files: besides the console, rotated by size, old ones deleted after XIETONG_LOG_KEEP_DAYS."""

import os
import time
from pathlib import Path

from loguru import logger

from xietong.core.logs import log_to_files
from xietong.core.settings import Settings


def test_the_bot_logs_to_data_logs_as_well_as_the_console():
    from nonebot import get_plugin_config
    from nonebot import logger as nonebot_logger

    settings = get_plugin_config(Settings)
    nonebot_logger.warning("写进日志文件的一行")
    nonebot_logger.complete()  # waits for the file sink's writer thread (enqueue=True)
    log = Path(settings.xietong_data_dir) / "logs" / "xietong.log"
    assert "写进日志文件的一行" in log.read_text(encoding="utf-8")


def test_files_rotate_by_size_and_old_ones_are_deleted(tmp_path):
    folder = tmp_path / "logs"
    folder.mkdir()
    old = folder / "xietong.2025-10-01_00-00-00_000000.log"
    old.write_text("去年的日志\n", encoding="utf-8")
    month_ago = time.time() - 31 * 86400
    os.utime(old, (month_ago, month_ago))
    recent = folder / "xietong.2026-11-20_00-00-00_000000.log"
    recent.write_text("上周的日志\n", encoding="utf-8")
    sink = log_to_files(logger, folder, keep_days=30, rotation=1000)
    try:
        for n in range(100):
            logger.info(f"第 {n} 行：一行足够长的日志，好让文件超过轮转大小")
        logger.complete()
    finally:
        logger.remove(sink)
    names = sorted(p.name for p in folder.iterdir())
    assert old.name not in names  # older than 30 days: deleted
    assert recent.name in names
    assert len(names) >= 4 and "xietong.log" in names  # rotated into several files
    assert all(p.stat().st_size < 2000 for p in folder.iterdir())


def test_keep_days_is_a_setting_of_thirty_days_by_default():
    assert Settings().xietong_log_keep_days == 30
    assert Settings(xietong_log_keep_days=90).xietong_log_keep_days == 90


def _record(level: str, name: str, message: str) -> dict:
    from types import SimpleNamespace

    return {"level": SimpleNamespace(no=logger.level(level).no), "name": name, "message": message, "extra": {}}


def test_at_info_a_command_leaves_one_line_not_nonebots_matcher_chatter():
    from xietong.core.logs import quiet_filter

    at_info = quiet_filter(logger, "INFO", lambda record: record["level"].no >= logger.level("INFO").no)
    assert not at_info(_record("INFO", "nonebot", "Event will be handled by Matcher(type='message')"))
    assert not at_info(_record("INFO", "nonebot", "Matcher(type='message', module=plugins.orders) running complete"))
    assert at_info(_record("SUCCESS", "nonebot", "OneBot V11 | [message.group.normal]: Message 1 from 2 '/订单'"))
    assert at_info(_record("INFO", "xietong.outbox", "released 1 outbox lease(s) of a process that is gone"))
    assert at_info(_record("ERROR", "nonebot", "Running Matcher(type='message') failed."))
    assert not at_info(_record("DEBUG", "nonebot", "Running PreProcessors..."))
    at_debug = quiet_filter(logger, "DEBUG", lambda record: True)
    assert at_debug(_record("INFO", "nonebot", "Event will be handled by Matcher(type='message')"))
