"""Secrets never reach a log line.

NoneBot prints its whole configuration at DEBUG ("Loaded Config"), the access token and the database
URL with its password among it, and a traceback may print a URL. Every line passes through
:func:`redact` before it is written: values of keys that name a secret, the password of any URL, and
the secret values themselves once start-up has read them (:func:`remember`). ``bot.py`` installs it
twice: on the console sink from the first line on (:func:`masked_writer`; NoneBot's start-up replaces
loguru's patcher), and on every record once NoneBot is initialised (:func:`mask_every_record`), which
covers the log files as well.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TextIO

MASK = "***"
_SECRET_VALUE = re.compile(
    r"""(?P<key>\b[\w.-]*(?:token|secret|password|passwd)[\w.-]*['"]?\s*[:=]\s*)(?P<q>['"])(?:(?!(?P=q)).)+(?P=q)""",
    re.IGNORECASE,
)
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-z][\w+.-]*://[^:/?#@\s'\"]*:)[^@/\s'\"]+(?=@)", re.IGNORECASE)
_known: set[str] = set()


def remember(*secrets: str | None) -> None:
    """Mask these values wherever they appear from now on (short values would mask ordinary words)."""
    _known.update(secret for secret in secrets if secret and len(secret) >= 4)


def redact(text: str) -> str:
    for secret in sorted(_known, key=len, reverse=True):
        text = text.replace(secret, MASK)
    text = _SECRET_VALUE.sub(lambda m: f"{m['key']}{m['q']}{MASK}{m['q']}", text)
    return _URL_PASSWORD.sub(lambda m: m["head"] + MASK, text)


def masked_writer(stream: TextIO) -> Callable[[str], None]:
    """A loguru sink writing to ``stream`` with secrets masked: formatted lines, tracebacks included."""
    return lambda line: stream.write(redact(line))


def mask_every_record(logger: Any) -> None:
    """Mask the message of every record before any sink (the log files too) formats it, keeping the
    patcher already installed (NoneBot's, which names the plugin). loguru keeps no public handle on it."""
    previous = getattr(getattr(logger, "_core", None), "patcher", None)

    def patcher(record: Any) -> None:
        if previous is not None:
            previous(record)
        record["message"] = redact(record["message"])

    logger.configure(patcher=patcher)
