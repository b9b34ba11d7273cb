"""Chat side of finance: parse the message, call one service, let the outbox answer."""

import re

from nonebot import get_plugin_config
from nonebot.adapters.onebot.v11 import MessageEvent
from nonebot.params import CommandArg
from nonebot.typing import T_State

from plugins.core.chat import actor, plain_words, require_roles, subject_ref
from plugins.core.commands import command
from plugins.core.quote import PHRASE, SUBJECT, on_quote, quoted_subject
from xietong.core import clock
from xietong.core.db import database
from xietong.core.errors import DomainError
from xietong.core.numbers import parse_money_fen
from xietong.core.refs import parse_number
from xietong.core.roles import Role
from xietong.core.settings import Settings
from xietong.core.work import work
from xietong.customers import archive
from xietong.finance import collections, ledger, receivables, transfers

from . import messages as msg

settings = get_plugin_config(Settings)

_ENTRY = re.compile(r"^(?:#|＃|条目)?(\d{1,9})$")
_ORDER_NUMBER = re.compile(r"[A-Za-z]{0,2}-?\d{6}-?\d{1,4}")
_AMOUNT = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?[万wW]?(?:元|块)?")
_SEPARATORS = re.compile(r"[\s，。；;：:！!、]+")


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
    await require_roles(event, *ledger.FINANCE)
    rest, confirmed = confirmation(rest)
    amount = money(rest[0], f"/到账 {number} 3000") if rest else None
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
    await require_roles(event, *ledger.FINANCE)
    rest, confirmed = confirmation(rest)
    if not rest:
        raise DomainError(msg.NEED_AMOUNT.format(number=number))
    amount = money(rest[0], f"/收款 {number} 3000 [说明]")
    async with work(actor(event)) as w:
        await ledger.record_payment(w, number, amount, " ".join(rest[1:]), confirmed=confirmed)


@command(msg.COD)
async def book_cod(event: MessageEvent, arg=CommandArg()):
    number, rest = await subject_ref(event, plain_words(arg))
    await require_roles(event, *ledger.FINANCE)
    rest, confirmed = confirmation(rest)
    amount = money(rest[0], f"/代收入账 {number} 3000") if rest else None
    async with work(actor(event)) as w:
        await ledger.book_cod(w, number, amount, confirmed=confirmed)


@command(msg.REVERSE)
async def reverse(event: MessageEvent, arg=CommandArg()):
    number, rest = await subject_ref(event, plain_words(arg))
    entry_id = None
    if rest and (match := _ENTRY.match(rest[0])):
        entry_id, rest = int(match[1]), rest[1:]
    async with work(actor(event)) as w:
        await ledger.reverse(w, number, entry_id, " ".join(rest))


@command(msg.REFUND)
async def refund(event: MessageEvent, arg=CommandArg()):
    number, rest = await subject_ref(event, plain_words(arg))
    await require_roles(event, *ledger.FINANCE)
    if not rest:
        raise DomainError(msg.NEED_REFUND.format(number=number))
    amount = money(rest[0], f"/退款 {number} 8000 说明")
    async with work(actor(event)) as w:
        await transfers.refund(w, number, amount, " ".join(rest[1:]))


@command(msg.TRANSFER)
async def transfer(event: MessageEvent, arg=CommandArg()):
    number, rest = await subject_ref(event, plain_words(arg))
    await require_roles(event, *ledger.FINANCE)
    target = parse_number(rest[0]) if rest else None
    if target is None:
        raise DomainError(msg.NEED_TARGET.format(number=number))
    async with work(actor(event)) as w:
        await transfers.transfer(w, number, target)


@command(msg.LEDGER)
async def ledger_card(event: MessageEvent, arg=CommandArg()):
    number, _ = await subject_ref(event, plain_words(arg))
    await require_roles(event, *ledger.READ_ROLES)
    async with database().read() as session:
        return await ledger.ledger_text(session, number)


@command(msg.RECEIVABLES)
async def receivables_listing(event: MessageEvent, arg=CommandArg()):
    await require_roles(event, *ledger.READ_ROLES)
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
    await require_roles(event, *collections.COLLECT_ROLES)
    words = plain_words(arg)
    if words and (number := parse_number(words[0])):
        order, note = number, words[1:]
    elif (subject := await quoted_subject(event)) and subject.startswith("D"):
        order, note = subject, words
    elif words:
        order, note = None, words[1:]  # the first word names the customer
    else:
        raise DomainError(msg.NEED_COLLECT_TARGET)
    async with work(actor(event)) as w:
        if order is not None:
            await collections.log_order_attempt(w, order, " ".join(note))
        else:
            await collections.log_customer_attempt(w, words[0], " ".join(note))


@command(msg.FREIGHT)
async def settle_freight(event: MessageEvent, arg=CommandArg()):
    number, _ = await subject_ref(event, plain_words(arg))
    async with work(actor(event)) as w:
        await collections.settle_freight(w, number)


def quoted_amount(text: str, phrase: str) -> int | None:
    """「已到账 5000」「到账了12,600元」: a word of the quote-reply that is an amount and nothing else (order
    numbers and dates like 11月20日 are not); none means everything still owed."""
    rest = _ORDER_NUMBER.sub(" ", text.replace(phrase, " "))
    word = next((w for w in _SEPARATORS.split(rest) if _AMOUNT.fullmatch(w)), None)
    return money(word, "回复「已到账 3000」") if word else None


@on_quote(msg.QUOTE_WORDS, roles=(Role.finance,))
async def by_quote(event: MessageEvent, state: T_State):
    number, phrase, text = state[SUBJECT], state[PHRASE], event.get_plaintext().strip()
    if phrase in msg.MISSING_WORDS:
        async with work(actor(event)) as w:
            await ledger.report_missing(w, number, text)
        return
    if any(word in text.replace(phrase, "") for word in msg.NEGATIONS):
        await require_roles(event, *ledger.FINANCE)
        raise DomainError(msg.NEGATED)
    async with work(actor(event)) as w:
        if phrase in msg.RELEASE_WORDS:
            await ledger.release(w, number, None, default_credit_days=settings.xietong_credit_days)
        else:
            await ledger.confirm_payment(w, number, quoted_amount(text, phrase))
