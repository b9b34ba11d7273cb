"""Words of the monthly report post: the /月报 command (its figures' words are ``xietong.reports.messages``)."""

from __future__ import annotations

from xietong.core.commands import CommandDoc

from .monthly import REPORT_ROLES

MONTHLY = CommandDoc(
    "月报", "/月报 [YYYY-MM]（默认本月）", "月销量报表：按品名、客户、付款方式汇总，回款和环比，附 Excel",
    roles=REPORT_ROLES, aliases=("月销量报表",),
)

NO_GROUP = "还没有设置工作群，月报无处可发，请管理员设置。"


# The chat plugin (reports: /月报 and /目标), as NoneBot lists it.

PLUGIN_NAME = "协同·报表"
PLUGIN_DESCRIPTION = "月销量报表：汇总发群并上传 Excel"
