"""``XIETONG_*`` settings (SPEC §7, §9), validated at start-up with messages a person can act on."""

from __future__ import annotations

import ipaddress
import re
from datetime import time, timedelta
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field

from . import messages
from .cron import crontab_trigger
from .files import FileMode

_DURATION = re.compile(r"^\s*(\d+)\s*([smhd])\s*$", re.IGNORECASE)
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_duration(value: object) -> timedelta:
    """``90s``, ``30m``, ``2h``, ``1d``."""
    if isinstance(value, timedelta):
        return value
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(messages.bad_duration(value))
    amount, unit = match.groups()
    return timedelta(**{_UNITS[unit.lower()]: int(amount)})


def check_cron(value: str) -> str:
    """Five-field crontab, as APScheduler reads it in Asia/Shanghai."""
    try:
        crontab_trigger(value)
    except (ValueError, KeyError) as exc:
        raise ValueError(messages.bad_cron(value, exc)) from exc
    return value


def parse_work_hours(value: object) -> tuple[tuple[time, time], ...]:
    """``08:30-12:00,13:30-18:00``; ``00:00-24:00`` means always."""
    if isinstance(value, tuple):
        return value
    spans = []
    for part in str(value).replace("，", ",").split(","):
        match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", part)
        if not match:
            raise ValueError(messages.bad_work_hours(part))
        h1, m1, h2, m2 = map(int, match.groups())
        start = time(h1, m1)
        end = time.max if (h2, m2) == (24, 0) else time(h2, m2)
        if start >= end:
            raise ValueError(messages.work_hours_backwards(part.strip()))
        spans.append((start, end))
    return tuple(sorted(spans))


def check_web_url(value: str) -> str:
    """The console's address as the browser sees it (``http://192.168.1.10:8080``); empty: no console."""
    value = value.strip().rstrip("/")
    if value and not re.fullmatch(r"https?://[^/?#\s]+(/[^?#\s]*)?", value):
        raise ValueError(messages.bad_web_url(value))
    return value
def parse_qq_list(value: object) -> list[int]:
    """QQ numbers as people write them: ``[10001, "10002"]``, ``10001``, ``10001,10002`` (or with ，)."""
    if value is None or value == "":
        return []
    if isinstance(value, (int, str)) and not isinstance(value, bool):
        text = str(value).strip()
        if text.startswith("[") and text.endswith("]"):
            text = text[1:-1]
        items: list[object] = [part.strip().strip("'\"") for part in text.replace("，", ",").split(",")]
        items = [item for item in items if item != ""]
    elif isinstance(value, (list, tuple, set)):
        items = list(value)
    else:
        raise ValueError(messages.not_a_qq_list(value))
    numbers = []
    for item in items:
        text = str(item).strip()
        if isinstance(item, bool) or not text.isdigit():
            raise ValueError(messages.not_a_qq(text))
        numbers.append(int(text))
    return list(dict.fromkeys(numbers))


def normalise_database_url(value: object) -> str:
    """``postgresql://`` and ``sqlite:///`` as people write them get the async drivers Xietong uses."""
    url = str(value).strip()
    for plain, driver in (("postgres://", "postgresql+asyncpg://"), ("postgresql://", "postgresql+asyncpg://"),
                          ("sqlite://", "sqlite+aiosqlite://")):
        if url.startswith(plain):
            return driver + url[len(plain):]
    if not url.startswith(("postgresql+asyncpg://", "sqlite+aiosqlite://")):
        raise ValueError(messages.BAD_DATABASE_URL)
    return url


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]
QQList = Annotated[list[int], BeforeValidator(parse_qq_list)]
DatabaseUrl = Annotated[str, BeforeValidator(normalise_database_url)]
Cron = Annotated[str, AfterValidator(check_cron)]
WorkHours = Annotated[tuple[tuple[time, time], ...], BeforeValidator(parse_work_hours)]


class Settings(BaseModel):
    """Read by NoneBot from ``.env`` (keys are case-insensitive there)."""

    xietong_groups: QQList = Field(default_factory=list)
    xietong_database_url: DatabaseUrl = "sqlite+aiosqlite:///data/xietong.db"
    xietong_data_dir: str = "data"
    xietong_meeting_cron: Cron = "30 8 * * mon"
    xietong_collection_cron: Cron = "0 9 * * mon-fri"
    xietong_report_cron: Cron = "0 9 28 * *"
    xietong_backup_cron: Cron = "30 2 * * *"
    xietong_escalate_after: Duration = timedelta(hours=2)
    xietong_escalate_director_after: Duration = timedelta(hours=4)
    xietong_transit_days: int = Field(default=5, ge=1)
    xietong_credit_days: int = Field(default=30, ge=0)
    xietong_dormant_days: int = Field(default=60, ge=1)
    xietong_quarter_meeting_cron: Cron = "0 9 * 1,4,7,10 mon"
    xietong_coordination_cron: Cron = "0 15 25 * *"
    xietong_pace_cron: Cron = "0 9 15 * *"
    xietong_work_hours: WorkHours = parse_work_hours("08:30-12:00,13:30-18:00")
    xietong_workdays_only: bool = True
    xietong_catchup: Duration = timedelta(hours=12)
    xietong_backup_keep_days: int = Field(default=14, ge=1)
    xietong_log_keep_days: int = Field(default=30, ge=1)
    xietong_outbox_keep_days: int = Field(default=180, ge=7)
    xietong_send_give_up: Duration = timedelta(seconds=60)  # QQ refusing a message this long: set it aside
    xietong_file_mode: FileMode = "path"  # how files reach QQ: a local path, or base64 when QQ runs elsewhere
    xietong_delivery: bool = True  # the outbox worker; tests turn it off and deliver by hand
    xietong_web_url: Annotated[str, AfterValidator(check_web_url)] = ""  # the web console; empty: none

    @property
    def primary_group(self) -> int | None:
        """Where announcements and notifications from private chats go: the first listed group."""
        return self.xietong_groups[0] if self.xietong_groups else None


def exposure_problem(host: str, access_token: str | None) -> str | None:
    """SPEC §8: listening beyond loopback without a token would let anyone impersonate QQ."""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if loopback or access_token:
        return None
    return messages.exposed(host)
