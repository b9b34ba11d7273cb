"""Who may close complaints and read follow-ups: one list per rule, read by the services (the check) and by the
words module (the command docs /帮助 shows). The archive's own lists are ``xietong.parties.access``."""

from __future__ import annotations

from xietong.core.roles import Role

CLOSE_ROLES = (Role.cs, Role.director)
RECORD_ROLES = (Role.assistant, Role.cs, Role.director)
HISTORY_ROLES = (Role.assistant, Role.cs, Role.director, Role.vp, Role.gm)
