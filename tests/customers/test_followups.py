"""/跟进 (private; assistant, cs, director record; vp, gm also read), the follow-up list, dormant customers in
the weekly brief, and an assistant's /待办."""


from nonebug import App

from tests.customers.support import GM, VP, add_customer, audits
from tests.factories import (
    ASSISTANT,
    CS,
    DIRECTOR,
    WORKSHOP,
    Capture,
    give_roles,
    group_msg,
    last_outbox_id,
    private_msg,
    queued,
    say,
    staff,
)
from tests.scheduling.support import fix_clock, local, make_order
from xietong.core.db import database
from xietong.core.roles import Role
from xietong.customers.models import FollowUp
from xietong.orders.enums import Department, Stage, TaskState
from xietong.scheduling.brief import meeting_posts


async def people() -> None:
    await staff()
    await give_roles(VP, Role.vp, name="孙副总")
    await give_roles(GM, Role.gm, name="钱总")
    fix_clock(2026, 12, 1, 10)


async def test_assistant_records_follow_ups_and_vp_reads_the_history(app: App):
    await people()
    await add_customer("金陵建材有限公司", region="苏南", salesman="张三", phone="13800000000")
    mark = await last_outbox_id()
    await say(app, private_msg("/跟进 金陵建材 电话回访，下月要 50 吨", ASSISTANT))
    fix_clock(2026, 12, 2, 9, 30)
    await say(app, private_msg("/跟进 金陵建材 上门拜访王经理", CS))
    assert [q.text for q in await queued(mark)] == [
        "已记下对「金陵建材有限公司」的跟进（第 1 次）。查看：/跟进 金陵建材有限公司",
        "已记下对「金陵建材有限公司」的跟进（第 2 次）。查看：/跟进 金陵建材有限公司",
    ]
    history = private_msg("/跟进 金陵建材", VP)
    await say(app, history, sends={history.message_id: (
        "「金陵建材有限公司」的跟进记录（共 2 次）：\n"
        "  12-02 09:30 王客服：上门拜访王经理\n"
        "  12-01 10:00 周助理：电话回访，下月要 50 吨"
    )})
    assert [detail for _, _, detail in await audits("跟进")] == ["电话回访，下月要 50 吨", "上门拜访王经理"]
    assert [(qq, detail) for qq, _, detail in await audits("查看跟进")] == [(VP, "2 条")]


async def test_assistants_see_the_follow_up_list_but_not_the_card_and_the_view_is_audited(app: App):
    await people()
    jinling = await add_customer("金陵建材有限公司", region="苏南", salesman="张三", phone="13800000000")
    await add_customer("淮安商贸")
    await make_order("D261120-001", customer="金陵建材有限公司", created_at=local(2026, 11, 20, 9))
    async with database().session() as session:
        session.add(FollowUp(customer_id=jinling, content="回访", actor_qq=ASSISTANT, at=local(2026, 11, 25, 9)))
    listing, card = private_msg("/跟进", ASSISTANT), private_msg("/客户 金陵建材", ASSISTANT)
    await say(app, listing, card, sends={
        listing.message_id: (
            "客户跟进情况 2 家（名称｜区域｜业务员｜最近下单｜最近跟进｜跟进次数）：\n"
            "淮安商贸｜—｜—｜无｜无｜0 次\n"
            "金陵建材有限公司｜苏南｜张三｜2026-11-20｜2026-11-25｜1 次"
        ),
        card.message_id: "这一步需要「主任、客服、副总或总经理」岗位。",
    })
    assert [(qq, s, d) for qq, s, d in await audits("查看客户")] == [
        (ASSISTANT, "customer:follow-list", "跟进列表，2 家")]


async def test_follow_up_is_private_and_by_role(app: App):
    await people()
    await add_customer("金陵建材有限公司")
    in_group = group_msg("/跟进 金陵建材 电话回访", ASSISTANT)
    by_vp = private_msg("/跟进 金陵建材 电话回访", VP)
    by_workshop = private_msg("/跟进 金陵建材", WORKSHOP)
    await say(app, in_group, by_vp, by_workshop, sends={
        in_group.message_id: "客户跟进请私聊我。",
        by_vp.message_id: "这一步需要「助理、客服或主任」岗位。",
        by_workshop.message_id: "这一步需要「助理、客服、主任、副总或总经理」岗位。",
    })
    assert await audits("跟进") == []


async def test_unknown_customer_or_overlong_content_is_refused(app: App):
    await people()
    await add_customer("金陵建材有限公司")
    unknown = private_msg("/跟进 石城贸易 电话回访", DIRECTOR)
    too_long = private_msg("/跟进 金陵建材 " + "很" * 501, DIRECTOR)
    empty = private_msg("/跟进 石城贸易", DIRECTOR)
    await say(app, unknown, too_long, empty, sends={
        unknown.message_id: "客户档案里没有「石城贸易」。新建请用 /客户 新增",
        too_long.message_id: "跟进内容太长（最多 500 字）。",
        empty.message_id: "客户档案里没有「石城贸易」。新建请用 /客户 新增",
    })
    assert await audits("跟进") == []


async def test_weekly_brief_names_dormant_customers_for_the_assistants(app: App):
    await people()
    fix_clock(2026, 12, 7, 8, 30)
    await make_order("D260901-001", customer="金陵建材", created_at=local(2026, 9, 1, 9), stage=Stage.settled)
    await make_order("D260902-001", customer="淮安商贸", created_at=local(2026, 9, 2, 9), stage=Stage.settled)
    await make_order("D261130-001", customer="石城贸易", created_at=local(2026, 11, 30, 9), stage=Stage.settled)
    await make_order("D260903-001", customer="栖霞五金", created_at=local(2026, 9, 3, 9), stage=Stage.settled)
    await add_customer("只建档没下单")
    async with database().session() as session:
        from sqlalchemy import select

        from xietong.parties.models import Customer
        qixia = await session.scalar(select(Customer.id).where(Customer.name == "栖霞五金"))
        session.add(FollowUp(customer_id=qixia, content="回访", actor_qq=ASSISTANT, at=local(2026, 11, 1, 9)))
    async with database().session() as session:
        [post] = await meeting_posts(session, local(2026, 12, 7, 8, 30), dormant_days=60)
    assert ASSISTANT in post.mentions
    assert "久未联系的客户 2 家（60 天没有下单也没有跟进），请助理跟进后 /跟进 客户 内容：\n  · 金陵建材\n  · 淮安商贸" in post.text
    assert "石城贸易" not in post.text and "只建档没下单" not in post.text and "栖霞五金" not in post.text


async def test_assistant_todo_lists_orders_waiting_on_someone_oldest_first(app: App):
    await people()
    fix_clock(2026, 12, 3, 10)
    done = {Department.workshop: TaskState.done, Department.finance: TaskState.done,
            Department.logistics: TaskState.done}
    await make_order("D261201-001", created_at=local(2026, 12, 1, 9),
                     tasks={Department.workshop: TaskState.problem, Department.finance: TaskState.done})
    await make_order("D261201-002", stage=Stage.slipped, created_at=local(2026, 12, 1, 10), tasks=done)
    await make_order("D261202-001", stage=Stage.delivered, created_at=local(2026, 12, 2, 10), tasks=done)
    await make_order("D261203-001", stage=Stage.ready, created_at=local(2026, 12, 3, 9), tasks=done)
    sent: list[str] = []
    todo = group_msg("/待办", ASSISTANT)
    await say(app, todo, sends={todo.message_id: Capture(sent)})
    assert sent == [
        "【助理】\n"
        "  D261201-001 金陵建材 待车间（有问题）、物流（接单 2 天）\n"
        "  D261201-002 金陵建材 待物流发货（接单 2 天）\n"
        "  D261203-001 金陵建材 待客服开单"
    ]


