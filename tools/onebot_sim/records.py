"""What the simulated QQ account records and how it can misbehave: sent messages, API calls, faults."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

from .segments import Segment, mentions_of, plain_text, reply_id

ApiHandler: TypeAlias = Callable[[dict[str, Any]], Any]


@dataclass(frozen=True)
class SentMessage:
    """A message the bot made QQ send (``send_msg``, ``send_group_msg``, ``upload_group_file``…)."""

    action: str
    message_type: str  # "group" | "private"
    target: int  # group id or user id
    segments: list[Segment]
    message_id: int
    at: float  # time.monotonic() when it was accepted
    text: str = ""  # the text segments, joined
    mentions: list[int] = field(default_factory=list)
    reply_to: int | None = None  # the message quoted by a ``reply`` segment

    @classmethod
    def build(
        cls, action: str, message_type: str, target: int, segments: list[Segment], message_id: int
    ) -> SentMessage:
        return cls(
            action=action,
            message_type=message_type,
            target=target,
            segments=segments,
            message_id=message_id,
            at=time.monotonic(),
            text=plain_text(segments),
            mentions=mentions_of(segments),
            reply_to=reply_id(segments),
        )


SentMatch: TypeAlias = str | Callable[[SentMessage], bool] | None
"""A substring of the sent text, a predicate, or None for any message."""


@dataclass(frozen=True)
class ApiCall:
    """One API call the bot made, and what the simulator did with it."""

    action: str
    params: dict[str, Any]
    echo: Any
    at: float  # time.monotonic() when it arrived
    outcome: Literal["ok", "failed", "ignored"]
    retcode: int = 0


@dataclass(frozen=True)
class StoredMessage:
    """A message QQ knows (seen in a chat or sent by the bot): what ``get_msg`` answers from."""

    message_id: int
    message_type: str
    sender: dict[str, Any]
    segments: list[Segment]
    time: int
    group_id: int | None = None

    def as_get_msg(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "time": self.time,
            "message_type": self.message_type,
            "message_id": self.message_id,
            "real_id": self.message_id,
            "sender": dict(self.sender),
            "message": [dict(seg) for seg in self.segments],
        }
        if self.group_id is not None:
            data["group_id"] = self.group_id
        return data


@dataclass
class Member:
    """A group member as ``get_group_member_info`` describes them."""

    user_id: int
    nickname: str
    card: str = ""
    role: str = "member"  # "owner" | "admin" | "member"


@dataclass(frozen=True)
class Fault:
    """What to do with the next call of an action: refuse it, or never answer it."""

    kind: Literal["fail", "ignore"]
    retcode: int = 100
    wording: str = ""


@dataclass(frozen=True)
class Quirks:
    """How a particular implementation shapes its events."""

    name: str = "go-cqhttp"
    font: int = 0
    anonymous_key: bool = True  # group messages carry ``"anonymous": null``
    negative_ids: bool = False  # message ids below zero
    sender_level: str | int | None = None  # ``sender.level`` when set

    @classmethod
    def gocq(cls) -> Quirks:
        return cls()

    @classmethod
    def napcat(cls) -> Quirks:
        return cls(name="NapCat", font=14, anonymous_key=False)

    @classmethod
    def lagrange(cls) -> Quirks:
        return cls(name="Lagrange.OneBot", negative_ids=True, sender_level="1")


class HandshakeRefused(Exception):
    """The bot refused the WebSocket handshake (bad or missing token, duplicate self id…)."""

    def __init__(self, status: int, body: str = ""):
        super().__init__(f"bot refused the WebSocket handshake: HTTP {status} {body}".strip())
        self.status = status
        self.body = body


class ApiError(Exception):
    """Raised by an API handler to answer ``{"status": "failed", "retcode": …}``."""

    def __init__(self, retcode: int = 100, wording: str = "failed"):
        super().__init__(f"retcode {retcode}: {wording}")
        self.retcode = retcode
        self.wording = wording

