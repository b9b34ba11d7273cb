"""Who may see and change the archive (SPEC §5): private chat only; director, cs, vp, gm see; cs, director write."""

from __future__ import annotations

from xietong.core import roster
from xietong.core.errors import DomainError
from xietong.core.roles import Role
from xietong.core.work import Actor, Work

from .messages import ASK_PRIVATELY

VIEW_ROLES = (Role.director, Role.cs, Role.vp, Role.gm)
EDIT_ROLES = (Role.cs, Role.director)


def ensure_private(actor: Actor | None) -> None:
    """The archive is never shown in a group: the caller is told to ask privately."""
    if actor is not None and actor.origin is not None and actor.origin.kind == "group":
        raise DomainError(ASK_PRIVATELY)


async def gate(w: Work, roles: tuple[Role, ...]) -> None:
    ensure_private(w.actor)
    await roster.require(w.session, w.actor, *roles)
