"""The OneBot v11 implementation: a QQ account connected to the bot by reverse WebSocket."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
import uuid
from collections import deque
from collections.abc import Callable
from types import TracebackType
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from .defaults import SELF_ID
from .records import (
    ApiCall,
    ApiError,
    ApiHandler,
    Fault,
    HandshakeRefused,
    Member,
    Quirks,
    SentMatch,
    SentMessage,
    StoredMessage,
)
from .segments import (
    MessageFormat,
    MessageInput,
    Segment,
    parse_cq,
    reply_segment,
    segments_of,
    to_cq,
)

# One id space for every simulated client in the test run: a bot restarted on the same database
# (or a second connection) never sees a message id twice unless a test asks for it.
_message_ids = itertools.count(100_001)


def first_message_id(first: int) -> None:
    """Start the message ids every client gives from ``first`` (a benchmark keeps clear of earlier runs' ids)."""
    global _message_ids
    _message_ids = itertools.count(first)


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
