"""Chat side of customers: /客户 (private only), /投诉, /处理."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from nonebot import get_plugin_config, logger
from nonebot.adapters.onebot.v11 import Bot, GroupMessageEvent, MessageEvent
from nonebot.exception import AdapterException
from nonebot.matcher import Matcher
from nonebot.params import CommandArg

from plugins.core.chat import actor, own_example, require_roles, subject_ref
from plugins.core.commands import command
from plugins.core.quote import quoted_subject
from plugins.core.uploads import shown, upload
from xietong.core import clock
from xietong.core.db import database
from xietong.core.errors import DomainError
from xietong.core.outbox import Target
from xietong.core.refs import parse_number
from xietong.core.settings import Settings
from xietong.core.work import work
from xietong.customers import access, complaints, export, followups, regions, service
from xietong.customers import messages as msg
from xietong.customers.fields import field_starts, parse_fields
from xietong.parties.messages import ASK_PRIVATELY
from xietong.parties.models import PersonKind

settings = get_plugin_config(Settings)


def exports_dir() -> Path:
    return (Path(settings.xietong_data_dir) / "exports").resolve()


def first_word(text: str, separators: str = r"\s+") -> tuple[str, str]:
    """The first word and the rest of the text, line breaks in the rest kept."""
    parts = re.split(separators, text.strip(), maxsplit=1)
    return parts[0], parts[1] if len(parts) > 1 else ""


def ref_and_text(text: str) -> tuple[str, str]:
    """``D261126-001 内容``, also written ``D261126-001：内容`` or ``D261126-001，内容``."""
    return first_word(text, r"\s*[:：,，]\s*|\s+")


def name_and_fields(text: str) -> tuple[str, str]:
    """/客户 修改 金陵建材 电话：139… or with the fields on the next lines: (the name, the field text)."""
    first, _, rest = text.strip().partition("\n")
    starts = field_starts(first)
    if not starts:
        return first.strip(), rest
    cut = starts[0].start()
    return first[:cut].strip(), (first[cut:] + "\n" + rest).strip()


@command(msg.CUSTOMER)
async def customer(bot: Bot, matcher: Matcher, event: MessageEvent, arg=CommandArg()):
    if isinstance(event, GroupMessageEvent):
        return ASK_PRIVATELY  # confidential: nothing is shown in a group, whoever asks
    text = arg.extract_plain_text().strip()
    word, rest = first_word(text)
    default_days = settings.xietong_credit_days
    if word in msg.ADD_WORDS:
        await require_roles(event, *service.EDIT_ROLES)
        fields = parse_fields(rest, new=True)
        async with work(actor(event)) as w:
            await service.add(w, fields)
        return None
    if word in msg.CHANGE_WORDS:
        await require_roles(event, *service.EDIT_ROLES)
        name, body = name_and_fields(rest)
        if not name:
            raise DomainError(msg.NEED_CHANGE_NAME)
        if not body:
            raise DomainError(msg.need_change_fields(name))
        fields = parse_fields(body, new=False)
        async with work(actor(event)) as w:
            await service.change(w, name, fields, default_days)
        return None
    await require_roles(event, *service.VIEW_ROLES)
    if not text:
        return msg.CUSTOMER_USAGE
    if word in msg.EXPORT_WORDS and not rest:
        return await export_archive(bot, event)
    async with work(actor(event)) as w:
        if word in msg.LIST_WORDS:
            answer = await service.listing(w, rest)
        else:
            answer = await service.card(w, text.split("\n")[0], default_days)
    return answer


async def export_archive(bot: Bot, event: MessageEvent) -> str:
    """The archive as Excel, sent as a file in the private chat; where it is saved when QQ will not take it."""
    name = export.file_name(clock.now())
    async with work(actor(event)) as w:
        rows = await service.export_rows(w, name)
    path = await asyncio.to_thread(export.save, rows, settings.xietong_credit_days, exports_dir() / name)
    try:
        await upload(bot, Target.private(event.user_id), path, name)
    except (AdapterException, asyncio.TimeoutError) as exc:
        logger.warning(msg.export_upload_failed(exc))
        return msg.export_not_sent(len(rows), shown(path))
    return msg.exported(len(rows), name)


@command(msg.REGION)
async def region(event: MessageEvent, arg=CommandArg()):
    if isinstance(event, GroupMessageEvent):
        return ASK_PRIVATELY
    words = arg.extract_plain_text().split()
    if not words:
        await require_roles(event, *service.VIEW_ROLES)
        async with work(actor(event)) as w:
            return await regions.overview(w)
    await require_roles(event, *service.EDIT_ROLES)
    if words[0] in msg.REGION_ADD_WORDS and len(words) == 2:
        async with work(actor(event)) as w:
            await regions.add_region(w, words[1])
        return None
    if words[0] in msg.PERSON_WORDS and len(words) in (3, 4):
        kind = PersonKind(msg.PERSON_WORDS[words[0]])
        async with work(actor(event)) as w:
            await regions.save_person(w, kind, words[1], words[2], words[3] if len(words) == 4 else "")
        return None
    return msg.REGION_USAGE


@command(msg.FOLLOW)
async def follow(event: MessageEvent, arg=CommandArg()):
    if isinstance(event, GroupMessageEvent):
        return msg.FOLLOW_PRIVATELY
    name, content = first_word(arg.extract_plain_text())
    if content:
        await require_roles(event, *access.RECORD_ROLES)
        async with work(actor(event)) as w:
            await followups.record(w, name, content)
        return None
    await require_roles(event, *access.HISTORY_ROLES)
    async with work(actor(event)) as w:
        if not name or name in msg.FOLLOW_LIST_WORDS:
            return await followups.follow_list(w)
        return await followups.history(w, name)


def home_group(event: MessageEvent) -> int | None:
    return event.group_id if isinstance(event, GroupMessageEvent) else settings.primary_group


@command(msg.COMPLAINT)
async def complaint(event: MessageEvent, arg=CommandArg()):
    text = arg.extract_plain_text().strip()
    word, rest = ref_and_text(text)
    if word in msg.COMPLAINT_LIST_WORDS and not rest:
        async with database().read() as session:
            return await complaints.listing(session)
    if word[:1] in ("T", "t") and (ticket := parse_number(word, "T")) and not rest:
        async with database().read() as session:
            return await complaints.card(session, ticket)
    ref: dict[str, str] = {}
    if text and (order := parse_number(word, "D")):
        ref["order_number"], content = order, rest
    elif (quoted := await quoted_subject(event)) and quoted.startswith("D"):
        ref["order_number"], content = quoted, text
    elif text:
        ref["customer"], content = word, rest
    else:
        raise DomainError(msg.COMPLAINT_USAGE.format(number=await own_example(event)))
    async with work(actor(event)) as w:
        await complaints.open_complaint(w, content, group_id=home_group(event), **ref)


@command(msg.HANDLE)
async def handle(event: MessageEvent, arg=CommandArg()):
    await require_roles(event, *access.CLOSE_ROLES)
    text = arg.extract_plain_text().strip()
    word, rest = ref_and_text(text)
    number, leftover = await subject_ref(event, [word] if word else [], prefix="T")
    result = text if leftover else rest
    async with work(actor(event)) as w:
        await complaints.close_complaint(w, number, result)
