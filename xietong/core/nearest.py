"""The command a person most likely meant by a mistyped one: nearest by edit distance among those they may use."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz.distance import Levenshtein

_WORD = re.compile(r"[^\sA-Za-z\d]+|[A-Za-z]+")


def typed_word(text: str) -> str:
    """The command word of ``/查单D261124-003`` or ``/查单 D…``: the leading run of Chinese (or of Latin) letters."""
    match = _WORD.match(text)
    return match.group(0) if match else ""


def nearest(typed: str, names: Iterable[tuple[str, str]]) -> str | None:
    """The command (second of each ``(word, command)`` pair: a name or an alias and its command) closest to
    ``typed``; None when even the closest differs in more than half of its letters."""
    best = min(((Levenshtein.distance(typed, word), command) for word, command in names), default=None)
    if best is None or best[0] > max(1, len(typed) // 2):
        return None
    return best[1]
