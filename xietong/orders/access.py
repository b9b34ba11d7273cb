"""Who may act on an order: one list per rule, read by the services (the check) and by the words module (the
command docs /帮助 shows)."""

from __future__ import annotations

from xietong.core.roles import Role

from .enums import Department

DEPARTMENT_ROLE = {
    Department.workshop: Role.workshop,
    Department.finance: Role.finance,
    Department.logistics: Role.logistics,
}
INTAKE_ROLES = (Role.cs, Role.assistant, Role.director)
CHANGE_ROLES = (Role.cs, Role.director)
ISSUE_ROLES = (Role.cs,)
FORCE_ROLES = (Role.director,)
NOTICE_ROLES = (Role.cs,)
