"""Settings checked before anything listens: the environment and ``.env`` as people write them.

Obvious spellings are accepted and rewritten into what NoneBot reads (``SUPERUSERS=[10001]``, a bare
number, ``123,456``); anything else stops the start with one Chinese line naming the setting, its
value and a correct example. Defaults live here, not only in ``.env.example``: a bot run from
environment variables alone (docker, systemd) behaves the same as one with the example file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import time, timedelta
from pathlib import Path

from dotenv import dotenv_values
from pydantic import ValidationError
from sqlalchemy.engine import make_url

from . import messages
from .settings import Settings, exposure_problem, parse_qq_list

# What NoneBot must get even when nothing is set (its own defaults differ: "/" only, "." as separator).
DEFAULTS = {
    "DRIVER": "~fastapi+~httpx+~websockets",
    "HOST": "127.0.0.1",
    "PORT": "8080",
    "COMMAND_START": json.dumps(["/", "／"], ensure_ascii=False),
    "COMMAND_SEP": json.dumps([" "]),
    "SUPERUSERS": "[]",
    "LOG_LEVEL": "INFO",
}

EXAMPLES = {
    "SUPERUSERS": "SUPERUSERS=[10001,10002]",
    "PORT": "PORT=8080",
    "HOST": "HOST=127.0.0.1",
    "COMMAND_START": 'COMMAND_START=["/","／"]',
    "LOG_LEVEL": "LOG_LEVEL=INFO",
    "XIETONG_GROUPS": "XIETONG_GROUPS=[123456789,987654321]",
    "XIETONG_DATABASE_URL": "XIETONG_DATABASE_URL=sqlite+aiosqlite:///data/xietong.db",
    "XIETONG_DATA_DIR": "XIETONG_DATA_DIR=data",
    "XIETONG_MEETING_CRON": "XIETONG_MEETING_CRON=30 8 * * mon",
    "XIETONG_COLLECTION_CRON": "XIETONG_COLLECTION_CRON=0 9 * * mon-fri",
    "XIETONG_REPORT_CRON": "XIETONG_REPORT_CRON=0 9 28 * *",
    "XIETONG_BACKUP_CRON": "XIETONG_BACKUP_CRON=30 2 * * *",
    "XIETONG_ESCALATE_AFTER": "XIETONG_ESCALATE_AFTER=2h",
    "XIETONG_ESCALATE_DIRECTOR_AFTER": "XIETONG_ESCALATE_DIRECTOR_AFTER=4h",
    "XIETONG_TRANSIT_DAYS": "XIETONG_TRANSIT_DAYS=5",
    "XIETONG_CREDIT_DAYS": "XIETONG_CREDIT_DAYS=30",
    "XIETONG_WORK_HOURS": "XIETONG_WORK_HOURS=08:30-12:00,13:30-18:00",
    "XIETONG_WORKDAYS_ONLY": "XIETONG_WORKDAYS_ONLY=true",
    "XIETONG_CATCHUP": "XIETONG_CATCHUP=12h",
    "XIETONG_BACKUP_KEEP_DAYS": "XIETONG_BACKUP_KEEP_DAYS=14",
    "XIETONG_SEND_GIVE_UP": "XIETONG_SEND_GIVE_UP=60s",
    "XIETONG_DELIVERY": "XIETONG_DELIVERY=true",
}
SECRETS = ("ONEBOT_ACCESS_TOKEN",)
LOG_LEVELS = ("TRACE", "DEBUG", "INFO", "SUCCESS", "WARNING", "ERROR", "CRITICAL")


class SettingProblem(Exception):
    """One setting is wrong: the line says which, what it was, and how to write it."""

    def __init__(self, name: str, value: object, why: str = ""):
        self.name, self.value = name, value
        example = EXAMPLES.get(name, "")
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        line = messages.bad_setting(name, shown, why, example)
        super().__init__(line)
        self.line = line


def effective(environ: Mapping[str, str], root: Path) -> dict[str, str]:
    """What NoneBot will read: ``.env`` and ``.env.{ENVIRONMENT}`` under the environment (which wins);
    names upper-cased, as NoneBot ignores their case."""
    def upper(values: Mapping[str, str | None]) -> dict[str, str]:
        return {k.upper(): v for k, v in values.items() if v is not None}

    env = upper(environ)
    files = upper(dotenv_values(root / ".env"))
    environment = env.get("ENVIRONMENT") or files.get("ENVIRONMENT") or "prod"
    files.update(upper(dotenv_values(root / f".env.{environment}")))
    return {**DEFAULTS, **files, **env}


def _json_or_text(raw: str) -> object:
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _strings(name: str, raw: str) -> list[str]:
    value = _json_or_text(raw)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise SettingProblem(name, raw, messages.JSON_STRINGS)
    return value


def _why(error: Mapping) -> str:
    """Pydantic's reason in Chinese (ours already are); unknown kinds say nothing beyond the example."""
    ctx = error.get("ctx") or {}
    kind = error["type"]
    if kind == "value_error":
        return str(ctx.get("error", ""))
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return messages.AN_INTEGER
    if kind in ("bool_parsing", "bool_type"):
        return messages.TRUE_OR_FALSE
    if kind == "greater_than_equal":
        return messages.not_below(ctx.get("ge"))
    return ""


def _shown(value: object) -> str:
    if isinstance(value, timedelta):
        seconds = int(value.total_seconds())
        unit, size = next((u, n) for u, n in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)) if seconds % n == 0)
        return f"{seconds // size}{unit}"
    if isinstance(value, tuple):  # working hours
        return ",".join(f"{a:%H:%M}-{'24:00' if b == time.max else format(b, '%H:%M')}" for a, b in value)
    if isinstance(value, (list, bool)):
        return json.dumps(value)
    return str(value)


def check(values: Mapping[str, str]) -> tuple[dict[str, str], Settings]:
    """Validate ``values`` (from :func:`effective`); the environment NoneBot should get, and our settings."""
    fixed: dict[str, str] = {}
    try:
        superusers = parse_qq_list(_json_or_text(values["SUPERUSERS"]))
    except ValueError as exc:
        raise SettingProblem("SUPERUSERS", values["SUPERUSERS"], messages.qq_list(exc)) from None
    fixed["SUPERUSERS"] = json.dumps([str(qq) for qq in superusers])
    port = values["PORT"].strip()
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise SettingProblem("PORT", values["PORT"], messages.A_PORT)
    if values["LOG_LEVEL"].strip().upper() not in LOG_LEVELS and not values["LOG_LEVEL"].strip().isdigit():
        raise SettingProblem("LOG_LEVEL", values["LOG_LEVEL"], messages.A_LOG_LEVEL)
    for name in ("COMMAND_START", "COMMAND_SEP"):
        fixed[name] = json.dumps(_strings(name, values[name]), ensure_ascii=False)
    ours = {k.lower(): v for k, v in values.items() if k.startswith("XIETONG_") and k in EXAMPLES}
    try:
        settings = Settings.model_validate(ours)
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper()
        raise SettingProblem(name, values.get(name, ""), _why(error)) from None
    fixed["XIETONG_GROUPS"] = json.dumps(settings.xietong_groups)
    fixed["XIETONG_DATABASE_URL"] = settings.xietong_database_url
    if problem := exposure_problem(values["HOST"].strip(), values.get("ONEBOT_ACCESS_TOKEN")):
        raise SettingProblem("HOST", values["HOST"], problem)
    return fixed, settings


def reminders(settings: Settings, superusers: list[str] | set[str]) -> list[str]:
    """Valid but probably not meant: a first run with the example file as it came."""
    found = []
    if not settings.xietong_groups:
        found.append(messages.NO_GROUPS)
    if not superusers:
        found.append(messages.NO_SUPERUSERS)
    return found


def prepare(root: Path) -> Settings:
    """Check the settings and hand NoneBot the rewritten ones (environment variables beat ``.env``)."""
    values = effective(os.environ, root)
    fixed, settings = check(values)
    for name in DEFAULTS:
        os.environ.setdefault(name, values[name])
    os.environ.update(fixed)
    return settings


def masked(values: Mapping[str, str], settings: Settings) -> dict[str, str]:
    """Every setting as the bot will use it (ours after validation), secrets and passwords hidden."""
    shown = {}
    ours = {name.upper(): _shown(value) for name, value in settings.model_dump().items()}
    for name in sorted({*DEFAULTS, *SECRETS, *ours}):
        value = ours.get(name, values.get(name, ""))
        if name in SECRETS and value:
            value = "***"
        elif name == "XIETONG_DATABASE_URL" and value:
            try:
                value = make_url(value).render_as_string(hide_password=True)
            except Exception:
                value = messages.UNPARSABLE
        shown[name] = value
    return shown


def expected_plugins(root: Path, plugin_dirs: list[str], plugins: list[str]) -> set[str]:
    """Every plugin the bot must load: the packages and modules in ``plugin_dirs`` and the named ones."""
    found = set(plugins)
    for folder in plugin_dirs:
        for path in sorted((root / folder).iterdir()):
            if path.name.startswith(("_", ".")):
                continue
            if (path.is_dir() and (path / "__init__.py").exists()) or path.suffix == ".py":
                found.add(f"{folder.replace('/', '.')}.{path.stem}")
    return found


def missing_plugins(expected: set[str], loaded: set[str]) -> str | None:
    """The line that stops a half-loaded bot, or None."""
    missing = sorted(expected - loaded)
    if not missing:
        return None
    return messages.plugins_missing(missing)
