"""Words of the finance domain: replies about payments, the ledger, receivables and collection."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from xietong.core.clock import LOCAL_TZ, fmt_local
from xietong.core.commands import CommandDoc
from xietong.core.numbers import format_fen
from xietong.core.roles import Role
from xietong.core.utterance import Meaning, Vocabulary
from xietong.orders.enums import PaymentMethod, Stage
from xietong.orders.messages import yuan
from xietong.orders.models import Order

from .access import COLLECT_ROLES, FINANCE, READ_ROLES, STATEMENT_ROLES
from .models import EntryKind, LedgerEntry

if TYPE_CHECKING:
    from .ageing import Ageing
    from .receivables import CustomerReceivable, OpenOrder, Summary

AGEING_LABELS = ("未到期", "1-30", "31-60", "61-90", "90+")  # the buckets of days past due

KIND_WORDS: dict[EntryKind, str] = {
    EntryKind.payment: "收款",
    EntryKind.cod: "代收入账",
    EntryKind.reversal: "冲销",
    EntryKind.refund: "退款",
    EntryKind.transfer_out: "转出",
    EntryKind.transfer_in: "转入",
}
BALANCE_WORD = "预收余额"


def kind_word(kind: EntryKind) -> str:
    return KIND_WORDS[EntryKind(kind)]


def head(order: Order) -> str:
    return f"订单 {order.number}【{order.stage.value}】"


# —— refusals ——

def cancelled(order: Order) -> str:
    return f"订单 {order.number} 已取消，不能再登记款项。"


def not_prepaid(order: Order) -> str:
    return (
        f"订单 {order.number} 是{order.payment.value}，不用 /到账：财务核对后请 /放行 {order.number}；"
        f"收到货款请 /收款 {order.number} 金额。"
    )


def missing_but_paid(order: Order) -> str:
    return (
        f"订单 {order.number} 已登记收款 {yuan(order.paid_fen)}，款已收齐。"
        f"如有记错，请先 /冲销 {order.number} 第几笔 原因（/收款记录 {order.number} 查看各笔）。"
    )


def release_prepaid(order: Order) -> str:
    return f"订单 {order.number} 是款到发货，不能放行，要等款到：到账后请 /到账 {order.number} [金额]。"


def nothing_outstanding(order: Order) -> str:
    return f"订单 {order.number} 的款已收齐（{yuan(order.paid_fen)}），无需再登记。"


def overpayment(order: Order, amount_fen: int) -> str:
    outstanding = max(order.outstanding_fen, 0)
    if outstanding:
        owed = f"还差 {yuan(outstanding)}，这笔 {yuan(amount_fen)}多了 {yuan(amount_fen - outstanding)}"
    else:
        owed = f"款已收齐（{yuan(order.paid_fen)}），这笔 {yuan(amount_fen)}全是多收"
    return f"订单 {order.number} {owed}。确实多收的话，请在命令末尾加「确认」再发一次。"


def no_cod(order: Order) -> str:
    return f"订单 {order.number} 物流还没有登记代收货款（/代收 {order.number} 金额），暂时无法入账。"


def cod_already_booked(order: Order, at) -> str:
    return f"订单 {order.number} 的代收货款已于 {fmt_local(at)} 入账，无需重复。"


def cod_more_than_collected(order: Order, collected: int) -> str:
    return f"订单 {order.number} 物流代收的是 {yuan(collected)}，入账金额不能比它多。"


def no_such_entry(order: Order, no: int) -> str:
    return f"订单 {order.number} 没有第{no}笔。发送 /收款记录 {order.number} 查看各笔。"


def entry_is_reversal(no: int) -> str:
    return f"第{no}笔 本身就是冲销，不能再冲销；如需恢复，请重新登记收款。"


def entry_already_reversed(no: int, by_no: int, at) -> str:
    return f"第{no}笔 已于 {fmt_local(at)} 被第{by_no}笔冲销，每笔只能冲销一次。"


def nothing_to_reverse(order: Order) -> str:
    return f"订单 {order.number} 没有可冲销的款项。"


def which_entry(order: Order, entries: Sequence[tuple[int, LedgerEntry]]) -> str:
    first = entries[0][0]
    lines = [f"订单 {order.number} 有 {len(entries)} 笔可冲销，请写明第几笔，如：/冲销 {order.number} 第{first}笔 原因"]
    lines += [f"  第{no}笔 {fmt_local(e.at)} {kind_word(e.kind)} {yuan(e.amount_fen)}" for no, e in entries]
    return "\n".join(lines)


def positive_amount(amount_fen: int) -> str:
    return f"金额 必须大于 0：{format_fen(amount_fen)}"


def money_gone(order: Order, no: int, entry: LedgerEntry) -> str:
    return (
        f"订单 {order.number} 现有 {yuan(order.paid_fen)}，不够冲销第{no}笔（{yuan(entry.amount_fen)}）："
        f"钱已退款或转单转出，请先冲销那几笔（/收款记录 {order.number} 查是第几笔）。"
    )


# —— the customer's balance: /退款, /转单 ——

NEED_REFUND_NOTE = "请写上金额和说明，例如：/退款 {number} 8000 客户撤单退回"
SAME_ORDER = "原单号和新单号是同一张单。写法：/转单 原单号 新单号"


def refund_too_much(order: Order, spare: int) -> str:
    if spare <= 0:
        return f"订单 {order.number}【{order.stage.value}】没有可退的{BALANCE_WORD}。"
    return f"订单 {order.number}【{order.stage.value}】可退的{BALANCE_WORD}是 {yuan(spare)}，不能多退。"


def refunded(order: Order, no: int, entry: LedgerEntry, left: int) -> str:
    return (
        f"{head(order)} 退款 {yuan(-entry.amount_fen)}（第{no}笔）：{entry.note}。"
        f"{order.customer_name} {BALANCE_WORD}还有 {yuan(left)}。"
    )


def other_customer(source: Order, target: Order) -> str:
    return (
        f"订单 {source.number} 是 {source.customer_name} 的，{target.number} 是 {target.customer_name} 的："
        "只能转到同一客户的订单。"
    )


def transfer_to_cancelled(target: Order) -> str:
    return f"订单 {target.number} 已取消，不能转入。"


def nothing_spare(source: Order) -> str:
    return f"订单 {source.number}【{source.stage.value}】没有可转的{BALANCE_WORD}。"


def target_paid(target: Order) -> str:
    return f"订单 {target.number} 的款已收齐，不用转入。"


def transferred(source: Order, target: Order, amount: int, left: int) -> str:
    return (
        f"已把订单 {source.number} 的 {yuan(amount)}转到 {target.number}【{target.stage.value}】。"
        f"{_progress(target)}{source.customer_name} {BALANCE_WORD}还有 {yuan(left)}。"
    )


def transfer_reversed(source: Order, target: Order, amount: int) -> str:
    return f"已冲销转单：{yuan(amount)}从 {target.number} 退回 {source.number}。{_progress(target)}"


NEED_REASON = "请写上冲销原因：/冲销 单号 [第几笔] 原因"


def no_freight(order: Order) -> str:
    return f"订单 {order.number} 还没有登记运费（物流 /运费 {order.number} 金额），无法结算。"


def freight_already_settled(order: Order, at) -> str:
    return f"订单 {order.number} 的运费已于 {fmt_local(at)} 结算，无需重复。"


def nothing_to_collect(order: Order) -> str:
    return f"订单 {order.number} 的款已收齐，无需催收。"


def customer_owes_nothing(name: str) -> str:
    return f"{name} 目前没有未收的款，无需催收。"


def no_customer(typed: str) -> str:
    return f"客户档案里没有「{typed}」。请写全名，或写单号：/催收 单号 说明"


NEED_COLLECTION_NOTE = "请写上这次催收的情况，例如：/催收 {target} 已电话联系，答应月底付"


# —— replies after an entry ——

def _progress(order: Order) -> str:
    if order.stage == Stage.cancelled:
        return f"订单已取消，留作{BALANCE_WORD} {yuan(order.paid_fen)}。"
    if order.paid_fen > order.amount_fen:
        return f"已收 {yuan(order.paid_fen)}，多收 {yuan(order.paid_fen - order.amount_fen)}。"
    if order.paid_fen == order.amount_fen:
        return f"款已收齐（{yuan(order.amount_fen)}）。"
    return f"已收 {format_fen(order.paid_fen)} / {yuan(order.amount_fen)}，还差 {yuan(order.outstanding_fen)}。"


def paid(order: Order, entry: LedgerEntry, no: int, action: str, waiting: Sequence[str] = ()) -> str:
    text = f"{head(order)} {action} {yuan(entry.amount_fen)}（第{no}笔）。{_progress(order)}"
    if order.payment == PaymentMethod.prepaid and order.outstanding_fen > 0 and order.stage != Stage.cancelled:
        text += "请客服联系客户补齐。"
    if waiting and order.outstanding_fen <= 0:
        text += f"开单还等：{'；'.join(waiting)}。"
    return text


def cod_booked(order: Order, entry: LedgerEntry, no: int, collected: int) -> str:
    differs = f"（物流代收 {yuan(collected)}）" if collected != entry.amount_fen else ""
    return f"{head(order)} 代收货款入账 {yuan(entry.amount_fen)}{differs}（第{no}笔）。{_progress(order)}"


def reversed_(order: Order, original_no: int, original: LedgerEntry, no: int, entry: LedgerEntry) -> str:
    return (
        f"{head(order)} 已冲销第{original_no}笔（{kind_word(original.kind)} {yuan(original.amount_fen)}），"
        f"冲销记为第{no}笔：{entry.note}。{_progress(order)}"
    )


def released(order: Order) -> str:
    return f"{head(order)} {order.payment.value}，财务已放行。"


def credit_line(customer: str, balance: int, this_order: int, limit: int | None, days: int) -> str:
    shown_limit = yuan(limit) if limit is not None else "未设定"
    return (
        f"客户 {customer} 未结清 {yuan(balance)}（含本单 {yuan(this_order)}），"
        f"信用额度 {shown_limit}，账期 {days} 天。"
    )


def over_limit(balance: int, limit: int) -> str:
    return f"⚠ 超出信用额度 {yuan(balance - limit)}，请客服抓紧回款、主任留意。"


def freight_settled(order: Order, freight: int) -> str:
    return f"订单 {order.number} 运费 {yuan(freight)}已结算。"


def collection_logged(target: str, outstanding: int, orders: int, overdue: int, max_days: int | None, note: str) -> str:
    late = f"，其中逾期 {yuan(overdue)}（最长 {max_days} 天）" if overdue else ""
    count = f"{orders} 单 " if orders > 1 else ""
    return f"已记录催收：{target}，未收 {count}{yuan(outstanding)}{late}。{note}"


# —— the ledger of one order ——

def entry_line(no: int, entry: LedgerEntry, who: str, reverses: int | None, reversed_by: int | None) -> str:
    text = f"第{no}笔 {fmt_local(entry.at)} {kind_word(entry.kind)} {yuan(entry.amount_fen)} {who}"
    if reverses:
        text += f" 冲销第{reverses}笔"
    if entry.note:
        text += f"：{entry.note}"
    if reversed_by is not None:
        text += f"（已被第{reversed_by}笔冲销）"
    return text


def ledger_card(order: Order, lines: list[str]) -> str:
    top = f"{head(order)} {order.customer_name} 金额 {yuan(order.amount_fen)}（{order.payment.value}）"
    body = lines or ["还没有收款记录。"]
    return "\n".join([top, *body, _progress(order)])


# —— /应收 ——

def ageing_line(ageing: Ageing) -> str:
    return "账龄：" + " | ".join(
        f"{label}{'' if label == AGEING_LABELS[0] else ' 天'} {format_fen(amount)}" for label, amount in ageing.items()
    )


def due_words(due: date | None, today: date) -> str:
    if due is None:
        return "未定到期日"
    days = (today - due).days
    if days > 0:
        return f"{due:%m-%d} 到期，逾期 {days} 天"
    if days == 0:
        return "今天到期"
    return f"{due:%m-%d} 到期"


def dso_words(dso: int | None) -> str:
    head = "平均收款天数（近 90 天）"
    return f"{head}：{dso} 天" if dso is not None else f"{head}：近 90 天没有开单，无法计算"


def more(count: int, unit: str) -> str:
    return f"  …另有 {count} {unit}"


def money_apart(awaiting_orders: int, awaiting_fen: int, balance_fen: int) -> list[str]:
    lines = []
    if awaiting_orders:
        lines.append(f"待收预付款（款到发货未开单，不算应收）：{awaiting_orders} 单 {yuan(awaiting_fen)}")
    if balance_fen:
        lines.append(f"{BALANCE_WORD}（撤单或多收，待退款或转单）：{yuan(balance_fen)}")
    return lines


NO_RECEIVABLES = "目前没有应收账款。"


# What finance's plain-word quote-replies to a bot message about an order mean (xietong.core.utterance).
PAID_MEANING = Meaning("到账", (
    "已到账", "到账了", "到账", "已到帐", "到帐了", "到帐", "款到了", "款已到", "钱到了", "已收款", "收到款了", "收到货款",
    "货款已收", "款已收到", "已收到款", "已经到账", "钱已到",
), money=True)
RELEASE_MEANING = Meaning("放行", ("放行", "可以发货", "可发货", "同意发货", "准予发货"))
MISSING_MEANING = Meaning("未到账", (
    "未到账", "没到账", "没有到账", "还没到账", "未到帐", "没到帐", "没有到帐", "款没到", "钱没到", "没收到款", "没收到钱",
    "没收到", "未收到", "没看到款", "没见到款", "款未到",
), problem=True)
FINANCE_WORDS = Vocabulary((PAID_MEANING, RELEASE_MEANING, MISSING_MEANING))
FINANCE_ASK = (
    "我不确定你的意思，没有记账。到账请发 /到账 {number} 金额（如 12600）；放行请发 /放行 {number}；没到请发 /未到账 {number} 说明"
)


# ---------------------------------------------------------------- statements of account

STATEMENT_USAGE = "请写上客户，例如：/对账 金陵建材 2026-11（不写月份即本月）"
STATEMENT_PRIVATELY = "对账单涉及客户往来，请私聊我：/对账 客户 [月份]"
STATEMENT_LINES = 40


def _signed(fen: int) -> str:
    return ("+" if fen > 0 else "−" if fen < 0 else "") + format_fen(abs(fen))


def statement_text(s, file_note: str) -> str:
    """The short text of a statement (the Excel file has every line)."""
    end_day = (s.end - timedelta(microseconds=1)).astimezone(LOCAL_TZ).date()
    lines = [
        f"【对账单】{s.customer} {s.label}（{s.start.astimezone(LOCAL_TZ):%m-%d} 至 {end_day:%m-%d}）",
        f"期初余额：{format_fen(s.opening_fen)} 元",
    ]
    for m in s.movements[:STATEMENT_LINES]:
        lines.append(f"  {fmt_local(m.at, '%m-%d')} {m.kind} {m.ref} {_signed(m.charge_fen - m.credit_fen)}")
    if len(s.movements) > STATEMENT_LINES:
        lines.append(f"  …另有 {len(s.movements) - STATEMENT_LINES} 笔，见 Excel")
    if not s.movements:
        lines.append("  本期没有发生额。")
    else:
        lines.append("本期：" + "，".join(f"{kind} {format_fen(s.total(kind))} 元" for kind in s.kinds))
    lines.append(f"期末余额：{format_fen(s.closing_fen)} 元" + ("（客户已预付）" if s.closing_fen < 0 else ""))
    if s.prepaid_fen:
        lines.append(f"其中{BALANCE_WORD}：{format_fen(s.prepaid_fen)} 元（撤单或多付的款，可 /退款 或 /转单）")
    if s.ageing.total:
        lines.append("账龄：" + "，".join(f"{label} {format_fen(fen)}" for label, fen in s.ageing.items() if fen)
                     + f"（截至 {s.as_of:%m-%d}）")
    lines.append(file_note)
    return "\n".join(lines)


def statement_sent(name: str) -> str:
    return f"Excel 对账单已发给你：{name}"


def statement_not_sent(path) -> str:
    return f"Excel 对账单没能发给你，已保存在：{path}"


# Commands (the plugin's matchers and /帮助 read them).

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


# The chat plugin, as NoneBot lists it.

PLUGIN_NAME = "协同·财务"
PLUGIN_DESCRIPTION = "到账确认、应收台账与账龄、代收入账、催收"


# Reading the commands' arguments; the operator's log.

ENTRY_NUMBER = re.compile(r"^(?:#|＃|条目|第)?(\d{1,9})笔?$")  # /冲销's 第2笔 (also #2, 2)


AMOUNT_EXAMPLES = {"到账": "3000", "收款": "3000 [说明]", "代收入账": "3000", "退款": "8000 说明"}


def amount_example(command: CommandDoc, number: str) -> str:
    """How to write an amount, shown when the one typed could not be read: /收款 D20261128-001 3000 [说明]."""
    return f"/{command.name} {number} {AMOUNT_EXAMPLES[command.name]}"


def statement_upload_failed(exc: BaseException) -> str:
    """For the operator's log."""
    return f"对账单上传失败：{exc!r}"


# /待办 sections of finance and cs.

ORDERS_UNIT = "单"
COD_TO_BOOK = "代收 {amount}待入账：/代收入账 {number}"
FREIGHT_TO_SETTLE = "运费 {amount}待结算：/运费结算 {number}"


def cancelled_no_collection(number: str) -> str:
    return f"订单 {number} 已取消，无需催收。"


def todo_line(words: str, number: str, fen: int) -> str:
    return f"  {number} " + words.format(amount=yuan(fen), number=number)


def overdue_todo(number: str, customer: str, days: int | None, outstanding_fen: int) -> str:
    return f"  {number} {customer} 逾期 {days} 天，未收 {yuan(outstanding_fen)}：/催收 {number} 说明"


# The ledger's notes and timeline lines.

OVERPAID_MARK = "（确认多收）"
MONEY_MISSING = "款项未到账"


def cod_note(collected_fen: int) -> str:
    return f"物流代收 {yuan(collected_fen)}"


def transfer_detail(amount_fen: int, source: str, out_no: int, target: str, into_no: int) -> str:
    return f"{yuan(amount_fen)}（{source} 第{out_no}笔 → {target} 第{into_no}笔）"


def transfer_reversal_detail(amount_fen: int, source: str, out_no: int, target: str, into_no: int, reason: str) -> str:
    return f"冲销转单 {transfer_detail(amount_fen, source, out_no, target, into_no)}：{reason}"


def transferred_to(number: str) -> str:
    return f"转至 {number}"


def transferred_from(number: str) -> str:
    return f"由 {number} 转入"


def append_only(entry_id: int | None, doing: str) -> str:
    """For the developer who tried: the ledger takes reversals, never edits."""
    return f"ledger entry #{entry_id} is append-only: reverse it with /冲销 instead of {doing} it"


# /应收.

OVERDUE_FLAG = "逾期"  # beside the stage on /订单 and /看板
BY_CUSTOMER = "按客户："
MORE_CUSTOMERS = "家客户，/应收 客户名 看明细"


def receivables_head(today: date, book: Summary) -> list[str]:
    return [
        f"应收账款（截至 {today:%m-%d}）：合计 {yuan(book.total)}，{book.orders} 单，{len(book.customers)} 家客户",
        ageing_line(book.ageing),
        f"逾期合计 {yuan(book.ageing.overdue)}" if book.ageing.overdue else "没有逾期。",
        dso_words(book.dso) + (f"（近 90 天开单 {yuan(book.sales_fen)}）" if book.sales_fen else ""),
    ]


def receivable_customer_line(row: CustomerReceivable) -> str:
    late = f"；逾期 {yuan(row.ageing.overdue)}，最长 {row.max_days} 天" if row.ageing.overdue else ""
    return f"  {row.name} {yuan(row.ageing.total)}（{row.orders} 单{late}）"


def no_receivables_of(customer: str) -> str:
    return f"{customer} 目前没有应收账款。"


def receivables_of(customer: str, row: CustomerReceivable, today: date) -> str:
    return f"{customer} 应收 {yuan(row.ageing.total)}，{row.orders} 单（截至 {today:%m-%d}）"


def receivable_order_line(order: OpenOrder, today: date) -> str:
    return f"  {order.number}【{order.stage.value}】未收 {yuan(order.outstanding_fen)}，{due_words(order.due, today)}"


# The statement of account: its movements and its workbook.

SLIP_KIND = "销售单"


def slip_ref(slip: str, number: str) -> str:
    return f"{slip}（{number}）"


STATEMENT_DATE = "日期"
STATEMENT_KIND = "摘要"
STATEMENT_REF = "单号"
STATEMENT_CHARGE = "应收增加（元）"
STATEMENT_CREDIT = "收到/冲减（元）"
STATEMENT_BALANCE = "余额（元）"
STATEMENT_OPENING = "期初余额"
STATEMENT_SHEET = "对账单"
STATEMENT_CLOSING = "期末余额"
STATEMENT_AGEING = "账龄"
STATEMENT_AMOUNT = "金额（元）"
STATEMENT_TOTAL = "合计"
STATEMENT_PREPAID = "预收余额"
STATEMENT_ITEM = "项目"
STATEMENT_PREPAID_ROW = "预收余额（撤单或多付）"


def statement_file(customer: str, period: str) -> str:
    return f"对账单-{customer}-{period}.xlsx"
