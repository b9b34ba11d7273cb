"""A OneBot v11 implementation, simulated, for wire tests of the real bot.

:class:`BotProcess` runs ``python bot.py`` on a free loopback port with its own data directory;
:class:`OneBotClient` connects to it by reverse WebSocket as NapCat, Lagrange.OneBot or go-cqhttp
would, sends real event frames (array or CQ-string messages), answers the bot's API calls
(recording every message the bot sends), and can refuse or ignore chosen calls on purpose.

Typical use::

    async with BotProcess(token="s3cret", groups=[9001], superusers=["10001"]) as bot:
        async with bot.client(self_id=80000001) as qq:
            mid = await qq.send_group_message(9001, 10001, "/设岗 [CQ:at,qq=20002] 客服", fmt="string")
            sent = await qq.wait_for_sent("已设岗")
            assert sent.reply_to == mid
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import re
import socket
import sys
import tempfile
import time
import uuid
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, Literal, TypeAlias

from sqlalchemy.engine import make_url
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from tests.wire import databases

REPO_ROOT = Path(__file__).resolve().parents[2]
WS_PATH = "/onebot/v11/ws"

# The deployment the wire tests simulate, unless a test says otherwise.
TOKEN = "wire-secret"
GROUP = 9001
SUPERUSER = 10001
SELF_ID = 80000001

Segment: TypeAlias = dict[str, Any]
MessageFormat: TypeAlias = Literal["array", "string"]
MessageInput: TypeAlias = str | Sequence[Segment]
ApiHandler: TypeAlias = Callable[[dict[str, Any]], Any]

# Scheduled announcements (SPEC §7) out of the way: a wire test's group reads only what the test caused,
# not a meeting or monthly report the bot catches up on at start-up because the suite happens to run
# within XIETONG_CATCHUP of its time. A test of the announcements passes its own values in ``extra_env``.
QUIET_SCHEDULES = {
    "XIETONG_MEETING_CRON": "0 3 1 1 *",
    "XIETONG_COLLECTION_CRON": "0 3 1 1 *",
    "XIETONG_REPORT_CRON": "0 3 1 1 *",
    "XIETONG_WORKDAYS_ONLY": "false",
    "XIETONG_CATCHUP": "1s",
}

# One id space for every simulated client in the test run: a bot restarted on the same database
# (or a second connection) never sees a message id twice unless a test asks for it.
_message_ids = itertools.count(100_001)


# ---------------------------------------------------------------------------------------------
# Message segments and CQ codes
# ---------------------------------------------------------------------------------------------


def text_segment(text: str) -> Segment:
    return {"type": "text", "data": {"text": text}}


def at_segment(qq: int | str) -> Segment:
    return {"type": "at", "data": {"qq": str(qq)}}


def reply_segment(message_id: int) -> Segment:
    return {"type": "reply", "data": {"id": str(message_id)}}


def cq_escape(text: str, *, in_param: bool = False) -> str:
    """Escape text for a CQ string (commas too inside a CQ code's parameters)."""
    text = text.replace("&", "&amp;").replace("[", "&#91;").replace("]", "&#93;")
    return text.replace(",", "&#44;") if in_param else text


def cq_unescape(text: str) -> str:
    return text.replace("&#44;", ",").replace("&#91;", "[").replace("&#93;", "]").replace("&amp;", "&")


_CQ_CODE = re.compile(r"\[CQ:([^,\]]+)((?:,[^,\]=]+=[^,\]]*)*)\]")


def parse_cq(message: str) -> list[Segment]:
    """``"/设岗 [CQ:at,qq=20002] 客服"`` → array segments."""
    segments: list[Segment] = []
    position = 0
    for code in _CQ_CODE.finditer(message):
        if code.start() > position:
            segments.append(text_segment(cq_unescape(message[position : code.start()])))
        data: dict[str, str] = {}
        for pair in filter(None, code.group(2).split(",")):
            key, _, value = pair.partition("=")
            data[key] = cq_unescape(value)
        segments.append({"type": code.group(1), "data": data})
        position = code.end()
    if position < len(message):
        segments.append(text_segment(cq_unescape(message[position:])))
    return segments


def to_cq(segments: Sequence[Segment]) -> str:
    """Array segments → the CQ string an implementation puts in ``raw_message``."""
    parts = []
    for segment in segments:
        data = segment.get("data") or {}
        if segment["type"] == "text":
            parts.append(cq_escape(str(data.get("text", ""))))
        else:
            params = "".join(
                f",{key}={cq_escape(str(value), in_param=True)}"
                for key, value in data.items()
                if value is not None
            )
            parts.append(f"[CQ:{segment['type']}{params}]")
    return "".join(parts)


def segments_of(message: Any, *, auto_escape: bool = False) -> list[Segment]:
    """A ``message`` parameter as the bot sent it (string, one segment or a list) → segments."""
    if isinstance(message, str):
        return [text_segment(message)] if auto_escape else parse_cq(message)
    if isinstance(message, Mapping):
        message = [message]
    return [{"type": str(seg["type"]), "data": dict(seg.get("data") or {})} for seg in message]


def plain_text(segments: Sequence[Segment]) -> str:
    return "".join(str(seg["data"].get("text", "")) for seg in segments if seg["type"] == "text")


def mentions_of(segments: Sequence[Segment]) -> list[int]:
    """QQ ids @-mentioned, in order (``@全体成员`` left out)."""
    return [
        int(qq)
        for seg in segments
        if seg["type"] == "at" and (qq := str(seg["data"].get("qq", ""))).isdigit()
    ]


def _reply_id(segments: Sequence[Segment]) -> int | None:
    for seg in segments:
        if seg["type"] == "reply":
            with contextlib.suppress(KeyError, TypeError, ValueError):
                return int(seg["data"]["id"])
    return None


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------


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
            reply_to=_reply_id(segments),
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


# ---------------------------------------------------------------------------------------------
# The OneBot implementation
# ---------------------------------------------------------------------------------------------


class OneBotClient:
    """A QQ account's OneBot v11 implementation, connected to the bot by reverse WebSocket."""

    def __init__(
        self,
        url: str,
        *,
        self_id: int = SELF_ID,
        token: str | None = None,
        quirks: Quirks | None = None,
        nickname: str = "协同",
        lifecycle: bool = True,
    ):
        self.url = url
        self.self_id = self_id
        self.token = token
        self.quirks = quirks or Quirks()
        self.nickname = nickname
        self.lifecycle = lifecycle  # send a lifecycle "connect" event after the handshake
        self.sent: list[SentMessage] = []
        self.calls: list[ApiCall] = []
        self.events: list[dict[str, Any]] = []  # frames sent to the bot
        self.errors: list[BaseException] = []  # bugs in API handlers (answered as failures)
        self.messages: dict[int, StoredMessage] = {}
        self.members: dict[tuple[int, int], Member] = {}
        self._faults: dict[str, deque[Fault]] = {}
        self._handlers: dict[str, ApiHandler] = {
            "send_msg": self._send_msg,
            "send_group_msg": self._send_group_msg,
            "send_private_msg": self._send_private_msg,
            "get_msg": self._get_msg,
            "upload_group_file": self._upload_group_file,
            "get_group_member_info": self._get_group_member_info,
            "get_group_member_list": self._get_group_member_list,
            "get_login_info": self._get_login_info,
        }
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._changed = asyncio.Event()

    # -- connection --------------------------------------------------------------------------

    def headers(self) -> dict[str, str]:
        headers = {"X-Self-ID": str(self.self_id), "X-Client-Role": "Universal"}
        if self.token is not None:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    async def connect(self, *, open_timeout: float = 10.0) -> OneBotClient:
        """Open the reverse WebSocket; :class:`HandshakeRefused` carries the HTTP status if refused."""
        if self.connected:
            raise RuntimeError("already connected")
        try:
            self._ws = await connect(
                self.url, additional_headers=self.headers(), open_timeout=open_timeout, max_size=None
            )
        except InvalidStatus as exc:
            body = bytes(exc.response.body or b"").decode("utf-8", "replace")
            raise HandshakeRefused(exc.response.status_code, body) from exc
        self._reader = asyncio.create_task(self._read(self._ws), name=f"onebot-sim-{self.self_id}")
        if self.lifecycle:
            await self.send_lifecycle("connect")
        return self

    async def reconnect(self, timeout: float = 30.0) -> OneBotClient:
        """Connect again, retrying while the bot is down or still holds the old connection."""
        await self.close()
        deadline = time.monotonic() + timeout
        while True:
            try:
                return await self.connect(open_timeout=min(5.0, max(deadline - time.monotonic(), 0.5)))
            except (OSError, InvalidHandshake, HandshakeRefused, asyncio.TimeoutError):
                if time.monotonic() >= deadline:
                    raise
                await asyncio.sleep(0.2)

    @property
    def connected(self) -> bool:
        return self._reader is not None and not self._reader.done()

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        self._ws = None
        self._reader = None

    async def wait_disconnected(self, timeout: float = 10.0) -> None:
        """Until the bot's side has closed the connection (e.g. the process was stopped)."""
        if self._reader is not None:
            await asyncio.wait_for(asyncio.shield(self._reader), timeout)

    async def __aenter__(self) -> OneBotClient:
        return await self.connect()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    def reset(self) -> None:
        """Forget what was sent and called and the pending faults (messages and members stay)."""
        self.sent.clear()
        self.calls.clear()
        self.events.clear()
        self.errors.clear()
        self._faults.clear()

    # -- the table of group members ----------------------------------------------------------

    def set_member(
        self,
        group_id: int,
        user_id: int,
        *,
        card: str = "",
        nickname: str | None = None,
        role: str = "member",
    ) -> Member:
        member = Member(user_id=user_id, nickname=nickname or f"用户{user_id}", card=card, role=role)
        self.members[(group_id, user_id)] = member
        return member

    # -- events ------------------------------------------------------------------------------

    def next_message_id(self) -> int:
        number = next(_message_ids)
        return -number if self.quirks.negative_ids else number

    def _base(self, post_type: str) -> dict[str, Any]:
        return {"time": int(time.time()), "self_id": self.self_id, "post_type": post_type}

    async def send_event(self, frame: dict[str, Any]) -> None:
        """Send any event frame as is."""
        if self._ws is None:
            raise RuntimeError("not connected")
        self.events.append(frame)
        await self._ws.send(json.dumps(frame, ensure_ascii=False))

    async def redeliver(self, message_id: int) -> None:
        """Send a message event again exactly as before (same id, sender, chat and time), as an
        implementation does after a reconnect or a retry: a true repeat."""
        frame = next(
            f for f in reversed(self.events) if f.get("post_type") == "message" and f.get("message_id") == message_id
        )
        await self.send_event(dict(frame))

    async def send_lifecycle(self, sub_type: str = "connect") -> None:
        await self.send_event(
            {**self._base("meta_event"), "meta_event_type": "lifecycle", "sub_type": sub_type}
        )

    async def send_heartbeat(self, interval_ms: int = 5000) -> None:
        status = {"online": True, "good": True}
        await self.send_event(
            {
                **self._base("meta_event"),
                "meta_event_type": "heartbeat",
                "status": status,
                "interval": interval_ms,
            }
        )

    async def send_notice(self, notice_type: str, **fields: Any) -> None:
        await self.send_event({**self._base("notice"), "notice_type": notice_type, **fields})

    async def send_group_increase(
        self, group_id: int, user_id: int, *, operator_id: int = 0, sub_type: str = "approve"
    ) -> None:
        await self.send_notice(
            "group_increase", sub_type=sub_type, group_id=group_id, user_id=user_id, operator_id=operator_id
        )

    async def send_group_recall(
        self, group_id: int, user_id: int, message_id: int, *, operator_id: int | None = None
    ) -> None:
        await self.send_notice(
            "group_recall",
            group_id=group_id,
            user_id=user_id,
            operator_id=user_id if operator_id is None else operator_id,
            message_id=message_id,
        )

    def _segments(self, message: MessageInput, reply_to: int | None) -> list[Segment]:
        segments = parse_cq(message) if isinstance(message, str) else [dict(seg) for seg in message]
        return [reply_segment(reply_to), *segments] if reply_to is not None else segments

    def _message_frame(
        self, message_type: str, sub_type: str, message_id: int, segments: list[Segment], fmt: MessageFormat
    ) -> dict[str, Any]:
        raw = to_cq(segments)
        return {
            **self._base("message"),
            "message_type": message_type,
            "sub_type": sub_type,
            "message_id": message_id,
            "message": raw if fmt == "string" else segments,
            "raw_message": raw,
            "font": self.quirks.font,
        }

    async def send_group_message(
        self,
        group_id: int,
        user_id: int,
        message: MessageInput,
        *,
        message_id: int | None = None,
        fmt: MessageFormat = "array",
        nickname: str | None = None,
        card: str | None = None,
        role: str | None = None,
        reply_to: int | None = None,
    ) -> int:
        """A member speaks in a group; returns the message id. ``message`` is a CQ string or segments."""
        known = self.members.get((group_id, user_id))
        member = Member(
            user_id=user_id,
            nickname=nickname or (known.nickname if known else f"用户{user_id}"),
            card=card if card is not None else (known.card if known else ""),
            role=role or (known.role if known else "member"),
        )
        self.members[(group_id, user_id)] = member
        sender: dict[str, Any] = {
            "user_id": user_id,
            "nickname": member.nickname,
            "card": member.card,
            "role": member.role,
        }
        if self.quirks.sender_level is not None:
            sender["level"] = self.quirks.sender_level
        segments = self._segments(message, reply_to)
        message_id = self.next_message_id() if message_id is None else message_id
        frame = self._message_frame("group", "normal", message_id, segments, fmt)
        frame.update(group_id=group_id, user_id=user_id, sender=sender)
        if self.quirks.anonymous_key:
            frame["anonymous"] = None
        self.messages[message_id] = StoredMessage(
            message_id, "group", sender, segments, frame["time"], group_id
        )
        await self.send_event(frame)
        return message_id

    async def send_private_message(
        self,
        user_id: int,
        message: MessageInput,
        *,
        message_id: int | None = None,
        fmt: MessageFormat = "array",
        nickname: str | None = None,
        reply_to: int | None = None,
    ) -> int:
        """A friend writes to the bot in private; returns the message id."""
        sender: dict[str, Any] = {"user_id": user_id, "nickname": nickname or f"用户{user_id}"}
        segments = self._segments(message, reply_to)
        message_id = self.next_message_id() if message_id is None else message_id
        frame = self._message_frame("private", "friend", message_id, segments, fmt)
        frame.update(user_id=user_id, sender=sender, target_id=self.self_id)
        self.messages[message_id] = StoredMessage(message_id, "private", sender, segments, frame["time"])
        await self.send_event(frame)
        return message_id

    # -- API calls ---------------------------------------------------------------------------

    def set_handler(self, action: str, handler: ApiHandler) -> None:
        """Answer ``action`` with ``handler(params)``; it may raise :class:`ApiError`."""
        self._handlers[action] = handler

    def fail_next(self, action: str, times: int = 1, retcode: int = 100, wording: str = "发送失败") -> None:
        """Refuse the next ``times`` calls of ``action`` (``status: failed`` → ``ActionFailed``)."""
        self._faults.setdefault(action, deque()).extend([Fault("fail", retcode, wording)] * times)

    def ignore_next(self, action: str, times: int = 1) -> None:
        """Never answer the next ``times`` calls of ``action``: the bot times out (``API_TIMEOUT``)."""
        self._faults.setdefault(action, deque()).extend([Fault("ignore")] * times)

    def clear_faults(self) -> None:
        self._faults.clear()

    def calls_for(self, action: str) -> list[ApiCall]:
        return [call for call in self.calls if call.action == action]

    async def _read(self, ws: ClientConnection) -> None:
        try:
            async for raw in ws:
                frame = json.loads(raw)
                if isinstance(frame, dict) and "action" in frame:
                    await self._answer(ws, frame)
        except ConnectionClosed:
            pass
        finally:
            self._notify()

    async def _answer(self, ws: ClientConnection, frame: dict[str, Any]) -> None:
        action = str(frame["action"])
        params = dict(frame.get("params") or {})
        echo = frame.get("echo")
        queue = self._faults.get(action)
        fault = queue.popleft() if queue else None
        if fault is not None and fault.kind == "ignore":
            self._record_call(ApiCall(action, params, echo, time.monotonic(), "ignored"))
            return
        try:
            if fault is not None:
                raise ApiError(fault.retcode, fault.wording)
            handler = self._handlers.get(action)
            data = handler(params) if handler else {}
            response = {
                "status": "ok",
                "retcode": 0,
                "data": data,
                "message": "",
                "wording": "",
                "echo": echo,
            }
            call = ApiCall(action, params, echo, time.monotonic(), "ok")
        except Exception as exc:
            error = exc if isinstance(exc, ApiError) else ApiError(100, repr(exc))
            if not isinstance(exc, ApiError):
                self.errors.append(exc)
            response = {
                "status": "failed",
                "retcode": error.retcode,
                "data": None,
                "message": error.wording,
                "wording": error.wording,
                "echo": echo,
            }
            call = ApiCall(action, params, echo, time.monotonic(), "failed", error.retcode)
        self._record_call(call)
        with contextlib.suppress(ConnectionClosed):
            await ws.send(json.dumps(response, ensure_ascii=False))

    def _record_call(self, call: ApiCall) -> None:
        self.calls.append(call)
        self._notify()

    def _record_sent(self, action: str, message_type: str, target: int, segments: list[Segment]) -> int:
        message_id = self.next_message_id()
        self.sent.append(SentMessage.build(action, message_type, target, segments, message_id))
        sender = {"user_id": self.self_id, "nickname": self.nickname, "card": "", "role": "member"}
        group_id = target if message_type == "group" else None
        self.messages[message_id] = StoredMessage(
            message_id, message_type, sender, segments, int(time.time()), group_id
        )
        return message_id

    def _send_msg(self, params: dict[str, Any]) -> dict[str, Any]:
        message_type = params.get("message_type") or ("group" if params.get("group_id") else "private")
        if message_type == "group":
            return self._send_group_msg(params, action="send_msg")
        return self._send_private_msg(params, action="send_msg")

    def _send_group_msg(self, params: dict[str, Any], action: str = "send_group_msg") -> dict[str, Any]:
        segments = segments_of(params["message"], auto_escape=bool(params.get("auto_escape")))
        return {"message_id": self._record_sent(action, "group", int(params["group_id"]), segments)}

    def _send_private_msg(self, params: dict[str, Any], action: str = "send_private_msg") -> dict[str, Any]:
        segments = segments_of(params["message"], auto_escape=bool(params.get("auto_escape")))
        return {"message_id": self._record_sent(action, "private", int(params["user_id"]), segments)}

    def _upload_group_file(self, params: dict[str, Any]) -> dict[str, Any]:
        data = {key: params[key] for key in ("file", "name", "folder") if params.get(key) is not None}
        self._record_sent(
            "upload_group_file", "group", int(params["group_id"]), [{"type": "file", "data": data}]
        )
        return {"file_id": f"/{uuid.uuid4()}"}

    def _get_msg(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self.messages.get(int(params["message_id"]))
        if stored is None:
            raise ApiError(100, "消息不存在")
        return stored.as_get_msg()

    def _member_info(self, group_id: int, member: Member) -> dict[str, Any]:
        return {
            "group_id": group_id,
            "user_id": member.user_id,
            "nickname": member.nickname,
            "card": member.card,
            "sex": "unknown",
            "age": 0,
            "area": "",
            "join_time": 0,
            "last_sent_time": 0,
            "level": "1",
            "role": member.role,
            "unfriendly": False,
            "title": "",
            "title_expire_time": 0,
            "card_changeable": False,
        }

    def _get_group_member_info(self, params: dict[str, Any]) -> dict[str, Any]:
        group_id, user_id = int(params["group_id"]), int(params["user_id"])
        member = self.members.get((group_id, user_id))
        if member is None:
            raise ApiError(100, "群成员不存在")
        return self._member_info(group_id, member)

    def _get_group_member_list(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        group_id = int(params["group_id"])
        return [self._member_info(group_id, m) for (gid, _), m in self.members.items() if gid == group_id]

    def _get_login_info(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"user_id": self.self_id, "nickname": self.nickname}

    # -- waiting -----------------------------------------------------------------------------

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_until(self, probe: Callable[[], Any], timeout: float) -> Any:
        """The first non-None ``probe()`` within ``timeout`` seconds, else None."""
        deadline = time.monotonic() + timeout
        while True:
            changed = self._changed
            if (found := probe()) is not None:
                return found
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    @staticmethod
    def _predicate(match: SentMatch) -> Callable[[SentMessage], bool]:
        if match is None:
            return lambda _: True
        if isinstance(match, str):
            return lambda sent: match in sent.text
        return match

    def mark(self) -> int:
        """A position in :attr:`sent`, for ``start=`` of the waiting helpers."""
        return len(self.sent)

    def sent_texts(self) -> list[str]:
        return [sent.text for sent in self.sent]

    def matching(self, match: SentMatch = None, *, start: int = 0) -> list[SentMessage]:
        predicate = self._predicate(match)
        return [sent for sent in self.sent[start:] if predicate(sent)]

    async def wait_for_sent(
        self, match: SentMatch = None, timeout: float = 10.0, *, start: int = 0
    ) -> SentMessage:
        """The first sent message (from ``start``) whose text contains ``match`` or that satisfies it."""
        predicate = self._predicate(match)
        found = await self._wait_until(
            lambda: next((sent for sent in self.sent[start:] if predicate(sent)), None), timeout
        )
        if found is None:
            raise AssertionError(
                f"no message matching {match!r} within {timeout}s; sent: {self.sent_texts()[start:]!r}; "
                f"calls: {[(c.action, c.outcome) for c in self.calls]!r}"
            )
        return found

    async def wait_for_all(
        self, match: SentMatch, count: int, timeout: float = 10.0, *, start: int = 0
    ) -> list[SentMessage]:
        """The first ``count`` sent messages (from ``start``) matching ``match``, once that many were sent."""
        predicate = self._predicate(match)
        found = await self._wait_until(
            lambda: (
                hits[:count] if len(hits := [s for s in self.sent[start:] if predicate(s)]) >= count else None
            ),
            timeout,
        )
        if found is None:
            raise AssertionError(
                f"fewer than {count} messages matching {match!r} within {timeout}s; "
                f"sent: {self.sent_texts()[start:]!r}; calls: {[(c.action, c.outcome) for c in self.calls]!r}"
            )
        return found

    async def wait_for_call(self, action: str, timeout: float = 10.0, *, count: int = 1) -> ApiCall:
        """The ``count``-th call of ``action``."""
        found = await self._wait_until(
            lambda: calls[count - 1] if len(calls := self.calls_for(action)) >= count else None, timeout
        )
        if found is None:
            raise AssertionError(
                f"{action} not called {count} time(s) within {timeout}s; calls: {self.calls!r}"
            )
        return found

    async def expect_silence(
        self, seconds: float = 1.5, match: SentMatch = None, *, start: int | None = None
    ) -> None:
        """Assert that nothing (matching) is sent for ``seconds`` (counting from ``start`` if given)."""
        start = self.mark() if start is None else start
        await asyncio.sleep(seconds)
        if unexpected := self.matching(match, start=start):
            raise AssertionError(f"expected silence, but the bot sent: {[m.text for m in unexpected]!r}")


# ---------------------------------------------------------------------------------------------
# The bot, as a process
# ---------------------------------------------------------------------------------------------


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class BotExited(RuntimeError):
    """The bot process ended before it was listening."""

    def __init__(self, returncode: int, log: str):
        tail = "\n".join(log.splitlines()[-40:])
        super().__init__(f"bot.py exited with status {returncode} before listening; log tail:\n{tail}")
        self.returncode = returncode
        self.log = log


class BotProcess:
    """``python bot.py`` from the repository root, on a free port, with its own data directory.

    ``database`` chooses where it keeps its state: ``"sqlite"`` (a file in the data directory),
    ``"postgresql"`` (a fresh database on the server of ``XIETONG_TEST_DATABASE_URL``, created at the
    first start and dropped by :meth:`close`), or the URL of another bot's database, to share it.
    By default: PostgreSQL when that variable names a server, else SQLite. Restarts keep the database.
    Scheduled announcements are kept quiet (:data:`QUIET_SCHEDULES`) unless ``extra_env`` says otherwise.
    """

    started: ClassVar[list[BotProcess]] = []  # every bot started in this test run, for failure reports

    def __init__(
        self,
        *,
        token: str | None = TOKEN,
        groups: Sequence[int] = (GROUP,),
        superusers: Sequence[str] = (str(SUPERUSER),),
        host: str = "127.0.0.1",
        port: int | None = None,
        data_dir: str | Path | None = None,
        extra_env: Mapping[str, str] | None = None,
        log_level: str = "DEBUG",
        startup_timeout: float = 30.0,
        database: str | None = None,
        without: Sequence[str] = (),
        script: str = "bot.py",
        cwd: str | Path = REPO_ROOT,
    ):
        self.token = token
        self.without = tuple(without)  # settings left out of the environment: the defaults in code apply
        self.script = script  # relative to the repository root (the demo runs the bot on its own clock)
        self.cwd = Path(cwd)  # where the bot runs and NoneBot looks for .env
        self.groups = list(groups)
        self.superusers = [str(qq) for qq in superusers]
        self.host = host
        self.port = port or free_port()
        self.data_dir = (
            Path(data_dir) if data_dir is not None else Path(tempfile.mkdtemp(prefix="xietong-wire-"))
        )
        self.extra_env = dict(extra_env or {})
        self.log_level = log_level
        self.startup_timeout = startup_timeout
        self.log_path = self.data_dir / "bot.log"
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0
        if database is None:
            database = "postgresql" if databases.postgres_available() else "sqlite"
        self.owns_database = database == "postgresql"
        if database == "sqlite":
            self._database_url: str | None = f"sqlite+aiosqlite:///{self.data_dir / 'xietong.db'}"
        elif database == "postgresql":
            if not databases.postgres_available():
                raise RuntimeError(f"database='postgresql' needs {databases.ENV} to name a server")
            self._database_url = None  # created at the first start
        elif "://" in database:
            self._database_url = database  # shared with another bot, which owns it
        else:
            raise ValueError(f"database must be 'sqlite', 'postgresql' or a URL, not {database!r}")

    @property
    def database_url(self) -> str:
        if self._database_url is None:
            raise RuntimeError("the bot's PostgreSQL database is created when it first starts")
        return self._database_url

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return "postgresql" if self._database_url is None else make_url(self._database_url).get_backend_name()

    async def prepare_database(self) -> str:
        """Create the bot's own PostgreSQL database if it has none yet; its URL."""
        if self._database_url is None:
            self._database_url = await databases.create_database()
        return self._database_url

    @property
    def connect_host(self) -> str:
        return "127.0.0.1" if self.host in ("0.0.0.0", "", "::") else self.host

    @property
    def ws_url(self) -> str:
        return f"ws://{self.connect_host}:{self.port}{WS_PATH}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None

    @property
    def returncode(self) -> int | None:
        return self.process.returncode if self.process else None

    def env(self) -> dict[str, str]:
        """The parent's environment without its Xietong/OneBot settings, plus ours (they beat ``.env``)."""
        env = {k: v for k, v in os.environ.items() if not k.upper().startswith(("XIETONG_", "ONEBOT_"))}
        env.update(
            ENVIRONMENT="wire",  # no .env.prod / .env.dev on top of .env
            DRIVER="~fastapi+~httpx+~websockets",
            HOST=self.host,
            PORT=str(self.port),
            ONEBOT_ACCESS_TOKEN=self.token or "",
            SUPERUSERS=json.dumps(self.superusers),
            COMMAND_START=json.dumps(["/", "／"], ensure_ascii=False),
            COMMAND_SEP=json.dumps([" "]),
            XIETONG_GROUPS=json.dumps(self.groups),
            XIETONG_DATABASE_URL=self.database_url,
            XIETONG_DATA_DIR=str(self.data_dir),
            XIETONG_DELIVERY="true",
            **QUIET_SCHEDULES,
            LOG_LEVEL=self.log_level,
            PYTHONUNBUFFERED="1",
            PYTHONIOENCODING="utf-8",
        )
        env.update(self.extra_env)
        for name in self.without:
            env.pop(name, None)
        return env

    def client(self, **kwargs: Any) -> OneBotClient:
        """A simulator for this bot, with its token unless ``token=`` says otherwise."""
        kwargs.setdefault("token", self.token)
        return OneBotClient(self.ws_url, **kwargs)

    def _open_log(self) -> Any:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        log.write(f"\n===== wire test: start #{self.starts + 1} on port {self.port} =====\n".encode())
        log.flush()
        return log

    def log_text(self) -> str:
        return self.log_path.read_text("utf-8", "replace") if self.log_path.exists() else ""

    def log_mark(self) -> int:
        """A position in the log, for ``start=`` of :meth:`wait_for_log`."""
        return len(self.log_text())

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    async def wait_for_log(self, needle: str, timeout: float = 10.0, *, start: int = 0) -> str:
        """The first log line (after ``start``) containing ``needle``, waiting for it to be written."""
        deadline = time.monotonic() + timeout
        while True:
            lines = self.log_text()[start:].splitlines()
            if line := next((line for line in lines if needle in line), None):
                return line
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"{needle!r} not in the bot log within {timeout}s; tail:\n{self.log_tail()}"
                )
            await asyncio.sleep(0.1)

    async def _listening(self) -> bool:
        try:
            _, writer = await asyncio.open_connection(self.connect_host, self.port)
        except OSError:
            return False
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
        return True

    async def start(self) -> BotProcess:
        """Start the bot and wait until it listens; :class:`BotExited` if it gives up first."""
        if self.running:
            raise RuntimeError("the bot is already running")
        await self.prepare_database()
        log = self._open_log()
        try:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                self.script,
                cwd=self.cwd,
                env=self.env(),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
            )
        finally:
            log.close()
        self.starts += 1
        if self not in BotProcess.started:
            BotProcess.started.append(self)
        deadline = time.monotonic() + self.startup_timeout
        while True:
            if self.process.returncode is not None:
                raise BotExited(self.process.returncode, self.log_text())
            if await self._listening():
                return self
            if time.monotonic() >= deadline:
                await self.kill()
                raise TimeoutError(
                    f"bot.py not listening after {self.startup_timeout}s; tail:\n{self.log_tail()}"
                )
            await asyncio.sleep(0.1)

    async def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM (a graceful shutdown), then SIGKILL after ``timeout`` seconds; the exit status."""
        if self.process is None or self.process.returncode is not None:
            return self.returncode
        self.process.terminate()
        try:
            await asyncio.wait_for(self.process.wait(), timeout)
        except asyncio.TimeoutError:
            self.process.kill()
            await self.process.wait()
        return self.process.returncode

    async def kill(self) -> int | None:
        """SIGKILL: the process dies mid-flight, as in a crash or power loss."""
        if self.process is None or self.process.returncode is not None:
            return self.returncode
        self.process.kill()
        return await self.process.wait()

    async def restart(self) -> BotProcess:
        """Stop and start again on the same port and database."""
        await self.stop()
        return await self.start()

    async def close(self) -> None:
        """Stop the bot for good and drop its PostgreSQL database, if it made one."""
        try:
            await self.stop()
        finally:
            if self.owns_database and self._database_url is not None:
                url, self._database_url = self._database_url, None
                await databases.drop_database(url)

    async def __aenter__(self) -> BotProcess:
        try:
            return await self.start()
        except BaseException:
            await self.close()
            raise

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()
