"""A sales target: for one local month, of the company, a region or a salesperson."""

from datetime import datetime

from sqlalchemy import BigInteger, UniqueConstraint
from sqlmodel import Field, SQLModel

from xietong.core import clock
from xietong.core.models import qq_column, utc_column


class SalesTarget(SQLModel, table=True):
    """``scope`` names whose target it is: ``company``, ``region:<id>`` or ``person:<id>`` (one per month)."""

    __tablename__ = "sales_target"
    __table_args__ = (UniqueConstraint("month", "scope", name="uq_sales_target"),)

    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(max_length=7)  # YYYY-MM
    scope: str = Field(max_length=32)
    region_id: int | None = Field(default=None, foreign_key="region.id")
    person_id: int | None = Field(default=None, foreign_key="field_person.id")
    amount_fen: int = Field(sa_type=BigInteger)
    set_by: int = qq_column()
    set_at: datetime = utc_column(default_factory=clock.now)
