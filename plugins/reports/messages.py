"""Command words of the reports plugin."""

from plugins.core.commands import CommandDoc
from xietong.publishing.monthly import REPORT_ROLES

MONTHLY = CommandDoc(
    "月报", "/月报 [YYYY-MM]（默认本月）", "月销量报表：按品名、客户、付款方式汇总，回款和环比，附 Excel",
    roles=REPORT_ROLES, aliases=("月销量报表",),
)
TARGET = CommandDoc(
    "目标", "/目标 [YYYY-MM]｜/目标 YYYY-MM 金额｜/目标 YYYY-MM 区域 金额｜/目标 YYYY-MM 业务员 姓名 金额",
    "销售目标：完成、目标、完成率和时间进度，按区域和业务员（主任、副总、总经理设定）",
)
COMMANDS = (MONTHLY, TARGET)

NO_GROUP = "还没有设置工作群，月报无处可发，请管理员设置。"
