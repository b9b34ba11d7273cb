"""Order, slip and ticket numbers (D…, XS…, T…) as people type them: any case, with or without the letter."""

from __future__ import annotations

import re

_TRAILING = "。，,.！!、；;：:？?~～ \t\u3000"
_NUMBER = re.compile(rf"^(?P<prefix>[A-Za-z]{{0,2}})-?(?P<day>\d{{6}})-?(?P<seq>\d{{1,4}})[{_TRAILING}]*$")
_GLUED = re.compile(rf"^(?P<number>[A-Za-z]{{0,2}}-?\d{{6}}-?\d{{1,4}})[{_TRAILING}]+(?P<rest>\S.*)$")


def parse_number(text: str, prefix: str = "D") -> str | None:
    """``d261126-001``, ``261126-1``, ``D261126001``, ``D261126-001。`` → ``D261126-001``; None when it is no
    such number. Trailing punctuation (。，！ …) is not part of it."""
    match = _NUMBER.match(text.strip())
    if not match:
        return None
    typed = match["prefix"].upper()
    if typed and typed != prefix:
        return None
    return f"{prefix}{match['day']}-{int(match['seq']):03d}"


def split_glued(word: str) -> list[str]:
    """``D261126-001，水泥只有20吨`` → the number and the rest: people type no space after the comma."""
    match = _GLUED.match(word)
    return [match["number"], match["rest"]] if match else [word]
