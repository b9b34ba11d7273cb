"""The same order pasted twice within a day asks first; 确认 at the end registers it anyway."""

from datetime import timedelta

from nonebug import App
from sqlalchemy import func, select

from tests.factories import CS, INTAKE_TEXT, WORKSHOP, Capture, group_msg, last_outbox_id, queued, say, staff
from xietong.core import clock
from xietong.core.db import database
from xietong.orders.models import Order

TEXT = INTAKE_TEXT.format(payment="款到发货")


async def orders() -> int:
    async with database().session() as session:
        return await session.scalar(select(func.count()).select_from(Order))


async def registered(app: App, text: str) -> list[str]:
    before = await last_outbox_id()
    await say(app, group_msg(text, CS))
    return [q.subject for q in await queued(before) if q.text.startswith("已登记订单")]


async def test_a_second_paste_asks_and_confirm_registers(app: App):
    await staff()
    [first] = await registered(app, TEXT)
    again = group_msg(TEXT, CS)
    await say(app, again, sends={again.message_id: (
        f"金陵建材 在 {clock.fmt_local(clock.now())} 已登记过同样的订单 {first}（12,600 元），这次没有登记。"
        "确实要再登记一张，请在原消息末尾加上「确认」再发一次。"
    )})
    assert await orders() == 1
    [second] = await registered(app, TEXT + "\n确认。")
    assert second != first and await orders() == 2


async def test_a_different_order_or_a_day_later_is_no_twin(app: App):
    await staff()
    await registered(app, TEXT)
    assert await registered(app, TEXT.replace("数量：30吨", "数量：31吨"))
    now = clock.now()
    clock.set_clock(lambda: now + timedelta(days=1, minutes=1))
    try:
        assert await registered(app, TEXT)
    finally:
        clock.set_clock(None)
    assert await orders() == 3


async def test_a_cancelled_order_is_no_twin(app: App):
    await staff()
    [first] = await registered(app, TEXT)
    await say(app, group_msg(f"/撤单 {first} 客户重下", CS))
    assert await registered(app, TEXT)


async def test_confirm_is_refused_by_role_like_the_command(app: App):
    await staff()
    event = group_msg(TEXT + "\n确认", WORKSHOP)
    await say(app, event, sends={event.message_id: "这一步需要「客服、助理或主任」岗位。"})
    assert await orders() == 0


async def test_confirm_inside_a_note_is_no_confirmation(app: App):
    await staff()
    await registered(app, TEXT + "\n备注：发货前请确认")
    asked: list[str] = []
    await say(app, event := group_msg(TEXT + "\n备注：发货前请确认", CS), sends={event.message_id: Capture(asked)})
    assert "已登记过同样的订单" in asked[0] and await orders() == 1
