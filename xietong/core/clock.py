"""The one clock of the product: UTC stored, Asia/Shanghai shown, replaceable in tests."""

from collections.abc import Callable
from datetime import date, datetime, time, timezone
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


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """[start, end) of a local month: local midnight of its first day and of the next month's first day,
    aware, so they compare with the UTC columns (/月报 and the collection review both use it)."""
    start = datetime.combine(date(year, month, 1), time(), tzinfo=LOCAL_TZ)
    following = date(year + month // 12, month % 12 + 1, 1)
    return start, datetime.combine(following, time(), tzinfo=LOCAL_TZ)
