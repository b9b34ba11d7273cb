"""Roles of SPEC §2: a member may hold several."""

from enum import Enum


class Role(str, Enum):
    director = "director"
    cs = "cs"
    logistics = "logistics"
    assistant = "assistant"
    workshop = "workshop"
    finance = "finance"
    vp = "vp"
    gm = "gm"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @classmethod
    def from_label(cls, word: str) -> "Role | None":
        """The role a user typed: its Chinese name (主任) or its key (director)."""
        word = word.strip()
        for role, label in ROLE_LABELS.items():
            if word in (label, role.value):
                return role
        return ROLE_ALIASES.get(word)


ROLE_LABELS: dict[Role, str] = {
    Role.director: "主任",
    Role.cs: "客服",
    Role.logistics: "物流",
    Role.assistant: "助理",
    Role.workshop: "车间",
    Role.finance: "财务",
    Role.vp: "副总",
    Role.gm: "总经理",
}

# What people also call these posts in the group.
ROLE_ALIASES: dict[str, Role] = {
    "营销中心主任": Role.director,
    "客服经理": Role.cs,
    "内勤": Role.cs,
    "物流管理员": Role.logistics,
    "营销助理": Role.assistant,
    "营销副总": Role.vp,
    "总经": Role.gm,
    "老板": Role.gm,
}


def labels(roles) -> str:
    """「客服、助理或主任」: how a refusal names the roles that may act."""
    names = [Role(r).label for r in roles]
    return "或".join(filter(None, ["、".join(names[:-1]), *names[-1:]]))
