#!/usr/bin/env python3
"""Xietong's two commands, on a machine that has only Python 3.10+ and git.

    python3 manage.py run     start the bot (creates .venv and .env on first run; migrations apply at start-up)
    python3 manage.py test    run the whole test suite (extra arguments go to pytest)
    python3 manage.py demo    play a day at the company through a simulated QQ and print the group chat
    python3 manage.py upgrade re-install the dependencies at the newest versions pyproject.toml allows
                              (a new chinese-calendar with next year's holidays arrives this way)
    python3 manage.py service write a systemd unit (xietong.service) and print how to enable it
    python3 manage.py check   check the settings (printed, secrets masked), the database, and whether QQ connected

The virtual environment is (re)installed from pyproject.toml whenever that file changes.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def _stamp(extras: str) -> tuple[Path, str]:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    return VENV / f".installed-{extras or 'run'}", digest


def _install(extras: str, *upgrade: str) -> None:
    target = f".[{extras}]" if extras else "."
    quiet = [] if os.environ.get("CI") else ["-q"]
    subprocess.run([PYTHON, "-m", "pip", "install", *quiet, "--disable-pip-version-check", *upgrade, "-e", target],
                   cwd=ROOT, check=True)


def ensure_environment(extras: str) -> None:
    """Create .venv and install the project's dependencies, once per version of pyproject.toml."""
    if sys.version_info < (3, 10):  # noqa: UP036 (this file must still run to say so)
        sys.exit(f"Xietong needs Python 3.10 or newer (this is {sys.version.split()[0]}).")
    stamp, digest = _stamp(extras)
    if stamp.exists() and stamp.read_text() == digest:
        return
    if not PYTHON.exists():
        print("· 创建虚拟环境 .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("· 安装依赖（首次需要一两分钟）…", flush=True)
    _install(extras)
    stamp.write_text(digest)


def upgrade() -> int:
    """Every dependency (and theirs) to the newest version the pins allow; the test extras too if installed."""
    extras = "test" if (VENV / ".installed-test").exists() else ""
    ensure_environment(extras)
    print("· 升级依赖到 pyproject.toml 允许的最新版本 …", flush=True)
    _install(extras, "--upgrade", "--upgrade-strategy", "eager")
    for name in ("", "test") if extras else ("",):
        stamp, digest = _stamp(name)
        stamp.write_text(digest)
    return subprocess.call([PYTHON, "-c", CALENDAR_YEARS], cwd=ROOT)


CALENDAR_YEARS = """
from importlib.metadata import version
import chinese_calendar
years = sorted({day.year for day in chinese_calendar.holidays})
print("· chinese-calendar", version("chinese-calendar"), "：已知", years[0], "–", years[-1], "年的节假日")
"""


def systemd_unit(user: str, root: Path = ROOT, python: Path = PYTHON) -> str:
    """A system unit that starts the bot after the network, as ``user``, and restarts it when it fails."""
    return f"""[Unit]
Description=Xietong (协同) QQ bot
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User={user}
WorkingDirectory={root}
ExecStart={python} bot.py
Restart=on-failure
RestartSec=10
Environment=PYTHONUNBUFFERED=1

[Install]
WantedBy=multi-user.target
"""


def service(root: Path = ROOT) -> int:
    ensure_environment("")
    unit = root / "xietong.service"
    unit.write_text(systemd_unit(getpass.getuser(), root), encoding="utf-8")
    print(f"""· 已写好 {unit}
启用（需要管理员权限）：
  sudo cp {unit} /etc/systemd/system/xietong.service
  sudo systemctl daemon-reload
  sudo systemctl enable --now xietong
查看：systemctl status xietong；日志：journalctl -u xietong -f，或 data/logs/ 下的文件。
先停掉手动运行的 python3 manage.py run，免得两个进程同时连 QQ。""")
    return 0


def run() -> int:
    ensure_environment("")
    env_file = ROOT / ".env"
    if not env_file.exists():
        shutil.copy(ROOT / ".env.example", env_file)
        print("· 已从 .env.example 生成 .env：请填写 XIETONG_GROUPS、SUPERUSERS 等设置。", flush=True)
    (ROOT / "data").mkdir(exist_ok=True)
    return subprocess.call([PYTHON, "bot.py"], cwd=ROOT)


def test(args: list[str]) -> int:
    ensure_environment("test")
    return subprocess.call([PYTHON, "-m", "pytest", *args], cwd=ROOT)


def demo() -> int:
    ensure_environment("test")
    return subprocess.call([PYTHON, "demo/day.py"], cwd=ROOT)


def check() -> int:
    ensure_environment("")
    return subprocess.call([PYTHON, "-m", "xietong.core.check"], cwd=ROOT)


def main() -> int:
    command, *rest = sys.argv[1:] or ["help"]
    if command == "run":
        return run()
    if command == "test":
        return test(rest)
    if command == "demo":
        return demo()
    if command == "upgrade":
        return upgrade()
    if command == "service":
        return service()
    if command == "check":
        return check()
    print(__doc__)
    return 0 if command == "help" else 2


if __name__ == "__main__":
    sys.exit(main())
