"""Order, slip and ticket numbers (D…, XS…, T…) as people type them: any case, with or without the letter."""

from __future__ import annotations

import re

_NUMBER = re.compile(r"^(?P<prefix>[A-Za-z]{0,2})-?(?P<day>\d{6})-?(?P<seq>\d{1,4})$")


def parse_number(text: str, prefix: str = "D") -> str | None:
    """``d261126-001``, ``261126-1``, ``D261126001`` → ``D261126-001``; None when it is no such number."""
    match = _NUMBER.match(text.strip())
    if not match:
        return None
    typed = match["prefix"].upper()
    if typed and typed != prefix:
        return None
    return f"{prefix}{match['day']}-{int(match['seq']):03d}"
