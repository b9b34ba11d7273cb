"""/客户 through NoneBot: confidential (private, four roles), every view audited; add, change, list, export."""

import base64
from datetime import date

from nonebot.adapters.onebot.v11 import Bot
from nonebot.adapters.onebot.v11.exception import ActionFailed
from nonebug import App
from openpyxl import load_workbook

from tests.customers.support import (
    GM,
    VP,
    add_attempt,
    add_customer,
    add_order,
    audits,
    customer_named,
    utc,
)
from tests.factories import (
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
from xietong.core import clock
from xietong.core.roles import Role
from xietong.customers.messages import TEMPLATE
from xietong.orders.enums import Stage

NOW = utc(2026, 11, 28, 2, 0)  # 10:00 on 2026-11-28 in Shanghai
ASK_PRIVATELY = "客户档案保密，请私聊我查询。"
VIEW_REFUSAL = "这一步需要「主任、客服、副总或总经理」岗位。"
EDIT_REFUSAL = "这一步需要「客服或主任」岗位。"


async def people() -> None:
    await staff()
    await give_roles(VP, Role.vp, name="孙副总")
    await give_roles(GM, Role.gm, name="钱总")
    clock.set_clock(lambda: NOW)


async def jinling() -> int:
    """金陵建材 with four orders (one overdue, one part-paid, one cancelled, one settled) and a collection call."""
    cid = await add_customer(
        "金陵建材有限公司", contact="王经理", phone="13800000000", region="南京", salesman="小李",
        credit_limit_fen=5_000_000, note="老客户",
    )
    await add_order("D261101-001", cid, 500_000, stage=Stage.settled, paid_fen=500_000,
                    receivable_due=date(2026, 11, 10), created_at=utc(2026, 11, 1, 2))
    overdue = await add_order("D261120-001", cid, 1_260_000, stage=Stage.delivered,
                              receivable_due=date(2026, 11, 25), created_at=utc(2026, 11, 20, 2))
    await add_order("D261125-001", cid, 420_000, paid_fen=100_000, created_at=utc(2026, 11, 25, 2))
    await add_order("D261126-001", cid, 800_000, stage=Stage.cancelled, receivable_due=date(2026, 11, 26),
                    created_at=utc(2026, 11, 26, 2))
    await add_attempt(cid, overdue, "电话催款，答应月底付", CS, utc(2026, 11, 26, 3))
    return cid


JINLING_CARD = """客户档案：金陵建材有限公司
联系人：王经理　电话：13800000000
地区：南京　业务员：小李
信用额度：50,000 元　账期：默认（30 天）
备注：老客户
欠款：15,800 元（2 单），其中逾期 12,600 元（1 单）
最近订单（共 4 单）：
  D261126-001 11-26 8,000元【已取消】
  D261125-001 11-25 4,200元【已开单】 未收 3,200
  D261120-001 11-20 12,600元【已到货】 未收 12,600（逾期 3 天）
  D261101-001 11-01 5,000元【已结清】
催收记录：
  11-26 11:00 王客服（D261120-001）：电话催款，答应月底付"""


async def test_card_in_private_shows_owed_money_recent_orders_and_collections_and_is_audited(app: App):
    await people()
    cid = await jinling()
    by_cs, by_vp = private_msg("/客户 金陵建材", CS), private_msg("/客户 金陵建材有限公司", VP)
    await say(app, by_cs, by_vp, sends={by_cs.message_id: JINLING_CARD, by_vp.message_id: JINLING_CARD})
    assert await audits("查看客户") == [
        (CS, f"customer:{cid}", "金陵建材有限公司"),
        (VP, f"customer:{cid}", "金陵建材有限公司"),
    ]


async def test_a_new_customer_card_says_nothing_is_owed(app: App):
    await people()
    await add_customer("栖霞五金店", credit_days=45)
    event = private_msg("/客户 栖霞五金", GM)
    await say(app, event, sends={event.message_id: (
        "客户档案：栖霞五金店\n联系人：—　电话：—\n地区：—　业务员：—\n信用额度：未设　账期：45 天\n欠款：无\n还没有订单。"
    )})


async def test_in_a_group_nothing_is_shown_to_anyone_and_nothing_audited(app: App):
    await people()
    await jinling()
    events = [
        group_msg("/客户 金陵建材", CS),
        group_msg("/客户 列表", DIRECTOR),
        group_msg("/客户 导出", VP),
        group_msg("/客户 新增\n名称：栖霞五金店", CS),
        group_msg("/客户 修改 金陵建材\n电话：13900000000", CS),
        group_msg("/客户 金陵建材", WORKSHOP),
    ]
    before = await last_outbox_id()
    await say(app, *events, sends={e.message_id: ASK_PRIVATELY for e in events})
    assert await audits("查看客户") == []
    assert await customer_named("栖霞五金店") is None
    assert (await customer_named("金陵建材有限公司")).phone == "13800000000"
    assert await queued(before) == []


async def test_card_list_and_export_refused_to_other_roles_unaudited(app: App):
    await people()
    await jinling()
    events = [private_msg(text, WORKSHOP) for text in ("/客户 金陵建材", "/客户 列表", "/客户 导出", "/客户")]
    await say(app, *events, sends={e.message_id: VIEW_REFUSAL for e in events})
    assert await audits("查看客户") == []


async def test_card_bad_input(app: App):
    await people()
    await jinling()
    await add_customer("南京金陵建材有限公司")
    unknown, ambiguous, empty = (
        private_msg("/客户 栖霞五金", CS), private_msg("/客户 金陵", CS), private_msg("/客户", CS),
    )
    await say(app, unknown, ambiguous, empty, sends={
        unknown.message_id: "客户档案里没有「栖霞五金」。新建请用 /客户 新增",
        ambiguous.message_id: "客户「金陵」对应多个档案：南京金陵建材有限公司、金陵建材有限公司。请写全名。",
        empty.message_id: (
            "客户档案（仅私聊）：\n/客户 名称 — 查看档案、欠款、最近订单和催收记录\n/客户 列表 [关键词]\n"
            "/客户 新增 + 换行写 名称：… 联系人：… 电话：… 地区：… 业务员：… 信用额度：… 账期：…\n"
            "/客户 修改 名称 + 换行写要改的字段\n/客户 导出 — Excel"
        ),
    })
    # the candidates' names were shown: that is a view too
    assert await audits("查看客户") == [
        (CS, "customer:?", "「金陵」对应多个：南京金陵建材有限公司、金陵建材有限公司"),
    ]


async def test_list_with_money_owed_and_a_keyword(app: App):
    await people()
    await jinling()
    await add_customer("栖霞五金店", contact="刘老板", region="南京栖霞")
    await add_customer("合肥建工", region="合肥", salesman="小周")
    everyone, nanjing, none = (
        private_msg("/客户 列表", DIRECTOR), private_msg("/客户 列表 南京", DIRECTOR), private_msg("/客户列表 上海", GM),
    )
    await say(app, everyone, nanjing, none, sends={
        everyone.message_id: (
            "客户档案 3 家：\n合肥建工｜合肥｜业务员 小周\n"
            "栖霞五金店｜刘老板｜南京栖霞\n"
            "金陵建材有限公司｜王经理 13800000000｜南京｜业务员 小李｜欠 15,800（逾期 12,600）"
        ),
        nanjing.message_id: (
            "客户档案 2 家（含「南京」）：\n栖霞五金店｜刘老板｜南京栖霞\n"
            "金陵建材有限公司｜王经理 13800000000｜南京｜业务员 小李｜欠 15,800（逾期 12,600）"
        ),
        none.message_id: "没有含「上海」的客户档案。",
    })
    assert await audits("查看客户") == [
        (DIRECTOR, "customer:list", "列表 全部，3 家"),
        (DIRECTOR, "customer:list", "列表 南京，2 家"),
        (GM, "customer:list", "列表 上海，0 家"),
    ]


async def test_add_a_customer(app: App):
    await people()
    before = await last_outbox_id()
    await say(app, private_msg(
        "/客户 新增\n名称：栖霞五金店\n联系人：刘老板\n电话：025-84561234\n地区：南京\n信用额度：2万\n账期：45天", CS,
    ))
    [reply] = await queued(before)
    assert (reply.target, reply.text) == (("private", CS), "已建档：栖霞五金店。查看：/客户 栖霞五金店")
    created = await customer_named("栖霞五金店")
    assert (created.contact, created.phone, created.region, created.credit_limit_fen, created.credit_days) == (
        "刘老板", "025-84561234", "南京", 2_000_000, 45,
    )
    assert await audits("新增客户") == [(
        CS, f"customer:{created.id}", "名称：栖霞五金店；联系人：刘老板；电话：025-84561234；地区：南京；信用额度：20,000 元；账期：45 天",
    )]


async def test_add_refused_to_viewers_who_may_not_edit(app: App):
    await people()
    by_vp, by_ws = private_msg("/客户 新增\n名称：栖霞五金店", VP), private_msg("/客户 新增\n名称：栖霞五金店", WORKSHOP)
    await say(app, by_vp, by_ws, sends={by_vp.message_id: EDIT_REFUSAL, by_ws.message_id: EDIT_REFUSAL})
    assert await customer_named("栖霞五金店") is None


async def test_add_bad_input_creates_nothing(app: App):
    await people()
    await jinling()
    bad, same, similar = (
        private_msg("/客户 新增\n联系人：刘老板\n电话：12345", CS),
        private_msg("/客户 新增\n名称：金陵建材有限公司", CS),
        private_msg("/客户 新增 名称：金陵建材公司", DIRECTOR),
    )
    await say(app, bad, same, similar, sends={
        bad.message_id: "客户档案没有保存，请改正：\n· 缺少 名称\n· 电话 格式不对：12345（手机 11 位，座机带区号，如 0550-3012345）"
                        f"\n\n参考格式：\n{TEMPLATE}",
        same.message_id: "档案里已有「金陵建材有限公司」。要改请用 /客户 修改 金陵建材有限公司",
        similar.message_id: "档案里已有相近的客户「金陵建材有限公司」。如确是另一家，请在名称里写明区别。",
    })
    assert await customer_named("金陵建材公司") is None
    assert await audits("新增客户") == []


async def test_change_fields_on_the_next_lines_or_the_same_line(app: App):
    await people()
    cid = await jinling()
    before = await last_outbox_id()
    await say(app, private_msg("/客户 修改 金陵建材\n电话：13900000000\n账期：45天\n信用额度：不限", CS))
    await say(app, private_msg("/客户 修改 金陵建材 联系人：张经理", DIRECTOR))
    first, second = await queued(before)
    assert first.text == (
        "客户档案「金陵建材有限公司」已修改：\n电话：13800000000 → 13900000000\n账期：默认（30 天） → 45 天\n"
        "信用额度：50,000 元 → 未设"
    )
    assert (second.target, second.text) == (("private", DIRECTOR), "客户档案「金陵建材有限公司」已修改：\n联系人：王经理 → 张经理")
    changed = await customer_named("金陵建材有限公司")
    assert (changed.phone, changed.credit_days, changed.credit_limit_fen, changed.contact) == (
        "13900000000", 45, None, "张经理",
    )
    assert [subject for _, subject, _ in await audits("修改客户")] == [f"customer:{cid}"] * 2


async def test_rename(app: App):
    await people()
    await jinling()
    await add_customer("栖霞五金店")
    taken, renamed = (
        private_msg("/客户 修改 栖霞五金店\n名称：金陵建材有限公司", CS),
        private_msg("/客户 修改 栖霞五金店\n名称：栖霞五金经营部", CS),
    )
    await say(app, taken, renamed, sends={
        taken.message_id: "档案里已有「金陵建材有限公司」。要改请用 /客户 修改 金陵建材有限公司",
    })
    assert await customer_named("栖霞五金经营部") is not None
    assert await customer_named("栖霞五金店") is None


async def test_change_refused_by_role(app: App):
    await people()
    await jinling()
    event = private_msg("/客户 修改 金陵建材\n电话：13900000000", GM)
    await say(app, event, sends={event.message_id: EDIT_REFUSAL})
    assert (await customer_named("金陵建材有限公司")).phone == "13800000000"


async def test_change_bad_input_changes_nothing(app: App):
    await people()
    await jinling()
    no_name, no_fields, unknown, same, bad = (
        private_msg("/客户 修改 电话：13900000000", CS),
        private_msg("/客户 修改 金陵建材", CS),
        private_msg("/客户 修改 栖霞五金\n电话：13900000000", CS),
        private_msg("/客户 修改 金陵建材\n电话：138 0000 0000", CS),
        private_msg("/客户 修改 金陵建材\n账期：很久", CS),
    )
    await say(app, no_name, no_fields, unknown, same, bad, sends={
        no_name.message_id: "请写上要修改的客户名称，例如：/客户 修改 金陵建材\n电话：13900000000",
        no_fields.message_id: "请写上要改的字段，例如：/客户 修改 金陵建材\n电话：13900000000",
        unknown.message_id: "客户档案里没有「栖霞五金」。新建请用 /客户 新增",
        same.message_id: "客户档案「金陵建材有限公司」没有变化。",
        bad.message_id: f"客户档案没有保存，请改正：\n· 账期 要写天数：很久（如 30天）\n\n参考格式：\n{TEMPLATE}",
    })
    assert await audits("修改客户") == []


async def test_export_sends_the_workbook_privately_and_audits_it(app: App, data_dir):
    await people()
    await jinling()
    await add_customer("栖霞五金店", credit_days=45)
    name = "客户档案-20261128-100000.xlsx"
    path = (data_dir / "exports" / name).resolve()
    event = private_msg("/客户 导出", DIRECTOR)
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_api("upload_private_file", {"user_id": DIRECTOR, "file": str(path), "name": name}, None)
        ctx.should_call_send(event, f"客户档案已导出（2 家）：{name}", None)
    assert await audits("查看客户") == [(DIRECTOR, "customer:export", f"导出 2 家：{name}")]
    sheet = load_workbook(path)["客户档案"]
    assert [c.value for c in sheet[1]] == [
        "名称", "联系人", "电话", "地区", "业务员", "信用额度（元）", "账期（天）", "欠款（元）", "逾期（元）", "未结订单",
        "备注", "建档时间",
    ]
    jinling_row = [c.value for c in sheet[3]]
    assert jinling_row[:11] == ["金陵建材有限公司", "王经理", "13800000000", "南京", "小李", 50000, 30, 15800, 12600, 2, "老客户"]
    assert [c.value for c in sheet[2]][:10] == ["栖霞五金店", None, None, None, None, None, 45, 0, 0, 0]
    assert [c.value for c in sheet[4]][:10] == ["合计 2 家", None, None, None, None, None, None, 15800, 12600, 2]
    assert sheet["H3"].number_format == "#,##0.00"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= 18


async def test_export_that_cannot_be_sent_says_where_it_is(app: App, data_dir):
    await people()
    await jinling()
    name = "客户档案-20261128-100000.xlsx"
    path = (data_dir / "exports" / name).resolve()
    event = private_msg("/客户 导出", CS)
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_api(
            "upload_private_file", {"user_id": CS, "file": str(path), "name": name}, None,
            exception=ActionFailed(retcode=1200, msg="not a friend"),
        )
        ctx.should_call_send(
            event, f"客户档案已导出（1 家），但文件没能发给你，已保存在服务器上：{data_dir.name}/exports/{name}", None
        )
    assert path.exists()


async def test_a_long_card_is_sent_in_several_messages(app: App):
    await people()
    cid = await add_customer("金陵建材有限公司", note="备" * 500)
    for i in range(5):
        await add_attempt(cid, None, f"第{i}次：" + "催" * 300, CS, utc(2026, 11, 20 + i, 3))
    event = private_msg("/客户 金陵建材", CS)
    parts: list[str] = []
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_send(event, Capture(parts), None)
        ctx.should_call_send(event, Capture(parts), None)
    assert len(parts) == 2 and all(len(part) <= 1500 for part in parts)
    assert parts[0].startswith("客户档案：金陵建材有限公司") and "第0次：" in parts[1]
    assert len(await audits("查看客户")) == 1


async def test_export_in_base64_mode_hands_qq_the_bytes(app: App, data_dir, monkeypatch):
    """XIETONG_FILE_MODE=base64: QQ on another machine cannot read our disk, so it gets the file itself."""
    from plugins.core import uploads

    monkeypatch.setattr(uploads.settings, "xietong_file_mode", "base64")
    await people()
    await jinling()
    name = "客户档案-20261128-100000.xlsx"
    handed: list[str] = []
    event = private_msg("/客户 导出", DIRECTOR)
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="42")
        ctx.receive_event(bot, event)
        ctx.should_call_api("upload_private_file", {"user_id": DIRECTOR, "file": Capture(handed), "name": name}, None)
        ctx.should_call_send(event, f"客户档案已导出（1 家）：{name}", None)
    assert handed[0].startswith("base64://")
    assert base64.b64decode(handed[0].removeprefix("base64://")) == (data_dir / "exports" / name).read_bytes()


async def test_a_list_keyword_longer_than_any_name_is_refused_not_echoed(app: App):
    await people()
    event = private_msg("/客户 列表 " + "长" * 20_000, DIRECTOR)
    await say(app, event, sends={
        event.message_id: "关键词太长了（最多 100 字），请写名称、地区、业务员或联系人的一部分。",
    })
    assert await audits("查看客户") == []
