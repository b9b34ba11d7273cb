"""Command words of the customers plugin."""


from plugins.core.commands import CommandDoc
from xietong.customers.complaints import CLOSE_ROLES
from xietong.customers.followups import HISTORY_ROLES
from xietong.customers.service import VIEW_ROLES

CUSTOMER = CommandDoc(
    "客户", "/客户 名称｜/客户 列表 [关键词]｜/客户 新增 + 字段｜/客户 修改 名称 + 字段｜/客户 导出",
    "客户档案：查看、新增、修改、导出 Excel（保密，只在私聊回答）", roles=VIEW_ROLES,
    confidential=True,
)
COMPLAINT = CommandDoc(
    "投诉", "/投诉 单号|客户 内容｜/投诉 列表｜/投诉 T号", "登记客户投诉并通知客服；查看未处理的投诉",
    open_to_all=True,  # SPEC: anyone may register a complaint
)
HANDLE = CommandDoc(
    "处理", "/处理 T号 结果（或回复投诉消息：/处理 结果）", "投诉处理完毕，记下结果", roles=CLOSE_ROLES,
    aliases=("处理投诉",),
)
REGION = CommandDoc(
    "区域", "/区域｜/区域 新增 区域名｜/区域 业务员 姓名 区域 [电话]｜/区域 经理 姓名 区域 [电话]",
    "区域、业务员、区域经理档案（保密，只在私聊回答）", roles=VIEW_ROLES,
)
FOLLOW = CommandDoc(
    "跟进", "/跟进 客户 内容｜/跟进 客户｜/跟进 列表", "客户跟进：记录、查看历史、跟进情况列表（只在私聊回答）",
    roles=HISTORY_ROLES,
)
COMMANDS = (CUSTOMER, REGION, FOLLOW, COMPLAINT, HANDLE)

LIST_WORDS = ("列表", "清单", "全部")
ADD_WORDS = ("新增", "新建", "添加")
CHANGE_WORDS = ("修改", "更新", "改")
EXPORT_WORDS = ("导出", "下载", "excel", "Excel", "EXCEL")
COMPLAINT_LIST_WORDS = ("列表", "清单", "未处理")

CUSTOMER_USAGE = (
    "客户档案（仅私聊）：\n/客户 名称 — 查看档案、欠款、最近订单和催收记录\n/客户 列表 [关键词]\n"
    "/客户 新增 + 换行写 名称：… 联系人：… 电话：… 地区：… 业务员：… 信用额度：… 账期：…\n"
    "/客户 修改 名称 + 换行写要改的字段\n/客户 导出 — Excel"
)
NEED_CHANGE_NAME = "请写上要修改的客户名称，例如：/客户 修改 金陵建材\n电话：13900000000"
COMPLAINT_USAGE = "请写上订单号或客户，再写投诉内容，例如：/投诉 {number} 送货晚了两天"


def need_change_fields(name: str) -> str:
    return f"请写上要改的字段，例如：/客户 修改 {name}\n电话：13900000000"


def exported(count: int, name: str) -> str:
    return f"客户档案已导出（{count} 家）：{name}"


def export_not_sent(count: int, saved_as: str) -> str:
    return f"客户档案已导出（{count} 家），但文件没能发给你，已保存在服务器上：{saved_as}"


REGION_ADD_WORDS = ("新增", "新建", "添加")
PERSON_WORDS = {"业务员": "业务员", "销售": "业务员", "经理": "区域经理", "区域经理": "区域经理", "大区经理": "区域经理"}
REGION_USAGE = (
    "区域档案（仅私聊）：\n/区域 — 各区域的区域经理、业务员和客户数\n/区域 新增 苏南\n"
    "/区域 业务员 张三 苏南 13800000000\n/区域 经理 李四 苏南 13900000000"
)
FOLLOW_LIST_WORDS = ("列表", "清单", "全部")
FOLLOW_PRIVATELY = "客户跟进请私聊我。"
