"""Sign-in links and browser sessions of the web console, stored only as hashes of their tokens."""

from datetime import datetime
from enum import Enum

from sqlalchemy import Column, Index, String
from sqlmodel import Field, SQLModel

from xietong.core import clock
from xietong.core.models import enum_type, qq_column, utc_column


class TokenKind(str, Enum):
    link = "链接"  # one-time sign-in link sent by /网页
    session = "会话"  # the browser's session cookie


class WebToken(SQLModel, table=True):
    """A secret handed to one person: the database keeps its SHA-256 only, so a copy of the database
    (a backup, say) cannot be used to sign in."""

    __tablename__ = "web_token"
    __table_args__ = (Index("ix_web_token_qq", "qq", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    digest: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    kind: TokenKind = Field(sa_type=enum_type(TokenKind))
    qq: int = qq_column()
    created_at: datetime = utc_column(default_factory=clock.now)
    expires_at: datetime = utc_column()
    used_at: datetime | None = utc_column(default=None, nullable=True)  # a link: when it was redeemed
    ended_at: datetime | None = utc_column(default=None, nullable=True)  # /网页 退出
