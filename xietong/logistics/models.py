"""The shipment of an order: vehicle, waybill, cash on delivery, freight."""

from datetime import datetime

from sqlalchemy import BigInteger, Index, text
from sqlmodel import Field, SQLModel

from xietong.core import clock
from xietong.core.models import qq_column, utc_column

_COD_UNBOOKED = "cod_collected_fen IS NOT NULL AND cod_booked_at IS NULL"
_FREIGHT_UNSETTLED = "freight_fen IS NOT NULL AND freight_settled_at IS NULL"


class Shipment(SQLModel, table=True):
    __tablename__ = "shipment"
    __table_args__ = (
        # Finance's /待办 and the collection digest look for these few rows among a million shipments.
        Index("ix_shipment_cod_unbooked", "order_id",
              sqlite_where=text(_COD_UNBOOKED), postgresql_where=text(_COD_UNBOOKED)),
        Index("ix_shipment_freight_unsettled", "order_id",
              sqlite_where=text(_FREIGHT_UNSETTLED), postgresql_where=text(_FREIGHT_UNSETTLED)),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="sales_order.id", unique=True)
    plate: str = Field(max_length=20)
    driver: str = Field(max_length=30)
    driver_phone: str = Field(max_length=30)
    dispatched_by: int = qq_column()
    dispatched_at: datetime = utc_column(default_factory=clock.now)
    packages: int | None = None
    waybill: str | None = Field(default=None, max_length=50)
    freight_fen: int | None = Field(default=None, sa_type=BigInteger)
    freight_settled_at: datetime | None = utc_column(default=None, nullable=True)
    # Cash on delivery collected by the carrier or driver, and when finance booked it.
    cod_collected_fen: int | None = Field(default=None, sa_type=BigInteger)
    cod_collected_at: datetime | None = utc_column(default=None, nullable=True)
    cod_booked_at: datetime | None = utc_column(default=None, nullable=True)
