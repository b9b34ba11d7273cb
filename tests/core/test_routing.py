"""The command router runs the typed command's matcher inside its own run: one run a command."""

from nonebot.adapters.onebot.v11 import Bot
from nonebot.matcher import Matcher
from nonebot.message import _run_postprocessors, handle_event, run_postprocessor
from nonebug import App

from tests.factories import CS, group_msg, staff


async def test_a_command_is_one_matcher_run_and_its_failure_reaches_the_postprocessors_once(app: App, monkeypatch):
    from plugins.core.commands import routed
    from xietong.core import messages
    from xietong.orders import queries

    await staff()
    seen: list[tuple[str | None, str | None]] = []

    async def spy(matcher: Matcher, exception: Exception | None) -> None:
        seen.append((routed(matcher).plugin_name, type(exception).__name__ if exception else None))

    async def broken_board(_session):
        raise RuntimeError("disk on fire")

    run_postprocessor(spy)
    try:
        fine, failing = group_msg("/看板", CS), group_msg("/看板", CS)
        async with app.test_api() as ctx:
            bot = ctx.create_bot(base=Bot, self_id="42")
            ctx.should_call_send(fine, "看板：没有未完结的订单。", None)
            await handle_event(bot, fine)
            ctx.should_call_send(failing, messages.APOLOGY, None)
            monkeypatch.setattr(queries, "board", broken_board)
            await handle_event(bot, failing)
    finally:
        _run_postprocessors.difference_update({d for d in _run_postprocessors if d.call is spy})
    assert seen == [("orders", None), ("orders", "RuntimeError")]


async def test_a_routed_command_is_called_without_nonebot_solving_its_parameters(app: App, monkeypatch):
    """The command's handler gets its bot, event and argument worked out once (plugins/core/commands.py),
    not through NoneBot's per-run dependency solving, which was a third of a command's cost."""
    from nonebot.dependencies import Dependent

    await staff()
    solved: list[str] = []
    original = Dependent.__call__

    async def counting(self, **kwargs):
        solved.append(getattr(self.call, "__name__", repr(self.call)))
        return await original(self, **kwargs)

    monkeypatch.setattr(Dependent, "__call__", counting)
    event = group_msg("/看板", CS)
    async with app.test_api() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.should_call_send(event, "看板：没有未完结的订单。", None)
        await handle_event(bot, event)
    assert "board" not in solved and solved  # NoneBot still ran the router (its rule, its run)


def test_a_command_handler_with_a_parameter_the_router_cannot_give_is_refused_when_registered():
    import pytest

    from plugins.core.commands import plain_arguments

    async def handler(event: Bot, weather: str):
        return None

    with pytest.raises(TypeError, match="weather"):
        plain_arguments(handler)


async def test_a_handler_for_group_messages_is_skipped_for_a_private_one_as_nonebot_would():
    from nonebot.adapters.onebot.v11 import GroupMessageEvent
    from nonebot.consts import CMD_ARG_KEY, PREFIX_KEY
    from nonebot.params import CommandArg

    from plugins.core.commands import plain_arguments
    from tests.factories import private_msg

    async def handler(bot: Bot, event: GroupMessageEvent, arg=CommandArg()):
        return None

    arguments = plain_arguments(handler)
    state = {PREFIX_KEY: {CMD_ARG_KEY: "D1"}}
    group, private = group_msg("/订单 D1", CS), private_msg("/订单 D1", CS)
    assert arguments(object(), group, None, state) is None  # not a OneBot bot
    bot = Bot.__new__(Bot)
    assert arguments(bot, group, None, state) == {"bot": bot, "event": group, "arg": "D1"}
    assert arguments(bot, private, None, state) is None


async def test_a_failure_outside_the_routers_still_gets_the_one_apology(app: App, monkeypatch):
    """The apology is called by each handler's wrapper (plugins/core/commands.py ``apologising``), not as a
    run postprocessor NoneBot solves after every run: the unknown-command matcher's failure is answered too."""
    from plugins.core import messages, unknown

    await staff()

    def broken(*_args):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(unknown, "nearest", broken)
    event = group_msg("/不存在的命令", CS)
    async with app.test_api() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.should_call_send(event, messages.APOLOGY, None)
        await handle_event(bot, event)


def test_no_run_postprocessor_is_registered_for_every_matcher_run():
    """NoneBot solves a run postprocessor's parameters after every matcher run: Xietong registers none."""
    from nonebot.message import _run_postprocessors

    assert not _run_postprocessors


def test_every_rule_and_handler_an_event_reaches_is_a_coroutine():
    """NoneBot runs a plain function rule or handler in a worker thread: a thread hop for every message
    (the router's rule was one; BENCHMARKS.md, round 3)."""
    from nonebot.matcher import matchers
    from nonebot.utils import is_coroutine_callable

    from plugins.core.commands import PARKED

    plain = [
        (matcher, dependent.call)
        for priority, group in matchers.items() if priority < PARKED
        for matcher in group
        for dependent in (*matcher.rule.checkers, *matcher.handlers)
        if not is_coroutine_callable(dependent.call)
    ]
    assert plain == []


def test_which_messages_a_router_takes_is_what_nonebot_parses():
    """The preprocessor asks is_routed (to leave the dedupe check to the router) without NoneBot's full parse."""
    from nonebot.adapters.onebot.v11 import Message, MessageSegment
    from nonebot.consts import CMD_KEY
    from nonebot.rule import TrieRule

    from plugins.core.commands import _routes, is_routed

    image = MessageSegment.image("https://example.invalid/a.png")
    for message in ("/看板", "  /订单 D261126-001", "／待办", "/看板板", "/不存在的命令 x", "看板", "/",
                    Message([image, MessageSegment.text("/看板")]), Message([MessageSegment.text("/待办"), image])):
        event = group_msg(message, CS)
        parsed = TrieRule.get_value(None, event, {}).get(CMD_KEY)
        assert is_routed(None, event) == any(parsed in routes for routes in _routes.values()), message
    assert is_routed(None, group_msg("/看板", CS)) and not is_routed(None, group_msg("看板", CS))
