"""Who is a superuser: one reading of SUPERUSERS (``xietong.core.roster.superuser_ids``) for every check."""

from __future__ import annotations

from nonebot import get_driver
from nonebot.adapters.onebot.v11 import MessageEvent

from xietong.core import roster


def superusers() -> list[int]:
    """The QQ numbers of SUPERUSERS, in order."""
    return sorted(roster.superuser_ids(get_driver().config.superusers))


def is_superuser(event: MessageEvent) -> bool:
    return event.user_id in roster.superuser_ids(get_driver().config.superusers)
