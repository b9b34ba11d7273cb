"""The one clock of the product: UTC stored, Asia/Shanghai shown, replaceable in tests."""

from collections.abc import Callable
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def _system_now() -> datetime:
    return datetime.now(timezone.utc)


_now: Callable[[], datetime] = _system_now


def now() -> datetime:
    """The current instant, timezone-aware in UTC."""
    return _now()


def set_clock(fn: Callable[[], datetime] | None) -> None:
    """Tests inject a clock here; ``None`` restores the system clock."""
    global _now
    _now = fn or _system_now


def local(at: datetime) -> datetime:
    return at.astimezone(LOCAL_TZ)


def today() -> date:
    return local(now()).date()


def fmt_local(at: datetime | None, pattern: str = "%m-%d %H:%M") -> str:
    """How a time is shown in chat: local, short."""
    return local(at).strftime(pattern) if at else "—"
