"""Enumerations of the order domain (SPEC §3): payment methods, stages, tasks."""

from enum import Enum


class PaymentMethod(str, Enum):
    prepaid = "款到发货"
    cod = "货到付款"
    monthly = "月结"


PAYMENT_ALIASES: dict[str, PaymentMethod] = {
    "款到发货": PaymentMethod.prepaid,
    "先款后货": PaymentMethod.prepaid,
    "预付": PaymentMethod.prepaid,
    "预付款": PaymentMethod.prepaid,
    "现款": PaymentMethod.prepaid,
    "款到发": PaymentMethod.prepaid,
    "货到付款": PaymentMethod.cod,
    "代收货款": PaymentMethod.cod,
    "代收": PaymentMethod.cod,
    "到付": PaymentMethod.cod,
    "月结": PaymentMethod.monthly,
    "赊销": PaymentMethod.monthly,
    "账期": PaymentMethod.monthly,
}


class Stage(str, Enum):
    processing = "处理中"
    ready = "可开单"
    slipped = "已开单"
    shipped = "已发货"
    delivered = "已到货"
    settled = "已结清"
    cancelled = "已取消"


class Department(str, Enum):
    workshop = "车间"
    finance = "财务"
    logistics = "物流"


class TaskState(str, Enum):
    pending = "待回复"
    done = "已完成"
    problem = "有问题"
