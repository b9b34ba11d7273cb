"""Weekly meeting minutes: notes appended through the week, keyed by ISO week."""

from datetime import datetime

from sqlalchemy import Column, Index, String
from sqlmodel import Field, SQLModel

from xietong.core import clock
from xietong.core.models import qq_column, utc_column


class MeetingNote(SQLModel, table=True):
    """One /纪要 entry: who wrote what, when, into which week's minutes (``2026-W48``)."""

    __tablename__ = "meeting_note"
    __table_args__ = (Index("ix_meeting_note_week", "week_key", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    week_key: str = Field(sa_column=Column(String(8), nullable=False))
    text: str
    author_qq: int = qq_column()
    at: datetime = utc_column(default_factory=clock.now)
