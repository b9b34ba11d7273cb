"""Examples in hints use the person's own numbers: the order they last worked on, not a made-up one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from . import clock
from .models import AuditEvent


async def own_number(session: AsyncSession, qq: int, prefix: str = "D") -> str:
    """The ``prefix`` number (order D…, ticket T…) this person last acted on; else the newest one; else
    today's first (which reads like a real number)."""
    like = AuditEvent.subject.like(f"{prefix}______-___")
    for mine in (AuditEvent.actor_qq == qq, True):
        found = await session.scalar(
            select(AuditEvent.subject).where(like, mine).order_by(AuditEvent.id.desc()).limit(1)
        )
        if found:
            return found
    return f"{prefix}{clock.today():%y%m%d}-001"
