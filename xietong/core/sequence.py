"""Daily numbers (D261126-001, XS…, T…): gap-free per day, unique under concurrent intake."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Counter


async def next_value(session: AsyncSession, key: str) -> int:
    """Increment ``key`` atomically in the caller's transaction (the row lock serialises racers)."""
    for _ in range(3):
        result = await session.execute(
            update(Counter).where(Counter.key == key).values(value=Counter.value + 1).returning(Counter.value)
        )
        value = result.scalar_one_or_none()
        if value is not None:
            return value
        try:
            async with session.begin_nested():
                session.add(Counter(key=key, value=1))
            return 1
        except IntegrityError:  # another transaction created it first: increment theirs
            continue
    raise RuntimeError(f"could not allocate a number for {key}")


async def daily_number(session: AsyncSession, prefix: str, day: date) -> str:
    stamp = day.strftime("%y%m%d")
    value = await next_value(session, f"{prefix}{stamp}")
    return f"{prefix}{stamp}-{value:03d}"

