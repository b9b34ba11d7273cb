"""The customer archive's row (confidential: SPEC §5)."""

from datetime import datetime

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from xietong.core import clock
from xietong.core.models import utc_column


class Customer(SQLModel, table=True):
    __tablename__ = "customer"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    contact: str = Field(default="", max_length=50)
    phone: str = Field(default="", max_length=30)
    region: str = Field(default="", max_length=50)
    salesman: str = Field(default="", max_length=50)
    credit_limit_fen: int | None = Field(default=None, sa_type=BigInteger)
    credit_days: int | None = None  # None: XIETONG_CREDIT_DAYS
    note: str = Field(default="")
    created_at: datetime = utc_column(default_factory=clock.now)
