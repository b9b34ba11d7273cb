"""Commands are declared once, as data: the matcher, the refusal and /帮助 all read the same record.

A handler registered with :func:`command` returns the text to answer (read-only queries) or
``None`` (state changes answer through the outbox); a :class:`DomainError` it raises is
answered as a short reply, and anything else reaches the error postprocessor.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

import anyio
from nonebot import get_loaded_plugins, logger, on, on_command, on_message
from nonebot.adapters import Bot, Event
from nonebot.adapters.onebot.v11 import MessageEvent
from nonebot.consts import CMD_ARG_KEY, CMD_KEY, PREFIX_KEY
from nonebot.exception import ActionFailed, FinishedException, NetworkError, NoneBotException, StopPropagation
from nonebot.matcher import Matcher, current_bot, current_event, current_matcher
from nonebot.message import check_and_run_matcher
from nonebot.params import CommandArg
from nonebot.rule import TrieRule
from nonebot.typing import T_State

from xietong.core import dedupe
from xietong.core.commands import CommandDoc
from xietong.core.db import database
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


Failure = Callable[[Bot, Event, Matcher, Exception], Awaitable[None]]
_failures: list[Failure] = []


def on_failure(fn: Failure) -> Failure:
    """Register what a failed handler's event gets (the apology, plugins/core/__init__.py): called by
    :func:`apologising` rather than as NoneBot's run postprocessor, whose parameters NoneBot solved in
    tasks of their own after every matcher run, failed or not (BENCHMARKS.md)."""
    _failures.append(fn)
    return fn


def apologising(fn: Handler) -> Handler:
    """A matcher's handler whose failure is answered (:func:`on_failure`) and then raised on, so NoneBot
    logs it and its run postprocessors see it as before. Every matcher of Xietong's handlers has one."""

    @wraps(fn)
    async def handler(**kwargs):
        try:
            return await fn(**kwargs)
        except NoneBotException:  # finish, reject, pause, stop: how a handler ends, not a failure
            raise
        except Exception as exc:
            for failure in _failures:
                try:
                    await failure(current_bot.get(), current_event.get(), current_matcher.get(), exc)
                except Exception:
                    logger.exception("answering a failed command failed")
            raise

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
# it into the state already — inside the router's own run (:func:`_run_routed`): who may reach it is checked
# first (the gates, :func:`before_commands`), its permission as before, and its block stops the event as before.
PARKED = 1_000_000
ROUTED = "_xietong_routed"  # the router's state: which command matcher it ran
_COMMAND_ARG = CommandArg().dependency  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Route:
    matcher: type[Matcher]
    doc: CommandDoc
    call: Handler
    arguments: Callable[[Bot, Event, Matcher, T_State], dict[str, Any] | None]


_routes: dict[int, dict[tuple[str, ...], list[Route]]] = {}
Gate = Callable[[CommandDoc, MessageEvent], Awaitable[str | None]]
_gates: list[Gate] = []


def before_commands(gate: Gate) -> Gate:
    """Register a check every known command passes before it runs: it answers the refusal to send, or None."""
    _gates.append(gate)
    return gate


def command(doc: CommandDoc, *, priority: int = 10) -> Callable[[Handler], type[Matcher]]:
    """Register ``fn`` as the handler of the documented command."""

    def register(fn: Handler) -> type[Matcher]:
        # _depth=1: the matcher belongs to the plugin that declared the command, not to core
        matcher = on_command(doc.name, aliases=set(doc.aliases), priority=PARKED, block=True, _depth=1)
        handler = answering(fn)
        matcher.handle()(apologising(handler))  # NoneBot runs it only beside another command of the same name
        routes = _routes.get(priority)
        if routes is None:
            routes = _routes[priority] = {}
            _router(priority, routes)
        route = Route(matcher, doc, handler, plain_arguments(handler))
        for name in (doc.name, *doc.aliases):
            routes.setdefault((name,), []).append(route)
        return matcher

    return register


def plain_arguments(handler: Handler) -> Callable[[Bot, Event, Matcher, T_State], dict[str, Any] | None]:
    """The handler's arguments, worked out once from its signature, instead of NoneBot solving each of them
    in tasks of their own at every run (BENCHMARKS.md). A command's handler takes any of a bot, an event,
    the matcher and ``CommandArg()``; anything else is refused when the command is registered. Like
    NoneBot, a bot or event of another type than annotated skips the handler (the arguments are None)."""
    getters: list[tuple[str, Callable[[Bot, Event, Matcher, T_State], Any], type | None]] = []
    for parameter in inspect.signature(handler).parameters.values():
        kind = parameter.annotation if isinstance(parameter.annotation, type) else None
        if getattr(parameter.default, "dependency", None) is _COMMAND_ARG:
            getters.append((parameter.name, lambda _b, _e, _m, state: state[PREFIX_KEY][CMD_ARG_KEY], None))
        elif kind is not None and issubclass(kind, Bot):
            getters.append((parameter.name, lambda bot, _e, _m, _s: bot, kind))
        elif kind is not None and issubclass(kind, Event):
            getters.append((parameter.name, lambda _b, event, _m, _s: event, kind))
        elif kind is not None and issubclass(kind, Matcher):
            getters.append((parameter.name, lambda _b, _e, matcher, _s: matcher, None))
        else:
            raise TypeError(f"command handler {handler.__name__}: parameter {parameter.name} is not one of "
                            "a bot, an event, the matcher or CommandArg()")

    def arguments(bot: Bot, event: Event, matcher: Matcher, state: T_State) -> dict[str, Any] | None:
        values = {}
        for name, get, kind in getters:
            value = values[name] = get(bot, event, matcher, state)
            if kind is not None and not isinstance(value, kind):
                return None
        return values

    return arguments


def is_routed(bot: Bot, event: Event) -> bool:
    """Whether a router will run this message's command (NoneBot's own parse of it, as the routers see it):
    the preprocessor leaves such a message's dedupe check to the router, in the command's read transaction."""
    message = event.get_message()
    if not message or not message[0].is_text():
        return False
    # The command NoneBot's TrieRule.get_value will parse, without building the argument it also builds.
    found = TrieRule.prefix.longest_prefix(str(message[0]).lstrip())
    return bool(found) and any(found.value.command in routes for routes in _routes.values())


def _router(priority: int, routes: dict[tuple[str, ...], list[Route]]) -> type[Matcher]:
    async def typed(state: T_State) -> bool:  # async: NoneBot runs a plain function in a worker thread
        return state.get(PREFIX_KEY, {}).get(CMD_KEY) in routes

    async def run() -> None:  # no parameters: NoneBot solves none; the run's context holds them
        router, bot, event = current_matcher.get(), current_bot.get(), current_event.get()
        found = routes[router.state[PREFIX_KEY][CMD_KEY]]
        async with database().reads():  # the dedupe check, the gates and the command read in one transaction
            if isinstance(event, MessageEvent):
                if await dedupe.seen(dedupe.key_of(bot.self_id, event)):  # left here by the preprocessor
                    router.block = True
                    return
                await _pass_gates(found[0].doc, router, bot, event)
            if len(found) == 1:
                command_state = router.state.copy()
                router.state[ROUTED] = found[0].matcher
                await _run_routed(found[0], router, bot, event, command_state)
                return
        async with anyio.create_task_group() as group:  # outside reads(): tasks must not share its session
            for route in found:
                group.start_soon(check_and_run_matcher, route.matcher, bot, event, router.state.copy())

    router = on_message(rule=typed, priority=priority, block=False, _depth=1)
    router.handle()(apologising(run))  # the routed command's failure too: it runs inside
    return router


async def _pass_gates(doc: CommandDoc, router: Matcher, bot: Bot, event: MessageEvent) -> None:
    """A gate's refusal is the event's one answer: it blocks the event and finishes the router's run."""
    for gate in _gates:
        if refusal := await gate(doc, event):
            router.block = True
            dedupe.begin(dedupe.key_of(bot.self_id, event))  # a second delivery of the message stays quiet
            await router.finish(refusal)


async def _run_routed(route: Route, router: Matcher, bot: Bot, event: Event, state: T_State) -> None:
    """The command's matcher run inside the router's run rather than as a second full one (half of what a
    command cost NoneBot, BENCHMARKS.md): its permission is checked, its rule is the command name the router
    has just matched, and the run pre- and postprocessors run once, for the router, which sees the
    command's exception (apologised for by the router's :func:`apologising`) and blocks the event whenever
    the command blocks (failed or not). Its handler is called with the arguments :func:`plain_arguments`
    gives, in the context NoneBot's run would set."""
    command = route.matcher
    if not await command.check_perm(bot, event):
        return
    matcher = command()
    router.block = matcher.block
    try:
        matcher.state.update(state)
        arguments = route.arguments(bot, event, matcher, matcher.state)
        if arguments is None:  # NoneBot skips a handler whose bot or event is of another type
            return
        with matcher.ensure_context(bot, event):
            try:
                await route.call(**arguments)
            except FinishedException:
                pass
            except StopPropagation:
                matcher.block = True
    finally:
        router.block = router.block or matcher.block


def routed(matcher: Matcher) -> type[Matcher]:
    """The command matcher a router ran (for the error log), or the matcher itself."""
    return matcher.state.get(ROUTED, type(matcher))


async def _not_meta(event: Event) -> bool:
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
