"""Message text helpers: QQ's length limit."""

QQ_TEXT_LIMIT = 1500  # about what QQ takes in one message, counted in characters


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


def problem_list(head: str, problems: list[str], footer: str = "") -> str:
    """One reply naming every problem of the input, and how to write it right."""
    return f"{head}，请改正：\n" + "\n".join(f"· {p}" for p in problems) + footer
