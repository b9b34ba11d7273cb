"""Customer complaints and follow-ups (the customer row itself is ``xietong.parties.models.Customer``)."""

from datetime import datetime
from enum import Enum

from sqlalchemy import Column, Index, String
from sqlmodel import Field, SQLModel

from xietong.core import clock
from xietong.core.models import enum_type, qq_column, utc_column


class ComplaintStatus(str, Enum):
    open = "待处理"
    closed = "已处理"


class Complaint(SQLModel, table=True):
    """A complaint ticket ``T``+``YYMMDD-NNN``: about an order or a customer, open until cs answers it."""

    __tablename__ = "complaint"
    __table_args__ = (Index("ix_complaint_status", "status", "opened_at"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_column=Column(String(16), unique=True, nullable=False))
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    customer_name: str = Field(default="", max_length=100)
    order_id: int | None = Field(default=None, foreign_key="sales_order.id", index=True)
    order_number: str | None = Field(default=None, max_length=16)
    content: str
    status: ComplaintStatus = Field(default=ComplaintStatus.open, sa_type=enum_type(ComplaintStatus))
    group_id: int | None = qq_column(default=None, nullable=True)  # where it was raised; its notices go there
    opened_by: int = qq_column()
    opened_at: datetime = utc_column(default_factory=clock.now)
    result: str | None = Field(default=None)
    closed_by: int | None = qq_column(default=None, nullable=True)
    closed_at: datetime | None = utc_column(default=None, nullable=True)


class FollowUp(SQLModel, table=True):
    """A follow-up with a customer (跟进), recorded by an assistant, cs or the director."""

    __tablename__ = "follow_up"
    __table_args__ = (Index("ix_follow_up_customer", "customer_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id")
    content: str = Field(max_length=500)
    actor_qq: int = qq_column()
    at: datetime = utc_column(default_factory=clock.now)
