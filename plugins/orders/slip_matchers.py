"""Chat side of the sales slip: /开单, /强制开单, /销售单 (text or printable file), /已通知."""

from nonebot import get_plugin_config, logger
from nonebot.adapters.onebot.v11 import (
    ActionFailed,
    ApiNotAvailable,
    Bot,
    MessageEvent,
    NetworkError,
)
from nonebot.params import CommandArg

from plugins.core.chat import actor, origin, plain_words, require_roles, subject_ref
from plugins.core.commands import command
from plugins.core.uploads import shown, upload
from xietong.core.db import database
from xietong.core.errors import DomainError
from xietong.core.refs import parse_number
from xietong.core.roles import Role
from xietong.core.settings import Settings
from xietong.core.work import work
from xietong.orders import access, queries, slip, slip_file
from xietong.orders import messages as msg

settings = get_plugin_config(Settings)

queries.add_todo(Role.cs, slip.cs_todo)


@command(msg.ISSUE_SLIP)
async def issue_slip(event: MessageEvent, arg=CommandArg()):
    number, _ = await subject_ref(event, plain_words(arg))
    async with work(actor(event)) as w:
        await slip.issue(w, number)


@command(msg.FORCE_SLIP)
async def force_slip(event: MessageEvent, arg=CommandArg()):
    number, rest = await subject_ref(event, plain_words(arg))
    await require_roles(event, *access.FORCE_ROLES)
    if not rest:
        raise DomainError(msg.NEED_REASON.format(number=number))
    async with work(actor(event)) as w:
        await slip.force(w, number, " ".join(rest))


async def _slip_ref(event: MessageEvent, words: list[str]) -> tuple[str, list[str]]:
    """A slip number (XS…) or an order number, typed or from the quoted message."""
    if (
        words
        and words[0][:2].upper() == slip.SLIP_PREFIX
        and (number := parse_number(words[0], slip.SLIP_PREFIX))
    ):
        return number, words[1:]
    return await subject_ref(event, words)


@command(msg.SLIP)
async def show_slip(bot: Bot, event: MessageEvent, arg=CommandArg()):
    ref, rest = await _slip_ref(event, plain_words(arg))
    async with database().read() as session:
        if not any(word.lower() in msg.SLIP_FILE_WORDS for word in rest):
            return await slip.slip_card(session, ref)
        made = await slip.load_slip(session, ref)
    path = await slip_file.export(made, settings.xietong_data_dir)
    try:
        await upload(bot, origin(event), path, made.filename)
    except (ActionFailed, NetworkError, ApiNotAvailable) as exc:
        logger.warning(msg.slip_upload_failed_log(made.number, exc))
        return msg.slip_upload_failed(shown(path), made.order.number)
    return msg.slip_uploaded(made.filename)


@command(msg.CUSTOMER_NOTIFIED)
async def customer_notified(event: MessageEvent, arg=CommandArg()):
    number, rest = await subject_ref(event, plain_words(arg))
    async with work(actor(event)) as w:
        await slip.record_notice(w, number, " ".join(rest) or None)
