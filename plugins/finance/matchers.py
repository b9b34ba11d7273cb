"""Chat side of finance: parse the message, call one service, let the outbox answer."""

import asyncio
from datetime import timedelta
from pathlib import Path

from nonebot import get_plugin_config, logger
from nonebot.adapters.onebot.v11 import Bot, GroupMessageEvent, MessageEvent
from nonebot.exception import AdapterException
from nonebot.params import CommandArg
from nonebot.typing import T_State

from plugins.core.chat import actor, own_example, plain_words, require_roles, subject_ref
from plugins.core.commands import command
from plugins.core.quote import READING, SUBJECT, on_quote, quoted_subject
from plugins.core.uploads import shown, upload
from xietong.core import clock
from xietong.core.db import database
from xietong.core.errors import DomainError
from xietong.core.numbers import parse_money_fen
from xietong.core.outbox import Target
from xietong.core.refs import parse_number
from xietong.core.roles import Role
from xietong.core.settings import Settings
from xietong.core.utterance import Reading, Verdict
from xietong.core.work import work
from xietong.finance import access, collecting, ledger, receivables, statement, statement_file, transfers
from xietong.finance import messages as msg
from xietong.parties import archive
from xietong.reports.monthly import Month, parse_month

settings = get_plugin_config(Settings)

def money(word: str, example: str) -> int:
    """An amount as typed; a bad one is answered with what was wrong and how to write it."""
    try:
        return parse_money_fen(word)
    except ValueError as exc:
        raise DomainError(msg.BAD_AMOUNT.format(problem=exc, example=example)) from exc


def confirmation(words: list[str]) -> tuple[list[str], bool]:
    """Take 确认 out of the words: it allows a payment beyond what is still owed."""
    return [w for w in words if w != msg.CONFIRM_WORD], msg.CONFIRM_WORD in words


@command(msg.CONFIRM_PAYMENT)
async def confirm_payment(event: MessageEvent, arg=CommandArg()):
    number, rest = await subject_ref(event, plain_words(arg))
    await require_roles(event, *access.FINANCE)
    rest, confirmed = confirmation(rest)
    amount = money(rest[0], msg.amount_example(msg.CONFIRM_PAYMENT, number)) if rest else None
    async with work(actor(event)) as w:
        await ledger.confirm_payment(w, number, amount, confirmed=confirmed)


@command(msg.MISSING)
async def missing(event: MessageEvent, arg=CommandArg()):
    number, rest = await subject_ref(event, plain_words(arg))
    async with work(actor(event)) as w:
        await ledger.report_missing(w, number, " ".join(rest) or None)


@command(msg.RELEASE)
async def release(event: MessageEvent, arg=CommandArg()):
    number, rest = await subject_ref(event, plain_words(arg))
    async with work(actor(event)) as w:
        await ledger.release(w, number, " ".join(rest) or None, default_credit_days=settings.xietong_credit_days)


@command(msg.PAYMENT)
async def payment(event: MessageEvent, arg=CommandArg()):
    number, rest = await subject_ref(event, plain_words(arg))
    await require_roles(event, *access.FINANCE)
    rest, confirmed = confirmation(rest)
    if not rest:
        raise DomainError(msg.NEED_AMOUNT.format(number=number))
    amount = money(rest[0], msg.amount_example(msg.PAYMENT, number))
    async with work(actor(event)) as w:
        await ledger.record_payment(w, number, amount, " ".join(rest[1:]), confirmed=confirmed)


@command(msg.COD)
async def book_cod(event: MessageEvent, arg=CommandArg()):
    number, rest = await subject_ref(event, plain_words(arg))
    await require_roles(event, *access.FINANCE)
    rest, confirmed = confirmation(rest)
    amount = money(rest[0], msg.amount_example(msg.COD, number)) if rest else None
    async with work(actor(event)) as w:
        await ledger.book_cod(w, number, amount, confirmed=confirmed)


@command(msg.REVERSE)
async def reverse(event: MessageEvent, arg=CommandArg()):
    number, rest = await subject_ref(event, plain_words(arg))
    entry_no = None
    if rest and (match := msg.ENTRY_NUMBER.match(rest[0])):
        entry_no, rest = int(match[1]), rest[1:]
    async with work(actor(event)) as w:
        await ledger.reverse(w, number, entry_no, " ".join(rest))


@command(msg.REFUND)
async def refund(event: MessageEvent, arg=CommandArg()):
    number, rest = await subject_ref(event, plain_words(arg))
    await require_roles(event, *access.FINANCE)
    if not rest:
        raise DomainError(msg.NEED_REFUND.format(number=number))
    amount = money(rest[0], msg.amount_example(msg.REFUND, number))
    async with work(actor(event)) as w:
        await transfers.refund(w, number, amount, " ".join(rest[1:]))


@command(msg.TRANSFER)
async def transfer(event: MessageEvent, arg=CommandArg()):
    number, rest = await subject_ref(event, plain_words(arg))
    await require_roles(event, *access.FINANCE)
    target = parse_number(rest[0]) if rest else None
    if target is None:
        raise DomainError(msg.NEED_TARGET.format(number=number))
    async with work(actor(event)) as w:
        await transfers.transfer(w, number, target)


@command(msg.LEDGER)
async def ledger_card(event: MessageEvent, arg=CommandArg()):
    number, _ = await subject_ref(event, plain_words(arg))
    await require_roles(event, *access.READ_ROLES)
    async with database().read() as session:
        return await ledger.ledger_text(session, number)


@command(msg.RECEIVABLES)
async def receivables_listing(event: MessageEvent, arg=CommandArg()):
    await require_roles(event, *access.READ_ROLES)
    typed = arg.extract_plain_text().strip()
    async with database().read() as session:
        customer = None
        if typed:
            customer = await archive.find(session, typed)
            if customer is None:
                raise DomainError(msg.NO_CUSTOMER.format(typed=typed))
        return await receivables.listing(session, clock.today(), customer)


@command(msg.COLLECT)
async def collect(event: MessageEvent, arg=CommandArg()):
    await require_roles(event, *access.COLLECT_ROLES)
    words = plain_words(arg)
    if words and (number := parse_number(words[0])):
        order, note = number, words[1:]
    elif (subject := await quoted_subject(event)) and subject.startswith("D"):
        order, note = subject, words
    elif words:
        order, note = None, words[1:]  # the first word names the customer
    else:
        raise DomainError(msg.NEED_COLLECT_TARGET.format(number=await own_example(event)))
    async with work(actor(event)) as w:
        if order is not None:
            await collecting.log_order_attempt(w, order, " ".join(note))
        else:
            await collecting.log_customer_attempt(w, words[0], " ".join(note))


@command(msg.FREIGHT)
async def settle_freight(event: MessageEvent, arg=CommandArg()):
    number, _ = await subject_ref(event, plain_words(arg))
    async with work(actor(event)) as w:
        await collecting.settle_freight(w, number)


@on_quote(msg.FINANCE_WORDS, roles=(Role.finance,))
async def by_quote(event: MessageEvent, state: T_State):
    number, reading = state[SUBJECT], state[READING]
    assert isinstance(reading, Reading)
    if reading.verdict is Verdict.ask:
        return msg.FINANCE_ASK.format(number=number)
    async with work(actor(event)) as w:
        if reading.meaning is msg.MISSING_MEANING:
            await ledger.report_missing(w, number, reading.note)
        elif reading.meaning is msg.RELEASE_MEANING:
            await ledger.release(w, number, None, default_credit_days=settings.xietong_credit_days)
        else:
            await ledger.confirm_payment(w, number, reading.amount_fen)


def statement_period(words_typed: list[str]) -> tuple[str, Month]:
    """(the customer as typed, the month): a last word with a digit is the month."""
    today = clock.today()
    if len(words_typed) > 1 and any(ch.isdigit() for ch in words_typed[-1]):
        return " ".join(words_typed[:-1]), parse_month(words_typed[-1], today)
    return " ".join(words_typed), Month.of(today)


@command(msg.STATEMENT)
async def account_statement(bot: Bot, event: MessageEvent, arg=CommandArg()):
    if isinstance(event, GroupMessageEvent):
        return msg.STATEMENT_PRIVATELY
    await require_roles(event, *access.STATEMENT_ROLES)
    typed = arg.extract_plain_text().split()
    if not typed:
        raise DomainError(msg.STATEMENT_USAGE)
    name, month = statement_period(typed)
    start, end = month.bounds()
    today = clock.today()
    as_of = today if Month.of(today) == month else month.next().first_day - timedelta(days=1)
    async with work(actor(event)) as w:
        result = await statement.for_customer(w, name, month.key, start, end, as_of)
    folder = (Path(settings.xietong_data_dir) / "statements").resolve()
    path = await asyncio.to_thread(statement_file.save, result, folder)
    try:
        await upload(bot, Target.private(event.user_id), path, path.name)
        note = msg.statement_sent(path.name)
    except (AdapterException, asyncio.TimeoutError) as exc:
        logger.warning(msg.statement_upload_failed(exc))
        note = msg.statement_not_sent(shown(path))
    return msg.statement_text(result, note)
