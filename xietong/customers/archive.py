"""Finding a customer by the name people type: "金陵建材" finds "金陵建材有限公司"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core.errors import DomainError

from .models import Customer

# Words that do not tell two companies apart.
_NOISE = re.compile(r"(有限责任公司|股份有限公司|有限公司|公司|集团|厂|店|经营部|商行|\s)")


def core_name(name: str) -> str:
    return _NOISE.sub("", name)


class AmbiguousCustomer(DomainError):
    def __init__(self, typed: str, candidates: list[str]):
        super().__init__(f"客户「{typed}」对应多个档案：{'、'.join(candidates)}。请写全名。")
        self.candidates = candidates


@dataclass(frozen=True)
class Match:
    customer: Customer
    created: bool


async def candidates(session: AsyncSession, typed: str) -> list[Customer]:
    """Exact name first; otherwise every archive entry whose core name contains the typed one or vice versa."""
    typed = typed.strip()
    exact = await session.scalar(select(Customer).where(Customer.name == typed))
    if exact:
        return [exact]
    key = core_name(typed)
    if not key:
        return []
    pattern = f"%{key}%"
    rows = (await session.scalars(select(Customer).where(Customer.name.like(pattern)).order_by(Customer.name))).all()
    if not rows:
        # the typed name may be the longer one: "金陵建材有限公司南京分部" against "金陵建材"
        everyone = (await session.scalars(select(Customer).order_by(Customer.name))).all()
        rows = [c for c in everyone if core_name(c.name) and core_name(c.name) in key]
    return list(rows)


async def find(session: AsyncSession, typed: str) -> Customer | None:
    """The one customer meant, None when there is none; AmbiguousCustomer when several fit."""
    found = await candidates(session, typed)
    if len(found) > 1:
        raise AmbiguousCustomer(typed, [c.name for c in found])
    return found[0] if found else None


async def find_or_create(session: AsyncSession, typed: str) -> Match:
    """Intake's link to the archive: a new name creates an entry (and the reply says so)."""
    customer = await find(session, typed)
    if customer:
        return Match(customer, created=False)
    customer = Customer(name=typed.strip())
    session.add(customer)
    await session.flush()
    return Match(customer, created=True)
