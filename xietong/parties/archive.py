"""Finding a customer by the name people type: "金陵建材" finds "金陵建材有限公司".

Names are identifiers: folded (NFKC, one space between words) before they are stored or compared, so
"（南京）" and "(南京)" name one customer. A typed name is matched in this order:

1. the exact (folded) name;
2. archive names containing the typed name's *core* — the name without its company suffixes (有限公司, 公司,
   集团, 厂 …) — case-insensitively; a core of one character is too short to guess from. When several contain
   it and exactly one has the same core ("金陵建材" against 金陵建材有限公司 and 金陵建材科技有限公司), that one
   is meant;
3. archive names whose core is contained in the typed name ("金陵建材有限公司南京分部" finds 金陵建材); the
   longest such core wins.

Whatever is left with more than one candidate is ambiguous: :class:`AmbiguousCustomer`. Archive-only
customers are confidential, so it names the candidates only when asked to (``reveal``: the archive card,
read in private chat by an archive role); anywhere else it asks for the full name or the order number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core.errors import DomainError
from xietong.core.numbers import normalize

from . import messages as msg
from .models import Customer

NAME_MAX = 100
SHOWN_CANDIDATES = 8

# Words at the end of a name that do not tell two companies apart (longest first).
_SUFFIXES = (
    "有限责任公司", "股份有限公司", "有限公司", "分公司", "公司", "集团", "经营部", "商行", "商店", "厂", "店",
)


def fold_name(name: str) -> str:
    """The stored spelling of a name: NFKC-folded, words separated by one space."""
    return " ".join(normalize(name).split())


def core_name(name: str) -> str:
    """What tells a company apart: the folded name without spaces and its trailing company suffixes."""
    core = fold_name(name).replace(" ", "")
    stripped = True
    while stripped:
        stripped = False
        for suffix in _SUFFIXES:
            if core.endswith(suffix) and len(core) > len(suffix):
                core = core[: -len(suffix)]
                stripped = True
                break
    return core


class AmbiguousCustomer(DomainError):
    def __init__(self, typed: str, candidates: list[str], *, reveal: bool = False):
        if reveal:
            super().__init__(msg.ambiguous_shown(typed, candidates, SHOWN_CANDIDATES))
        else:
            super().__init__(msg.ambiguous(typed))
        self.typed = typed
        self.candidates = candidates


@dataclass(frozen=True)
class Match:
    customer: Customer
    created: bool


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _narrow(found: list[Customer], prefer: Callable[[Customer], bool]) -> list[Customer]:
    """The one entry ``prefer`` picks out, or all of them when it picks none or several."""
    preferred = [c for c in found if prefer(c)]
    return preferred if len(preferred) == 1 else found


async def candidates(session: AsyncSession, typed: str) -> list[Customer]:
    """Every archive entry the typed name may mean, best first: one entry when it is clear, none when none fits."""
    name = fold_name(typed)
    if not name:
        return []
    exact = await session.scalar(select(Customer).where(Customer.name == name))
    if exact:
        return [exact]
    key = core_name(name)
    if len(key) < 2:
        return []
    rows = list(
        (
            await session.scalars(
                select(Customer)
                .where(func.replace(Customer.name, " ", "").ilike(f"%{_like_escape(key)}%", escape="\\"))
                .order_by(Customer.name)
            )
        ).all()
    )
    if rows:
        return _narrow(rows, lambda c: core_name(c.name).lower() == key.lower())
    # The typed name may be the longer one: "金陵建材有限公司南京分部" against 金陵建材.
    everyone = (await session.execute(select(Customer.id, Customer.name))).all()
    lowered = key.lower()
    inside = {cid: core_name(n) for cid, n in everyone if len(core_name(n)) >= 2 and core_name(n).lower() in lowered}
    if not inside:
        return []
    longest = max(len(core) for core in inside.values())
    ids = [cid for cid, core in inside.items() if len(core) == longest]
    return list((await session.scalars(select(Customer).where(Customer.id.in_(ids)).order_by(Customer.name))).all())


async def find(session: AsyncSession, typed: str, *, reveal: bool = False) -> Customer | None:
    """The one customer meant, None when there is none; AmbiguousCustomer (naming the candidates only
    when ``reveal``) when several fit."""
    found = await candidates(session, typed)
    if len(found) > 1:
        raise AmbiguousCustomer(typed.strip(), [c.name for c in found], reveal=reveal)
    return found[0] if found else None


def check_name(typed: str) -> str:
    """A name fit for the archive, folded; DomainError when it is empty or too long."""
    name = fold_name(typed)
    if not name:
        raise DomainError(msg.EMPTY_NAME)
    if len(name) > NAME_MAX:
        raise DomainError(msg.name_too_long(NAME_MAX, name))
    return name


async def find_or_create(session: AsyncSession, typed: str) -> Match:
    """Intake's link to the archive: a new name creates an entry (and the reply says so).

    Two intakes racing to create the same new customer end up with one entry: the loser finds the winner's.
    """
    customer = await find(session, typed)
    if customer:
        return Match(customer, created=False)
    name = check_name(typed)
    customer = Customer(name=name)
    try:
        async with session.begin_nested():
            session.add(customer)
    except IntegrityError:
        existing = await session.scalar(select(Customer).where(Customer.name == name))
        if existing is None:
            raise
        return Match(existing, created=False)
    return Match(customer, created=True)
