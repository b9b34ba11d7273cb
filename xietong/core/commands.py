"""A command declared once, as data: the feature's words module holds it, and the chat side reads it for the
matcher, the refusal by role and /帮助. Here, below every feature, so a domain words module can hold its docs."""

from __future__ import annotations

from dataclasses import dataclass

from .roles import Role


@dataclass(frozen=True)
class CommandDoc:
    name: str
    usage: str
    brief: str
    roles: tuple[Role, ...] = ()  # empty: every roster member
    aliases: tuple[str, ...] = ()
    superuser_only: bool = False
    confidential: bool = False  # its messages are logged without their contents (quiet_log.py)
    open_to_all: bool = False  # people with no post may use it too (access.py)

    def allowed(self, held: set[Role], superuser: bool) -> bool:
        if self.superuser_only:
            return superuser
        if superuser:
            return True
        if not held:
            return self.open_to_all
        return not self.roles or bool(held & set(self.roles))
