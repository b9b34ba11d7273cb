"""Bad settings and broken plugins stop the start before anything listens: exit status 2, one Chinese
line naming the setting, its value and a correct example, and no traceback (bot.py as a process)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from xietong.core import preflight

ROOT = Path(__file__).resolve().parents[2]


def start(env: dict[str, str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.upper().startswith(("XIETONG_", "ONEBOT_", "SUPERUSERS"))}
    base.update(ENVIRONMENT="startup-test", PORT="1", LOG_LEVEL="WARNING", PYTHONIOENCODING="utf-8",
                XIETONG_DATABASE_URL="sqlite+aiosqlite:////nonexistent/never-opened.db")
    base.update(env)
    return subprocess.run([sys.executable, "bot.py"], cwd=cwd, env=base, capture_output=True, text=True, timeout=60)


BAD = [
    ("SUPERUSERS", "[abc]"),
    ("SUPERUSERS", "10001;10002"),
    ("XIETONG_GROUPS", "[abc]"),
    ("XIETONG_GROUPS", "技术群"),
    ("PORT", "八零八零"),
    ("COMMAND_START", "123"),
    ("XIETONG_DATABASE_URL", "mysql://root@localhost/xietong"),
    ("XIETONG_MEETING_CRON", "30 8 * *"),
    ("XIETONG_ESCALATE_AFTER", "soon"),
    ("XIETONG_WORK_HOURS", "早上八点到晚上六点"),
    ("XIETONG_TRANSIT_DAYS", "0"),
    ("XIETONG_WORKDAYS_ONLY", "maybe"),
    ("XIETONG_SEND_GIVE_UP", "1 minute"),
]


@pytest.mark.parametrize(("name", "value"), BAD)
def test_a_bad_setting_stops_the_start_with_one_line(name: str, value: str) -> None:
    done = start({name: value})
    assert done.returncode == 2
    output = (done.stdout + done.stderr).strip()
    assert "Traceback" not in output
    [line] = output.splitlines()
    assert line.startswith(f"协同无法启动：设置 {name} 的值「{value}」不对")
    assert f"正确写法如：{name}=" in line


def test_listening_beyond_this_machine_without_a_token_stops_the_start() -> None:
    done = start({"HOST": "0.0.0.0"})
    assert done.returncode == 2
    [line] = (done.stdout + done.stderr).strip().splitlines()
    assert line.startswith("协同无法启动：设置 HOST 的值「0.0.0.0」不对") and "ONEBOT_ACCESS_TOKEN" in line


def test_a_bad_setting_in_dotenv_is_named_too(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SUPERUSERS=[10001]\nXIETONG_GROUPS=[123,abc]\n", "utf-8")
    values = preflight.effective({"ENVIRONMENT": "x"}, tmp_path)
    with pytest.raises(preflight.SettingProblem) as problem:
        preflight.check(values)
    assert problem.value.name == "XIETONG_GROUPS" and "「[123,abc]」" in problem.value.line


def test_obvious_spellings_are_accepted_and_rewritten_for_nonebot(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("superusers=[10001, 10002]\nXIETONG_GROUPS=123456,654321\n", "utf-8")
    values = preflight.effective({"ENVIRONMENT": "x", "XIETONG_DATABASE_URL": "postgresql://u:p@h/db"}, tmp_path)
    fixed, settings = preflight.check(values)
    assert fixed["SUPERUSERS"] == '["10001", "10002"]'
    assert settings.xietong_groups == [123456, 654321] and fixed["XIETONG_GROUPS"] == "[123456, 654321]"
    assert fixed["XIETONG_DATABASE_URL"] == "postgresql+asyncpg://u:p@h/db"
    assert fixed["COMMAND_START"] == '["/", "／"]'  # the default lives in code, not only in .env.example
    for bare in ("10001", "[10001]", '["10001"]', "10001，10002"):
        assert preflight.check({**values, "SUPERUSERS": bare})[0]["SUPERUSERS"].startswith('["10001"')


def test_secrets_are_masked_when_printed() -> None:
    values = preflight.effective({"ENVIRONMENT": "x", "ONEBOT_ACCESS_TOKEN": "s3cret",
                                  "XIETONG_DATABASE_URL": "postgresql+asyncpg://xt:pw@db/xt"}, Path("/nonexistent"))
    fixed, settings = preflight.check(values)
    shown = preflight.masked({**values, **fixed}, settings)
    assert shown["ONEBOT_ACCESS_TOKEN"] == "***" and "pw" not in shown["XIETONG_DATABASE_URL"]
    assert shown["XIETONG_SEND_GIVE_UP"] == "1m" and shown["XIETONG_WORK_HOURS"] == "08:30-12:00,13:30-18:00"


def test_a_plugin_that_fails_to_load_stops_the_bot(tmp_path: Path) -> None:
    """Never serve half-loaded: a copy of the bot with one broken plugin refuses to start."""
    for name in ("bot.py", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "plugins", tmp_path / "plugins", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "xietong").symlink_to(ROOT / "xietong")
    (tmp_path / "plugins" / "broken.py").write_text("raise RuntimeError('a bug at import')\n", "utf-8")
    done = start({"SUPERUSERS": "[10001]"}, cwd=tmp_path)
    assert done.returncode == 2
    last = (done.stdout + done.stderr).strip().splitlines()[-1]
    assert last.startswith("协同无法启动：插件 plugins.broken 没能加载")


def test_the_example_file_as_it_came_is_valid_but_reminded() -> None:
    _, settings = preflight.check(preflight.effective({"ENVIRONMENT": "x"}, Path("/nonexistent")))
    reminders = preflight.reminders(settings, [])
    assert [r.split(" ")[0] for r in reminders] == ["XIETONG_GROUPS", "SUPERUSERS"]
    filled = preflight.check({**preflight.DEFAULTS, "XIETONG_GROUPS": "9001"})[1]
    assert preflight.reminders(filled, ["10001"]) == []
