"""/设岗 /撤岗 /岗位 /帮助."""

from __future__ import annotations

from nonebot.adapters.onebot.v11 import Bot, GroupMessageEvent, MessageEvent
from nonebot.params import CommandArg

from xietong.core import messages as msg
from xietong.core import roster
from xietong.core.db import database
from xietong.core.errors import DomainError
from xietong.core.hints import own_number
from xietong.core.work import work

from .chat import actor, mentioned, person_name, plain_words
from .commands import all_docs, command


async def _member_names(bot: Bot, event: MessageEvent, qqs: list[int]) -> dict[int, str]:
    """Group cards for the roster; the QQ number when the implementation cannot tell."""
    names: dict[int, str] = {}
    for qq in qqs:
        name = ""
        if isinstance(event, GroupMessageEvent):
            try:
                info = await bot.get_group_member_info(group_id=event.group_id, user_id=qq)
                name = person_name(info.get("card"), info.get("nickname"))
            except Exception:  # a name is a nicety; the role is what matters
                name = ""
        names[qq] = name or str(qq)
    return names


@command(msg.SET_ROLE)
async def set_role(bot: Bot, event: MessageEvent, arg=CommandArg()):
    who = mentioned(arg, bot.self_id)
    words = plain_words(arg)
    if not who:
        raise DomainError(msg.NEED_MENTION)
    if not words:
        raise DomainError(msg.NEED_ROLE)
    roles = roster.parse_roles(words)
    names = await _member_names(bot, event, who)
    async with work(actor(event)) as w:
        await roster.assign(w, names, roles)
        w.reply(msg.assigned(list(names.values()), "、".join(r.label for r in roles)))


@command(msg.UNSET_ROLE)
async def unset_role(bot: Bot, event: MessageEvent, arg=CommandArg()):
    who = mentioned(arg, bot.self_id)
    if not who:
        raise DomainError(msg.NEED_MENTION_UNSET)
    roles = roster.parse_roles(plain_words(arg))
    async with work(actor(event)) as w:
        removed = await roster.revoke(w, who, roles)
        names = await roster.names(w.session, who)
        lines = [msg.revoked_line(names.get(qq, str(qq)), "、".join(r.label for r in gone)) for qq, gone in removed.items()]
        w.reply(msg.revoked(lines))


@command(msg.ROLES)
async def show_roles():
    async with database().read() as session:
        rows = await roster.listing(session)
    lines = [f"{role.label}：{'、'.join(m.name or str(m.qq) for m in members) or '—'}" for role, members in rows]
    if not any(members for _, members in rows):
        lines.append(msg.NO_MEMBERS)
    return "\n".join(lines)


@command(msg.HELP)
async def show_help(event: MessageEvent, arg=CommandArg()):
    me = actor(event)
    async with database().read() as session:
        held = await roster.roles_of(session, me.qq)
    docs = all_docs()
    wanted = arg.extract_plain_text().strip().lstrip("/／")
    if wanted:
        doc = next((d for d in docs if wanted in (d.name, *d.aliases)), None)
        if doc is None:
            raise DomainError(msg.UNKNOWN_COMMAND.format(name=wanted))
        async with database().read() as session:
            number = await own_number(session, me.qq)
        return msg.command_help(doc, number)
    return msg.help_text(docs, held, me.superuser)
