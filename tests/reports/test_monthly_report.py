"""The monthly sales report against a hand-computed fixture: figures, summary, workbook, upload, /月报."""

from datetime import date

import pytest
from nonebot.adapters.onebot.v11 import Bot
from nonebot.adapters.onebot.v11.exception import ActionFailed
from nonebug import App
from openpyxl import load_workbook
from sqlalchemy import event, select

from tests.customers.support import GM, VP, add_customer, add_entry, add_order, utc
from tests.factories import (
    CS,
    DIRECTOR,
    WORKSHOP,
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
from xietong.core.errors import DomainError
from xietong.core.models import AuditEvent, OutboxMessage
from xietong.core.roles import Role
from xietong.finance.models import EntryKind
from xietong.orders.enums import PaymentMethod, Stage
from xietong.reports.monthly import UNATTRIBUTED, Month, figures, parse_month

NOW = utc(2026, 12, 2, 1, 0)  # 09:00 on 2026-12-02 in Shanghai: November is complete
NAME = "月销量报表-2026-11.xlsx"

# November 2026 (local), by hand:
#   N1 金陵 款到发货 水泥 30吨 (single item)          12,600.00   slip 11-01 00:30 local (10-31 16:30 UTC)
#   N2 金陵 月结     水泥 10吨 ×420 = 4,200.00
#                    黄沙 5.555吨 ×80.50 = 447.1775 → 447.18   4,647.18
#   N3 江宁 货到付款 水泥 12箱 (single item)             420.00
#   N4 栖霞 月结     扳手 20件 + 螺丝 3箱, 金额 only       500.00   → not attributable to a product
#   sales: 4 orders, 18,167.18; October: 2 orders, 8,750.00 (水泥 20吨 8,400; 水泥 10箱 350)
#   collections: +12,600 (11-01 01:00 local) −1,000 (reversal of an October payment) +420 = 12,020 net, 2 receipts;
#                October: 8,400 + 1,000 + 350 = 9,750, 3 receipts
SUMMARY = (
    "【月销量报表】2026-11\n"
    "销售：4 单，18,167.18 元，比上月增长 107.6%（上月 8,750 元）\n"
    "品名：水泥 40吨 16,800 元；黄沙 5.555吨 447.18 元；水泥 12箱 420 元…（共 5 种）\n"
    "客户：金陵建材有限公司 2 单 17,247.18 元；栖霞五金店 1 单 500 元；江宁水泥厂 1 单 420 元\n"
    "付款方式：款到发货 1 单 12,600 元；月结 2 单 5,147.18 元；货到付款 1 单 420 元\n"
    "回款：12,020 元（2 笔），比上月增长 23.3%（上月 9,750 元）\n"
    f"明细见群文件「{NAME}」。"
)


async def sales() -> None:
    jinling = await add_customer("金陵建材有限公司")
    jiangning = await add_customer("江宁水泥厂")
    qixia = await add_customer("栖霞五金店")
    prepaid, cod, monthly = PaymentMethod.prepaid, PaymentMethod.cod, PaymentMethod.monthly
    n1 = await add_order("D261031-001", jinling, 1_260_000, payment=prepaid, stage=Stage.shipped,
                         slip_at=utc(2026, 10, 31, 16, 30), items=(("水泥", "30", "吨", 42_000),))
    n2 = await add_order("D261114-001", jinling, 464_718, payment=monthly, slip_at=utc(2026, 11, 15, 2),
                         items=(("水泥", "10", "吨", 42_000), ("黄沙", "5.555", "吨", 8_050)))
    n3 = await add_order("D261119-001", jiangning, 42_000, payment=cod, stage=Stage.delivered,
                         slip_at=utc(2026, 11, 20, 8), items=(("水泥", "12", "箱", 3_500),))
    await add_order("D261127-001", qixia, 50_000, payment=monthly, slip_at=utc(2026, 11, 27, 10),
                    items=(("扳手", "20", "件", None), ("螺丝", "3", "箱", None)))
    # never counted in November: cancelled after its slip, no slip yet, slipped in December (local)
    await add_order("D261109-001", jiangning, 99_900, stage=Stage.cancelled, slip_at=utc(2026, 11, 10, 2))
    await add_order("D261128-001", jinling, 88_800, stage=Stage.processing)
    await add_order("D261130-001", jiangning, 77_700, slip_at=utc(2026, 11, 30, 16, 30))
    # October
    o1 = await add_order("D261010-001", jinling, 840_000, payment=prepaid, stage=Stage.settled,
                         slip_at=utc(2026, 10, 10, 3), items=(("水泥", "20", "吨", 42_000),))
    o2 = await add_order("D261030-001", jiangning, 35_000, payment=cod, stage=Stage.delivered,
                         slip_at=utc(2026, 10, 31, 15, 59), items=(("水泥", "10", "箱", 3_500),))
    # the ledger
    await add_entry(n1, 1_260_000, utc(2026, 10, 31, 17))  # 11-01 01:00 local
    await add_entry(o1, 840_000, utc(2026, 10, 12, 2))
    await add_entry(o2, 35_000, utc(2026, 10, 31, 15), EntryKind.cod)  # 10-31 23:00 local
    wrong = await add_entry(o1, 100_000, utc(2026, 10, 20, 2))
    await add_entry(o1, -100_000, utc(2026, 11, 5, 2), EntryKind.reversal, reverses=wrong)
    await add_entry(n3, 42_000, utc(2026, 11, 25, 2), EntryKind.cod)
    await add_entry(n2, 200_000, utc(2026, 11, 30, 16, 30))  # 12-01 00:30 local: December


async def setting() -> None:
    await staff()
    await give_roles(VP, Role.vp, name="孙副总")
    await give_roles(GM, Role.gm, name="钱总")
    clock.set_clock(lambda: NOW)
    await sales()


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("", Month(2026, 12)),
        ("2026-11", Month(2026, 11)),
        ("2026/9", Month(2026, 9)),
        ("202611", Month(2026, 11)),
        ("2026年11月", Month(2026, 11)),
        ("１１月", Month(2026, 11)),
        ("12月", Month(2026, 12)),
        ("1月", Month(2026, 1)),
        ("上月", Month(2026, 11)),
        ("本月", Month(2026, 12)),
    ],
)
def test_parse_month(text: str, month: Month):
    assert parse_month(text, date(2026, 12, 2)) == month


def test_parse_month_in_january_reaches_back_a_year():
    assert parse_month("12月", date(2027, 1, 5)) == Month(2026, 12)
    assert parse_month("上月", date(2027, 1, 5)) == Month(2026, 12)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("2026-13", "月份写法不对：2026-13（如 /月报 2026-11）"),
        ("十一月", "月份写法不对：十一月（如 /月报 2026-11）"),
        ("1999-05", "月份写法不对：1999-05（如 /月报 2026-11）"),
        ("2027-01", "2027-01 还没到，没有可报的数。"),
    ],
)
def test_parse_month_refusals(text: str, error: str):
    with pytest.raises(DomainError) as caught:
        parse_month(text, date(2026, 12, 2))
    assert caught.value.message == error


def test_month_bounds_are_local_midnights():
    start, end = Month(2026, 11).bounds()
    assert (start.isoformat(), end.isoformat()) == ("2026-11-01T00:00:00+08:00", "2026-12-01T00:00:00+08:00")
    assert Month(2026, 1).previous() == Month(2025, 12) and Month(2026, 12).next() == Month(2027, 1)


async def test_figures_against_the_hand_computed_fixture():
    await setting()
    async with database().session() as session:
        nov = await figures(session, Month(2026, 11))
        oct_ = await figures(session, Month(2026, 10))
    assert (nov.orders, nov.amount_fen, nov.collected_fen, nov.collections) == (4, 1_816_718, 1_202_000, 2)
    assert (oct_.orders, oct_.amount_fen, oct_.collected_fen, oct_.collections) == (2, 875_000, 975_000, 3)
    assert [(li.label, li.key, li.orders, {u: str(q) for u, q in li.quantities.items()}, li.amount_fen)
            for li in nov.products] == [
        ("水泥", ("水泥", "吨"), 2, {"吨": "40"}, 1_680_000),
        ("黄沙", ("黄沙", "吨"), 1, {"吨": "5.555"}, 44_718),
        ("水泥", ("水泥", "箱"), 1, {"箱": "12"}, 42_000),
        ("扳手", ("扳手", "件"), 1, {"件": "20"}, 0),
        ("螺丝", ("螺丝", "箱"), 1, {"箱": "3"}, 0),
        (UNATTRIBUTED, UNATTRIBUTED, 0, {}, 50_000),
    ]
    assert sum(li.amount_fen for li in nov.products) == nov.amount_fen
    assert [(li.label, li.orders, {u: str(q) for u, q in li.quantities.items()}, li.amount_fen)
            for li in nov.customers] == [
        ("金陵建材有限公司", 2, {"吨": "45.555"}, 1_724_718),
        ("栖霞五金店", 1, {"件": "20", "箱": "3"}, 50_000),
        ("江宁水泥厂", 1, {"箱": "12"}, 42_000),
    ]
    assert [(li.label, li.orders, {u: str(q) for u, q in li.quantities.items()}, li.amount_fen)
            for li in nov.payments] == [
        ("款到发货", 1, {"吨": "30"}, 1_260_000),
        ("月结", 2, {"吨": "15.555", "件": "20", "箱": "3"}, 514_718),
        ("货到付款", 1, {"箱": "12"}, 42_000),
    ]
    assert [(li.label, li.orders, li.amount_fen) for li in nov.collected_by_customer] == [
        ("金陵建材有限公司", 1, 1_160_000), ("江宁水泥厂", 1, 42_000),
    ]


async def test_every_query_of_the_report_uses_an_index(app: App):
    """A million orders: the month is found through ix_sales_order_slip_at and ix_ledger_at, never a full scan."""
    if not database().is_sqlite:
        pytest.skip("the plan check reads SQLite's EXPLAIN QUERY PLAN")
    await setting()
    statements: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    engine = database().engine.sync_engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        async with database().session() as session:
            await figures(session, Month(2026, 11))
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert len(statements) >= 7
    plans = []
    async with database().engine.connect() as connection:
        for statement, parameters in statements:
            rows = await connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            plans.append(" | ".join(row[-1] for row in rows))
    for plan in plans:
        for table in ("sales_order", "order_item", "ledger_entry"):
            assert f"SCAN {table}" not in plan, plan
    assert any("ix_sales_order_slip_at" in plan for plan in plans)
    assert any("ix_ledger_at" in plan for plan in plans)


async def test_report_by_command_uploads_the_workbook_and_mentions_vp_and_gm(app: App, data_dir):
    await setting()
    path = (data_dir / "reports" / NAME).resolve()
    before = await last_outbox_id()
    event = group_msg("/月报 2026-11", VP)
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_api("upload_group_file", {"group_id": 9001, "file": str(path), "name": NAME}, None)
    [summary] = await queued(before)
    assert (summary.target, summary.mentions) == (("group", 9001), [GM])  # not the VP who just asked
    assert summary.text == SUMMARY
    async with database().session() as session:
        audit = await session.scalar(select(AuditEvent).where(AuditEvent.action == "月报"))
    assert (audit.actor_qq, audit.subject) == (VP, "report:2026-11")
    assert audit.detail == f"4 单 18,167.18 元，回款 12,020 元；已上传 {NAME}"
    check_workbook(path)


def rows_of(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def check_workbook(path) -> None:
    book = load_workbook(path)
    assert book.sheetnames == ["概览", "按品名", "按客户", "按付款方式", "回款", "按区域", "按业务员", "近12月"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
        assert all(sheet.column_dimensions[c.column_letter].width >= 8 for c in sheet[1])

    overview = rows_of(book["概览"])
    assert overview[0] == ["项目", "本月笔数", "上月笔数", "本月金额（元）", "上月金额（元）", "环比"]
    assert overview[1][:5] == ["销售（按开单月份）", 4, 2, 18167.18, 8750]
    assert overview[1][5] == pytest.approx(941_718 / 875_000)
    assert overview[2][:5] == ["回款（净额）", 2, 3, 12020, 9750]
    assert overview[2][5] == pytest.approx(227_000 / 975_000)

    products = book["按品名"]
    assert rows_of(products) == [
        ["品名", "单位", "订单数", "数量", "金额（元）", "上月金额（元）", "环比"],
        ["水泥", "吨", 2, 40, 16800, 8400, 1],
        ["黄沙", "吨", 1, 5.555, 447.18, 0, None],
        ["水泥", "箱", 1, 12, 420, 350, 0.2],
        ["扳手", "件", 1, 20, 0, 0, None],
        ["螺丝", "箱", 1, 3, 0, 0, None],
        [UNATTRIBUTED, None, None, None, 500, 0, None],
        ["合计", None, 4, None, 18167.18, 8750, pytest.approx(941_718 / 875_000)],
    ]
    assert products["E2"].number_format == "#,##0.00"
    assert products["D3"].number_format == "#,##0.###"
    assert products["G2"].number_format == "+0.0%;-0.0%;0.0%"
    assert products["C2"].number_format == "#,##0"
    assert products["E8"].font.bold

    assert rows_of(book["按客户"]) == [
        ["客户", "订单数", "数量（吨）", "数量（件）", "数量（箱）", "金额（元）", "上月金额（元）", "环比"],
        ["金陵建材有限公司", 2, 45.555, None, None, 17247.18, 8400, pytest.approx(884_718 / 840_000)],
        ["栖霞五金店", 1, None, 20, 3, 500, 0, None],
        ["江宁水泥厂", 1, None, None, 12, 420, 350, pytest.approx(0.2)],
        ["合计", 4, 45.555, 20, 15, 18167.18, 8750, pytest.approx(941_718 / 875_000)],
    ]
    assert rows_of(book["按付款方式"]) == [
        ["付款方式", "订单数", "数量（吨）", "数量（件）", "数量（箱）", "金额（元）", "上月金额（元）", "环比"],
        ["款到发货", 1, 30, None, None, 12600, 8400, 0.5],
        ["月结", 2, 15.555, 20, 3, 5147.18, 0, None],
        ["货到付款", 1, None, None, 12, 420, 350, pytest.approx(0.2)],
        ["合计", 4, 45.555, 20, 15, 18167.18, 8750, pytest.approx(941_718 / 875_000)],
    ]
    assert rows_of(book["回款"]) == [
        ["客户", "笔数", "回款（元）", "上月回款（元）", "环比"],
        ["金陵建材有限公司", 1, 11600, 9400, pytest.approx(220_000 / 940_000)],
        ["江宁水泥厂", 1, 420, 350, pytest.approx(0.2)],
        ["合计", 2, 12020, 9750, pytest.approx(227_000 / 975_000)],
    ]
    assert book["回款"]["C2"].number_format == "#,##0.00"


async def test_a_failed_upload_says_where_the_file_is(app: App, data_dir):
    await setting()
    path = (data_dir / "reports" / NAME).resolve()
    before = await last_outbox_id()
    event = group_msg("/月报 2026年11月", DIRECTOR)
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_api("upload_group_file", {"group_id": 9001, "file": str(path), "name": NAME}, None,
                            exception=ActionFailed(retcode=1200, msg="upload failed"))
    [summary] = await queued(before)
    saved_as = f"{data_dir.name}/reports/{NAME}"  # relative to the data folder: never the server's absolute path
    assert summary.text == SUMMARY.replace(f"明细见群文件「{NAME}」。", f"Excel 没能上传到群文件，已保存在服务器上：{saved_as}")
    assert str(data_dir.resolve()) not in summary.text
    assert path.exists()


async def test_from_a_private_chat_the_report_goes_to_the_main_group(app: App, data_dir):
    await setting()
    path = (data_dir / "reports" / NAME).resolve()
    before = await last_outbox_id()
    event = private_msg("/月报 上月", GM)
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_api("upload_group_file", {"group_id": 9001, "file": str(path), "name": NAME}, None)
    summary, reply = await queued(before)
    assert (summary.target, summary.mentions, summary.text) == (("group", 9001), [VP], SUMMARY)
    assert (reply.target, reply.text) == (("private", GM), "2026-11 月报已发到工作群。")


async def test_this_month_is_reported_as_of_today(app: App, data_dir):
    await setting()
    clock.set_clock(lambda: utc(2026, 11, 28, 1))
    path = (data_dir / "reports" / NAME).resolve()
    before = await last_outbox_id()
    event = group_msg("/月报", CS)
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_api("upload_group_file", {"group_id": 9001, "file": str(path), "name": NAME}, None)
    [summary] = await queued(before)
    assert summary.text.startswith("【月销量报表】2026-11（截至 11-28）\n销售：4 单，18,167.18 元")


async def test_report_refused_by_role_and_bad_input(app: App):
    await setting()
    before = await last_outbox_id()
    by_ws, bad, future = group_msg("/月报 2026-11", WORKSHOP), group_msg("/月报 2026-13", VP), group_msg("/月报 2027-01", GM)
    await say(app, by_ws, bad, future, sends={  # nothing is uploaded: nonebug fails on any unexpected call
        by_ws.message_id: "这一步需要「副总、总经理、主任或客服」岗位。",
        bad.message_id: "月份写法不对：2026-13（如 /月报 2026-11）",
        future.message_id: "2027-01 还没到，没有可报的数。",
    })
    assert await queued(before) == []


async def test_an_empty_month_and_nobody_to_tell(app: App):
    await give_roles(CS, Role.cs, name="王客服")
    clock.set_clock(lambda: NOW)
    from plugins.scheduler.jobs import post_monthly_report

    posted = await post_monthly_report("2026-11", "report:2026-11")  # the scheduler's call, no bot
    assert not posted.uploaded and posted.path.exists()
    async with database().session() as session:
        row = await session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == "report:2026-11"))
    assert (row.target_kind, row.target_id) == ("group", 9001)
    [summary] = await queued(0)
    assert summary.mentions == []
    assert summary.text == (
        "【月销量报表】2026-11\n销售：本月没有开单，上月 0 单 0 元。\n回款：0 元（0 笔），上月也是 0\n"
        f"Excel 没能上传到群文件，已保存在服务器上：{posted.path.parent.parent.name}/reports/{posted.path.name}\n"
        "副总、总经理还没有设岗，请主任 /设岗。"
    )
    book = load_workbook(posted.path)
    assert [c.value for c in book["按品名"]["A"]] == ["品名", "合计"]
