"""The Order aggregate: the order, its items and its three department tasks."""

from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from sqlalchemy import BigInteger, Column, Index, Numeric, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from xietong.core import clock
from xietong.core.models import enum_type, qq_column, sentinel_column, utc_column
from xietong.core.numbers import format_fen
from xietong.core.tracking import Tracked

from .enums import Department, PaymentMethod, Stage, TaskState


def _word(value: Enum) -> str:
    return value.value


class Order(SQLModel, table=True):
    __tablename__ = "sales_order"
    __table_args__ = (Index("ix_order_stage", "stage", "id"),)
    # Audited on every change (xietong.core.tracking), listed in /改单's order; the timeline words them.
    __tracked_subject__ = "number"
    __tracked__ = {
        "customer_name": Tracked("客户"),
        "items": Tracked("品名数量", stated=True),  # OrderItem rows: /改单 states the old and new list
        "amount_fen": Tracked("金额", show=lambda fen: f"{format_fen(fen)} 元"),
        "payment": Tracked("付款方式", show=_word),
        "consignee": Tracked("收货人"),
        "phone": Tracked("电话"),
        "address": Tracked("地址"),
        "packaging": Tracked("包装"),
        "due_date": Tracked("交期"),
        "note": Tracked("备注"),
        "stage": Tracked("阶段", show=_word, names_event=True),
        "slip_number": Tracked("销售单"),
        "slip_forced_reason": Tracked("强制开单原因"),
        "receivable_due": Tracked("应收日期"),
        "cancelled_reason": Tracked("撤单原因"),
        "exception_note": Tracked("异常"),
    }

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_column=Column(String(16), unique=True, nullable=False))
    customer_id: int = Field(foreign_key="customer.id", index=True)
    customer_name: str = Field(max_length=100)
    amount_fen: int = Field(sa_type=BigInteger)
    payment: PaymentMethod = Field(sa_type=enum_type(PaymentMethod))
    consignee: str = Field(max_length=50)
    phone: str = Field(max_length=30)
    address: str = Field(max_length=200)
    packaging: str | None = Field(default=None, max_length=200)
    due_date: date | None = None
    note: str | None = Field(default=None, max_length=500)
    stage: Stage = Field(default=Stage.processing, sa_type=enum_type(Stage))
    group_id: int | None = qq_column(default=None, nullable=True)  # where its notifications go
    created_by: int = qq_column()
    created_at: datetime = utc_column(default_factory=clock.now, index=True)
    updated_at: datetime = utc_column(default_factory=clock.now)
    # Sum of the finance ledger for this order: finance changes it only through service.apply_payment, in the
    # transaction of each entry.
    paid_fen: int = Field(default=0, sa_type=BigInteger)
    # The sales slip.
    slip_number: str | None = Field(default=None, sa_column=Column(String(16), unique=True, nullable=True))
    slip_at: datetime | None = utc_column(default=None, nullable=True, index=True)
    slip_forced_reason: str | None = Field(default=None, max_length=200)
    # Shipping and receivable milestones: logistics sets them only through service.mark_shipped / mark_delivered
    # (tests/architecture/test_owners.py checks that nothing outside orders assigns an Order attribute).
    shipped_at: datetime | None = utc_column(default=None, nullable=True)
    delivered_at: datetime | None = utc_column(default=None, nullable=True, index=True)
    customer_notified_at: datetime | None = utc_column(default=None, nullable=True)  # /已通知
    receivable_due: date | None = Field(default=None, index=True)  # SPEC §4: when the money is due
    settled_at: datetime | None = utc_column(default=None, nullable=True)
    # Open shipping exception (the 异常 flag).
    exception_note: str | None = Field(default=None, max_length=500)
    cancelled_reason: str | None = Field(default=None, max_length=200)
    # When it was cancelled: from then on the money it holds is the customer's balance (预收余额).
    cancelled_at: datetime | None = utc_column(default=None, nullable=True)

    @property
    def outstanding_fen(self) -> int:
        return self.amount_fen - self.paid_fen


class OrderItem(SQLModel, table=True):
    __tablename__ = "order_item"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="sales_order.id", index=True)
    line: int
    name: str = Field(max_length=100, index=True)
    quantity: Decimal = Field(sa_type=Numeric(18, 3))
    unit: str = Field(default="", max_length=10)
    unit_price_fen: int | None = Field(default=None, sa_type=BigInteger)
    sentinel: int | None = sentinel_column()

    @property
    def label(self) -> str:
        return f"{self.name} {self.quantity.normalize():f}{self.unit}"


class OrderTask(SQLModel, table=True):
    """One department's part of an order: 车间 备货, 财务 款项, 物流 派车."""

    __tablename__ = "order_task"
    __table_args__ = (
        UniqueConstraint("order_id", "department", name="uq_order_task"),
        Index("ix_task_open", "department", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="sales_order.id", index=True)
    department: Department = Field(sa_type=enum_type(Department))
    state: TaskState = Field(default=TaskState.pending, sa_type=enum_type(TaskState))
    actor_qq: int | None = qq_column(default=None, nullable=True)
    answered_at: datetime | None = utc_column(default=None, nullable=True)
    note: str | None = Field(default=None, max_length=500)
    # Escalation bookkeeping: when the department was last asked, and how far reminders went.
    asked_at: datetime = utc_column(default_factory=clock.now)
    reminders: int = 0
    sentinel: int | None = sentinel_column()
