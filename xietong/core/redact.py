"""Secrets never reach a log line.

NoneBot prints its whole configuration at DEBUG ("Loaded Config"), the access token and the database
URL with its password among it, and a traceback may print a URL. Every line passes through
:func:`redact` before it is written: values of keys that name a secret, the password of any URL, and
the secret values themselves once start-up has read them (:func:`remember`).
"""

from __future__ import annotations

import re

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
