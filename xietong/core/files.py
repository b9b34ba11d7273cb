"""Files the bot makes (reports, slips, exports, backups): how chat names them, how QQ is handed them.

Chat never shows a server's absolute path: a file is named relative to the data folder
(``data/reports/月销量报表-2026-11.xlsx``). QQ gets a local path when it runs on the bot's machine
(``XIETONG_FILE_MODE=path``; go-cqhttp accepts nothing else) or the file's bytes as ``base64://…`` when it
runs elsewhere and cannot read our disk (``base64``; NapCat, LLOneBot, Lagrange).
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Literal

FileMode = Literal["path", "base64"]


def shown(path: str | Path, data_dir: str | Path) -> str:
    """``path`` as chat names it: the data folder's name and the path inside it (never absolute)."""
    data, file = Path(data_dir).resolve(), Path(path).resolve()
    try:
        inside = file.relative_to(data)
    except ValueError:
        return file.name
    return f"{data.name or 'data'}/{inside.as_posix()}"


def for_qq(path: str | Path, mode: FileMode) -> str:
    """The ``file`` argument of OneBot's upload calls (blocking: reads the file in ``base64`` mode)."""
    file = Path(path).resolve()
    if mode == "base64":
        return "base64://" + base64.b64encode(file.read_bytes()).decode("ascii")
    return str(file)
