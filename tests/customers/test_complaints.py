"""Complaints: open (@cs where it was raised), list, show, close; the scheduler's queries."""

from datetime import timedelta

from nonebug import App
from sqlalchemy import select

from tests.customers.support import add_customer, add_order, audits, utc
from tests.factories import (
    ASSISTANT,
    CS,
    DIRECTOR,
    LOGISTICS,
    NEEDS_TICKET,
    WORKSHOP,
    Like,
    give_roles,
    group_msg,
    last_outbox_id,
    private_msg,
    queued,
    say,
    staff,
)
from xietong.core import clock
from xietong.core.db import database
from xietong.core.models import OutboxMessage
from xietong.core.outbox import Target
from xietong.core.roles import Role
from xietong.core.work import Actor, work
from xietong.customers import complaints
from xietong.customers.models import Complaint, ComplaintStatus

NOW = utc(2026, 11, 28, 2, 0)  # 10:00 on 2026-11-28 in Shanghai
T1, T2 = "T261128-001", "T261128-002"


async def setting() -> int:
    await staff()
    clock.set_clock(lambda: NOW)
    cid = await add_customer("金陵建材有限公司")
    await add_order("D261126-001", cid, 1_260_000)
    return cid


async def ticket(number: str) -> Complaint | None:
    async with database().session() as session:
        return await session.scalar(select(Complaint).where(Complaint.number == number))


async def tickets() -> list[Complaint]:
    async with database().session() as session:
        return list((await session.scalars(select(Complaint).order_by(Complaint.id))).all())


async def test_complaint_about_an_order_in_the_group_mentions_cs_in_one_message(app: App):
    cid = await setting()
    before = await last_outbox_id()
    event = group_msg("/投诉 d261126-1 送货晚了两天，\n客户很不满意", WORKSHOP)
    await say(app, event)
    [notice] = await queued(before)
    assert notice.target == ("group", 9001)
    assert notice.mentions == [CS]
    assert notice.reply_to == event.message_id
    assert notice.subject == T1
    assert notice.text == (
        f"【投诉】{T1} 金陵建材有限公司（订单 D261126-001）\n内容：送货晚了两天，\n客户很不满意\n登记：老张\n"
        f"请客服处理，处理后 /处理 {T1} 结果"
    )
    saved = await ticket(T1)
    assert (saved.customer_id, saved.order_number, saved.status, saved.opened_by, saved.group_id) == (
        cid, "D261126-001", ComplaintStatus.open, WORKSHOP, 9001,
    )
    assert await audits("投诉") == [
        (WORKSHOP, T1, "送货晚了两天，\n客户很不满意"),
        (WORKSHOP, "D261126-001", f"{T1}：送货晚了两天，\n客户很不满意"),  # on the order's timeline too
    ]


async def test_number_and_content_may_be_separated_by_a_colon_or_comma(app: App):
    await setting()
    await say(app, group_msg("/投诉 D261126-001：少了两袋", WORKSHOP), group_msg("/投诉 金陵建材，发票开错了", WORKSHOP))
    await say(app, group_msg(f"/处理 {T1}：已补发", CS))
    first, second = await tickets()
    assert (first.order_number, first.content, first.result) == ("D261126-001", "少了两袋", "已补发")
    assert (second.customer_name, second.content) == ("金陵建材有限公司", "发票开错了")


async def test_complaint_about_a_customer_in_private_goes_to_the_main_group(app: App):
    await setting()
    before = await last_outbox_id()
    await say(app, private_msg("/投诉 金陵建材 发票开错了", ASSISTANT))
    notice, reply = await queued(before)
    assert (notice.target, notice.mentions, notice.subject) == (("group", 9001), [CS], T1)
    assert notice.text.startswith(f"【投诉】{T1} 金陵建材有限公司\n内容：发票开错了\n登记：周助理")
    assert (reply.target, reply.text) == (("private", ASSISTANT), f"已登记投诉 {T1}（金陵建材有限公司），已通知客服。")
    assert (await ticket(T1)).order_id is None


async def test_complaint_by_quote_reply_to_an_order_message(app: App):
    await setting()
    async with work(Actor(CS)) as w:
        w.notify(Target.group(9001), "订单 D261126-001 …", subject="D261126-001")
    async with database().session() as session:
        row = await session.scalar(select(OutboxMessage).where(OutboxMessage.subject == "D261126-001"))
        row.status, row.message_id = "sent", 77001
    await say(app, group_msg("/投诉 包装破了三袋", LOGISTICS, reply_to=77001))
    saved = await ticket(T1)
    assert (saved.order_number, saved.content) == ("D261126-001", "包装破了三袋")


async def test_without_cs_on_the_roster_the_director_is_asked(app: App):
    clock.set_clock(lambda: NOW)
    await give_roles(DIRECTOR, Role.director, name="陈主任")
    await give_roles(WORKSHOP, Role.workshop, name="老张")
    cid = await add_customer("金陵建材有限公司")
    await add_order("D261126-001", cid, 1_260_000)
    before = await last_outbox_id()
    await say(app, group_msg("/投诉 D261126-001 少了两袋", WORKSHOP))
    [notice] = await queued(before)
    assert notice.mentions == [DIRECTOR]
    assert notice.text.endswith("客服还没有成员：请主任 /设岗 @成员 客服，并先跟进这件投诉。")


async def test_anyone_may_register_a_complaint(app: App):
    """SPEC §9: people with no post may use /投诉 (registering); today they were refused."""
    await setting()
    event = group_msg("/投诉 D261126-001 服务太差", 30303)
    await say(app, event)
    [ticket] = await tickets()
    assert ticket.opened_by == 30303 and ticket.order_number == "D261126-001"


async def test_complaint_bad_input_creates_nothing(app: App):
    await setting()
    await add_customer("南京金陵建材有限公司")
    empty, no_content, no_order, no_customer, ambiguous, long = (
        group_msg("/投诉", WORKSHOP),
        group_msg("/投诉 D261126-001", WORKSHOP),
        group_msg("/投诉 D261231-009 少了两袋", WORKSHOP),
        group_msg("/投诉 栖霞五金 少了两袋", WORKSHOP),
        group_msg("/投诉 金陵 少了两袋", WORKSHOP),
        group_msg("/投诉 D261126-001 " + "很" * 1001, WORKSHOP),
    )
    await say(app, empty, no_content, no_order, no_customer, ambiguous, long, sends={
        empty.message_id: Like(r"请写上订单号或客户，再写投诉内容，例如：/投诉 D\d{6}-\d{3} 送货晚了两天"),
        no_content.message_id: "请写上投诉内容，例如：/投诉 D261126-001 送货晚了两天",
        no_order.message_id: "没有订单 D261231-009。",
        no_customer.message_id: "客户档案里没有「栖霞五金」。请写订单号或客户全称。",
        ambiguous.message_id: "客户「金陵」对应不止一个档案，请写客户全名或订单号。",  # no archive names
        long.message_id: "投诉内容太长（最多 1000 字），请写要点。",
    })
    assert await tickets() == []


async def test_list_and_show_open_tickets(app: App):
    await setting()
    clock.set_clock(lambda: NOW - timedelta(days=3))
    await say(app, group_msg("/投诉 D261126-001 送货晚了两天", WORKSHOP))
    clock.set_clock(lambda: NOW)
    await say(app, private_msg("/投诉 金陵建材 发票开错了", ASSISTANT))
    listing, card = group_msg("/投诉 列表", LOGISTICS), group_msg("/投诉 t261125-001", LOGISTICS)
    await say(app, listing, card, sends={
        listing.message_id: (
            "未处理投诉 2 件：\n"
            "T261125-001 金陵建材有限公司（订单 D261126-001） 11-25 10:00 老张登记，已 3 天：送货晚了两天\n"
            "T261128-001 金陵建材有限公司 11-28 10:00 周助理登记：发票开错了"
        ),
        card.message_id: (
            "投诉 T261125-001【待处理】\n客户：金陵建材有限公司　订单：D261126-001\n内容：送货晚了两天\n"
            "登记：老张 11-25 10:00\n处理后请 /处理 T261125-001 结果"
        ),
    })


async def test_close_by_cs_then_the_list_is_empty_and_a_second_close_is_refused(app: App):
    await setting()
    await say(app, group_msg("/投诉 D261126-001 送货晚了两天", WORKSHOP))
    before = await last_outbox_id()
    close = group_msg(f"/处理 {T1.lower()} 已道歉并补偿运费，\n客户接受", CS)
    await say(app, close)
    [reply] = await queued(before)
    assert (reply.target, reply.reply_to, reply.mentions) == (("group", 9001), close.message_id, [])
    assert reply.text == f"投诉 {T1}（金陵建材有限公司，订单 D261126-001）已由王客服处理：已道歉并补偿运费，\n客户接受"
    saved = await ticket(T1)
    assert (saved.status, saved.closed_by, saved.result) == (ComplaintStatus.closed, CS, "已道歉并补偿运费，\n客户接受")
    assert [subject for _, subject, _ in await audits("处理投诉")] == [T1, "D261126-001"]
    listing, again, card = group_msg("/投诉 列表", CS), group_msg(f"/处理 {T1} 再处理一次", DIRECTOR), group_msg(f"/投诉 {T1}", CS)
    await say(app, listing, again, card, sends={
        listing.message_id: "没有未处理的投诉。",
        again.message_id: f"投诉 {T1} 已在 11-28 10:00 由王客服处理过：已道歉并补偿运费，\n客户接受。无需重复。",
        card.message_id: (
            f"投诉 {T1}【已处理】\n客户：金陵建材有限公司　订单：D261126-001\n内容：送货晚了两天\n登记：老张 11-28 10:00\n"
            "处理：王客服 11-28 10:00：已道歉并补偿运费，\n客户接受"
        ),
    })


async def test_close_from_private_or_by_quote_reply_tells_the_group_that_raised_it(app: App):
    await setting()
    await say(app, group_msg("/投诉 D261126-001 送货晚了两天", WORKSHOP))
    await say(app, group_msg("/投诉 D261126-001 司机态度差", WORKSHOP))
    async with database().session() as session:
        row = await session.scalar(select(OutboxMessage).where(OutboxMessage.subject == T2))
        row.status, row.message_id = "sent", 77002
    before = await last_outbox_id()
    await say(app, private_msg(f"/处理 {T1} 已补偿运费", DIRECTOR))
    await say(app, group_msg("/处理 已和物流公司沟通", CS, reply_to=77002))
    reply, group_notice, quoted = await queued(before)
    assert (reply.target, group_notice.target, group_notice.mentions) == (("private", DIRECTOR), ("group", 9001), [])
    assert group_notice.text == reply.text == f"投诉 {T1}（金陵建材有限公司，订单 D261126-001）已由陈主任处理：已补偿运费"
    assert quoted.text.endswith("已由王客服处理：已和物流公司沟通")
    assert [c.status for c in await tickets()] == [ComplaintStatus.closed] * 2


async def test_close_refused_by_role_and_bad_input(app: App):
    await setting()
    await say(app, group_msg("/投诉 D261126-001 送货晚了两天", WORKSHOP))
    by_ws, no_number, no_result, unknown = (
        group_msg(f"/处理 {T1} 搞定了", WORKSHOP),
        group_msg("/处理 搞定了", CS),
        group_msg(f"/处理 {T1}", CS),
        group_msg("/处理 T261231-009 搞定了", CS),
    )
    await say(app, by_ws, no_number, no_result, unknown, sends={
        by_ws.message_id: "这一步需要「客服或主任」岗位。",
        no_number.message_id: NEEDS_TICKET,
        no_result.message_id: f"请写上处理结果，例如：/处理 {T1} 已补发两袋，客户满意",
        unknown.message_id: "没有投诉 T261231-009。",
    })
    assert (await ticket(T1)).status == ComplaintStatus.open


async def test_open_complaints_and_those_needing_a_reminder():
    await setting()
    opened = {}
    for label, age in (("old", timedelta(days=5)), ("edge", timedelta(days=3)), ("young", timedelta(days=2, hours=23)),
                       ("closed", timedelta(days=9))):
        clock.set_clock(lambda age=age: NOW - age)
        async with work(Actor(WORKSHOP)) as w:
            opened[label] = (await complaints.open_complaint(w, label, order_number="D261126-001")).number
    async with work(Actor(CS)) as w:
        await complaints.close_complaint(w, opened["closed"], "已解决")
    async with database().session() as session:
        open_now = [c.content for c in await complaints.open_complaints(session)]
        remind = [c.content for c in await complaints.complaints_needing_reminder(session, NOW)]
        remind_week = [c.content for c in await complaints.complaints_needing_reminder(session, NOW, timedelta(days=4))]
    assert open_now == ["old", "edge", "young"]
    assert remind == ["old", "edge"]
    assert remind_week == ["old"]
