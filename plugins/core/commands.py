"""Commands are declared once, as data: the matcher, the refusal and /帮助 all read the same record.

A handler registered with :func:`command` returns the text to answer (read-only queries) or
``None`` (state changes answer through the outbox); a :class:`DomainError` it raises is
answered as a short reply, and anything else reaches the error postprocessor.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from functools import wraps

import anyio
from nonebot import get_loaded_plugins, logger, on, on_command, on_message
from nonebot.adapters import Bot, Event
from nonebot.adapters.onebot.v11 import MessageEvent
from nonebot.consts import CMD_KEY, PREFIX_KEY
from nonebot.exception import ActionFailed, NetworkError
from nonebot.matcher import Matcher, current_bot, current_event, current_matcher
from nonebot.message import check_and_run_matcher
from nonebot.typing import T_State

from xietong.core import dedupe
from xietong.core.commands import CommandDoc
from xietong.core.errors import DomainError
from xietong.core.text import clip, split_text
from xietong.core.work import work

from .people import actor

Handler = Callable[..., Awaitable[str | None]]


def answering(fn: Handler) -> Handler:
    """Turn a handler's returned text and its domain errors into replies."""

    @wraps(fn)
    async def handler(**kwargs):
        matcher = current_matcher.get()
        event = current_event.get()
        if isinstance(event, MessageEvent):  # marked handled by the state change it causes, or before answering
            dedupe.begin(dedupe.key_of(current_bot.get().self_id, event))
        try:
            text = await fn(**kwargs)
        except DomainError as exc:
            text = clip(exc.message)  # refusals echo what was typed: within the budget
        if text and await dedupe.claim():  # an answer that changed nothing: marked handled before it goes
            for part in split_text(text):  # a long answer goes out in parts, each under QQ's limit
                await answer(matcher, event, part)
            await matcher.finish()

    # NoneBot resolves string annotations in the wrapper's module: hand it the resolved ones.
    handler.__signature__ = inspect.signature(fn, eval_str=True)  # type: ignore[attr-defined]
    return handler


async def answer(matcher: type[Matcher], event: Event, text: str) -> None:
    """A direct answer; when QQ refuses it, the outbox takes it over and retries, so no answer is lost."""
    try:
        await matcher.send(text)
    except (ActionFailed, NetworkError) as exc:
        await hand_over(event, text, exc)


async def hand_over(event: Event, text: str, refused: Exception) -> None:
    """Give an answer QQ refused to the outbox, which retries it (quoting the person's message)."""
    logger.warning(f"direct answer refused ({refused!r}); handed to the outbox")
    async with work(actor(event)) as w:  # type: ignore[arg-type]
        w.reply(text)


# NoneBot checks every matcher of a priority for every event, each in tasks of its own: with dozens of
# commands that was most of the cost of a message (bench/, BENCHMARKS.md). So command matchers are parked
# at a priority no event reaches (a catch-all just before it stops every message, notice and request), and
# one router per priority runs only the matcher of the command the message starts with — NoneBot has parsed
# it into the state already — inside the router's own run (:func:`_run_routed`): its permission is checked
# as before, and its block stops the event as before.
PARKED = 1_000_000
ROUTED = "_xietong_routed"  # the router's state: which command matcher it ran
_routes: dict[int, dict[tuple[str, ...], list[type[Matcher]]]] = {}


def command(doc: CommandDoc, *, priority: int = 10) -> Callable[[Handler], type[Matcher]]:
    """Register ``fn`` as the handler of the documented command."""

    def register(fn: Handler) -> type[Matcher]:
        # _depth=1: the matcher belongs to the plugin that declared the command, not to core
        matcher = on_command(doc.name, aliases=set(doc.aliases), priority=PARKED, block=True, _depth=1)
        matcher.handle()(answering(fn))
        routes = _routes.get(priority)
        if routes is None:
            routes = _routes[priority] = {}
            _router(priority, routes)
        for name in (doc.name, *doc.aliases):
            routes.setdefault((name,), []).append(matcher)
        return matcher

    return register


def _router(priority: int, routes: dict[tuple[str, ...], list[type[Matcher]]]) -> type[Matcher]:
    def typed(state: T_State) -> bool:
        return state.get(PREFIX_KEY, {}).get(CMD_KEY) in routes

    async def run(bot: Bot, event: Event, state: T_State, router: Matcher) -> None:
        found = routes[state[PREFIX_KEY][CMD_KEY]]
        if len(found) == 1:
            command_state = state.copy()
            router.state[ROUTED] = found[0]
            await _run_routed(found[0], router, bot, event, command_state)
            return
        async with anyio.create_task_group() as group:
            for matcher in found:
                group.start_soon(check_and_run_matcher, matcher, bot, event, state.copy())

    router = on_message(rule=typed, priority=priority, block=False, _depth=1)
    router.handle()(run)
    return router


async def _run_routed(command: type[Matcher], router: Matcher, bot: Bot, event: Event, state: T_State) -> None:
    """The command's matcher run inside the router's run rather than as a second full one (half of what a
    command cost NoneBot, BENCHMARKS.md): its permission is checked, its rule is the command name the router
    has just matched, and the run pre- and postprocessors (the apology) run once, for the router, which sees
    the command's exception and blocks the event whenever the command blocks (failed or not)."""
    if not await command.check_perm(bot, event):
        return
    matcher = command()
    router.block = matcher.block
    try:
        await matcher.run(bot, event, state)
    finally:
        router.block = router.block or matcher.block


def routed(matcher: Matcher) -> type[Matcher]:
    """The command matcher a router ran (for the error log), or the matcher itself."""
    return matcher.state.get(ROUTED, type(matcher))


def _not_meta(event: Event) -> bool:
    return event.get_type() != "meta_event"


on(rule=_not_meta, priority=PARKED - 1, block=True)  # nothing but meta events reaches the parked matchers


def all_docs() -> list[CommandDoc]:
    """Every command of every loaded plugin, from its metadata ``extra["commands"]``."""
    docs: list[CommandDoc] = []
    for plugin in sorted(get_loaded_plugins(), key=lambda p: p.module_name):
        meta = plugin.metadata
        if meta and meta.extra:
            docs.extend(meta.extra.get("commands", ()))
    return docs
