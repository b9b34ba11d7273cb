"""Mainland vehicle plates as logistics types them: 皖A12345, 皖 A·12345, 皖ad12345 (new energy), 皖A1234挂."""

from __future__ import annotations

import re

from xietong.core.numbers import normalize

from . import messages as msg

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_SERIAL = "A-HJ-NP-Z0-9"  # plates never use I or O (they read as 1 and 0)
_PLATE = re.compile(
    rf"[{PROVINCES}][A-Z]"
    rf"(?:[{_SERIAL}]{{5}}"  # ordinary: 皖A12345
    rf"|[DF][{_SERIAL}]{{5}}|\d{{5}}[DF]"  # new energy: 皖AD12345 (small), 皖A12345D (large)
    rf"|[{_SERIAL}]{{4}}[挂学港澳])"  # trailer, driving school, Hong Kong / Macau cross-border
)
_SEPARATORS = re.compile(r"[\s·•.\-]")


def normalize_plate(text: str) -> str:
    """The plate in one spelling (upper case, no separators); ValueError with a chat-ready message."""
    plate = _SEPARATORS.sub("", normalize(text)).upper()
    if not _PLATE.fullmatch(plate):
        raise ValueError(msg.bad_plate(text.strip()))
    return plate


def looks_like_plate_start(word: str) -> bool:
    """「皖A」 typed apart from its number (皖A 12345)."""
    s = normalize(word).upper()
    return len(s) == 2 and s[0] in PROVINCES and s[1].isascii() and s[1].isalpha()
