"""Regions, salespeople and region managers as archive entries (客户资料管理制度: 按照分管的区域登记、存档).

They are as confidential as the customers (private chat; director, cs, vp, gm see; cs and director write) and
every view and change is audited. A customer's 地区 and 业务员 name entries: saving a customer finds the entry
of that name, or creates it (a new salesperson lands in the customer's region).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core.errors import DomainError
from xietong.core.phone import normalize_phone
from xietong.core.work import Work
from xietong.parties.access import EDIT_ROLES, VIEW_ROLES, gate
from xietong.parties.models import Customer, FieldPerson, PersonKind, Region

from . import messages as msg

NAME_MAX = 50


def fold(name: str) -> str:
    return " ".join(name.split())


def check(name: str, what: str) -> str:
    name = fold(name)
    if not name:
        raise DomainError(msg.empty_name(what))
    if len(name) > NAME_MAX:
        raise DomainError(msg.entry_name_too_long(what, NAME_MAX, name))
    return name


async def region_named(session: AsyncSession, name: str, *, create: bool = True) -> Region | None:
    """The region of that name; created when ``create`` (a typed 地区 is an entry from then on)."""
    name = fold(name)
    if not name:
        return None
    region = await session.scalar(select(Region).where(Region.name == name))
    if region is None and create:
        region = Region(name=check(name, msg.REGION_WORD))
        session.add(region)
        await session.flush()
    return region


async def person_named(session: AsyncSession, kind: PersonKind, name: str) -> FieldPerson | None:
    return await session.scalar(select(FieldPerson).where(FieldPerson.kind == kind, FieldPerson.name == fold(name)))


async def link(session: AsyncSession, customer: Customer) -> None:
    """Point the customer at the entries its 地区 and 业务员 name (created when new)."""
    region = await region_named(session, customer.region)
    customer.region_id = region.id if region else None
    salesman = fold(customer.salesman)
    person = None
    if salesman:
        person = await person_named(session, PersonKind.salesperson, salesman)
        if person is None:
            person = FieldPerson(kind=PersonKind.salesperson, name=check(salesman, PersonKind.salesperson.value),
                                 region_id=customer.region_id)
            session.add(person)
            await session.flush()
    customer.salesperson_id = person.id if person else None


async def save_person(w: Work, kind: PersonKind, name: str, region_name: str, phone: str) -> FieldPerson:
    """/区域 业务员|经理 姓名 区域 [电话]: a new entry, or the region and phone of an existing one changed."""
    await gate(w, EDIT_ROLES)
    name = check(name, kind.value)
    region = await region_named(w.session, check(region_name, msg.REGION_WORD))
    assert region is not None
    try:
        phone = normalize_phone(phone) if phone else ""
    except ValueError as exc:
        raise DomainError(str(exc)) from exc
    person = await person_named(w.session, kind, name)
    created = person is None
    if person is None:
        person = FieldPerson(kind=kind, name=name)
        w.session.add(person)
    person.region_id, person.phone = region.id, phone or person.phone
    await w.session.flush()
    w.audit("新增档案" if created else "修改档案", f"person:{person.id}",
            f"{kind.value} {name}，区域 {region.name}" + (f"，电话 {phone}" if phone else ""))
    w.reply(msg.person_saved(kind.value, name, region.name, person.phone, created))
    return person


async def add_region(w: Work, name: str) -> Region:
    await gate(w, EDIT_ROLES)
    name = check(name, msg.REGION_WORD)
    if await region_named(w.session, name, create=False):
        raise DomainError(msg.region_exists(name))
    region = await region_named(w.session, name)
    assert region is not None
    w.audit("新增档案", f"region:{region.id}", f"区域 {name}")
    w.reply(msg.region_added(name))
    return region


async def overview(w: Work) -> str:
    """/区域: every region with its managers, salespeople and how many customers it has."""
    await gate(w, VIEW_ROLES)
    regions = (await w.session.scalars(select(Region).order_by(Region.name))).all()
    people = (await w.session.scalars(select(FieldPerson).order_by(FieldPerson.kind, FieldPerson.name))).all()
    counts = dict(
        (await w.session.execute(select(Customer.region_id, func.count()).group_by(Customer.region_id))).all()
    )
    w.audit("查看客户", "region:list", f"{len(regions)} 个区域，{len(people)} 人")
    return msg.region_overview(regions, people, counts)
