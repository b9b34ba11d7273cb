"""Who holds which post, kept in memory for the reads of a message (the access gate, /待办's departments).

Posts change a few times a month; every message asked for them (one statement each, BENCHMARKS.md round 4).
The cache is exact, not timed: triggers on ``member_role`` give the one-row ``roster_version`` a new random
number in the same transaction as any change of the roster, by whoever makes it (migration 9c4e7a1d2f60), and
every message reads that number together with its dedupe check (:data:`VERSION`, one statement for both).
A number other than the cache's empties the cache. So a committed change — here or in another process on
the same database — is seen by the next message that starts after the commit; an uncommitted or rolled-back
one by nobody else, as in the database.

The cache answers only a session whose current transaction read the version (:func:`note`), so a write
transaction (``roster.require`` in a service, which may have changed the roster itself) and anything read
after a write of the same message read the database as before.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import RosterVersion
from .roles import Role

# A scalar subquery to select beside another statement's columns (``dedupe.seen``): no statement of its own.
VERSION = (
    select(RosterVersion.__table__.c.version).where(RosterVersion.__table__.c.id == 1).scalar_subquery()
)
_NOTED = "xietong_roster_version"  # session.info: (the transaction that read it, the version, the cache)
MOST = 10_000  # people remembered at once; beyond that the cache starts again (memory, not correctness)


class Cache:
    """One database's roster at one version: QQ id → posts."""

    def __init__(self) -> None:
        self.version: int | None = None
        self.roles: dict[int, frozenset[Role]] = {}

    def at(self, version: int) -> None:
        if version != self.version:
            self.version, self.roles = version, {}


_caches: WeakKeyDictionary[object, Cache] = WeakKeyDictionary()


def note(session: AsyncSession, owner: object, version: int | None) -> None:
    """Record the version this session's transaction read; ``owner`` is the database the cache belongs to.
    No version (the row is missing) leaves the session uncached."""
    if version is None:
        return
    cache = _caches.get(owner)
    if cache is None:
        cache = _caches[owner] = Cache()
    cache.at(version)
    session.info[_NOTED] = (session.sync_session.get_transaction(), version, cache)


def lookup(session: AsyncSession) -> tuple[Cache, int] | None:
    """The cache this session may use and the version it read, when its current transaction read one."""
    noted = session.info.get(_NOTED)
    if noted is None or noted[0] is not session.sync_session.get_transaction():
        return None
    _, version, cache = noted
    return (cache, version) if cache.version == version else None


def remember(cache: Cache, version: int, qq: int, roles: frozenset[Role]) -> None:
    """Keep what a transaction at ``version`` read, unless the cache has moved to another version since."""
    if cache.version != version:
        return
    if len(cache.roles) >= MOST:
        cache.roles = {}
    cache.roles[qq] = roles
