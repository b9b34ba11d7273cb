"""Command words of the logistics plugin."""

from plugins.core.commands import CommandDoc
from xietong.core.roles import Role

DISPATCH = CommandDoc(
    "派车",
    "/派车 单号 车牌 司机 电话 [运费]",
    "安排车辆（开单前后都可以，改派也用它）",
    roles=(Role.logistics,), aliases=("排车", "安排车辆"),
)
SHIP = CommandDoc(
    "发货", "/发货 单号 [件数] [运单号]", "已开单、已派车后发货，通知客服告知客户", roles=(Role.logistics,),
    aliases=("已发货", "出库"),
)
DELIVER = CommandDoc(
    "到货", "/到货 单号", "确认到货，开始计应收", roles=(Role.logistics,), aliases=("已到货", "已送达", "签收"),
)
EXCEPTION = CommandDoc(
    "异常", "/异常 单号 说明", "报告运输异常，通知客服和主任", roles=(Role.logistics, Role.cs), aliases=("报异常",)
)
CLEAR_EXCEPTION = CommandDoc(
    "异常解除", "/异常解除 单号 [说明]", "解除订单的异常标记", roles=(Role.logistics, Role.cs, Role.director)
)
COD = CommandDoc("代收", "/代收 单号 金额", "登记货到付款的代收货款，通知财务入账", roles=(Role.logistics,))
FREIGHT = CommandDoc("运费", "/运费 单号 金额", "登记运费", roles=(Role.logistics,))
COMMANDS = (DISPATCH, SHIP, DELIVER, EXCEPTION, CLEAR_EXCEPTION, COD, FREIGHT)
