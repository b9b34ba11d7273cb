"""The ``key：value`` lines of ``/客户 新增`` and ``/客户 修改``: read, checked, every problem named at once.

Pure functions, no database. Full-width and half-width colons, commas and semicolons read alike; a key followed
by a colon starts a field at the start of a line or after a space, comma or semicolon (several fields may share
a line); a key followed by a space starts one at the start of a line, after a comma or semicolon or after two spaces —
except inside 备注, where only a key with a colon or at a line start ends it. A line without a key continues 备注.
An empty value (or the template's "（可选）") means "not given" for a new entry and "clear it" for a change.
"""

from __future__ import annotations

import re

from xietong.core.errors import DomainError
from xietong.core.numbers import normalize, parse_decimal, parse_money_fen
from xietong.core.phone import normalize_phone
from xietong.parties.archive import NAME_MAX, fold_name

from . import messages as msg

KEYS: dict[str, str] = {
    "名称": "name", "客户": "name", "客户名称": "name", "公司": "name", "单位": "name",
    "联系人": "contact",
    "电话": "phone", "手机": "phone", "联系电话": "phone",
    "地区": "region", "区域": "region", "所在地": "region",
    "业务员": "salesman", "销售": "salesman",
    "信用额度": "credit_limit_fen", "额度": "credit_limit_fen", "授信": "credit_limit_fen",
    "账期": "credit_days", "账期天数": "credit_days", "信用天数": "credit_days",
    "备注": "note",
}
LABELS: dict[str, str] = {
    "name": "名称", "contact": "联系人", "phone": "电话", "region": "地区", "salesman": "业务员",
    "credit_limit_fen": "信用额度", "credit_days": "账期", "note": "备注",
}
TEXT_LIMITS = {"contact": 50, "region": 50, "salesman": 50, "note": 500}
MAX_CREDIT_DAYS = 365


_FOLD = str.maketrans({"：": ":", "，": ",", "；": ";", "\u3000": " "})  # one character for one
_KEY_ALT = "|".join(sorted(map(re.escape, KEYS), key=len, reverse=True))
_START = re.compile(
    rf"(?<![^\s,;])(?P<colon>{_KEY_ALT})\s*:"  # 电话：… after a separator
    rf"|(?:^|(?<=[,;])|(?<=\s\s))\s*(?P<space>{_KEY_ALT})\s+(?=\S)"  # 电话 … at a line start, after , ; or two spaces
)
_UNKNOWN = re.compile(r"^\s*(?P<key>[^\s:,;]{1,8})\s*:")
_EDGES = " \t,;，；。"
_PLACEHOLDER = ("（可选）", "(可选)", "（选填）", "(选填)")
_CLEAR_WORDS = ("无", "没有", "不限", "未定", "默认", "-", "—", "/")


def field_starts(line: str, current: str | None = None) -> list[re.Match[str]]:
    """Where fields start in ``line``; inside 备注 (``current``) only a key with a colon starts one."""
    starts = []
    for m in _START.finditer(line.translate(_FOLD)):
        if m["space"] and current == "note" and m.start() > 0:
            continue
        starts.append(m)
        current = KEYS[m["colon"] or m["space"]]
    return starts


def split_fields(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(field, value) pairs in the order written, and the lines that could not be read."""
    fields: list[tuple[str, str]] = []
    problems: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        starts = field_starts(line, fields[-1][0] if fields else None)
        lead = line[: starts[0].start() if starts else len(line)].strip(_EDGES)
        if lead:
            if fields and fields[-1][0] == "note":
                fields[-1] = ("note", f"{fields[-1][1]}\n{lead}")
            elif m := _UNKNOWN.match(lead.translate(_FOLD)):
                problems.append(msg.unknown_field(m["key"], LABELS.values()))
            else:
                problems.append(msg.unreadable_line(lead))
        for index, m in enumerate(starts):
            end = starts[index + 1].start() if index + 1 < len(starts) else len(line)
            key = m["colon"] or m["space"]
            fields.append((KEYS[key], line[m.end() : end].strip(_EDGES)))
    return fields, problems


def _days(value: str) -> int:
    text = normalize(value).removesuffix("天").removesuffix("日").strip()
    try:
        days = parse_decimal(text)
    except ValueError as exc:
        raise ValueError(msg.days_unreadable(value)) from exc
    if days != days.to_integral_value() or days < 0:
        raise ValueError(msg.days_not_whole(value))
    if days > MAX_CREDIT_DAYS:
        raise ValueError(msg.days_too_many(MAX_CREDIT_DAYS, value))
    return int(days)


def _credit_limit(value: str) -> int:
    if normalize(value).rstrip("元") in ("0", "0.0", "0.00", "零"):
        return 0
    return parse_money_fen(value, "信用额度")


def _value(field: str, value: str) -> object:
    """The checked value of one field; ValueError with a chat-ready message."""
    if field == "name":
        name = fold_name(value)
        if len(name) > NAME_MAX:
            raise ValueError(msg.too_long(LABELS["name"], NAME_MAX))
        return name
    if field == "phone":
        return normalize_phone(value)
    if field == "credit_limit_fen":
        return None if value in _CLEAR_WORDS else _credit_limit(value)
    if field == "credit_days":
        return None if value in _CLEAR_WORDS else _days(value)
    if field != "note":
        value = " ".join(value.split())
    limit = TEXT_LIMITS[field]
    if len(value) > limit:
        raise ValueError(msg.too_long(LABELS[field], limit))
    return value


def parse_fields(text: str, *, new: bool) -> dict[str, object]:
    """The fields of ``/客户 新增`` (``new``: 名称 required, empty values left out) or ``/客户 修改`` (empty
    values clear the field; 名称 cannot be cleared). DomainError naming every problem, with the template."""
    pairs, problems = split_fields(text)
    values: dict[str, object] = {}
    seen: dict[str, str] = {}
    for field, raw in pairs:
        raw = "" if raw in _PLACEHOLDER else raw
        if field in seen:
            if seen[field] != raw:
                problems.append(msg.written_twice(LABELS[field], seen[field], raw))
            continue
        seen[field] = raw
        if not raw:
            if field == "name" and not new:
                problems.append(msg.NAME_NOT_CLEARED)
            elif not new:
                values[field] = None if field in ("credit_limit_fen", "credit_days") else ""
            continue
        try:
            values[field] = _value(field, raw)
        except ValueError as exc:
            problems.append(str(exc))
    if new and "name" not in values and not any(p.startswith("名称") for p in problems):
        problems.insert(0, msg.NAME_MISSING)
    if not problems and not values:
        problems.append("没有写任何字段")
    if problems:
        raise DomainError(msg.not_saved(problems))
    return values
