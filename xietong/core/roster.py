"""The roster: who holds which role (SPEC §2), and the role checks every command uses."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from . import messages, roster_cache
from .errors import DomainError, Forbidden
from .models import Member, MemberRole
from .roles import Role, labels
from .work import Actor, Work

ADMIN_ROLES = (Role.director,)


_ROLES = select(MemberRole.__table__.c.role).where(MemberRole.__table__.c.qq == bindparam("qq"))


async def roles_of(session: AsyncSession, qq: int) -> set[Role]:
    """Asked for nearly every message (the access gate): from memory when this session's transaction read
    the roster's version (a message's reads, :mod:`roster_cache`); otherwise a Core statement built once, run
    through the session, so a write transaction's pending changes are autoflushed first (BENCHMARKS.md)."""
    cached = roster_cache.lookup(session)
    if cached is not None:
        roles = cached[0].roles.get(qq)
        if roles is not None:
            return set(roles)
    roles = frozenset(Role(r) for r in await session.scalars(_ROLES, {"qq": qq}))
    if cached is not None:
        roster_cache.remember(*cached, qq, roles)
    return set(roles)


@contextmanager
def _roster_flushed_only(session: AsyncSession) -> Iterator[None]:
    """Who holds a role is read without flushing the caller's other pending rows: a state change asks for the
    holders of the role it notifies after it wrote its reply, and flushing that reply here would insert the
    transaction's notifications by two statements instead of one (and, on PostgreSQL, take the outbox's
    commit-order lock before this read). A roster change pending in the same transaction is flushed as usual."""
    sync = session.sync_session
    if any(isinstance(row, MemberRole) for pending in (sync.new, sync.dirty, sync.deleted) for row in pending):
        yield
        return
    with sync.no_autoflush:
        yield


async def holders(session: AsyncSession, *roles: Role) -> list[int]:
    """QQ ids of everyone holding any of ``roles``, in a stable order (for @-mentions)."""
    with _roster_flushed_only(session):
        rows = await session.scalars(
            select(MemberRole.qq).where(MemberRole.role.in_([r.value for r in roles])).order_by(MemberRole.id)
        )
    return list(dict.fromkeys(rows))


async def holders_by_role(session: AsyncSession, *roles: Role) -> dict[Role, list[int]]:
    """:func:`holders` of each of ``roles`` in one statement (/接单 asks for three departments at once)."""
    with _roster_flushed_only(session):
        rows = await session.execute(
            select(MemberRole.role, MemberRole.qq).where(MemberRole.role.in_([r.value for r in roles]))
            .order_by(MemberRole.id)
        )
    found: dict[Role, list[int]] = {role: [] for role in roles}
    for role, qq in rows:
        found[Role(role)].append(qq)
    return found


async def is_member(session: AsyncSession, qq: int) -> bool:
    return await session.scalar(select(Member.qq).where(Member.qq == qq)) is not None


async def require(session: AsyncSession, actor: Actor | None, *roles: Role) -> set[Role]:
    """Refuse unless the caller holds one of ``roles`` (superusers always pass); return their roles."""
    if actor is None:
        return set(roles)
    held = await roles_of(session, actor.qq)
    if actor.superuser or held & set(roles):
        return held
    raise Forbidden(messages.needs_post(labels(roles)))


def parse_roles(words: Iterable[str]) -> list[Role]:
    """Role names as typed, each checked; unknown ones are named in the refusal."""
    roles, unknown = [], []
    for word in words:
        role = Role.from_label(word)
        if role is None:
            unknown.append(word)
        elif role not in roles:
            roles.append(role)
    if unknown:
        raise DomainError(messages.unknown_posts(unknown, [r.label for r in Role]))
    return roles


async def assign(w: Work, members: dict[int, str], roles: list[Role]) -> None:
    """/设岗: give each member the roles (kept if already held)."""
    await require(w.session, w.actor, *ADMIN_ROLES)
    for qq, name in members.items():
        member = await w.session.get(Member, qq)
        if member is None:
            w.session.add(Member(qq=qq, name=name))
        elif name and member.name != name:
            member.name = name
        held = await roles_of(w.session, qq)
        await w.session.flush()
        for role in roles:
            if role not in held:
                w.session.add(MemberRole(qq=qq, role=role.value))
        w.audit("设岗", f"qq:{qq}", "、".join(r.label for r in roles))


async def revoke(w: Work, members: Iterable[int], roles: list[Role]) -> dict[int, set[Role]]:
    """/撤岗: remove the named roles, or all of a member's roles when none is named; return what was removed."""
    await require(w.session, w.actor, *ADMIN_ROLES)
    removed: dict[int, set[Role]] = {}
    for qq in members:
        held = await roles_of(w.session, qq)
        gone = held & set(roles) if roles else held
        if gone:
            await w.session.execute(
                delete(MemberRole).where(MemberRole.qq == qq, MemberRole.role.in_([r.value for r in gone]))
            )
            w.audit("撤岗", f"qq:{qq}", "、".join(r.label for r in gone))
        removed[qq] = gone
    return removed


async def listing(session: AsyncSession) -> list[tuple[Role, list[Member]]]:
    """/岗位: every role with its holders, in SPEC order."""
    rows = (
        await session.execute(
            select(MemberRole.role, Member).join(Member, Member.qq == MemberRole.qq).order_by(MemberRole.id)
        )
    ).all()
    by_role: dict[Role, list[Member]] = {role: [] for role in Role}
    for role, member in rows:
        by_role[Role(role)].append(member)
    return list(by_role.items())


async def names(session: AsyncSession, qqs: Iterable[int]) -> dict[int, str]:
    qqs = list(qqs)
    if not qqs:
        return {}
    rows = await session.execute(select(Member.qq, Member.name).where(Member.qq.in_(qqs)))
    return {qq: name or str(qq) for qq, name in rows}


def superuser_ids(configured: Iterable[object]) -> frozenset[int]:
    """NoneBot's SUPERUSERS as QQ numbers, the one reading every check uses: ``10001`` and ``onebot:10001``
    (NoneBot's adapter-prefixed form) name the same person; another adapter's ids and non-numbers are left out."""
    found = (str(entry).strip().removeprefix("onebot:") for entry in configured)
    return frozenset(int(qq) for qq in found if qq.isdigit())
