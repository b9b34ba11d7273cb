"""Words of the order domain: instructions to departments, replies, query layouts."""

from __future__ import annotations

from collections.abc import Iterable

from xietong.core.clock import fmt_local
from xietong.core.numbers import format_fen
from xietong.core.tracking import Change
from xietong.core.utterance import Meaning, Vocabulary

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
