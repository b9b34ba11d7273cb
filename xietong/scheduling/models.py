"""The days an administrator declared for a year the installed chinese_calendar does not know yet."""

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from xietong.core import clock
from xietong.core.models import qq_column, utc_column


class CalendarDay(SQLModel, table=True):
    """One declared day: off (放假, with the holiday's name) or worked (补班, an adjusted working day)."""

    __tablename__ = "calendar_day"

    day: date = Field(primary_key=True)
    worked: bool  # False: 放假; True: 补班
    name: str = Field(default="", max_length=32)
    declared_by: int | None = qq_column(default=None, nullable=True)
    declared_at: datetime = utc_column(default_factory=clock.now)
