"""Words of the core domain: delivery set-asides, storage trouble, /状态."""

SUPERUSERS_ONLY = "这一步只有超级用户（SUPERUSERS）可以做。"
STORAGE_TROUBLE = "数据库暂时无法写入，已通知管理员，请稍后重试。"
STORAGE_TROUBLE_ADMIN = "数据库暂时无法写入（磁盘满或只读），命令都在失败：请尽快腾出空间或检查权限，恢复后会自动继续。"
STORAGE_BACK = "数据库已恢复写入。"
RESEND_USAGE = "请写上要补发的消息编号，例如：/补发 12"


def to_group(group_id: int) -> str:
    return f"群 {group_id}"


def to_person(qq: int) -> str:
    return f"{qq} 的私聊"


def set_aside(number: int, written: str, where: str, subject: str | None) -> str:
    about = f"，关于 {subject}" if subject else ""
    return f"第 {number} 条消息（{written} 发往{where}{about}）QQ 一直拒收，已搁置；超级用户发送 /补发 {number} 可重发。"


def no_such_message(number: int) -> str:
    return f"没有第 {number} 条消息。"


STATUS_WORDS = {"sent": "已发出", "pending": "正在等待发送", "aside": "已搁置"}


def not_set_aside(number: int, status: str) -> str:
    return f"第 {number} 条消息{STATUS_WORDS.get(status, status)}，不用补发。"


def resent(number: int, where: str) -> str:
    return f"第 {number} 条消息已重新排队，马上重发（发往{where}）。"
