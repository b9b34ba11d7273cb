"""Chat side of orders: parse the message, call one service, let the outbox answer."""

from nonebot import get_plugin_config
from nonebot.adapters.onebot.v11 import GroupMessageEvent, MessageEvent
from nonebot.params import CommandArg
from nonebot.typing import T_State

from plugins.core.chat import actor, plain_words, require_roles, subject_ref
from plugins.core.commands import command
from plugins.core.quote import READING, SUBJECT, on_quote
from xietong.core import clock, roster
from xietong.core.db import database
from xietong.core.errors import DomainError
from xietong.core.roles import Role
from xietong.core.settings import Settings
from xietong.core.utterance import Reading, Verdict
from xietong.core.work import work
from xietong.orders import access, queries, service
from xietong.orders import messages as msg
from xietong.orders.enums import Department, TaskState
from xietong.orders.intake import IntakeError, parse_fields, parse_intake

settings = get_plugin_config(Settings)
queries.add_todo(Role.assistant, queries.waiting_todo)  # assistants help cs follow orders (协助客户服务经理跟单)


def home_group(event: MessageEvent) -> int | None:
    """Notifications about an order go to the group it was registered in (private: the first group)."""
    return event.group_id if isinstance(event, GroupMessageEvent) else settings.primary_group


@command(msg.INTAKE)
async def intake(event: MessageEvent, arg=CommandArg()):
    text = arg.extract_plain_text().strip()
    if not text:
        raise DomainError(msg.NEED_TEXT.format(template=msg.TEMPLATE))
    await require_roles(event, *access.INTAKE_ROLES)  # refuse by role before judging the text
    text, confirmed = msg.confirmed(text)
    try:
        draft = parse_intake(text, clock.today())
    except IntakeError as exc:
        raise DomainError(msg.intake_problems(exc.problems, msg.TEMPLATE)) from exc
    async with work(actor(event)) as w:
        await service.register(w, draft, home_group(event), confirmed=confirmed)


async def _answer_workshop(event: MessageEvent, number: str, state: TaskState, note: str | None, action: str):
    async with work(actor(event)) as w:
        await service.answer_task(w, number, Department.workshop, state=state, note=note, action=action)


@command(msg.STOCK_DONE)
async def stock_done(event: MessageEvent, arg=CommandArg()):
    number, rest = await subject_ref(event, plain_words(arg))
    await _answer_workshop(event, number, TaskState.done, " ".join(rest) or None, msg.STOCK_DONE.name)


@command(msg.STOCK_SHORT)
async def stock_short(event: MessageEvent, arg=CommandArg()):
    number, rest = await subject_ref(event, plain_words(arg))
    if not rest:
        raise DomainError(msg.NEED_NOTE.format(number=number))
    await _answer_workshop(event, number, TaskState.problem, " ".join(rest), msg.STOCK_SHORT.name)


@on_quote(msg.WORKSHOP_WORDS, roles=(Role.workshop,))
async def stock_by_quote(event: MessageEvent, state: T_State):
    number, reading = state[SUBJECT], state[READING]
    assert isinstance(reading, Reading)
    if reading.verdict is Verdict.ask:
        return msg.STOCK_ASK.format(number=number)
    if reading.verdict is Verdict.problem:
        await _answer_workshop(event, number, TaskState.problem, reading.note, msg.STOCK_SHORT.name)
    else:
        await _answer_workshop(event, number, TaskState.done, None, msg.STOCK_DONE.name)


@command(msg.SHOW)
async def show(event: MessageEvent, arg=CommandArg()):
    number, _ = await subject_ref(event, plain_words(arg))
    async with database().read() as session:
        return await queries.order_card(session, number)


@command(msg.BOARD)
async def board():
    async with database().read() as session:
        return await queries.board(session)


@command(msg.TODO)
async def todo(event: MessageEvent):
    me = actor(event)
    async with database().read() as session:
        held = await roster.roles_of(session, me.qq)
        return await queries.todos(session, me.qq, held)


@command(msg.CHANGE)
async def change(event: MessageEvent, arg=CommandArg()):
    text = arg.extract_plain_text().strip()
    first, _, rest = text.partition("\n") if "\n" in text else text.partition(" ")
    number, leftover = await subject_ref(event, first.split())
    body = "\n".join([" ".join(leftover), rest]).strip()
    await require_roles(event, *access.CHANGE_ROLES)
    if not body:
        raise DomainError(msg.need_change(number))
    async with database().read() as session:
        items = await service.draft_items(session, number)
    try:
        fields = parse_fields(body, clock.today(), current_items=items)
    except IntakeError as exc:
        raise DomainError(msg.change_problems(exc.problems, msg.TEMPLATE)) from exc
    async with work(actor(event)) as w:
        await service.change(w, number, fields)


@command(msg.CANCEL)
async def cancel(event: MessageEvent, arg=CommandArg()):
    number, rest = await subject_ref(event, plain_words(arg))
    async with work(actor(event)) as w:
        await service.cancel(w, number, " ".join(rest))
