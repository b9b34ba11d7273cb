"""Message segments and CQ codes, as OneBot v11 sends and receives them."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypeAlias

Segment: TypeAlias = dict[str, Any]
MessageFormat: TypeAlias = Literal["array", "string"]
MessageInput: TypeAlias = str | Sequence[Segment]


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


def reply_id(segments: Sequence[Segment]) -> int | None:
    for seg in segments:
        if seg["type"] == "reply":
            with contextlib.suppress(KeyError, TypeError, ValueError):
                return int(seg["data"]["id"])
    return None

