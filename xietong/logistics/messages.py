"""Words of the logistics domain: replies to logistics, notices to cs, director and finance, /待办 lines."""

from __future__ import annotations

from datetime import date

from xietong.core.clock import fmt_local
from xietong.core.commands import CommandDoc
from xietong.core.numbers import format_fen
from xietong.core.roles import Role
from xietong.core.text import problem_list
from xietong.orders.enums import PaymentMethod, Stage
from xietong.orders.models import Order

from .models import Shipment

DISPATCH_USAGE = "/派车 单号 车牌 司机 电话 [运费]，如 /派车 {number} 皖A12345 李师傅 13900000000 800"
SHIP_USAGE = "/发货 单号 [件数] [运单号]，如 /发货 {number} 30件 SF1234567890"
NEED_EXCEPTION_NOTE = "请写上异常说明，例如：/异常 {number} 高速封路，预计晚一天到"
NEED_AMOUNT = "请写上金额，例如：/{command} {number} {example}"
NOTE_TOO_LONG = "说明太长了（最多 {limit} 字）。"


def refused(head: str, problems: list[str], usage: str) -> str:
    return problem_list(head, problems, f"\n用法：{usage}")


def cancelled(order: Order) -> str:
    return f"订单 {order.number} 已取消。"


def already_shipped(order: Order) -> str:
    return f"订单 {order.number} 已{order.stage.value.removeprefix('已')}（{fmt_local(order.shipped_at)} 发货），不能再派车。"


def vehicle(shipment: Shipment) -> str:
    return f"{shipment.plate}，司机 {shipment.driver} {shipment.driver_phone}"


def freight(shipment: Shipment) -> str:
    return f"，运费 {format_fen(shipment.freight_fen)} 元" if shipment.freight_fen is not None else ""


def dispatched(order: Order, shipment: Shipment, previous: str | None) -> str:
    head = f"订单 {order.number} 已{'改派' if previous else '派车'}：{vehicle(shipment)}{freight(shipment)}"
    head += f"（原 {previous}）。" if previous else "。"
    if order.slip_number:
        return head + f"\n销售单 {order.slip_number} 已开，提货后 /发货 {order.number} [件数] [运单号]"
    return head + f"\n现在「{order.stage.value}」，等客服开销售单后再发货。"


def not_ready_to_ship(order: Order, problems: list[str]) -> str:
    return f"订单 {order.number} 还不能发货：{'；'.join(problems)}。"


def no_slip_yet(order: Order) -> str:
    return f"还没开销售单（现在是「{order.stage.value}」）"


def no_vehicle_yet(order: Order) -> str:
    return f"还没派车（/派车 {order.number} 车牌 司机 电话）"


def shipped_already(order: Order) -> str:
    return f"订单 {order.number} 已在 {fmt_local(order.shipped_at)} 发货，现在是「{order.stage.value}」。"


def shipped_notice(order: Order, shipment: Shipment) -> str:
    """To cs (regulation step 5): tell the customer what is coming and how to reach the driver."""
    extra = "".join(
        [
            f"，{shipment.packages} 件" if shipment.packages else "",
            f"，运单号 {shipment.waybill}" if shipment.waybill else "",
        ]
    )
    cod = (
        f"\n货到付款 {format_fen(order.amount_fen)} 元，由司机代收。"
        if order.payment == PaymentMethod.cod
        else ""
    )
    return (
        f"订单 {order.number}（{order.customer_name}）已发货：{vehicle(shipment)}{extra}。{cod}\n"
        f"请客服通知客户（收货人 {order.consignee} {order.phone}），通知后 /已通知 {order.number}"
    )


def shipped_reply(order: Order, cs_told: bool) -> str:
    told = "已通知客服告知客户。" if cs_told else "客服还没有成员，请主任 /设岗 @成员 客服。"
    cod = f"\n到货收款后 /代收 {order.number} 金额" if order.payment == PaymentMethod.cod else ""
    return f"订单 {order.number} 已发货，现在「已发货」。{told}\n送到后 /到货 {order.number}{cod}"


def not_shipped(order: Order) -> str:
    return f"订单 {order.number} 还没发货（现在是「{order.stage.value}」），不能确认到货。"


def delivered_already(order: Order) -> str:
    return (
        f"订单 {order.number} 已在 {fmt_local(order.delivered_at)} 确认到货，现在是「{order.stage.value}」。"
    )


def delivered_notice(order: Order, settled: bool) -> str:
    head = f"订单 {order.number}（{order.customer_name}）已到货（{fmt_local(order.delivered_at)}）"
    if settled:
        return head + f"，货款 {format_fen(order.amount_fen)} 元已付清，订单「已结清」。"
    owed = f"未收 {format_fen(order.outstanding_fen)} 元"
    if order.payment == PaymentMethod.cod:
        return head + f"，货到付款{owed}，由物流代收后交财务。"
    if order.payment == PaymentMethod.monthly:
        return head + f"，月结{owed}，到期日 {_day(order.receivable_due)}，请客服跟进回款。"
    return head + f"，款到发货但{owed}（应于 {_day(order.receivable_due)} 前付清），请客服催收。"


def delivered_reply(order: Order) -> str:
    text = f"订单 {order.number} 已确认到货，现在「{order.stage.value}」。"
    if order.payment == PaymentMethod.cod and order.stage != Stage.settled:
        text += f"\n收到货款后 /代收 {order.number} 金额"
    if order.exception_note:
        text += f"\n注意：异常「{order.exception_note}」还没解除，处理完 /异常解除 {order.number}"
    return text


def _day(day: date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else "—"


def exception_notice(order: Order, note: str, reporter: str, updated: bool) -> str:
    verb = "异常有更新" if updated else "出现异常"
    return (
        f"订单 {order.number}（{order.customer_name}，{order.stage.value}）{verb}：{note}\n"
        f"报告人：{reporter}。请客服、主任跟进，处理完 /异常解除 {order.number}"
    )


def exception_reply(order: Order) -> str:
    return f"已记录订单 {order.number} 的异常，已通知客服和主任。"


def no_exception(order: Order) -> str:
    return f"订单 {order.number} 没有未解除的异常。"


def exception_cleared(order: Order, old: str) -> str:
    return f"订单 {order.number}（{order.stage.value}）的异常已解除：{old}"


def cod_not_applicable(order: Order) -> str:
    return f"订单 {order.number} 是「{order.payment.value}」，不是货到付款，无需代收。"


def cod_before_shipping(order: Order) -> str:
    return f"订单 {order.number} 还没发货（现在是「{order.stage.value}」），不能登记代收。"


def cod_booked(order: Order, shipment: Shipment) -> str:
    return (
        f"订单 {order.number} 的代收款 {format_fen(shipment.cod_collected_fen or 0)} 元"
        f"已于 {fmt_local(shipment.cod_booked_at)} 由财务入账，不能再改。"
    )


def cod_too_much(order: Order, amount_fen: int) -> str:
    if order.outstanding_fen <= 0:
        return f"订单 {order.number} 已经付清，不用代收。"
    return f"代收 {format_fen(amount_fen)} 元超过订单未收的 {format_fen(order.outstanding_fen)} 元，请核对。"


def cod_notice(order: Order, amount_fen: int, previous: int | None) -> str:
    short = order.outstanding_fen - amount_fen
    gap = (
        f"（订单未收 {format_fen(order.outstanding_fen)} 元，还差 {format_fen(short)} 元）"
        if short > 0
        else ""
    )
    fix = f"，更正原登记的 {format_fen(previous)} 元" if previous is not None else ""
    return (
        f"订单 {order.number}（{order.customer_name}）货到付款已由物流代收 {format_fen(amount_fen)} 元{gap}{fix}。\n"
        f"请财务收到交款后入账：/代收入账 {order.number} {format_fen(amount_fen).replace(',', '')}"
    )


def cod_reply(order: Order, amount_fen: int) -> str:
    return f"已登记订单 {order.number} 代收 {format_fen(amount_fen)} 元，已通知财务入账，请尽快交款。"


def no_vehicle_for_freight(order: Order) -> str:
    return f"订单 {order.number} 还没派车，请先 /派车 {order.number} 车牌 司机 电话 [运费]。"


def freight_settled(order: Order, shipment: Shipment) -> str:
    return (
        f"订单 {order.number} 的运费 {format_fen(shipment.freight_fen or 0)} 元"
        f"已于 {fmt_local(shipment.freight_settled_at)} 结算，不能再改。"
    )


def freight_recorded(order: Order, amount_fen: int, previous: int | None) -> str:
    was = f"（原 {format_fen(previous)} 元）" if previous is not None and previous != amount_fen else ""
    return f"已登记订单 {order.number} 运费 {format_fen(amount_fen)} 元{was}。"


# ---------------------------------------------------------------- /待办 of logistics


def todo_collect_slip(number: str, customer: str, slip_number: str, has_vehicle: bool) -> str:
    """The next step: /发货 once a vehicle is arranged, /派车 before that."""
    if not has_vehicle:
        return f"  {number} {customer} 已开单 {slip_number}，还没派车：/派车 {number} 车牌 司机 电话"
    return f"  {number} {customer} 已开单 {slip_number}，待取单发货：/发货 {number}"


def todo_in_transit(number: str, customer: str, shipped_at, plate: str | None, exception: str | None) -> str:
    flag = f" [异常：{exception}]" if exception else ""
    return f"  {number} {customer} 在途（{fmt_local(shipped_at)} 发货 {plate or ''}），到货后 /到货 {number}{flag}"


def todo_cod_to_collect(number: str, customer: str, outstanding_fen: int) -> str:
    return f"  {number} {customer} 货到付款待代收 {format_fen(outstanding_fen)} 元：/代收 {number} 金额"


def todo_cod_to_hand_over(number: str, customer: str, amount_fen: int, collected_at) -> str:
    return f"  {number} {customer} 代收 {format_fen(amount_fen)} 元（{fmt_local(collected_at)}）待交财务入账"


# Commands (the plugin's matchers and /帮助 read them).

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


# The chat plugin, as NoneBot lists it.

PLUGIN_NAME = "协同·物流"
PLUGIN_DESCRIPTION = "派车、发货、到货、异常、代收货款、运费"


# Reading /派车 and /发货, and what they record.

PACKAGE_UNITS = ("", "件", "箱", "包", "袋", "托", "桶", "卷", "捆", "个", "只", "扎", "板")  # /发货 10件
FREIGHT_FIELD = "运费"
COD_FIELD = "代收金额"
NOT_DISPATCHED = "没有派车"
NOT_SHIPPED = "没有发货"


def dispatch_incomplete(number: str) -> str:
    return f"请写全派车信息：{DISPATCH_USAGE.format(number=number)}"


def bad_driver(limit: int, driver: str) -> str:
    return f"司机 请写姓名（{limit} 字以内）：{driver}"


def bad_plate(text: str) -> str:
    return f"车牌 格式不对：{text}（如 皖A12345，新能源 皖AD12345）"


def dispatch_note(plate: str, driver: str, phone: str, freight_fen: int | None) -> str:
    return f"{plate} {driver} {phone}" + (f" 运费{format_fen(freight_fen)}元" if freight_fen is not None else "")


def bad_packages(word: str, limit: int) -> str:
    return f"件数 不对：{word}（1 到 {limit}）"


def bad_waybill(word: str) -> str:
    return f"运单号 只能是字母、数字和横线：{word}"


def extra_word(word: str) -> str:
    return f"多写了：{word}"


def ship_detail(plate: str, packages: int | None, waybill: str | None) -> str:
    return " ".join(p for p in (plate, f"{packages}件" if packages else "", f"运单{waybill}" if waybill else "") if p)
