"""/对账 客户 [月份]: a statement of account (opening, slips, receipts, closing, ageing) as text and Excel,
privately, for cs, finance and the director."""

from datetime import date

from nonebot.adapters.onebot.v11 import Bot
from nonebot.adapters.onebot.v11.exception import ActionFailed
from nonebug import App
from openpyxl import load_workbook

from tests.customers.support import add_customer, add_entry, add_order, audits, utc
from tests.factories import ASSISTANT, CS, DIRECTOR, FINANCE, group_msg, private_msg, say, staff
from xietong.core import clock
from xietong.finance.models import EntryKind
from xietong.orders.enums import Stage

NAME = "对账单-金陵建材有限公司-2026-12.xlsx"
DECEMBER = (
    "【对账单】金陵建材有限公司 2026-12（12-01 至 12-31）\n"
    "期初余额：7,600 元\n"
    "  12-03 销售单 XS261203-001（D261203-001） +4,200\n"
    "  12-05 收款 D261105-001 −2,000\n"
    "  12-06 冲销 D261105-001 +2,000\n"
    "  12-07 收款 D261105-001 −2,600\n"
    "  12-08 代收入账 D261203-001 −4,200\n"
    "本期：销售单 4,200 元，收款 4,600 元，冲销 -2,000 元，代收入账 4,200 元\n"
    "期末余额：5,000 元\n"
    "账龄：1-30 5,000（截至 12-10）\n"
)


async def book() -> int:
    """金陵建材: November's slip part paid, December's slip paid by COD, a payment reversed; noise around it."""
    await staff()
    clock.set_clock(lambda: utc(2026, 12, 10, 2))
    jinling = await add_customer("金陵建材有限公司")
    other = await add_customer("淮安商贸")
    november = await add_order("D261105-001", jinling, 1_260_000, slip_at=utc(2026, 11, 5, 2),
                               receivable_due=date(2026, 11, 20))
    december = await add_order("D261203-001", jinling, 420_000, slip_at=utc(2026, 12, 3, 2),
                               receivable_due=date(2026, 12, 31))
    await add_order("D261204-001", jinling, 990_000, stage=Stage.cancelled, slip_at=utc(2026, 12, 4, 2))
    await add_order("D261205-001", other, 880_000, slip_at=utc(2026, 12, 5, 2))
    await add_entry(november, 500_000, utc(2026, 11, 10, 2))
    wrong = await add_entry(november, 200_000, utc(2026, 12, 5, 2))
    await add_entry(november, -200_000, utc(2026, 12, 6, 2), EntryKind.reversal, reverses=wrong)
    await add_entry(november, 260_000, utc(2026, 12, 7, 2))
    await add_entry(december, 420_000, utc(2026, 12, 8, 2), EntryKind.cod)
    return jinling


async def test_statement_text_and_workbook_in_private(app: App, data_dir):
    jinling = await book()
    event = private_msg("/对账 金陵建材", FINANCE)
    path = (data_dir / "statements" / NAME).resolve()
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_api("upload_private_file", {"user_id": FINANCE, "file": str(path), "name": NAME}, None)
        ctx.should_call_send(event, DECEMBER + f"Excel 对账单已发给你：{NAME}", None)
    rows = [[c.value for c in row] for row in load_workbook(path)["对账单"].iter_rows(min_row=2)]
    assert [r[1:] for r in rows] == [
        ["期初余额", None, None, None, 7600],
        ["销售单", "XS261203-001（D261203-001）", 4200, None, 11800],
        ["收款", "D261105-001", None, 2000, 9800],
        ["冲销", "D261105-001", None, -2000, 11800],
        ["收款", "D261105-001", None, 2600, 9200],
        ["代收入账", "D261203-001", None, 4200, 5000],
        ["期末余额", None, 4200, 6800, 5000],
    ]
    ageing = [[c.value for c in row] for row in load_workbook(path)["账龄"].iter_rows(min_row=2)]
    assert ageing == [["未到期", 0], ["1-30", 5000], ["31-60", 0], ["61-90", 0], ["90+", 0], ["合计", 5000]]
    assert [(qq, subject) for qq, subject, _ in await audits("对账")] == [(FINANCE, f"customer:{jinling}")]


async def test_a_past_month_and_a_file_qq_refuses(app: App, data_dir):
    await book()
    event = private_msg("/对账 金陵建材 2026-11", CS)
    name = "对账单-金陵建材有限公司-2026-11.xlsx"
    path = (data_dir / "statements" / name).resolve()
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_api("upload_private_file", {"user_id": CS, "file": str(path), "name": name}, None,
                            exception=ActionFailed(retcode=1200, msg="not a friend"))
        ctx.should_call_send(event, (
            "【对账单】金陵建材有限公司 2026-11（11-01 至 11-30）\n"
            "期初余额：0 元\n"
            "  11-05 销售单 XS261105-001（D261105-001） +12,600\n"
            "  11-10 收款 D261105-001 −5,000\n"
            "本期：销售单 12,600 元，收款 5,000 元\n"
            "期末余额：7,600 元\n"
            "账龄：1-30 7,600（截至 11-30）\n"
            f"Excel 对账单没能发给你，已保存在：{data_dir.resolve().name}/statements/{name}"
        ), None)


async def test_statement_is_private_and_for_cs_finance_and_director_only(app: App):
    await book()
    in_group = group_msg("/对账 金陵建材", DIRECTOR)
    by_assistant = private_msg("/对账 金陵建材", ASSISTANT)
    await say(app, in_group, by_assistant, sends={
        in_group.message_id: "对账单涉及客户往来，请私聊我：/对账 客户 [月份]",
        by_assistant.message_id: "这一步需要「客服、财务或主任」岗位。",
    })
    assert await audits("对账") == []


async def test_bad_customer_or_month_is_named(app: App):
    await book()
    nobody = private_msg("/对账 石城贸易", DIRECTOR)
    later = private_msg("/对账 金陵建材 2027-01", DIRECTOR)
    empty = private_msg("/对账", DIRECTOR)
    await say(app, nobody, later, empty, sends={
        nobody.message_id: "客户档案里没有「石城贸易」。新建请用 /客户 新增",
        later.message_id: "2027-01 还没到，没有可报的数。",
        empty.message_id: "请写上客户，例如：/对账 金陵建材 2026-11（不写月份即本月）",
    })
    assert await audits("对账") == []


async def test_refunds_transfers_and_the_prepaid_balance_are_on_the_statement(app: App, data_dir):
    """A cancelled order's payment becomes 预收余额; part is refunded, part transferred to a new order."""
    from sqlalchemy import update

    from xietong.core.db import database
    from xietong.orders.models import Order

    await staff()
    clock.set_clock(lambda: utc(2026, 12, 20, 2))
    jinling = await add_customer("金陵建材有限公司")
    dropped = await add_order("D261201-001", jinling, 1_000_000, stage=Stage.cancelled, paid_fen=200_000)
    async with database().session() as session:
        await session.execute(update(Order).where(Order.id == dropped).values(cancelled_at=utc(2026, 12, 3, 2)))
    await add_entry(dropped, 1_000_000, utc(2026, 12, 2, 2))
    await add_entry(dropped, -300_000, utc(2026, 12, 5, 2), EntryKind.refund)
    new = await add_order("D261210-001", jinling, 500_000, slip_at=utc(2026, 12, 10, 2), paid_fen=500_000,
                          receivable_due=date(2026, 12, 31))
    await add_entry(dropped, -500_000, utc(2026, 12, 10, 3), EntryKind.transfer_out)
    await add_entry(new, 500_000, utc(2026, 12, 10, 3), EntryKind.transfer_in)
    event = private_msg("/对账 金陵建材 2026-12", CS)
    name = "对账单-金陵建材有限公司-2026-12.xlsx"
    path = (data_dir / "statements" / name).resolve()
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_api("upload_private_file", {"user_id": CS, "file": str(path), "name": name}, None)
        ctx.should_call_send(event, (
            "【对账单】金陵建材有限公司 2026-12（12-01 至 12-31）\n"
            "期初余额：0 元\n"
            "  12-02 收款 D261201-001 −10,000\n"
            "  12-05 退款 D261201-001 +3,000\n"
            "  12-10 销售单 XS261210-001（D261210-001） +5,000\n"
            "  12-10 转出 D261201-001 +5,000\n"
            "  12-10 转入 D261210-001 −5,000\n"
            "本期：收款 10,000 元，退款 -3,000 元，销售单 5,000 元，转出 -5,000 元，转入 5,000 元\n"
            "期末余额：-2,000 元（客户已预付）\n"
            "其中预收余额：2,000 元（撤单或多付的款，可 /退款 或 /转单）\n"
            f"Excel 对账单已发给你：{name}"
        ), None)
    book = load_workbook(path)
    assert book.sheetnames == ["对账单", "账龄", "预收余额"]
    assert [c.value for c in book["预收余额"][2]] == ["预收余额（撤单或多付）", 2000]
