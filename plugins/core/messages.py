"""Words of the core plugin: command docs and replies."""

from xietong.core.roles import Role

from .commands import CommandDoc

SET_ROLE = CommandDoc(
    "设岗", "/设岗 @成员 岗位…", "给成员设岗位（可多个）", roles=(Role.director,)
)
UNSET_ROLE = CommandDoc(
    "撤岗", "/撤岗 @成员 [岗位…]", "撤掉成员的岗位，不写岗位则全部撤掉", roles=(Role.director,)
)
ROLES = CommandDoc("岗位", "/岗位", "查看各岗位的成员", open_to_all=True)
HELP = CommandDoc("帮助", "/帮助 [命令]", "列出你能用的命令，或看某个命令的用法", aliases=("help",), open_to_all=True)
BACKUP = CommandDoc("备份", "/备份", "立即备份数据库（超级用户）", superuser_only=True)
RESEND = CommandDoc("补发", "/补发 编号", "重发被搁置的消息", superuser_only=True)
STATUS = CommandDoc("状态", "/状态", "机器人运行状态", superuser_only=True)
COMMANDS = (SET_ROLE, UNSET_ROLE, ROLES, HELP, BACKUP, RESEND, STATUS)

STATUS_NO_ARGUMENTS = "/状态 后面不用写别的，直接发 /状态 就行。"
SUPERUSERS_ONLY = "这一步只有超级用户（SUPERUSERS）可以做。"
TOO_OLD_TO_TRACE = "消息太久了，请写单号。"
BACKUP_POSTGRES = "数据库是 PostgreSQL：请用 pg_dump 备份（见 README「备份与恢复」）。"


def backed_up(path: str, removed: int) -> str:
    tail = f"，清理了 {removed} 份过期备份" if removed else ""
    return f"已备份：{path}{tail}。"

NO_POST = "你还没有岗位，用不了这个命令：请找超级用户给你设个岗位。现在可用 /帮助、/岗位、/投诉。"
APOLOGY = "抱歉，处理时出了点问题，已记录。请稍后再试，或联系管理员。"
NEED_MENTION = "请 @ 要设置的成员，例如：/设岗 @张三 客服"
NEED_MENTION_UNSET = "请 @ 要撤岗的成员，例如：/撤岗 @张三 客服（不写岗位则全部撤掉）"
NEED_ROLE = "请写上岗位，例如：/设岗 @张三 客服 助理"
NO_MEMBERS = "（还没有成员，主任可用 /设岗 @成员 岗位 添加）"
HELP_HEADER = "你能用的命令："
HELP_FOOTER = "发送 /帮助 命令名 看详细用法。"
UNKNOWN_COMMAND = "没有「{name}」这个命令。发送 /帮助 看你能用的命令。"


def assigned(names: list[str], roles: str) -> str:
    return f"已设岗：{'、'.join(names)} → {roles}"


def revoked(lines: list[str]) -> str:
    return "已撤岗：\n" + "\n".join(lines)


def revoked_line(name: str, roles: str) -> str:
    return f"{name}：{roles or '本来就没有这些岗位'}"


def help_text(docs: list[CommandDoc], held: set[Role], superuser: bool) -> str:
    lines = [f"{d.usage} — {d.brief}" for d in docs if d.allowed(held, superuser)]
    return "\n".join([HELP_HEADER, *lines, HELP_FOOTER])
