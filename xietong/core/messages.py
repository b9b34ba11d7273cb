"""Words of the core domain: delivery set-asides, storage trouble, /状态."""

import re
from collections.abc import Iterable

from .commands import CommandDoc
from .roles import Role, labels

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


# Commands of the core plugin and its replies.

SET_ROLE = CommandDoc(
    "设岗", "/设岗 @成员 岗位…", "给成员设岗位（可多个）", roles=(Role.director,)
)
UNSET_ROLE = CommandDoc(
    "撤岗", "/撤岗 @成员 [岗位…]", "撤掉成员的岗位，不写岗位则全部撤掉", roles=(Role.director,)
)
ROLES = CommandDoc("岗位", "/岗位", "查看各岗位的成员", open_to_all=True)
HELP = CommandDoc(
    "帮助", "/帮助 [命令]", "列出你能用的命令，或看某个命令的用法", aliases=("help", "命令", "菜单", "说明"),
    open_to_all=True,
)
BACKUP = CommandDoc("备份", "/备份", "立即备份数据库（超级用户）", superuser_only=True)
RESEND = CommandDoc("补发", "/补发 编号", "重发被搁置的消息", superuser_only=True)
STATUS = CommandDoc("状态", "/状态", "机器人运行状态", superuser_only=True)
COMMANDS = (SET_ROLE, UNSET_ROLE, ROLES, HELP, BACKUP, RESEND, STATUS)

STATUS_NO_ARGUMENTS = "/状态 后面不用写别的，直接发 /状态 就行。"
TOO_OLD_TO_TRACE = "消息太久了，请写单号。"
BACKUP_POSTGRES = "数据库是 PostgreSQL：请用 pg_dump 备份（见 README「备份与恢复」）。"


def backed_up(path: str, removed: int) -> str:
    tail = f"，清理了 {removed} 份过期备份" if removed else ""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]  # the file's name only: no server paths in chat
    return f"已备份：{name}{tail}。"

NO_POST = "你还没有岗位，用不了这个命令：请找超级用户给你设个岗位。现在可用 /帮助、/岗位、/投诉。"
APOLOGY = "抱歉，处理时出了点问题，已记录。请稍后再试，或联系管理员。"
NEED_MENTION = "请 @ 要设置的成员，例如：/设岗 @张三 客服"
NEED_MENTION_UNSET = "请 @ 要撤岗的成员，例如：/撤岗 @张三 客服（不写岗位则全部撤掉）"
NEED_ROLE = "请写上岗位，例如：/设岗 @张三 客服 助理"
NO_MEMBERS = "（还没有成员，主任可用 /设岗 @成员 岗位 添加）"
UNKNOWN_COMMAND = "没有「{name}」这个命令。全部命令：/帮助"


def assigned(names: list[str], roles: str) -> str:
    return f"已设岗：{'、'.join(names)} → {roles}"


def revoked(lines: list[str]) -> str:
    return "已撤岗：\n" + "\n".join(lines)


def revoked_line(name: str, roles: str) -> str:
    return f"{name}：{roles or '本来就没有这些岗位'}"


# /帮助 groups commands by task; a command of a plugin not listed here goes under 其他.
TASKS = (
    ("订单", ("接单", "改单", "撤单", "订单", "看板", "待办", "销售单")),
    ("车间", ("备货完成", "缺货")),
    ("财务", ("到账", "未到账", "放行", "收款", "代收入账", "冲销", "收款记录", "应收", "催收", "运费结算", "对账")),
    ("开单发货", ("开单", "强制开单", "派车", "发货", "已通知", "到货", "异常", "异常解除", "代收", "运费")),
    ("客户", ("客户", "投诉", "处理", "跟进", "目标")),
    ("会议和报表", ("纪要", "周报", "月报", "提醒", "网页")),
    ("管理", ("岗位", "设岗", "撤岗", "备份", "补发", "状态", "假期", "帮助")),
)
HELP_HEADER = "你能用的命令（按事情分）："
HELP_FOOTER = "看某个命令的用法和例子：/帮助 命令名，如 /帮助 {name}"

# Examples for /帮助 命令 where the usage alone would make a poor one; {number} is the person's own order.
EXAMPLES = {
    "接单": "/接单\n客户：金陵建材\n品名：水泥 30吨\n单价：420\n付款方式：款到发货\n收货人：王工 13800000000\n地址：南京市江宁区东山街道88号",
    "改单": "/改单 {number}\n数量：40吨",
    "缺货": "/缺货 {number} 黄沙只有20吨",
    "未到账": "/未到账 {number} 客户说明天付",
    "撤单": "/撤单 {number} 客户不要了",
    "强制开单": "/强制开单 {number} 老客户，主任担保",
    "派车": "/派车 {number} 苏A12345 张师傅 13900000000 800",
    "发货": "/发货 {number} 30 SF1234567890",
    "异常": "/异常 {number} 车在高速上坏了，晚半天到",
    "冲销": "/冲销 {number} 第1笔 金额记错了",
    "催收": "/催收 {number} 已电话联系，答应月底付",
    "设岗": "/设岗 @张三 客服",
    "撤岗": "/撤岗 @张三 客服",
    "投诉": "/投诉 {number} 水泥结块",
}
_SAMPLES = (
    ("单号|客户", "{number}"), ("单号", "{number}"), ("[金额]", "3000"), ("金额", "3000"), ("[说明]", ""),
    ("说明", "已电话确认"), ("原因", "客户要求"), ("[件数]", "30"), ("[运单号]", ""), ("[客户]", ""),
    ("[YYYY-MM]", ""), ("[命令]", "接单"),
)


def help_text(docs: list[CommandDoc], held: set[Role], superuser: bool) -> str:
    """One line per task with the command names the person may use, their own department first."""
    usable = [d.name for d in docs if d.allowed(held, superuser)]
    listed = {name for _, names in TASKS for name in names}
    groups = [(title, [n for n in names if n in usable]) for title, names in TASKS]
    groups.append(("其他", [n for n in usable if n not in listed]))
    mine = {role.label for role in held}
    groups.sort(key=lambda g: g[0] not in mine)  # 车间/财务 people see their own commands first
    lines = [f"{title}：{' '.join('/' + n for n in names)}" for title, names in groups if names]
    first = next((n for _, names in groups for n in names if n != "帮助"), "订单")
    return "\n".join([HELP_HEADER, *lines, HELP_FOOTER.format(name=first)])


def example(doc: CommandDoc, number: str) -> str:
    """An example of ``doc`` with the person's own order number: written out above, or made from its usage."""
    if doc.name in EXAMPLES:
        return EXAMPLES[doc.name].format(number=number)
    text = re.split(r"[（｜(]| \+", doc.usage)[0]
    for placeholder, sample in _SAMPLES:
        text = text.replace(placeholder, sample)
    return " ".join(text.format(number=number).split())


def command_help(doc: CommandDoc, number: str) -> str:
    lines = [doc.usage, doc.brief]
    if doc.superuser_only:
        lines.append("只有超级用户可以用")
    elif doc.roles:
        lines.append(f"{labels(doc.roles)}可以用")
    if doc.aliases:
        lines.append("也可以写：" + " ".join("/" + a for a in doc.aliases))
    lines.append("例子：" + example(doc, number))
    return "\n".join(lines)


def unknown_command(typed: str, nearest: str | None) -> str:
    guess = f"你是不是要 /{nearest}？" if nearest else ""
    return f"没有这个命令 /{typed}，{guess}全部命令：/帮助"


# Start-up, housekeeping and the questions every command shares.

PLUGIN_NAME = "协同·核心"
PLUGIN_DESCRIPTION = "设置、数据库、岗位与权限、消息投递"
PLUGIN_USAGE = "/设岗 /撤岗 /岗位 /帮助"
BACKUP_JOB = "数据库备份"
FORGET_EVENTS_JOB = "清理已处理消息记录"
UNKNOWN_VERSION = "未知"


def cannot_start(problem: str) -> str:
    return f"协同无法启动：{problem}"


def bad_settings(errors: Iterable[tuple[str, str]]) -> str:
    """Pydantic's errors as (setting name, what is wrong)."""
    return "设置有误：" + "；".join(f"{name}：{problem}" for name, problem in errors)


def database_ready(url: str) -> str:
    return f"数据库就绪：{url}"


def resend_number(word: str) -> int | None:
    """/补发's message number: 12, #12, 第12条."""
    digits = word.lstrip("#第").rstrip("条")
    return int(digits) if digits.isdigit() else None


def need_number(example: str) -> str:
    return f"请写上单号（如 {example}），或直接回复机器人关于它的消息。"


# Settings, crontab lines and the numbers people type: what is wrong with them.

def cron_fields(count: int) -> str:
    return f"应为五段（分 时 日 月 周），这里有 {count} 段"


def bad_weekday(token: str) -> str:
    return f"星期只能是 0-7：{token}"


AMOUNT = "金额"  # the field an amount is for, when the caller names none
YUAN = "元"
CUT = "…（已截断）"


def not_a_number(text: str) -> str:
    return f"不是数字：{text}"


def number_too_long(text: str) -> str:
    return f"数字太长：{text}"


def money_unreadable(label: str, shown: str) -> str:
    return f"{label} 看不懂：{shown}"


def money_not_positive(label: str, shown: str) -> str:
    return f"{label} 必须大于 0：{shown}"


def money_too_large(label: str, shown: str) -> str:
    return f"{label} 太大：{shown}"


def money_too_fine(label: str, shown: str) -> str:
    return f"{label} 最多两位小数：{shown}"


def quantity_two_numbers(text: str) -> str:
    return f"数量 只能写一个数：{text}"


def quantity_vague(text: str) -> str:
    return f"数量 要写确切的数：{text}"


def quantity_unreadable(text: str) -> str:
    return f"数量 看不懂：{text}（如 30吨、十箱）"


def bad_phone(text: str) -> str:
    return f"电话 格式不对：{text}（手机 11 位，座机带区号，如 0550-3012345）"


def please_correct(head: str) -> str:
    return f"{head}，请改正："


def needs_post(roles: str) -> str:
    return f"这一步需要「{roles}」岗位。"


def unknown_posts(unknown: list[str], known: list[str]) -> str:
    return f"没有这个岗位：{'、'.join(unknown)}。可用岗位：{'、'.join(known)}"


def minutes(count: int) -> str:
    return f"{count} 分钟"


def hours_minutes(hours: int, minutes: int) -> str:
    return f"{hours} 小时 {minutes} 分钟"


def days(count: int) -> str:
    return f"{count} 天"


# Settings: what manage.py check and the start-up say about them.

BAD_DATABASE_URL = "应为 sqlite+aiosqlite:///文件 或 postgresql+asyncpg://用户:密码@主机/库名"
JSON_STRINGS = "应为 JSON 字符串列表"
AN_INTEGER = "应为整数"
TRUE_OR_FALSE = "应为 true 或 false"
A_PORT = "应为 1–65535 的端口号"
A_LOG_LEVEL = "应为 DEBUG、INFO、WARNING 或 ERROR"
NO_GROUPS = "XIETONG_GROUPS 还是空的：机器人不会回应任何群里的消息。例如：XIETONG_GROUPS=[123456789]"
NO_SUPERUSERS = "SUPERUSERS 还是空的：没有人能设岗位。例如：SUPERUSERS=[10001]"
UNPARSABLE = "（无法解析）"


def bad_duration(value: object) -> str:
    return f"时长写法不对：{value!r}，应为 90s、30m、2h 或 1d 这样的数字加单位"


def bad_cron(value: str, exc: Exception) -> str:
    return f"cron 写法不对：{value!r}（{exc}），应为五段式，如 '30 8 * * mon'"


def bad_work_hours(part: str) -> str:
    return f"工作时间写法不对：{part!r}，应为 08:30-12:00,13:30-18:00"


def work_hours_backwards(part: str) -> str:
    return f"工作时间 {part} 的开始应早于结束"


def bad_web_url(value: str) -> str:
    return f"网页地址写法不对：{value!r}，应为 http://192.168.1.10:8080 这样的地址"


def not_a_qq_list(value: object) -> str:
    return f"应为 QQ 号或群号的列表：{value!r}"


def not_a_qq(text: str) -> str:
    return f"「{text}」不是号码"


def exposed(host: str) -> str:
    return (
        f"HOST={host} 不是本机回环地址，却没有设置 ONEBOT_ACCESS_TOKEN：任何人都能冒充 QQ 连接。"
        "请在 .env 或环境变量中设置 ONEBOT_ACCESS_TOKEN（并在 OneBot 实现里填同一个），或把 HOST 改为 127.0.0.1。"
    )


def bad_setting(name: str, shown: str, why: str, example: str) -> str:
    line = f"设置 {name} 的值「{shown}」不对"
    line += f"（{why}）" if why else ""
    return line + (f"，正确写法如：{example}" if example else "")


def not_below(least: object) -> str:
    return f"不能小于 {least}"


def qq_list(exc: Exception) -> str:
    return f"应为 QQ 号列表：{exc}"


def plugins_missing(missing: list[str]) -> str:
    return f"插件 {'、'.join(missing)} 没能加载（原因见上面的日志）：机器人不会只带一部分功能运行，请修正后再启动。"


# manage.py check.

DATABASE_OK = "✓ 数据库可以连接"
DATABASE_EMPTY = "· 数据库还是空的：第一次启动时会建表"
DATABASE_BEHIND = "· 数据库结构不是最新的：启动时会自动升级"
QQ_NEVER_SEEN = "· QQ 还没有连接过：启动机器人后，在 OneBot 实现里填 ws://HOST:PORT/onebot/v11/ws"
SETTINGS_HEAD = "设置（环境变量优先于 .env；未写的用默认值）："
SETTINGS_OK = "✓ 设置没有问题"


def database_unreachable(exc: Exception) -> str:
    return f"✗ 数据库连不上：{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"


def qq_last_seen(self_id: int, at: str, recent: bool) -> str:
    mark = "✓" if recent else "·"
    return f"{mark} QQ（{self_id}）最后联系：{at}" + ("" if recent else "，最近几分钟没有联系（机器人没在运行，或 QQ 没连上）")


# Who did it, when the roster cannot say.

SYSTEM = "系统"  # who acted when nobody did: the scheduler, an escalation
A_COLLEAGUE = "同事"  # who answered, when the roster has no name for them


CHANGED = "修改"  # the timeline's word for a tracked change nobody explained
