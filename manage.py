#!/usr/bin/env python3
"""Xietong's two commands, on a machine that has only Python 3.10+ and git.

    python3 manage.py run     start the bot (creates .venv and .env on first run; migrations apply at start-up)
    python3 manage.py test    run the whole test suite (extra arguments go to pytest)
    python3 manage.py demo    play a day at the company through a simulated QQ and print the group chat
    python3 manage.py check   check the settings (printed, secrets masked), the database, and whether QQ connected

The virtual environment is (re)installed from pyproject.toml whenever that file changes.
"""

from __future__ import annotations

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


def ensure_environment(extras: str) -> None:
    """Create .venv and install the project's dependencies, once per version of pyproject.toml."""
    if sys.version_info < (3, 10):  # noqa: UP036 (this file must still run to say so)
        sys.exit(f"Xietong needs Python 3.10 or newer (this is {sys.version.split()[0]}).")
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / f".installed-{extras or 'run'}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    if not PYTHON.exists():
        print("· 创建虚拟环境 .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("· 安装依赖（首次需要一两分钟）…", flush=True)
    target = f".[{extras}]" if extras else "."
    quiet = [] if os.environ.get("CI") else ["-q"]
    subprocess.run([PYTHON, "-m", "pip", "install", *quiet, "--disable-pip-version-check", "-e", target],
                   cwd=ROOT, check=True)
    stamp.write_text(digest)


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
    if command == "check":
        return check()
    print(__doc__)
    return 0 if command == "help" else 2


if __name__ == "__main__":
    sys.exit(main())
