"""Xietong's entry point: NoneBot with the OneBot v11 adapter and the plugins in plugins/.

Settings are checked before NoneBot starts (xietong/core/preflight.py) and every plugin must load:
a wrong setting or a broken plugin stops the start with one line, never a bot that listens and
silently does nothing.
"""

import sys
from pathlib import Path

from xietong.core import preflight

try:
    import tomllib
except ImportError:  # Python 3.10: NoneBot depends on tomli
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent


def stop(line: str) -> None:
    print(f"协同无法启动：{line}", file=sys.stderr, flush=True)
    raise SystemExit(2)


try:
    preflight.prepare(ROOT)
except preflight.SettingProblem as problem:
    stop(problem.line)

import nonebot  # noqa: E402  (after the settings are known good: NoneBot would choke on them first)
from nonebot import log as nonebot_log  # noqa: E402
from nonebot.adapters.onebot.v11 import Adapter as OneBotV11Adapter  # noqa: E402
from nonebot.log import default_filter, default_format, logger  # noqa: E402

from xietong.core.redact import mask_every_record, masked_writer  # noqa: E402

# Secrets never reach the log (SECURITY.md): the console from its first line (nonebot.init() prints the
# whole configuration at DEBUG), then every record, the log files' too.
logger.remove(nonebot_log.logger_id)
nonebot_log.logger_id = logger.add(  # plugins/core narrows it to LOG_LEVEL once the settings are read
    masked_writer(sys.stdout), level=0, diagnose=False, filter=default_filter, format=default_format,
    colorize=sys.stdout.isatty(),
)
nonebot.init()
mask_every_record(logger)
nonebot.get_driver().register_adapter(OneBotV11Adapter)
nonebot.load_from_toml("pyproject.toml")

_config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["nonebot"]
_expected = preflight.expected_plugins(
    ROOT, _config.get("plugin_dirs", []), [m for ms in _config.get("plugins", {}).values() for m in ms]
)
if missing := preflight.missing_plugins(_expected, {p.module_name for p in nonebot.get_loaded_plugins()}):
    stop(missing)

if __name__ == "__main__":
    nonebot.run()
