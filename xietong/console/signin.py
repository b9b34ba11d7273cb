"""Signing in to the web console from QQ: one-time links, 12-hour sessions, and who is behind a cookie.

A token is 32 random bytes handed to one person; the table keeps only its SHA-256, so neither a backup nor
a look at the database lets anyone sign in. A link is redeemed by one atomic UPDATE (``used_at IS NULL``),
so two browsers racing with the same link cannot both get in. The roster is read again at every request
(:func:`visitor`): a person whose post is removed is out at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core import clock, roster
from xietong.core.errors import DomainError, Forbidden
from xietong.core.models import Member
from xietong.core.roles import Role
from xietong.core.work import Actor, Work

from . import messages as msg
from .models import TokenKind, WebToken

LINK_VALID = timedelta(minutes=10)
SESSION_VALID = timedelta(hours=12)
FORGET_AFTER = timedelta(days=7)  # expired rows are deleted this long after they expire


class SignInRefused(DomainError):
    """The link cannot be used; the message says why and what to do."""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> str:
    return secrets.token_urlsafe(32)


async def issue_link(w: Work) -> str:
    """/网页: a fresh one-time sign-in token for the caller (who must hold a post)."""
    assert w.actor is not None
    if not await roster.roles_of(w.session, w.actor.qq):
        raise Forbidden(msg.NO_POST)
    now = clock.now()
    await w.session.execute(delete(WebToken).where(WebToken.expires_at < now - FORGET_AFTER))
    token = _new_token()
    w.session.add(WebToken(digest=digest(token), kind=TokenKind.link, qq=w.actor.qq, expires_at=now + LINK_VALID))
    w.audit("网页链接", f"qq:{w.actor.qq}", "发出登录链接")
    return token


async def check_link(session: AsyncSession, token: str) -> None:
    """Raise :class:`SignInRefused` unless the link could be redeemed now (the landing page asks first)."""
    row = await session.scalar(select(WebToken).where(WebToken.digest == digest(token), WebToken.kind == TokenKind.link))
    _refuse_link(row)
    assert row is not None
    if not await roster.roles_of(session, row.qq):
        raise SignInRefused(msg.NO_POST_WEB)


def _refuse_link(row: WebToken | None) -> None:
    if row is None:
        raise SignInRefused(msg.LINK_UNKNOWN)
    if row.ended_at is not None:
        raise SignInRefused(msg.LINK_ENDED)
    if row.used_at is not None:
        raise SignInRefused(msg.LINK_USED)
    if row.expires_at <= clock.now():
        raise SignInRefused(msg.LINK_EXPIRED)


async def redeem(w: Work, token: str) -> str:
    """Use the link once and open a session; returns the session token (the cookie's value)."""
    now = clock.now()
    key = digest(token)
    used = await w.session.execute(
        update(WebToken)
        .where(
            WebToken.digest == key, WebToken.kind == TokenKind.link, WebToken.used_at.is_(None),
            WebToken.ended_at.is_(None), WebToken.expires_at > now,
        )
        .values(used_at=now)
    )
    row = await w.session.scalar(select(WebToken).where(WebToken.digest == key, WebToken.kind == TokenKind.link))
    if used.rowcount != 1 or row is None:
        _refuse_link(row)
        raise SignInRefused(msg.LINK_USED)  # another browser won the race
    if not await roster.roles_of(w.session, row.qq):
        raise SignInRefused(msg.NO_POST_WEB)
    session_token = _new_token()
    w.session.add(WebToken(digest=digest(session_token), kind=TokenKind.session, qq=row.qq, expires_at=now + SESSION_VALID))
    Work(w.session, Actor(qq=row.qq)).audit("网页登录", f"qq:{row.qq}", "用登录链接登录网页控制台")
    return session_token


@dataclass(frozen=True)
class Visitor:
    """The person behind a session cookie, with the posts they hold now."""

    qq: int
    name: str
    roles: frozenset[Role]
    superuser: bool = False

    def actor(self) -> Actor:
        return Actor(qq=self.qq, name=self.name, superuser=self.superuser)

    def may(self, roles: tuple[Role, ...]) -> bool:
        """As :func:`roster.require`: any of ``roles`` (none: anyone with a post), superusers always."""
        return not roles or self.superuser or bool(self.roles & set(roles))


async def visitor(session: AsyncSession, token: str | None, superusers: frozenset[int] = frozenset()) -> Visitor | None:
    """Who holds this session cookie, if the session is live and they still hold a post."""
    if not token:
        return None
    qq = await session.scalar(
        select(WebToken.qq).where(
            WebToken.digest == digest(token), WebToken.kind == TokenKind.session,
            WebToken.ended_at.is_(None), WebToken.expires_at > clock.now(),
        )
    )
    if qq is None:
        return None
    roles = await roster.roles_of(session, qq)
    if not roles:
        return None  # no post, no console — even for a superuser
    name = await session.scalar(select(Member.name).where(Member.qq == qq)) or str(qq)
    return Visitor(qq, name, frozenset(roles), qq in superusers)


async def end_session(w: Work, token: str) -> None:
    """The console's 退出 button: end this browser's session only (/网页 退出 ends them all)."""
    ended = await w.session.execute(
        update(WebToken)
        .where(WebToken.digest == digest(token), WebToken.kind == TokenKind.session, WebToken.ended_at.is_(None))
        .values(ended_at=clock.now())
        .returning(WebToken.qq)
    )
    for (qq,) in ended:
        Work(w.session, Actor(qq=qq)).audit("网页退出", f"qq:{qq}", "在网页上退出")


async def sign_out(w: Work) -> int:
    """/网页 退出: end every session of the caller, and any link not yet used; how many sessions ended."""
    assert w.actor is not None
    now = clock.now()
    live = or_(WebToken.kind == TokenKind.session, WebToken.used_at.is_(None))
    ended = await w.session.execute(
        update(WebToken)
        .where(WebToken.qq == w.actor.qq, WebToken.ended_at.is_(None), WebToken.expires_at > now, live)
        .values(ended_at=now)
        .returning(WebToken.kind)
    )
    sessions = sum(1 for (kind,) in ended if kind == TokenKind.session)
    w.audit("网页退出", f"qq:{w.actor.qq}", f"结束 {sessions} 个登录")
    return sessions
