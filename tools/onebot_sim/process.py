"""The bot as a process: ``python bot.py`` on a free port with its own data directory and database."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar

from sqlalchemy.engine import make_url

from . import databases
from .client import OneBotClient
from .defaults import GROUP, QUIET_SCHEDULES, REPO_ROOT, SUPERUSER, TOKEN, WS_PATH


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class BotExited(RuntimeError):
    """The bot process ended before it was listening."""

    def __init__(self, returncode: int, log: str):
        tail = "\n".join(log.splitlines()[-40:])
        super().__init__(f"bot.py exited with status {returncode} before listening; log tail:\n{tail}")
        self.returncode = returncode
        self.log = log


class BotProcess:
    """``python bot.py`` from the repository root, on a free port, with its own data directory.

    ``database`` chooses where it keeps its state: ``"sqlite"`` (a file in the data directory),
    ``"postgresql"`` (a fresh database on the server of ``XIETONG_TEST_DATABASE_URL``, created at the
    first start and dropped by :meth:`close`), or the URL of another bot's database, to share it.
    By default: PostgreSQL when that variable names a server, else SQLite. Restarts keep the database.
    Scheduled announcements are kept quiet (:data:`QUIET_SCHEDULES`) unless ``extra_env`` says otherwise.
    """

    started: ClassVar[list[BotProcess]] = []  # every bot started in this test run, for failure reports

    def __init__(
        self,
        *,
        token: str | None = TOKEN,
        groups: Sequence[int] = (GROUP,),
        superusers: Sequence[str] = (str(SUPERUSER),),
        host: str = "127.0.0.1",
        port: int | None = None,
        data_dir: str | Path | None = None,
        extra_env: Mapping[str, str] | None = None,
        log_level: str = "DEBUG",
        startup_timeout: float = 30.0,
        database: str | None = None,
        without: Sequence[str] = (),
        script: str = "bot.py",
        cwd: str | Path = REPO_ROOT,
    ):
        self.token = token
        self.without = tuple(without)  # settings left out of the environment: the defaults in code apply
        self.script = script  # relative to the repository root (the demo runs the bot on its own clock)
        self.cwd = Path(cwd)  # where the bot runs and NoneBot looks for .env
        self.groups = list(groups)
        self.superusers = [str(qq) for qq in superusers]
        self.host = host
        self.port = port or free_port()
        self.data_dir = (
            Path(data_dir) if data_dir is not None else Path(tempfile.mkdtemp(prefix="xietong-wire-"))
        )
        self.extra_env = dict(extra_env or {})
        self.log_level = log_level
        self.startup_timeout = startup_timeout
        self.log_path = self.data_dir / "bot.log"
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0
        if database is None:
            database = "postgresql" if databases.postgres_available() else "sqlite"
        self.owns_database = database == "postgresql"
        if database == "sqlite":
            self._database_url: str | None = f"sqlite+aiosqlite:///{self.data_dir / 'xietong.db'}"
        elif database == "postgresql":
            if not databases.postgres_available():
                raise RuntimeError(f"database='postgresql' needs {databases.ENV} to name a server")
            self._database_url = None  # created at the first start
        elif "://" in database:
            self._database_url = database  # shared with another bot, which owns it
        else:
            raise ValueError(f"database must be 'sqlite', 'postgresql' or a URL, not {database!r}")

    @property
    def database_url(self) -> str:
        if self._database_url is None:
            raise RuntimeError("the bot's PostgreSQL database is created when it first starts")
        return self._database_url

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return "postgresql" if self._database_url is None else make_url(self._database_url).get_backend_name()

    async def prepare_database(self) -> str:
        """Create the bot's own PostgreSQL database if it has none yet; its URL."""
        if self._database_url is None:
            self._database_url = await databases.create_database()
        return self._database_url

    @property
    def connect_host(self) -> str:
        return "127.0.0.1" if self.host in ("0.0.0.0", "", "::") else self.host

    @property
    def ws_url(self) -> str:
        return f"ws://{self.connect_host}:{self.port}{WS_PATH}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None

    @property
    def returncode(self) -> int | None:
        return self.process.returncode if self.process else None

    def env(self) -> dict[str, str]:
        """The parent's environment without its Xietong/OneBot settings, plus ours (they beat ``.env``)."""
        env = {k: v for k, v in os.environ.items() if not k.upper().startswith(("XIETONG_", "ONEBOT_"))}
        env.update(
            ENVIRONMENT="wire",  # no .env.prod / .env.dev on top of .env
            DRIVER="~fastapi+~httpx+~websockets",
            HOST=self.host,
            PORT=str(self.port),
            ONEBOT_ACCESS_TOKEN=self.token or "",
            SUPERUSERS=json.dumps(self.superusers),
            COMMAND_START=json.dumps(["/", "／"], ensure_ascii=False),
            COMMAND_SEP=json.dumps([" "]),
            XIETONG_GROUPS=json.dumps(self.groups),
            XIETONG_DATABASE_URL=self.database_url,
            XIETONG_DATA_DIR=str(self.data_dir),
            XIETONG_DELIVERY="true",
            **QUIET_SCHEDULES,
            LOG_LEVEL=self.log_level,
            PYTHONUNBUFFERED="1",
            PYTHONIOENCODING="utf-8",
        )
        env.update(self.extra_env)
        for name in self.without:
            env.pop(name, None)
        return env

    def client(self, **kwargs: Any) -> OneBotClient:
        """A simulator for this bot, with its token unless ``token=`` says otherwise."""
        kwargs.setdefault("token", self.token)
        return OneBotClient(self.ws_url, **kwargs)

    def _open_log(self) -> Any:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        log.write(f"\n===== wire test: start #{self.starts + 1} on port {self.port} =====\n".encode())
        log.flush()
        return log

    def log_text(self) -> str:
        return self.log_path.read_text("utf-8", "replace") if self.log_path.exists() else ""

    def log_mark(self) -> int:
        """A position in the log, for ``start=`` of :meth:`wait_for_log`."""
        return len(self.log_text())

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    async def wait_for_log(self, needle: str, timeout: float = 10.0, *, start: int = 0) -> str:
        """The first log line (after ``start``) containing ``needle``, waiting for it to be written."""
        deadline = time.monotonic() + timeout
        while True:
            lines = self.log_text()[start:].splitlines()
            if line := next((line for line in lines if needle in line), None):
                return line
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"{needle!r} not in the bot log within {timeout}s; tail:\n{self.log_tail()}"
                )
            await asyncio.sleep(0.1)

    async def _listening(self) -> bool:
        try:
            _, writer = await asyncio.open_connection(self.connect_host, self.port)
        except OSError:
            return False
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
        return True

    async def start(self) -> BotProcess:
        """Start the bot and wait until it listens; :class:`BotExited` if it gives up first."""
        if self.running:
            raise RuntimeError("the bot is already running")
        await self.prepare_database()
        log = self._open_log()
        try:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                self.script,
                cwd=self.cwd,
                env=self.env(),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
            )
        finally:
            log.close()
        self.starts += 1
        if self not in BotProcess.started:
            BotProcess.started.append(self)
        deadline = time.monotonic() + self.startup_timeout
        while True:
            if self.process.returncode is not None:
                raise BotExited(self.process.returncode, self.log_text())
            if await self._listening():
                return self
            if time.monotonic() >= deadline:
                await self.kill()
                raise TimeoutError(
                    f"bot.py not listening after {self.startup_timeout}s; tail:\n{self.log_tail()}"
                )
            await asyncio.sleep(0.1)

    async def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM (a graceful shutdown), then SIGKILL after ``timeout`` seconds; the exit status."""
        if self.process is None or self.process.returncode is not None:
            return self.returncode
        self.process.terminate()
        try:
            await asyncio.wait_for(self.process.wait(), timeout)
        except asyncio.TimeoutError:
            self.process.kill()
            await self.process.wait()
        return self.process.returncode

    async def kill(self) -> int | None:
        """SIGKILL: the process dies mid-flight, as in a crash or power loss."""
        if self.process is None or self.process.returncode is not None:
            return self.returncode
        self.process.kill()
        return await self.process.wait()

    async def restart(self) -> BotProcess:
        """Stop and start again on the same port and database."""
        await self.stop()
        return await self.start()

    async def close(self) -> None:
        """Stop the bot for good and drop its PostgreSQL database, if it made one."""
        try:
            await self.stop()
        finally:
            if self.owns_database and self._database_url is not None:
                url, self._database_url = self._database_url, None
                await databases.drop_database(url)

    async def __aenter__(self) -> BotProcess:
        try:
            return await self.start()
        except BaseException:
            await self.close()
            raise

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

