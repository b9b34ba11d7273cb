"""Command words of the finance plugin."""

from plugins.core.commands import CommandDoc
from xietong.core.roles import Role
from xietong.finance.collecting import COLLECT_ROLES
from xietong.finance.ledger import FINANCE, READ_ROLES
from xietong.finance.statement import STATEMENT_ROLES

CONFIRM_PAYMENT = CommandDoc(
    "到账", "/到账 单号 [金额]（或回复财务指令「已到账」）",
    "款到发货：确认货款到账，不写金额即按未收的全部金额；款到齐即可开单", roles=FINANCE,
    aliases=("到帐", "已到账", "已到帐"),
)
MISSING = CommandDoc(
    "未到账", "/未到账 单号 [说明]", "款项没到或有问题，会通知客服", roles=FINANCE,
    aliases=("未到帐", "没到账", "没到帐"),
)
RELEASE = CommandDoc(
    "放行", "/放行 单号 [说明]（或回复「放行」）", "货到付款、月结：财务放行（月结会显示欠款和信用额度）",
    roles=FINANCE,
)
PAYMENT = CommandDoc(
    "收款", "/收款 单号 金额 [说明]", "登记一笔收款，分次收款会累计；多于未收金额时末尾加「确认」", roles=FINANCE,
)
COD = CommandDoc(
    "代收入账", "/代收入账 单号 [金额]", "把物流代收的货款入账（默认为代收金额）", roles=FINANCE,
    aliases=("代收入帐",),
)
REVERSE = CommandDoc(
    "冲销", "/冲销 单号 [第几笔] 原因", "冲销一笔记错的款项：记一笔相反的，原来那笔保留", roles=FINANCE,
)
LEDGER = CommandDoc(
    "收款记录", "/收款记录 单号", "一张订单的每一笔收款（第几笔、冲销）", roles=READ_ROLES,
    aliases=("收款明细", "到账记录"),
)
RECEIVABLES = CommandDoc(
    "应收", "/应收 [客户]", "应收账款：按客户、按订单，账龄和平均收款天数", roles=READ_ROLES,
    aliases=("应收款", "应收账款", "欠款"),
)
COLLECT = CommandDoc(
    "催收", "/催收 单号|客户 说明", "记录一次催收（进订单经过）", roles=COLLECT_ROLES, aliases=("催款",),
)
FREIGHT = CommandDoc(
    "运费结算", "/运费结算 单号", "结算物流登记的运费", roles=(Role.finance,), aliases=("结运费",),
)
REFUND = CommandDoc(
    "退款", "/退款 单号 金额 说明", "把撤单或多收留下的预收余额退给客户", roles=FINANCE,
)
TRANSFER = CommandDoc(
    "转单", "/转单 原单号 新单号", "把原单的预收余额转到同一客户的新单上（按新单未收金额为限）", roles=FINANCE,
)
STATEMENT = CommandDoc(
    "对账", "/对账 客户 [月份]（如 2026-11，默认本月）",
    "客户对账单：期初、销售单、收款、代收、退款、预收余额、期末余额和账龄，附 Excel（只在私聊回答）", roles=STATEMENT_ROLES,
)
COMMANDS = (
    CONFIRM_PAYMENT, MISSING, RELEASE, PAYMENT, COD, REVERSE, REFUND, TRANSFER, LEDGER, RECEIVABLES, COLLECT, FREIGHT,
    STATEMENT,
)

CONFIRM_WORD = "确认"

NEED_REFUND = "请写上金额和说明，例如：/退款 {number} 8000 客户撤单退回"
NEED_TARGET = "请写上新单号，例如：/转单 {number} D261129-002"
NEED_AMOUNT = "请写上金额，例如：/收款 {number} 3000 [说明]"
BAD_AMOUNT = "{problem}。金额按元写，最多两位小数，例如：{example}"
NO_CUSTOMER = "客户档案里没有「{typed}」。请写全名。"
NEED_COLLECT_TARGET = "请写上单号或客户，以及这次催收的情况，例如：/催收 {number} 已电话联系，答应月底付"
