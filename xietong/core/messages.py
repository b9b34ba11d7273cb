"""Words of the core domain: delivery set-asides, storage trouble, /状态."""

SUPERUSERS_ONLY = "这一步只有超级用户可以做。"
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

STATUS_HEAD = "协同运行状态"
STATUS_BACKUP_POSTGRES = "备份：PostgreSQL 由 pg_dump 备份（不在机器人里）"
STATUS_NO_BACKUP = "备份：还没有备份"
STATUS_NO_ANNOUNCEMENTS = "定时公告：没有排定"
STATUS_ANNOUNCEMENTS = "接下来的定时公告："


def status_version(version: str, started: str, uptime: str) -> str:
    return f"版本 {version}，{started} 启动，已运行 {uptime}"


def status_database(kind: str, migrated: bool) -> str:
    return f"数据库：{kind}，可以读取" + ("，结构是最新的" if migrated else "，结构不是最新版本（重启会自动升级）")


TRANSIENT_WORDS = {"outbox_message": "消息记录", "processed_event": "收到消息的去重记录"}


def status_storage(size: int | None, oldest_kind: str | None, oldest_at: str | None) -> str:
    """Size in MB and the oldest row that housekeeping would prune, so a year's growth can be seen."""
    line = "数据库大小：" + (f"{size / 1_000_000:.1f} MB" if size is not None else "未知")
    return line + (f"；最早的{oldest_kind}：{oldest_at}" if oldest_kind and oldest_at else "")


def status_qq_online(accounts: tuple[int, ...]) -> str:
    return f"QQ：已连接（{'、'.join(map(str, accounts))}）"


def status_qq_offline(last_seen: str | None, recent: bool) -> str:
    if last_seen is None:
        return "QQ：未连接，从没连上过"
    return f"QQ：未连接，最后联系 {last_seen}" + ("" if recent else "（请检查 QQ 客户端和 OneBot 实现）")


def status_outbox(pending: int, oldest: str | None, aside: int, aside_numbers: list[int]) -> str:
    line = f"待发消息 {pending} 条" + (f"（最早的已等 {oldest}）" if pending and oldest else "")
    if aside:
        more = "…" if aside > len(aside_numbers) else ""
        line += f"；搁置 {aside} 条（第 {'、'.join(map(str, aside_numbers))}{more} 条，/补发 编号 重发）"
    else:
        line += "；没有搁置的消息"
    return line


def status_backup(made: str, copies: int) -> str:
    return f"最近备份：{made}（共 {copies} 份）"
