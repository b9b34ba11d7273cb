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
