"""Command words of the orders plugin."""

import re

from plugins.core.commands import CommandDoc
from xietong.core.text import problem_list
from xietong.orders import service, slip
from xietong.orders.enums import Department

# The roles each command needs are the services' own (one list per rule); /帮助 shows them.
WORKSHOP = (service.DEPARTMENT_ROLE[Department.workshop],)

INTAKE = CommandDoc(
    "接单", "/接单 + 换行写 客户：… 品名：… 数量：… 单价：… 付款方式：… 收货人：… 电话：… 地址：…",
    "登记订单并通知车间、财务、物流", roles=service.INTAKE_ROLES, aliases=("下单", "录单"),
)
STOCK_DONE = CommandDoc(
    "备货完成", "/备货完成 单号（或回复指令消息「备货完成」）", "车间备货完成", roles=WORKSHOP,
    aliases=("已备货", "备好了", "备货好了"),
)
STOCK_SHORT = CommandDoc(
    "缺货", "/缺货 单号 说明", "车间报缺货，会通知客服", roles=WORKSHOP, aliases=("缺料", "没货"),
)
SHOW = CommandDoc(
    "订单", "/订单 单号", "订单详情：各部门进度和经过", aliases=("查单", "查订单", "订单详情", "进度"),
)
BOARD = CommandDoc("看板", "/看板", "未完结订单按阶段一览", aliases=("全部订单", "订单列表"))
TODO = CommandDoc("待办", "/待办", "我的待办（按岗位）", aliases=("代办", "我的待办", "待办事项"))
CHANGE = CommandDoc(
    "改单", "/改单 单号 + 换行写要改的字段（如 数量：40吨）", "修改订单并通知相关部门（发货前）",
    roles=service.CHANGE_ROLES, aliases=("修改订单", "改订单"),
)
CANCEL = CommandDoc(
    "撤单", "/撤单 单号 原因", "撤销订单并通知各部门（发货前）", roles=service.CHANGE_ROLES,
    aliases=("取消订单", "撤销订单"),
)
ISSUE_SLIP = CommandDoc(
    "开单", "/开单 单号", "开销售单（车间备货完成且财务确认后），通知物流取单发货", roles=slip.ISSUE_ROLES,
)
FORCE_SLIP = CommandDoc(
    "强制开单", "/强制开单 单号 原因", "未满足开单条件时由主任强制开单，原因记入销售单和经过",
    roles=slip.FORCE_ROLES,
)
SLIP = CommandDoc("销售单", "/销售单 单号 [文件]", "查看销售单；加「文件」则上传可打印的表格")
CUSTOMER_NOTIFIED = CommandDoc("已通知", "/已通知 单号 [说明]", "发货后记录已通知客户", roles=slip.NOTICE_ROLES)
COMMANDS = (
    INTAKE, STOCK_DONE, STOCK_SHORT, SHOW, BOARD, TODO, CHANGE, CANCEL,
    ISSUE_SLIP, FORCE_SLIP, SLIP, CUSTOMER_NOTIFIED,
)

SLIP_FILE_WORDS = ("文件", "表格", "excel", "xlsx", "打印", "下载")


NEED_NOTE = "请写上说明，例如：/缺货 {number} 水泥只有 20 吨"
NEED_TEXT = "请在 /接单 后换行写订单内容：\n{template}"


_CONFIRMED = re.compile(r"(?:^|\s)确认[。.!！]*\s*$")


def confirmed(text: str) -> tuple[str, bool]:
    """「确认」as the last word (the convention of the overpayment check): the same order again, on purpose."""
    found = _CONFIRMED.search(text)
    return (text[: found.start()].rstrip(), True) if found else (text, False)


def intake_problems(found: list[str], template: str) -> str:
    return problem_list("订单没有登记", found, f"\n\n参考格式：\n{template}")


def change_problems(found: list[str], template: str) -> str:
    return problem_list("没有修改", found, f"\n\n参考格式：\n{template}")


def slip_uploaded(name: str) -> str:
    return f"已上传销售单文件：{name}"


def slip_upload_failed(path: str, number: str) -> str:
    return f"销售单文件没能发到 QQ，已保存在服务器上：{path}\n可在服务器上打印，或稍后再发 /销售单 {number} 文件"
