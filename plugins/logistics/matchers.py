"""Chat side of logistics: parse the message, call one service, let the outbox answer."""

from nonebot import get_plugin_config
from nonebot.adapters.onebot.v11 import MessageEvent
from nonebot.params import CommandArg

from plugins.core.chat import actor, plain_words, require_roles, subject_ref
from plugins.core.commands import command
from xietong.core.errors import DomainError
from xietong.core.roles import Role
from xietong.core.settings import Settings
from xietong.core.work import work
from xietong.logistics import messages as msg
from xietong.logistics import queries, service
from xietong.orders import queries as order_queries

settings = get_plugin_config(Settings)

order_queries.add_todo(Role.logistics, queries.logistics_todo)


@command(msg.DISPATCH)
async def dispatch(event: MessageEvent, arg=CommandArg()):
    number, rest = await subject_ref(event, plain_words(arg))
    await require_roles(event, *service.LOGISTICS_ROLES)
    plate, driver, phone, freight = service.split_dispatch(rest, number)
    async with work(actor(event)) as w:
        await service.dispatch(w, number, plate, driver, phone, freight)


@command(msg.SHIP)
async def ship(event: MessageEvent, arg=CommandArg()):
    number, rest = await subject_ref(event, plain_words(arg))
    await require_roles(event, *service.LOGISTICS_ROLES)
    packages, waybill = service.split_ship(rest, number)
    async with work(actor(event)) as w:
        await service.ship(w, number, packages, waybill)


@command(msg.DELIVER)
async def deliver(event: MessageEvent, arg=CommandArg()):
    number, _ = await subject_ref(event, plain_words(arg))
    async with work(actor(event)) as w:
        await service.deliver(w, number, settings.xietong_credit_days)


@command(msg.EXCEPTION)
async def report_exception(event: MessageEvent, arg=CommandArg()):
    number, rest = await subject_ref(event, plain_words(arg))
    await require_roles(event, *service.EXCEPTION_ROLES)
    if not rest:
        raise DomainError(msg.NEED_EXCEPTION_NOTE.format(number=number))
    async with work(actor(event)) as w:
        await service.report_exception(w, number, " ".join(rest))


@command(msg.CLEAR_EXCEPTION)
async def clear_exception(event: MessageEvent, arg=CommandArg()):
    number, rest = await subject_ref(event, plain_words(arg))
    async with work(actor(event)) as w:
        await service.clear_exception(w, number, " ".join(rest) or None)


async def _amount(event: MessageEvent, arg, command: str, example: str) -> tuple[str, str]:
    number, rest = await subject_ref(event, plain_words(arg))
    await require_roles(event, *service.LOGISTICS_ROLES)
    if not rest:
        raise DomainError(msg.NEED_AMOUNT.format(command=command, number=number, example=example))
    return number, "".join(rest)


@command(msg.COD)
async def collect_cod(event: MessageEvent, arg=CommandArg()):
    number, amount = await _amount(event, arg, msg.COD.name, "12600")
    async with work(actor(event)) as w:
        await service.collect_cod(w, number, amount)


@command(msg.FREIGHT)
async def freight(event: MessageEvent, arg=CommandArg()):
    number, amount = await _amount(event, arg, msg.FREIGHT.name, "800")
    async with work(actor(event)) as w:
        await service.set_freight(w, number, amount)
