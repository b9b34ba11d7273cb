"""Message text helpers: QQ's length limit, and what may come in from a chat at all."""

import re

from . import messages
from .messages import CUT

QQ_TEXT_LIMIT = 1500  # about what QQ takes in one message, counted in characters; the budget of an echo

# Control characters but line breaks and tabs (NUL breaks PostgreSQL, ESC drives terminals reading the
# log), and the bidi overrides and isolates that make a name or a number read backwards.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Text from a chat made safe to store and to post back: applied once, where it comes in."""
    return _UNSAFE.sub("", text)


def clip(text: str, limit: int = QQ_TEXT_LIMIT) -> str:
    """``text`` cut to ``limit`` characters, the cut marked."""
    return text if len(text) <= limit else text[: limit - len(CUT)] + CUT


def split_text(text: str, limit: int = QQ_TEXT_LIMIT) -> list[str]:
    """Split at line breaks so that each part stays under the limit; cut a line only when it alone is too long."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current or not parts:
        parts.append(current)
    return parts


def problem_list(head: str, problems: list[str], footer: str = "", limit: int = QQ_TEXT_LIMIT) -> str:
    """One reply naming the problems of the input, and how to write it right, within ``limit``: the
    first problems in full, the rest cut (a 10,000-line paste is not answered line by line)."""
    head = messages.please_correct(head)
    room = limit - len(head) - len(footer)
    lines: list[str] = []
    for problem in problems:
        line = f"· {problem}"
        if len(line) + 1 > room:
            if room > len(CUT) + 3:
                lines.append(clip(line, room - 1))
            break
        lines.append(line)
        room -= len(line) + 1
    return clip("\n".join([head, *lines]) + footer, limit)
