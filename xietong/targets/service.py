"""Setting monthly sales targets and measuring progress (主任: 组织实现公司销售目标；根据销售预算进行过程控制).

完成 is the month's sales as the monthly report counts them (by the month of the slip, cancelled orders
never). 时间已过 is the share of the month's days begun by today (past months 100%, later ones 0%).
Targets are set by the director, VP and GM; everyone with a post may read them.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core import clock, roster
from xietong.core.errors import DomainError, Forbidden
from xietong.core.numbers import normalize, parse_money_fen
from xietong.core.roles import Role
from xietong.core.work import Actor, Work
from xietong.parties.models import FieldPerson, PersonKind, Region
from xietong.reports.groups import GroupRow, by_region, by_salesperson, sales_total
from xietong.reports.monthly import Month

from . import messages as msg
from .models import SalesTarget

SET_ROLES = (Role.director, Role.vp, Role.gm)
COMPANY = "company"


def parse_month_word(text: str) -> Month | None:
    """``2026-12``, ``2026/12``, ``2026年12月``; None when the word is no month."""
    m = msg.MONTH.fullmatch(normalize(text).strip())
    if not m:
        return None
    if not 1 <= int(m["m"]) <= 12 or int(m["y"]) < 2000:
        raise DomainError(msg.bad_month(text))
    return Month(int(m["y"]), int(m["m"]))


def elapsed(month: Month, today: date) -> float:
    current = Month.of(today)
    if month < current:
        return 1.0
    if month > current:
        return 0.0
    return today.day / calendar.monthrange(month.year, month.month)[1]


@dataclass(frozen=True)
class Request:
    month: Month
    amount_fen: int
    region: str | None = None
    person: str | None = None


def parse_set(words: list[str]) -> Request:
    """``月份 金额`` | ``月份 区域 金额`` | ``月份 业务员 姓名 金额``; DomainError with the usage otherwise."""
    month = parse_month_word(words[0]) if words else None
    if month is None or len(words) not in (2, 3, 4) or (len(words) == 4 and words[1] not in msg.PERSON_WORDS):
        raise DomainError(msg.USAGE)
    try:
        amount = parse_money_fen(words[-1], msg.AMOUNT_FIELD)
    except ValueError as exc:
        raise DomainError(str(exc)) from exc
    if len(words) == 2:
        return Request(month, amount)
    if len(words) == 3:
        return Request(month, amount, region=words[1])
    return Request(month, amount, person=words[2])


async def set_target(w: Work, request: Request) -> SalesTarget:
    await roster.require(w.session, w.actor, *SET_ROLES)
    region_id = person_id = None
    if request.region is not None:
        region = await w.session.scalar(select(Region).where(Region.name == request.region))
        if region is None:
            known = list((await w.session.scalars(select(Region.name).order_by(Region.name))).all())
            raise DomainError(msg.no_region(request.region, known))
        scope, region_id, whose = f"region:{region.id}", region.id, msg.region_whose(region.name)
    elif request.person is not None:
        person = await w.session.scalar(
            select(FieldPerson).where(FieldPerson.kind == PersonKind.salesperson, FieldPerson.name == request.person)
        )
        if person is None:
            raise DomainError(msg.no_person(request.person))
        scope, person_id, whose = f"person:{person.id}", person.id, msg.person_whose(person.name)
    else:
        scope, whose = COMPANY, msg.COMPANY
    month = request.month.key
    target = await w.session.scalar(
        select(SalesTarget).where(SalesTarget.month == month, SalesTarget.scope == scope).with_for_update()
    )
    before = target.amount_fen if target else None
    if target is None:
        target = SalesTarget(month=month, scope=scope, region_id=region_id, person_id=person_id, amount_fen=0, set_by=0)
        w.session.add(target)
    target.amount_fen, target.set_by, target.set_at = request.amount_fen, w.actor.qq if w.actor else 0, clock.now()
    await w.session.flush()
    w.audit("设目标", f"target:{month}", f"{whose} {request.amount_fen} 分" + (f"（原 {before} 分）" if before else ""))
    w.reply(msg.target_set(month, whose, request.amount_fen, before))
    return target


@dataclass
class Progress:
    month: Month
    elapsed: float
    company_fen: int
    company_target_fen: int | None
    regions: list[GroupRow] = field(default_factory=list)
    salespeople: list[GroupRow] = field(default_factory=list)

    @property
    def any_target(self) -> bool:
        return bool(self.company_target_fen) or any(r.target_fen for r in (*self.regions, *self.salespeople))

    @property
    def behind(self) -> bool:
        return bool(self.company_target_fen) and self.company_fen / self.company_target_fen < self.elapsed


async def targets_of(session: AsyncSession, month: Month) -> dict[str, int]:
    rows = await session.execute(select(SalesTarget.scope, SalesTarget.amount_fen).where(SalesTarget.month == month.key))
    return dict(rows.all())


def _with_targets(rows: list[GroupRow], targets: dict[str, int], prefix: str, names: dict[int, str]) -> list[GroupRow]:
    """Each row with its target; entries with a target and no sales yet are listed too, at 0."""
    seen = {row.key for row in rows}
    for row in rows:
        row.target_fen = targets.get(f"{prefix}:{row.key}")
    for scope, amount in targets.items():
        kind, _, ident = scope.partition(":")
        if kind == prefix and int(ident) not in seen:
            rows.append(GroupRow(int(ident), names.get(int(ident), "?"), target_fen=amount))
    return rows


async def progress(session: AsyncSession, month: Month, today: date) -> Progress:
    targets = await targets_of(session, month)
    regions = dict((await session.execute(select(Region.id, Region.name))).all())
    people = dict((await session.execute(select(FieldPerson.id, FieldPerson.name))).all())
    return Progress(
        month,
        elapsed(month, today),
        await sales_total(session, month),
        targets.get(COMPANY),
        _with_targets(await by_region(session, month, today), targets, "region", regions),
        _with_targets(await by_salesperson(session, month, today), targets, "person", people),
    )


def progress_text(p: Progress) -> str:
    if not p.any_target:
        return msg.nothing_set(p.month.key)
    lines = [msg.head(p.month.key, p.elapsed), msg.progress_line(msg.COMPANY, p.company_fen, p.company_target_fen, p.elapsed)]
    for title, rows in ((msg.REGIONS, p.regions), (msg.SALESPEOPLE, p.salespeople)):
        shown = [r for r in rows if r.target_fen or r.sales_fen]
        if shown:
            lines.append(msg.section(title))
            lines += ["  " + msg.progress_line(r.label, r.sales_fen, r.target_fen, p.elapsed) for r in shown]
    return "\n".join(lines)


async def read(session: AsyncSession, actor: Actor, month: Month | None) -> str:
    """/目标 [月份]: anyone with a post."""
    if not actor.superuser and not await roster.roles_of(session, actor.qq):
        raise Forbidden(msg.NO_POST)
    today = clock.today()
    return progress_text(await progress(session, month or Month.of(today), today))
