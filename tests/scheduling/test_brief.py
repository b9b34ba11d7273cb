"""What the weekly brief and the collection digest say, and that the brief always fits one QQ message."""

from sqlalchemy import select

from tests.factories import CS, FINANCE, LOGISTICS, staff
from tests.scheduling.support import cod_collected, complaint, fix_clock, local, make_order, pay
from xietong.core.db import database
from xietong.meetings.models import MeetingNote
from xietong.orders.enums import Stage
from xietong.scheduling import messages as msg
from xietong.scheduling.brief import brief_text, last_week_bounds, meeting_posts
from xietong.scheduling.digest import collection_posts

MONDAY = (2026, 11, 30, 8, 30)


async def a_week_of_business() -> None:
    await make_order("D261124-001", created_at=local(2026, 11, 24, 10))
    await make_order("D261125-001", created_at=local(2026, 11, 25, 10), stage=Stage.cancelled)
    await make_order("D261130-001", created_at=local(2026, 11, 30, 8))  # this week: not last week's
    shipped = await make_order(
        "D261120-001", created_at=local(2026, 11, 20, 10), stage=Stage.shipped, shipped_at=local(2026, 11, 25, 15),
        exception_note="车坏在半路", paid_fen=300_000,
    )
    await pay(shipped, 300_000, local(2026, 11, 20, 11))
    await make_order(
        "D261118-001", customer="华东水泥", amount_fen=500_000, created_at=local(2026, 11, 18, 10),
        stage=Stage.delivered, shipped_at=local(2026, 11, 19, 9), delivered_at=local(2026, 11, 26, 14),
        receivable_due=local(2026, 11, 10).date(),
    )
    await complaint("T261127-001", "送货晚了两天", local(2026, 11, 27, 10))
    async with database().session() as session:
        session.add(MeetingNote(week_key="2026-W48", author_qq=20051,
                                text="1. 待办：金陵建材回款跟进\n2. 讨论了新车队\n3. 运费标准待定"))
        session.add(MeetingNote(week_key="2026-W49", author_qq=20051, text="待办：本周的事，下周才进周报"))


def test_last_week_is_the_previous_iso_week_in_local_time():
    start, end = last_week_bounds(local(2026, 11, 30).date())
    assert (start, end) == (local(2026, 11, 23), local(2026, 11, 30))
    assert last_week_bounds(local(2026, 12, 6).date()) == (start, end)  # a Sunday is still in this week


async def test_the_meeting_brief_says_what_the_meeting_needs():
    await staff()
    await a_week_of_business()
    fix_clock(*MONDAY)
    async with database().session() as session:
        [post] = await meeting_posts(session, local(*MONDAY))
    assert post.text == (
        "【周例会】11-30（周一）08:30 开周例会，请准时参加。以下是周报：\n"
        "上周（11-23 至 11-29）：新接 1 单，共 12,600 元；发货 1 单；到货 1 单。\n"
        "未完结 4 单：处理中 2 · 已发货 1 · 已到货 1\n"
        "异常 1 项：\n"
        "  · D261120-001 金陵建材：车坏在半路\n"
        "投诉未处理 1 项：\n"
        "  · T261127-001 金陵建材：送货晚了两天\n"
        "回款：11 月已收 3,000 元，未收 14,600 元；逾期 1 家：\n"
        "  · 华东水泥 5,000 元（1 单，最长逾期 20 天）\n"
        "上周纪要待办 2 项：\n"
        "  · 待办：金陵建材回款跟进\n"
        "  · 运费标准待定"
    )


async def test_a_quiet_week_reads_as_such():
    await staff()
    fix_clock(*MONDAY)
    async with database().session() as session:
        text = await brief_text(session, local(*MONDAY).date(), msg.brief_head(local(*MONDAY)))
    assert text == (
        "【周报】截至 11-30 08:30\n"
        "上周（11-23 至 11-29）：新接 0 单；发货 0 单；到货 0 单。\n"
        "未完结订单：无。\n"
        "异常：无。\n"
        "投诉：无。\n"
        "回款：11 月已收 0 元，未收 0 元；没有逾期。\n"
        "上周纪要待办：无。"
    )


async def test_a_busy_week_is_trimmed_to_one_message():
    await staff()
    fix_clock(*MONDAY)
    for i in range(1, 41):
        await make_order(
            f"D261101-{i:03d}", customer=f"客户{i:02d}有限责任公司", created_at=local(2026, 10, 1, 10),
            stage=Stage.delivered, delivered_at=local(2026, 10, 5, 10), receivable_due=local(2026, 10, 5).date(),
            exception_note="货物在途中受潮，客户要求退换，正在协商赔偿方案" * 2,
        )
    for i in range(1, 21):
        await complaint(f"T261120-{i:03d}", "送货的司机态度很差，还晚到了两天，客户非常不满意" * 3, local(2026, 11, 20, 10))
    async with database().session() as session:
        session.add(MeetingNote(week_key="2026-W48", author_qq=20051,
                                text="\n".join(f"待办：第{i}件要跟进的事情，请相关同事本周内给出结论" for i in range(30))))
    async with database().session() as session:
        [post] = await meeting_posts(session, local(*MONDAY))
    assert len(post.text) <= 1500
    assert "异常 40 项：" in post.text and "  …等 40 项" in post.text
    assert "投诉未处理 20 项：" in post.text and "  …等 20 项" in post.text
    assert "逾期 40 家：" in post.text
    assert "上周纪要待办 30 项：" in post.text and "  …等 30 项" in post.text
    assert post.text.startswith("【周例会】11-30（周一）08:30")


def test_fit_shortens_lines_as_a_last_resort_and_never_exceeds_the_limit():
    sections = [msg.Section(f"第{i}段", tuple("很长的一行" * 40 for _ in range(3))) for i in range(30)]
    text = msg.fit(sections, limit=1500)
    assert len(text) <= 1500
    short = msg.fit([msg.Section("标题", ("甲", "乙", "丙"))])
    assert short == "标题\n  · 甲\n  · 乙\n  · 丙"
    trimmed = msg.fit([msg.Section("标题", tuple(f"第{i}项" for i in range(20)))], limit=60)
    assert trimmed.endswith("  …等 20 项") and len(trimmed) <= 60


async def test_collection_digest_one_line_per_customer_for_cs_and_cod_for_logistics_and_finance():
    await staff()
    fix_clock(2026, 11, 26, 9)
    for n, (customer, amount, due) in enumerate(
        [("金陵建材", 1_000_000, (2026, 11, 1)), ("金陵建材", 200_000, (2026, 11, 20)), ("华东水泥", 500_000, (2026, 11, 16))],
        start=1,
    ):
        await make_order(
            f"D261001-{n:03d}", customer=customer, amount_fen=amount, stage=Stage.delivered,
            created_at=local(2026, 10, 1, 10), receivable_due=local(*due).date(),
        )
    cod_order = await make_order("D261120-001", stage=Stage.delivered, created_at=local(2026, 11, 20, 10))
    await cod_collected(cod_order, 350_000, local(2026, 11, 25, 16))
    async with database().session() as session:
        overdue, cod = await collection_posts(session, local(2026, 11, 26, 9))
    assert overdue.mentions == (CS,)
    assert overdue.text == (
        "【回款提醒】逾期应收 2 家，共 17,000 元，请客服催收：\n"
        "· 金陵建材：12,000 元，最长逾期 25 天（D261001-001、D261001-002）\n"
        "· 华东水泥：5,000 元，最长逾期 10 天（D261001-003）\n"
        "催收后请记一笔：/催收 单号或客户 说明"
    )
    assert cod.mentions == (LOGISTICS, FINANCE)
    assert cod.text == (
        "【代收货款】已代收未入账 1 单，共 3,500 元：\n"
        "· D261120-001：3,500 元\n"
        "请物流把款交财务，财务收到后 /代收入账 单号 [金额]。"
    )


async def test_collection_digest_with_only_cod_has_only_that_part():
    await staff()
    fix_clock(2026, 11, 26, 9)
    cod_order = await make_order("D261120-001", stage=Stage.delivered, created_at=local(2026, 11, 20, 10))
    await cod_collected(cod_order, 350_000, local(2026, 11, 25, 16))
    async with database().session() as session:
        posts = await collection_posts(session, local(2026, 11, 26, 9))
        assert [p.mentions for p in posts] == [(LOGISTICS, FINANCE)]
        # nothing at all once it is booked
        from xietong.logistics.models import Shipment

        shipment = await session.scalar(select(Shipment))
        shipment.cod_booked_at = local(2026, 11, 26, 8)
        await session.flush()
        assert await collection_posts(session, local(2026, 11, 26, 9)) == []
