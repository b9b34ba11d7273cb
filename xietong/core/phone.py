"""Phone numbers for consignees and drivers: mainland mobiles and landlines with an area code.

One canonical spelling per number (mobile "13800000000", landline "0550-3012345[-123]") so that the same
number typed two ways is recognisably the same, and the workshop and logistics can dial what they read.
"""

import re

from xietong.core import messages
from xietong.core.numbers import normalize

_MOBILE = re.compile(r"(?:\+?86|0086)?(1[3-9]\d{9})")
_EXTENSION = re.compile(r"(?P<main>.+?)\s*(?:转|分机|ext\.?|#)\s*(?P<ext>\d{1,6})", re.IGNORECASE)
_LANDLINE_CHARS = re.compile(r"[\d\s\-()]+")
_INTERNATIONAL = re.compile(r"(?:\+86|0086)[\s\-]*")
_MAX_CHARS = 40  # "+86 (0550) 301-2345 转 123456" fits; longer text is not one phone number


def _mobile(s: str) -> str | None:
    """11 digits starting 1[3-9], after dropping spaces, dashes, brackets and a +86/86 prefix."""
    m = _MOBILE.fullmatch(re.sub(r"[\s\-()]", "", s))
    return m[1] if m else None


def _area_code_length(digits: str) -> int | None:
    """Beijing (010) and the 02x cities have 3-digit area codes; every other area code has 4 digits."""
    if digits.startswith(("010", "02")):
        return 3
    if re.match(r"0[3-9]", digits):
        return 4
    return None


def _split_landline(digits: str) -> tuple[str, str] | None:
    """(area code, local number) when ``digits`` is a whole landline; local numbers have 7-8 digits, not 0-led."""
    area_len = _area_code_length(digits)
    if area_len is None:
        return None
    local = digits[area_len:]
    allowed = (8,) if area_len == 3 else (7, 8)
    if len(local) not in allowed or local[0] == "0":
        return None
    return digits[:area_len], local


def _landline(s: str) -> str | None:
    """Area code + local number, with optional extension: "0550-3012345", "(0550)3012345", "010-1234-5678-8"."""
    s = _INTERNATIONAL.sub("0", s, count=1) if _INTERNATIONAL.match(s) else s
    ext = ""
    if m := _EXTENSION.fullmatch(s):
        s, ext = m["main"], m["ext"]
    if not _LANDLINE_CHARS.fullmatch(s):
        return None
    groups = re.findall(r"\d+", s)
    parts = _split_landline("".join(groups))
    if parts is None and not ext and len(groups) >= 3 and len(groups[-1]) <= 6:
        # "0550-3012345-123": a trailing short group that does not fit the local number is an extension.
        ext = groups.pop()
        parts = _split_landline("".join(groups))
    if parts is None:
        return None
    area, local = parts
    if len(groups) > 1 and groups[0] != area:  # "055-03012345": the typed grouping contradicts the area code
        return None
    return f"{area}-{local}" + (f"-{ext}" if ext else "")


def normalize_phone(text: str) -> str:
    """Validate and canonicalise a phone number; ValueError with a chat-ready message when it is neither kind."""
    s = normalize(text)
    number = (_mobile(s) or _landline(s)) if len(s) <= _MAX_CHARS else None
    if number is None:
        raise ValueError(messages.bad_phone(text.strip()))
    return number
