"""The customer archive's rows (confidential: SPEC §5): customers, and the regions and field people
(salespeople, region managers) they belong to."""

from datetime import datetime
from enum import Enum

from sqlalchemy import BigInteger, UniqueConstraint
from sqlmodel import Field, SQLModel

from xietong.core import clock
from xietong.core.models import enum_type, utc_column


class Region(SQLModel, table=True):
    """A sales region (区域) of the archive: customers, salespeople and region managers belong to one."""

    __tablename__ = "region"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=50, unique=True)
    created_at: datetime = utc_column(default_factory=clock.now)


class PersonKind(str, Enum):
    salesperson = "业务员"
    manager = "区域经理"


class FieldPerson(SQLModel, table=True):
    """A salesperson (业务员) or region manager (区域经理): an archive entry, not a QQ post (SPEC §5)."""

    __tablename__ = "field_person"
    __table_args__ = (UniqueConstraint("kind", "name", name="uq_field_person"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: PersonKind = Field(sa_type=enum_type(PersonKind))
    name: str = Field(max_length=50)
    region_id: int | None = Field(default=None, foreign_key="region.id", index=True)
    phone: str = Field(default="", max_length=30)
    created_at: datetime = utc_column(default_factory=clock.now)


class Customer(SQLModel, table=True):
    __tablename__ = "customer"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    contact: str = Field(default="", max_length=50)
    phone: str = Field(default="", max_length=30)
    # region and salesman: the names as shown; region_id and salesperson_id: the archive entries they name
    # (set together by the archive service, :mod:`xietong.customers.regions`).
    region: str = Field(default="", max_length=50)
    salesman: str = Field(default="", max_length=50)
    region_id: int | None = Field(default=None, foreign_key="region.id", index=True)
    salesperson_id: int | None = Field(default=None, foreign_key="field_person.id", index=True)
    credit_limit_fen: int | None = Field(default=None, sa_type=BigInteger)
    credit_days: int | None = None  # None: XIETONG_CREDIT_DAYS
    note: str = Field(default="")
    created_at: datetime = utc_column(default_factory=clock.now)
