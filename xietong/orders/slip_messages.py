"""Words of the sales slip and of the CS follow-up after shipping."""

from __future__ import annotations

from xietong.core.clock import fmt_local
from xietong.core.numbers import format_fen

from .enums import Stage
from .models import Order

NEED_REASON = "请写上强制开单的原因，例如：/强制开单 {number} 老客户，货款明天到"
REASON_TOO_LONG = "原因太长了（最多 {limit} 字），请精简后再发。"
NOTE_TOO_LONG = "说明太长了（最多 {limit} 字）。"


def cancelled(order: Order) -> str:
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
