"""The database refusing writes (disk full, read-only, server gone): told apart from a bug, told once."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, OperationalError

# PostgreSQL: insufficient resources (53…: disk full, out of memory), read-only transaction, I/O error
_UNWRITABLE_STATES = ("53", "25006", "58030")


def unwritable(exc: BaseException | None) -> bool:
    """True when ``exc`` says the database could not take a write, not that the command is wrong."""
    if isinstance(exc, OperationalError):  # SQLite: database or disk is full, readonly, locked; PG: gone
        return True
    if isinstance(exc, DBAPIError):
        state = str(getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None) or "")
        return state.startswith(_UNWRITABLE_STATES)
    return False


class Health:
    """Whether the administrators were told about the current trouble (told once, re-armed by a write)."""

    def __init__(self) -> None:
        self.told = False

    def failed(self) -> bool:
        """A write failed; True when this is news to tell."""
        news, self.told = not self.told, True
        return news

    def wrote(self) -> None:
        self.told = False


health = Health()
