"""Words of the order domain: instructions to departments, replies, query layouts."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

from xietong.core.clock import fmt_local
from xietong.core.commands import CommandDoc
from xietong.core.numbers import format_fen
from xietong.core.text import problem_list
from xietong.core.tracking import Change
from xietong.core.utterance import Meaning, Vocabulary

from .access import CHANGE_ROLES, DEPARTMENT_ROLE, FORCE_ROLES, INTAKE_ROLES, ISSUE_ROLES, NOTICE_ROLES
from .enums import Department, PaymentMethod, Stage, TaskState
from .models import Order, OrderItem, OrderTask

TASK_NAMES = {Department.workshop: "车间 备货", Department.finance: "财务 款项", Department.logistics: "物流 派车"}

DEPARTMENT_ASKS = {
    Department.workshop: "请备货，备好后回复「备货完成」或 /备货完成 {number}；缺货请 /缺货 {number} 说明",
    Department.finance: {
        PaymentMethod.prepaid: "请查收货款，到账后 /到账 {number} [金额]；未到请 /未到账 {number} 说明",
        PaymentMethod.cod: "货到付款，请确认后 /放行 {number}",
        PaymentMethod.monthly: "月结客户，请核对额度后 /放行 {number}",
    },
    Department.logistics: "请安排车辆：/派车 {number} 车牌 司机 电话 [运费]",
}


def items_text(items: Iterable[OrderItem], *, prices: bool = False) -> str:
    parts = []
    for item in items:
        text = item.label
        if prices and item.unit_price_fen is not None:
            text += f" ×{format_fen(item.unit_price_fen)}元"
        parts.append(text)
    return "；".join(parts)


def instruction(department: Department, order: Order, items: list[OrderItem]) -> str:
    """What each department needs to act, and nothing it does not (regulation step 2)."""
    head = f"【{department.value}】订单 {order.number}（{order.customer_name}）"
    due = f"\n交期：{order.due_date:%m-%d}" if order.due_date else ""
    packaging = f"\n包装：{order.packaging}" if order.packaging else ""
    if department == Department.workshop:
        body = f"品名数量：{items_text(items)}{packaging}{due}"
        ask = DEPARTMENT_ASKS[department]
    elif department == Department.finance:
        body = f"客户：{order.customer_name}\n金额：{format_fen(order.amount_fen)} 元\n付款方式：{order.payment.value}"
        ask = DEPARTMENT_ASKS[department][order.payment]
    else:
        body = (
            f"品名数量：{items_text(items)}{packaging}\n收货人：{order.consignee} {order.phone}\n"
            f"地址：{order.address}{due}\n付款方式：{order.payment.value}"
        )
        ask = DEPARTMENT_ASKS[department]
    return f"{head}\n{body}\n{ask.format(number=order.number)}"


def duplicate(twin: Order) -> str:
    when = fmt_local(twin.created_at)
    return (
        f"{twin.customer_name} 在 {when} 已登记过同样的订单 {twin.number}（{format_fen(twin.amount_fen)} 元），"
        "这次没有登记。确实要再登记一张，请在原消息末尾加上「确认」再发一次。"
    )


def registered(order: Order, notified: list[Department], missing: list[Department], new_customer: bool) -> str:
    lines = [f"已登记订单 {order.number}：{order.customer_name}，{format_fen(order.amount_fen)} 元，{order.payment.value}。"]
    if notified:
        lines.append(f"已通知 {'、'.join(d.value for d in notified)}。")
    for department in missing:
        lines.append(f"{department.value}还没有成员，指令无人接收：请主任 /设岗 @成员 {department.value}")
    if new_customer:
        lines.append(f"客户档案里没有「{order.customer_name}」，已新建档案。")
    return "\n".join(lines)


def task_done(order: Order, department: Department) -> str:
    return f"订单 {order.number}：{TASK_NAMES[department]}已完成。"


def task_already_done(order: Order, task: OrderTask, who: str) -> str:
    return f"订单 {order.number}：{TASK_NAMES[task.department]}已由{who}在 {fmt_local(task.answered_at)} 完成，无需重复。"


def task_problem(order: Order, department: Department, note: str) -> str:
    return f"订单 {order.number}：{TASK_NAMES[department]}有问题——{note}。请客服跟进。"


def gate_open(order: Order) -> str:
    return f"订单 {order.number}（{order.customer_name}）已满足开单条件，请客服开销售单：/开单 {order.number}"


def gate_closed(order: Order, reasons: list[str]) -> str:
    return f"订单 {order.number} 不再满足开单条件：{'；'.join(reasons)}。"


def changed(order: Order, changes: list[str], department: Department) -> str:
    return f"【{department.value}】订单 {order.number} 有改动：\n" + "\n".join(changes) + "\n请按新内容处理。"


def change_line(change: Change) -> str:
    """One field's change, as /改单 replies and the timeline word it: ``金额：57,000 元 → 38,000 元``."""
    return f"{change['label']}：{change['old'] or '—'} → {change['new'] or '—'}"


# Tracked fields whose change the event's own word already says (开单 names the slip, 撤单 gives the reason):
# the timeline does not spell them out.
NAMED_BY_EVENT = frozenset({"stage", "slip_number", "slip_forced_reason", "receivable_due", "cancelled_reason"})
EXCEPTION_FIELD = "exception_note"


def event_detail(note: str, changes: list[Change] | None) -> str:
    """What the timeline shows after an event's word: its field changes, else the note the service stated.
    Rows written before tracking (no ``changes``) keep the words stored in ``detail``."""
    lines = [_event_line(c, note) for c in changes or () if c["field"] not in NAMED_BY_EVENT]
    return "；".join(lines) or note


def _event_line(change: Change, note: str) -> str:
    if change["field"] != EXCEPTION_FIELD:
        return change_line(change)
    if change["new"]:  # reported: its description
        return change["new"]
    return f"{change['old']}" + (f" → {note}" if note else "")  # cleared: what it was, and how it ended


def stocked(order: Order, vehicle_arranged: bool) -> str:
    if vehicle_arranged:
        return f"订单 {order.number}（{order.customer_name}）车间已备好货，车辆已安排，开单后即可提货。"
    return f"订单 {order.number}（{order.customer_name}）车间已备好货，请安排车辆：/派车 {order.number} 车牌 司机 电话"


NEED_CANCEL_REASON = "请写上撤单原因：/撤单 单号 原因"


def already_cancelled(order: Order) -> str:
    return f"订单 {order.number} 已经撤单了。"


def cancel_after_shipping(order: Order) -> str:
    return (
        f"订单 {order.number} 已{order.stage.value.removeprefix('已')}，不能撤单：货已离开。"
        f"请用 /异常 {order.number} 说明情况，并和客户商定退货。"
    )


def cancelled(order: Order, reason: str) -> str:
    text = f"订单 {order.number}（{order.customer_name}）已撤单：{reason}。请停止处理。"
    if order.slip_number:
        text += f"\n销售单 {order.slip_number} 作废。"
    if order.paid_fen > 0:
        text += (
            f"\n已收 {format_fen(order.paid_fen)} 元转为客户预收余额，请财务退款（/退款 {order.number} 金额 说明）"
            f"或转到新单（/转单 {order.number} 新单号）。"
        )
    return text


def cancel_reply(order: Order) -> str:
    return f"订单 {order.number} 已撤单。" + (f"销售单 {order.slip_number} 作废。" if order.slip_number else "")


def stage_label(order: Order, flags: Iterable[str] = ()) -> str:
    marks = [*flags, *(["异常"] if order.exception_note else [])]
    return f"【{order.stage.value}】" + (" " + " ".join(marks) if marks else "")


def task_line(task: OrderTask, who: str | None) -> str:
    state = task.state.value
    if task.state != TaskState.pending:
        state += f"（{who or '—'} {fmt_local(task.answered_at)}" + (f"：{task.note}" if task.note else "") + "）"
    return f"{TASK_NAMES[task.department]}：{state}"


STAGE_ORDER = (Stage.processing, Stage.ready, Stage.slipped, Stage.shipped, Stage.delivered)


# What the workshop's plain-word quote-replies to a bot message about an order mean (xietong.core.utterance).
STOCK_DONE_MEANING = Meaning("备货完成", (
    "备货完成", "已备货", "备好了", "货备好了", "已备好", "备好", "备齐了", "备齐", "货齐了", "备完了", "已备齐", "备货好了",
    "货已备好", "已经备好", "备货已完成",
))
STOCK_SHORT_MEANING = Meaning("缺货", (
    "缺货", "缺", "备不了", "备不齐", "备不出", "没货", "没有货", "不够", "不足", "断货", "还差", "没库存", "没有库存",
    "无货", "库存不足", "做不了", "发不了",
), problem=True)
WORKSHOP_WORDS = Vocabulary((STOCK_DONE_MEANING, STOCK_SHORT_MEANING))
STOCK_ASK = "我不确定你的意思，没有记录。备好了请发 /备货完成 {number}；缺货请发 /缺货 {number} 说明"


# The sales slip and the CS follow-up after shipping.

NEED_REASON = "请写上强制开单的原因，例如：/强制开单 {number} 老客户，货款明天到"
REASON_TOO_LONG = "原因太长了（最多 {limit} 字），请精简后再发。"
NOTE_TOO_LONG = "说明太长了（最多 {limit} 字）。"


def slip_of_cancelled(order: Order) -> str:
    return f"订单 {order.number} 已取消。"


VOID = "作废"


def void_mark(order: Order) -> str:
    """A slip of a cancelled order is void: said beside its number and on its file."""
    return f" {VOID}" if order.stage == Stage.cancelled else ""


def already_slipped(order: Order) -> str:
    return (
        f"订单 {order.number} 已开过销售单 {order.slip_number}（{fmt_local(order.slip_at)}），"
        f"现在是「{order.stage.value}」。查看：/销售单 {order.number}"
    )


def not_ready(order: Order, reasons: list[str]) -> str:
    return (
        f"订单 {order.number} 还不能开单（{order.stage.value}）：{'；'.join(reasons)}。\n"
        f"如确需先开单，请主任 /强制开单 {order.number} 原因"
    )


def slip_notice(order: Order, vehicle_arranged: bool) -> str:
    """To logistics: collect the slip and ship; the payment method is stated on it (regulation step 3)."""
    forced = f"\n主任强制开单：{order.slip_forced_reason}" if order.slip_forced_reason else ""
    if vehicle_arranged:
        ask = f"请物流取单、提货发货，发货后 /发货 {order.number} [件数] [运单号]"
    else:
        ask = (
            f"还没派车：请物流先 /派车 {order.number} 车牌 司机 电话 [运费]，"
            f"发货后 /发货 {order.number} [件数] [运单号]"
        )
    return (
        f"销售单 {order.slip_number} 已开出（订单 {order.number}，{order.customer_name}，已开单）\n"
        f"金额：{format_fen(order.amount_fen)} 元\n付款方式：{order.payment.value}\n"
        f"收货：{order.consignee} {order.phone} {order.address}{forced}\n{ask}"
    )


def slip_reply(order: Order, logistics_told: bool) -> str:
    head = f"已开销售单 {order.slip_number}：订单 {order.number}，{order.payment.value}，现在「已开单」。"
    if logistics_told:
        return head + "已通知物流取单发货。"
    return head + "物流还没有成员，通知无人接收：请主任 /设岗 @成员 物流"


def forced_without_need(order: Order) -> str:
    return "\n开单条件本已满足，按正常开单处理（不记为强制）。"


def no_slip(order: Order) -> str:
    return f"订单 {order.number} 还没开销售单（现在是「{order.stage.value}」）。"


def no_such_slip(slip_number: str) -> str:
    return f"没有销售单 {slip_number}。"


def file_hint(order: Order) -> str:
    return f"打印用表格：/销售单 {order.number} 文件"


def truncated(order: Order, total: int) -> str:
    return f"……共 {total} 项，完整内容请 /销售单 {order.number} 文件"


def not_shipped_yet(order: Order) -> str:
    return f"订单 {order.number} 还没发货（现在是「{order.stage.value}」），发货后再通知客户。"


def already_notified(order: Order) -> str:
    return f"订单 {order.number} 已在 {fmt_local(order.customer_notified_at)} 记录通知过客户，无需重复。"


def notified(order: Order) -> str:
    return f"已记录：订单 {order.number}（{order.stage.value}）已通知客户。"


def todo_notify(number: str, customer: str, shipped_at) -> str:
    return f"  {number} {customer} {fmt_local(shipped_at)} 已发货，待通知客户：通知后 /已通知 {number}"


def todo_exception(number: str, stage: Stage, note: str) -> str:
    return f"  {number}（{stage.value}）异常：{note}，处理完 /异常解除 {number}"


# Commands (the plugin's matchers and /帮助 read them).

# The roles each command needs are the services' own (one list per rule); /帮助 shows them.
WORKSHOP = (DEPARTMENT_ROLE[Department.workshop],)

INTAKE = CommandDoc(
    "接单", "/接单 + 换行写 客户：… 品名：… 数量：… 单价：… 付款方式：… 收货人：… 电话：… 地址：…",
    "登记订单并通知车间、财务、物流", roles=INTAKE_ROLES, aliases=("下单", "录单"),
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
    roles=CHANGE_ROLES, aliases=("修改订单", "改订单"),
)
CANCEL = CommandDoc(
    "撤单", "/撤单 单号 原因", "撤销订单并通知各部门（发货前）", roles=CHANGE_ROLES,
    aliases=("取消订单", "撤销订单"),
)
ISSUE_SLIP = CommandDoc(
    "开单", "/开单 单号", "开销售单（车间备货完成且财务确认后），通知物流取单发货", roles=ISSUE_ROLES,
)
FORCE_SLIP = CommandDoc(
    "强制开单", "/强制开单 单号 原因", "未满足开单条件时由主任强制开单，原因记入销售单和经过",
    roles=FORCE_ROLES,
)
SLIP = CommandDoc("销售单", "/销售单 单号 [文件]", "查看销售单；加「文件」则上传可打印的表格")
CUSTOMER_NOTIFIED = CommandDoc("已通知", "/已通知 单号 [说明]", "发货后记录已通知客户", roles=NOTICE_ROLES)
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


# The chat plugin, as NoneBot lists it.

PLUGIN_NAME = "协同·订单"
PLUGIN_DESCRIPTION = "接单、各部门指令与回复、开单闸门、销售单、订单查询"


def need_change(number: str) -> str:
    return f"请写上要改的字段，例如：/改单 {number}\n数量：40吨"


def slip_upload_failed_log(number: str, exc: BaseException) -> str:
    """For the operator's log."""
    return f"销售单 {number} 上传失败：{exc!r}"


# The gate before a slip and the stage machine.

NOT_SAID = "未说明"
WORKSHOP_NOT_DONE = "车间未完成备货"
FINANCE_NOT_RELEASED = "财务未放行"


def not_paid(paid_fen: int, amount_fen: int) -> str:
    return f"财务未确认到账，已到 {format_fen(paid_fen)} / {format_fen(amount_fen)} 元"


def workshop_short(note: str | None) -> str:
    return f"车间报缺货：{note or NOT_SAID}"


def finance_problem(note: str | None) -> str:
    return f"财务有问题：{note or NOT_SAID}"


def cannot_move(number: str, current: Stage, to: Stage) -> str:
    return f"订单 {number} 现在是「{current.value}」，不能变为「{to.value}」。"


# /订单: the card and its timeline.

TIMELINE_HEAD = "—— 经过 ——"


def order_card(order: Order, flags: list[str], items: Iterable[OrderItem]) -> list[str]:
    """/订单's head: number and stage, customer, items, money, delivery, and what happened to the slip."""
    paid = f"，已收 {format_fen(order.paid_fen)}" if order.paid_fen else ""
    lines = [
        f"订单 {order.number}{stage_label(order, flags)}",
        f"客户：{order.customer_name}",
        f"明细：{items_text(items, prices=True)}",
        f"金额：{format_fen(order.amount_fen)} 元（{order.payment.value}{paid}）",
        f"收货：{order.consignee} {order.phone} {order.address}",
    ]
    extras = [
        f"包装：{order.packaging}" if order.packaging else "",
        f"交期：{order.due_date:%Y-%m-%d}" if order.due_date else "",
        f"备注：{order.note}" if order.note else "",
    ]
    lines.extend(e for e in extras if e)
    if order.slip_number:
        forced = f"，强制：{order.slip_forced_reason}" if order.slip_forced_reason else ""
        lines.append(f"销售单：{order.slip_number}（{fmt_local(order.slip_at)}{forced}）")
    if order.exception_note:
        lines.append(f"异常：{order.exception_note}")
    if order.cancelled_reason:
        lines.append(f"撤单原因：{order.cancelled_reason}")
    return lines


def timeline_line(at: datetime, who: str, action: str, detail: str) -> str:
    return f"{fmt_local(at)} {who} {action}" + (f"：{detail}" if detail and action != "接单" else "")


# /看板 and /待办.

EXCEPTION_MARK = "异常"
WAITING_ON = {Stage.ready: "待客服开单", Stage.slipped: "待物流发货", Stage.shipped: "待确认到货"}
NO_POST_NO_TODO = "你还没有岗位，没有待办。请主任 /设岗。"
NOTHING_TO_DO = "没有待办，辛苦了。"


def board_head(open_orders: int) -> str:
    return f"看板：未完结 {open_orders} 单"


def board_stage(stage: Stage, orders: int) -> str:
    return f"【{stage.value}】{orders} 单"


def board_line(order: Order, waiting: list[str], marks: list[str]) -> str:
    return (
        f"  {order.number} {order.customer_name} {format_fen(order.amount_fen)}元"
        + (f" 待{'、'.join(waiting)}" if waiting else "")
        + (f" [{' '.join(marks)}]" if marks else "")
    )


def more_orders(count: int) -> str:
    return f"  …另有 {count} 单"


def open_task(department: Department, state: TaskState) -> str:
    """A department an order waits for, on the board: 车间 or 财务（有问题）."""
    return department.value + ("（有问题）" if state == TaskState.problem else "")


def waiting_line(number: str, customer: str, stage: Stage, tasks: list[str] | None, days: int) -> str:
    """An assistant's /待办 line: the order, on whom it waits, and for how long since intake."""
    waiting = f"待{'、'.join(tasks)}" if tasks else WAITING_ON.get(stage, f"【{stage.value}】")
    return f"  {number} {customer} {waiting}" + (f"（接单 {days} 天）" if days else "")


def more_waiting(count: int) -> str:
    return f"  …另有 {count} 单，见 /看板"


def todo_section(role_label: str, lines: list[str]) -> str:
    return f"【{role_label}】\n" + "\n".join(lines)


def task_todo(number: str, customer: str, department: Department, state: TaskState, note: str | None) -> str:
    return f"  {number} {customer} {TASK_NAMES[department]}" + (f"（有问题：{note}）" if state == TaskState.problem else "")


def ready_todo(number: str) -> str:
    return f"  {number} 可开单：/开单 {number}"


def problem_todo(number: str, department: Department, note: str | None) -> str:
    return f"  {number} {department.value}有问题：{note}"


# /改单 and the refusals every order service shares.

# /改单's fields as the timeline labels them (one label per field: Order.__tracked__)
FIELD_LABELS = {name: Order.__tracked__["customer_name" if name == "customer" else name].label for name in (
    "customer", "items", "amount_fen", "payment", "consignee", "phone", "address", "packaging", "due_date", "note",
)}
NO_ORDERS_OPEN = "看板：没有未完结的订单。"


def no_order(number: str) -> str:
    return f"没有订单 {number}。"


def order_cancelled(order: Order) -> str:
    return f"订单 {order.number} 已取消。"


def too_late_to_change(number: str, stage: Stage) -> str:
    return f"订单 {number} 已{stage.value.removeprefix('已')}，不能再改单。"


def fixed_by_slip(number: str, labels: list[str]) -> str:
    return f"订单 {number} 已开单，{'、'.join(labels)}以销售单为准，不能再改；如需更改请撤单重下。"


def no_change(number: str) -> str:
    return f"订单 {number} 没有变化。"


def change_reply(number: str, lines: list[str]) -> str:
    return f"订单 {number} 已修改：" + "；".join(lines)


def field_change(label: str, old: str, new: str) -> str:
    return f"{label}：{old} → {new}"


def yuan(fen: int) -> str:
    """An amount in chat: 12,600 元 (every feature's words say money this way)."""
    return f"{format_fen(fen)} 元"


def cancel_detail(order: Order, reason: str) -> str:
    """The timeline's line for /撤单: the reason, the void slip, the money kept as a balance."""
    detail = reason + (f"；销售单 {order.slip_number} 作废" if order.slip_number else "")
    return detail + (f"；已收 {format_fen(order.paid_fen)} 元转为预收余额" if order.paid_fen else "")


# /销售单 as chat text.

def forced_detail(reason: str, unmet: list[str]) -> str:
    return f"{reason}（当时未满足：{'；'.join(unmet)}）"


def slip_file_name(number: str, void: str) -> str:
    return f"销售单-{number}{void}.xlsx"


def slip_head(number: str, order: Order, flags: list[str]) -> list[str]:
    return [
        f"销售单 {number}{void_mark(order)}{stage_label(order, flags)}",
        f"日期：{fmt_local(order.slip_at, '%Y-%m-%d')}　订单：{order.number}",
        f"客户：{order.customer_name}",
        f"付款方式：{order.payment.value}",
        "明细：",
    ]


def slip_tail(order: Order, total_fen: int, total_in_words: str) -> list[str]:
    tail = [
        f"合计：{format_fen(total_fen)} 元（大写：{total_in_words}）",
        f"收货：{order.consignee} {order.phone} {order.address}",
    ]
    tail += [f"包装：{order.packaging}"] if order.packaging else []
    tail += [f"交期：{order.due_date:%Y-%m-%d}"] if order.due_date else []
    tail += [f"备注：{order.note}"] if order.note else []
    tail += [f"强制开单：{order.slip_forced_reason}"] if order.slip_forced_reason else []
    tail.append(file_hint(order))
    return tail


def slip_line(line: int, name: str, quantity: str, unit: str, unit_price_fen: int | None, amount_fen: int | None) -> str:
    text = f"  {line}. {name} {quantity}{unit}"
    if unit_price_fen is not None:
        text += f" × {format_fen(unit_price_fen)} 元"
    if amount_fen is not None:
        text += f" = {format_fen(amount_fen)} 元"
    return text


# The printable slip (slip_file).

SLIP_FONT = "宋体"
SLIP_CREATOR = "协同"
SLIP_NUMBER = "单号"
SLIP_DATE = "开单日期"
SLIP_CUSTOMER = "客户"
SLIP_ORDER = "订单号"
SLIP_PAYMENT = "付款方式"
SLIP_TOTAL = "合计（元）"
SLIP_IN_CAPITALS = "大写"
SLIP_CONSIGNEE = "收货人"
SLIP_PHONE = "电话"
SLIP_FORCED = "强制开单"


SLIP_TITLE = "销售单"
SLIP_VOID_TITLE = f"销售单（{VOID}）"
SLIP_HEADERS = ("序号", "品名", "数量", "单位", "单价（元）", "金额（元）")
SLIP_ADDRESS = "地址"
SLIP_PACKAGING = "包装"
SLIP_DUE = "交期"
SLIP_NOTE = "备注"
SLIP_SIGNATURES = {"A": "制单", "C": "物流签收", "E": "客户签收"}


def slip_title(number: str, order: Order) -> str:
    return f"销售单 {number}{void_mark(order)}"


def in_capitals(words: str) -> str:
    return f"人民币{words}"


def slip_footer(number: str) -> str:
    return f"{number}  第 &P 页 / 共 &N 页"


# The order form: /接单's template and what the intake parser says about a form it cannot take.

TEMPLATE = """/接单
客户：金陵建材
品名：水泥
数量：30吨
单价：420
付款方式：款到发货
收货人：王工
电话：13800000000
地址：南京市江宁区东山街道88号
包装：（可选）
交期：（可选）12月5日
备注：（可选）"""


NEED_PRICE_OR_TOTAL = "缺少 单价 或 金额"
COMPUTED_ZERO = "金额 算出来是 0，请写 金额"
DETAIL_OR_LINES = "明细 和 品名/数量/单价 只写一种"
NOTHING_TO_CHANGE = "没有可修改的字段（写成 字段：内容，如 数量：35吨）"


def unreadable_line(line: str) -> str:
    return f"看不懂这一行：{line}（请写成 字段：内容）"


def unknown_field(name: str) -> str:
    return f"不认识的字段：{name}"


def one_payment_only(value: str) -> str:
    return f"付款方式 只能写一种：{value}"


def unknown_payment(value: str) -> str:
    return f"付款方式 看不懂：{value}（写 款到发货、货到付款 或 月结）"


def unreadable_due(text: str) -> str:
    return f"交期 看不懂：{text}（如 12月5日、2026-12-05、明天）"


def invalid_due(text: str) -> str:
    return f"交期 不是有效日期：{text}"


def due_passed(due: date) -> str:
    return f"交期 已经过了：{due.isoformat()}"


def freight_note(value: str) -> str:
    """「运费800元」 goes into 备注 as 运费 800元."""
    return f"运费 {value}"


def written_twice(field: str, values: list[str]) -> str:
    return f"{field} 写了两次：{' / '.join(values)}"


def missing(field: str) -> str:
    return f"缺少 {field}"


def unreadable_detail(entry: str) -> str:
    return f"明细 看不懂：{entry}（写成 品名 数量 单价，如 水泥 30吨 420元）"


def names_and_quantities(names: int, quantities: int) -> str:
    return f"品名 有 {names} 个，数量 有 {quantities} 个：要一一对应"


def prices_and_names(prices: int, names: int) -> str:
    return f"单价 有 {prices} 个，品名 有 {names} 个：每个品名写一个单价，或写 金额"


def quantity_not_positive(text: str) -> str:
    return f"数量 必须大于 0：{text}"


def quantity_without_unit(text: str) -> str:
    return f"数量 要写单位：{text}（如 {text}吨、{text}箱）"


def quantity_too_large(text: str, unit: str) -> str:
    return f"数量 太大：{text}（一个品名最多 1,000,000{unit}）"


def quantity_too_fine(text: str) -> str:
    return f"数量 最多三位小数：{text}"


def total_too_large(total_fen: int) -> str:
    return f"金额 超过 1 亿元：{format_fen(total_fen)} 元"


def unpriced(names: list[str]) -> str:
    return f"缺少 单价：{'、'.join(names)}（或写 金额）"


def computed_too_large(computed_fen: int) -> str:
    return f"金额 超过 1 亿元：{format_fen(computed_fen)} 元，请核对数量和单价"


def total_mismatch(total_fen: int, computed_fen: int) -> str:
    return f"金额 {format_fen(total_fen)} 和 单价合计 {format_fen(computed_fen)} 对不上"


def changed_total_mismatch(total_fen: int, computed_fen: int) -> str:
    return total_mismatch(total_fen, computed_fen) + "：改金额请同时写上新的 单价"


def changed_lines_mismatch(field: str, lines: int, items: int) -> str:
    return f"{field} 有 {lines} 个，订单有 {items} 个品名：要一一对应，或写上 品名"
