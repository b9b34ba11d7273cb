"""Who may act on money: one list per rule, read by the services (the check) and by the words module (the
command docs /帮助 shows)."""

from __future__ import annotations

from xietong.core.roles import Role

FINANCE = (Role.finance,)
READ_ROLES = (Role.finance, Role.cs, Role.director, Role.vp, Role.gm)
COLLECT_ROLES = (Role.cs, Role.director)  # regulation: the director organises collection
STATEMENT_ROLES = (Role.cs, Role.finance, Role.director)
