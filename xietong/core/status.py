"""/状态: how the bot is doing, assembled from sections. A feature adds its own facts with
:func:`add_section` (a coroutine taking the session and the :class:`Runtime`, returning lines)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from . import backup, clock, housekeeping
from . import messages as msg
from .db import Database
from .migrate import current_revision, head_revision
from .models import OutboxMessage
from .presence import RECENT, latest


@dataclass(frozen=True)
class Runtime:
    """What only the running process knows; the chat layer fills it in."""

    version: str
    started_at: datetime
    database: Database
    connected: tuple[int, ...] = ()  # QQ accounts connected now
    backups: Path | None = None  # the SQLite backup folder (None on PostgreSQL)
    upcoming: tuple[tuple[str, datetime], ...] = field(default=())  # (announcement, next run), soonest first


Section = Callable[[AsyncSession, Runtime], Awaitable[list[str]]]
_sections: list[Section] = []


def add_section(section: Section) -> Section:
    _sections.append(section)
    return section


async def report(session: AsyncSession, runtime: Runtime) -> str:
    lines: list[str] = [msg.STATUS_HEAD]
    for section in _sections:
        lines.extend(await section(session, runtime))
    return "\n".join(lines)


def _age(since: datetime | None, at: datetime) -> str:
    if since is None:
        return "—"
    minutes = int((at - since).total_seconds() // 60)
    if minutes < 60:
        return msg.minutes(max(minutes, 0))
    if minutes < 48 * 60:
        return msg.hours_minutes(minutes // 60, minutes % 60)
    return msg.days(minutes // 1440)


@add_section
async def _process(session: AsyncSession, runtime: Runtime) -> list[str]:
    return [msg.status_version(runtime.version, clock.fmt_local(runtime.started_at), _age(runtime.started_at, clock.now()))]


@add_section
async def _database(session: AsyncSession, runtime: Runtime) -> list[str]:
    db = runtime.database
    kind = "SQLite" if db.is_sqlite else "PostgreSQL"
    current = await current_revision(db.engine)
    return [msg.status_database(kind, current == head_revision())]


@add_section
async def _qq(session: AsyncSession, runtime: Runtime) -> list[str]:
    if runtime.connected:
        return [msg.status_qq_online(runtime.connected)]
    last = await latest(session)
    at = clock.now()
    return [msg.status_qq_offline(clock.fmt_local(last.seen_at) if last else None,
                                  last is not None and at - last.seen_at < RECENT)]


@add_section
async def _storage(session: AsyncSession, runtime: Runtime) -> list[str]:
    facts = await housekeeping.storage(session)
    oldest = clock.fmt_local(facts.oldest_at) if facts.oldest_at else None
    return [msg.status_storage(facts.database_bytes, msg.TRANSIENT_WORDS.get(facts.oldest_table), oldest)]


@add_section
async def _outbox(session: AsyncSession, runtime: Runtime) -> list[str]:
    counts = dict(
        (await session.execute(
            select(OutboxMessage.status, func.count()).where(OutboxMessage.status != "sent").group_by(OutboxMessage.status)
        )).all()
    )
    oldest = await session.scalar(select(func.min(OutboxMessage.created_at)).where(OutboxMessage.status == "pending"))
    aside = (await session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.status == "aside").order_by(OutboxMessage.id.desc()).limit(5)
    )).all()
    return [msg.status_outbox(counts.get("pending", 0), _age(oldest, clock.now()) if oldest else None,
                              counts.get("aside", 0), list(reversed(aside)))]


@add_section
async def _backup(session: AsyncSession, runtime: Runtime) -> list[str]:
    if runtime.backups is None:
        return [msg.STATUS_BACKUP_POSTGRES]
    copies = sorted(runtime.backups.glob(f"{backup.PREFIX}*{backup.SUFFIX}")) if runtime.backups.exists() else []
    if not copies:
        return [msg.STATUS_NO_BACKUP]
    newest = copies[-1]
    made = datetime.fromtimestamp(newest.stat().st_mtime, tz=clock.now().tzinfo)
    return [msg.status_backup(clock.fmt_local(made), len(copies))]


@add_section
async def _announcements(session: AsyncSession, runtime: Runtime) -> list[str]:
    if not runtime.upcoming:
        return [msg.STATUS_NO_ANNOUNCEMENTS]
    return [msg.STATUS_ANNOUNCEMENTS, *(f"  {name}：{clock.fmt_local(at)}" for name, at in runtime.upcoming[:5])]
