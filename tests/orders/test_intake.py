"""Order intake: what CS staff actually paste after /接单 (and /改单), and exactly what comes out."""

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xietong.orders.enums import PAYMENT_ALIASES, PaymentMethod
from xietong.orders.intake import IntakeError, Item, OrderDraft, parse_fields, parse_intake
from xietong.orders.messages import TEMPLATE

TODAY = date(2026, 11, 27)  # a Friday


def item(name: str, quantity: str, unit: str, price_fen: int | None = None) -> Item:
    return Item(name, Decimal(quantity), unit, price_fen)


CEMENT = item("水泥", "30", "吨", 42_000)
BASE = {
    "customer": "金陵建材",
    "items": (CEMENT,),
    "amount_fen": 1_260_000,
    "payment": PaymentMethod.prepaid,
    "consignee": "王工",
    "phone": "13800000000",
    "address": "南京市江宁区东山街道88号",
}


def draft(**changes: object) -> OrderDraft:
    return OrderDraft(**(BASE | changes))


# The tail every single-item case shares, so each case shows only what it is about.
REST = "付款方式：款到发货\n收货人：王工\n电话：13800000000\n地址：南京市江宁区东山街道88号"

VALID = [
    pytest.param(TEMPLATE.split("\n", 1)[1], draft(due_date=date(2026, 12, 5)), id="the template itself"),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n数量：30吨\n单价：420\n" + REST,
        draft(),
        id="full-width colons, one field a line",
    ),
    pytest.param(
        "客户 : 金陵建材\n品名:水泥 \n 数量 :30吨\n单价:  420\n付款方式:款到发货\n收货人:王工\n电话:13800000000\n"
        "地址:南京市江宁区东山街道88号",
        draft(),
        id="half-width colons and stray spaces",
    ),
    pytest.param(
        "客户 金陵建材\n品名 水泥\n数量 30吨\n单价 420\n付款方式 款到发货\n收货人 王工\n电话 13800000000\n"
        "地址 南京市江宁区东山街道88号",
        draft(),
        id="space instead of colon",
    ),
    pytest.param(
        "客户：金陵建材，品名：水泥，数量：30吨，单价：420\n付款方式：款到发货\n"
        "收货人：王工，电话：13800000000，地址：南京市江宁区东山街道88号",
        draft(),
        id="several fields a line, Chinese commas",
    ),
    pytest.param(
        "客户:金陵建材;品名:水泥;数量:30吨;单价:420;付款方式:款到发货;收货人:王工;电话:13800000000;"
        "地址:南京市江宁区东山街道88号",
        draft(),
        id="everything on one line, semicolons",
    ),
    pytest.param(
        "客户 金陵建材    品名 水泥    数量 30吨    单价 420\n付款方式 款到发货\n"
        "收货人 王工  电话 13800000000  地址 南京市江宁区东山街道88号",
        draft(),
        id="fields separated by runs of spaces",
    ),
    pytest.param(
        "收货人 王工 电话 13800000000\n客户 金陵建材\n品名 水泥 数量 30吨 单价 420\n付款方式 款到发货\n"
        "地址 南京市江宁区东山街道88号",
        draft(),
        id="single spaces between key-value pairs, any order",
    ),
    pytest.param(
        "\r\n   客户：金陵建材   \r\n\r\n\r\n品名：  水泥\r\n数量：30吨；\r\n单价：420。\r\n\r\n"
        + REST.replace("\n", "\r\n")
        + "\r\n\r\n",
        draft(),
        id="blank lines, CRLF, trailing punctuation",
    ),
    pytest.param(
        "【客户】金陵建材\n【品名】水泥\n【数量】30吨\n【单价】420\n【付款方式】款到发货\n【收货人】王工\n"
        "【电话】13800000000\n【地址】南京市江宁区东山街道88号",
        draft(),
        id="【key】 headings",
    ),
    pytest.param(
        "1. 客户：金陵建材\n2. 品名：水泥\n3. 数量：30吨\n4. 单价：420\n5、付款方式：款到发货\n6、收货人：王工\n"
        "7) 电话：13800000000\n- 地址：南京市江宁区东山街道88号",
        draft(),
        id="numbered list",
    ),
    pytest.param(
        "客户名称：金陵建材\n产品：水泥\n数量：30吨\n价格：420\n结算方式：款到发货\n联系人：王工\n"
        "联系电话：13800000000\n收货地址：南京市江宁区东山街道88号\n包装要求：吨袋\n交货日期：12月5日",
        draft(packaging="吨袋", due_date=date(2026, 12, 5)),
        id="synonyms: 客户名称 产品 价格 结算方式 联系人 联系电话 收货地址 包装要求 交货日期",
    ),
    pytest.param(
        "单位：金陵建材\n货品：水泥\n数量：30吨\n总价：12600\n支付方式：款到发货\n收货人：王工\n"
        "手机：13800000000\n送货地址：南京市江宁区东山街道88号\n送货日期：明天",
        draft(items=(item("水泥", "30", "吨"),), due_date=date(2026, 11, 28)),
        id="synonyms: 单位 货品 总价 支付方式 手机 送货地址 送货日期",
    ),
    pytest.param(
        "客户：金陵建材\n商品：水泥\n数量：30吨\n合计：12600元\n付款：款到发货\n收货人：王工\n"
        "手机号：13800000000\n地址：南京市江宁区东山街道88号",
        draft(items=(item("水泥", "30", "吨"),)),
        id="synonyms: 商品 合计 付款 手机号",
    ),
    pytest.param(
        "客户：金陵建材\n名称：水泥\n数量：30吨\n总金额：¥12,600.00\n" + REST,
        draft(items=(item("水泥", "30", "吨"),)),
        id="synonyms: 名称 总金额",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n数量：三十吨\n单价：四百二十元\n" + REST,
        draft(),
        id="Chinese numerals",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n数量：３０吨\n单价：４２０\n付款方式：款到发货\n收货人：王工\n"
        "电话：１３８００００００００\n地址：南京市江宁区东山街道88号",
        draft(),
        id="full-width digits",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n数量：30吨\n单价：¥420元/吨\n" + REST,
        draft(),
        id="unit price with ¥ and 元/吨",
    ),
    pytest.param(
        "客户：金陵建材\n品名：编织袋\n数量：1.5万件\n单价：0.35\n" + REST,
        draft(items=(item("编织袋", "15000", "件", 35),), amount_fen=525_000),
        id="1.5万件 at 0.35",
    ),
    pytest.param(
        "客户：金陵建材\n品名：编织袋\n数量：3,000件\n单价：1.5\n" + REST,
        draft(items=(item("编织袋", "3000", "件", 150),), amount_fen=450_000),
        id="thousands separator in quantity",
    ),
    pytest.param(
        "客户：金陵建材\n品名：石膏粉\n数量：500kg\n单价：1.2元/kg\n" + REST,
        draft(items=(item("石膏粉", "500", "kg", 120),), amount_fen=60_000),
        id="kg",
    ),
    pytest.param(
        "客户：金陵建材\n品名：电缆\n数量：333.333米\n单价：1.01\n" + REST,
        draft(items=(item("电缆", "333.333", "米", 101),), amount_fen=33_667),
        id="decimal quantity rounds half-up to the fen",
    ),
    pytest.param(
        "客户：金陵建材\n明细：色粉 0.333kg 1元；色浆 0.333kg 1元\n" + REST,
        draft(items=(item("色粉", "0.333", "kg", 100), item("色浆", "0.333", "kg", 100)), amount_fen=66),
        id="each line rounds on its own (33 + 33, not 66.6)",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n数量：30吨\n金额：1.26万\n" + REST,
        draft(items=(item("水泥", "30", "吨"),)),
        id="金额 instead of 单价",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n数量：30吨\n金额：1.26w\n" + REST,
        draft(items=(item("水泥", "30", "吨"),)),
        id="金额 in chat shorthand w",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n数量：30吨\n单价：420\n金额：12600\n" + REST,
        draft(),
        id="单价 and a consistent 金额",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n数量：30吨\n单价：420\n品名：黄沙\n数量：5吨\n单价：80\n" + REST,
        draft(items=(CEMENT, item("黄沙", "5", "吨", 8_000)), amount_fen=1_300_000),
        id="two items, lines repeated per item",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n品名：黄沙\n数量：30吨\n数量：5吨\n单价：420\n单价：80\n" + REST,
        draft(items=(CEMENT, item("黄沙", "5", "吨", 8_000)), amount_fen=1_300_000),
        id="two items, lines grouped by key",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n品名：黄沙\n数量：30吨\n数量：5吨\n单价：420\n金额：13000\n" + REST,
        draft(items=(item("水泥", "30", "吨"), item("黄沙", "5", "吨")), amount_fen=1_300_000),
        id="two items, one 单价, 金额 decides",
    ),
    pytest.param(
        "客户：金陵建材\n明细：水泥 30吨 420元；黄沙 5吨 80元\n" + REST,
        draft(items=(CEMENT, item("黄沙", "5", "吨", 8_000)), amount_fen=1_300_000),
        id="明细 on one line",
    ),
    pytest.param(
        "客户：金陵建材\n明细：\n水泥 30吨×420\n黄沙 5吨 @80\n碎石 10吨 单价65\n" + REST,
        draft(
            items=(CEMENT, item("黄沙", "5", "吨", 8_000), item("碎石", "10", "吨", 6_500)),
            amount_fen=1_365_000,
        ),
        id="明细 over several lines with ×, @ and 单价",
    ),
    pytest.param(
        "客户：金陵建材\n明细：白水泥十吨、万能胶20桶\n金额：5200\n" + REST,
        draft(items=(item("白水泥", "10", "吨"), item("万能胶", "20", "桶")), amount_fen=520_000),
        id="明细 with 、 and numerals glued to names",
    ),
    pytest.param(
        "客户：金陵建材\n明细：P.O42.5水泥 30吨 420元/吨；P.C32.5水泥 20吨 380\n" + REST,
        draft(
            items=(item("P.O42.5水泥", "30", "吨", 42_000), item("P.C32.5水泥", "20", "吨", 38_000)),
            amount_fen=2_020_000,
        ),
        id="明细 with cement grades in the names",
    ),
    pytest.param(
        "客户：金陵建材\n品名：P.O42.5水泥\n数量：30吨\n单价：420\n" + REST,
        draft(items=(item("P.O42.5水泥", "30", "吨", 42_000),)),
        id="cement grade in 品名",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n数量：30吨\n单价：420\n付款方式：款到发货（已和客户确认）\n收货人：王工\n"
        "电话：13800000000\n地址：南京市江宁区东山街道88号",
        draft(),
        id="payment alias inside surrounding text",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n数量：30吨\n单价：420\n付款方式：款到发货\n收货人：王工\n"
        "电话：0550-3012345-123\n地址：南京市江宁区东山街道88号",
        draft(phone="0550-3012345-123"),
        id="landline with extension",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n数量：30吨\n单价：420\n付款方式：款到发货\n收货人：王工\n"
        "电话：+86 138 0000 0000\n地址：南京市江宁区东山街道88号",
        draft(),
        id="mobile with +86 and spaces",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n数量：30吨\n单价：420\n付款方式：款到发货\n收货人：王工 138-0000-0000\n"
        "地址：南京市江宁区东山街道88号",
        draft(),
        id="phone written after the consignee",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n数量：30吨\n单价：420\n付款方式：款到发货\n收货人：王工\n电话：13800000000\n"
        "地址：南京市江宁区\n东山街道88号（工地北门）",
        draft(address="南京市江宁区 东山街道88号（工地北门）"),
        id="address over two lines keeps its punctuation",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n数量：30吨\n单价：420\n" + REST + "\n包装：编织袋，每袋50kg\n"
        "备注：周六不收货，\n到了先打电话：门卫 0550-3012345",
        draft(packaging="编织袋，每袋50kg", note="周六不收货 到了先打电话：门卫 0550-3012345"),
        id="packaging and a two-line note, colons in prose",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n数量：30吨\n单价：420\n"
        + REST
        + "\n包装：（可选）\n交期：（可选）\n备注：（可选）",
        draft(),
        id="template placeholders left in",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n数量30吨\n单价420\n付款方式：款到发货\n收货人：王工\n电话13800000000\n"
        "地址：南京市江宁区东山街道88号",
        draft(),
        id="key glued to its number",
    ),
    pytest.param(
        "客户：金陵建材\n客户：金陵建材\n品名：水泥\n数量：30吨\n单价：420\n" + REST,
        draft(),
        id="the same value twice is fine",
    ),
    pytest.param(
        "客户：金陵建材（南京）有限公司\n品名：水泥\n数量：30吨\n单价：420\n" + REST,
        draft(customer="金陵建材(南京)有限公司"),
        id="customer name folded to one spelling",
    ),
]


@pytest.mark.parametrize(("text", "expected"), VALID)
def test_parse_intake(text, expected):
    assert parse_intake(text, TODAY) == expected


def intake_with(field: str, value: str) -> str:
    return f"客户：金陵建材\n品名：水泥\n数量：30吨\n单价：420\n{REST}\n{field}：{value}"


@pytest.mark.parametrize(("alias", "method"), sorted(PAYMENT_ALIASES.items()))
def test_every_payment_alias(alias, method):
    text = f"客户：金陵建材\n品名：水泥\n数量：30吨\n单价：420\n付款方式：{alias}\n收货人：王工\n电话：13800000000\n地址：南京"
    assert parse_intake(text, TODAY).payment is method


@pytest.mark.parametrize(
    ("typed", "due"),
    [
        ("12月5日", date(2026, 12, 5)),
        ("12月5号", date(2026, 12, 5)),
        ("12-05", date(2026, 12, 5)),
        ("12/5", date(2026, 12, 5)),
        ("12.5", date(2026, 12, 5)),
        ("2026-12-05", date(2026, 12, 5)),
        ("2026/12/5", date(2026, 12, 5)),
        ("2026年12月5日", date(2026, 12, 5)),
        ("十二月五日", date(2026, 12, 5)),
        ("１２月５日", date(2026, 12, 5)),
        ("12月5日前", date(2026, 12, 5)),
        ("12月5日之前", date(2026, 12, 5)),
        ("12月5日（周六）", date(2026, 12, 5)),
        ("11月27日", date(2026, 11, 27)),  # today is still fine
        ("1月3日", date(2027, 1, 3)),
        ("11月26日", date(2027, 11, 26)),  # yesterday's month-day means next year's
        ("今天", date(2026, 11, 27)),
        ("明天", date(2026, 11, 28)),
        ("后天", date(2026, 11, 29)),
        ("大后天", date(2026, 11, 30)),
    ],
)
def test_due_date_forms(typed, due):
    assert parse_intake(intake_with("交期", typed), TODAY).due_date == due


def test_month_day_in_late_december_is_next_year():
    assert parse_intake(intake_with("交期", "1月3日"), date(2026, 12, 28)).due_date == date(2027, 1, 3)


MISSING_ALL = [
    "缺少 客户",
    "缺少 品名",
    "缺少 数量",
    "缺少 单价 或 金额",
    "缺少 付款方式",
    "缺少 收货人",
    "缺少 电话",
    "缺少 地址",
]
PHONE_HINT = "（手机 11 位，座机带区号，如 0550-3012345）"

INVALID = [
    pytest.param("", MISSING_ALL, id="nothing at all"),
    pytest.param("   \n\n  ", MISSING_ALL, id="only blank lines"),
    pytest.param("客户：金陵建材", MISSING_ALL[1:], id="only the customer"),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n数量：30吨\n付款方式：月结",
        ["缺少 单价 或 金额", "缺少 收货人", "缺少 电话", "缺少 地址"],
        id="half an order: every missing field at once",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n数量：30吨\n单价：420\n金额：12000\n付款方式：款到发\n收货人：王工\n"
        "电话：12345\n地址：南京\n交期：2026-11-01\n发票：专票",
        [
            "金额 12,000 和 单价合计 12,600 对不上",
            f"电话 格式不对：12345{PHONE_HINT}",
            "交期 已经过了：2026-11-01",
            "不认识的字段：发票",
        ],
        id="mismatched 金额, bad phone, past date, unknown field",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n数量：十几吨\n单价：1.005\n付款方式：现结\n收货人：王工\n电话：13800000000\n"
        "地址：南京\n交期：2月30日",
        [
            "数量 要写确切的数：十几吨",
            "单价 最多两位小数：1.005",
            "付款方式 看不懂：现结（写 款到发货、货到付款 或 月结）",
            "交期 不是有效日期：2月30日",
        ],
        id="vague quantity, price to the tenth of a fen, unknown payment, no such date",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n品名：黄沙\n数量：30吨\n数量：5吨\n单价：420\n" + REST,
        ["单价 有 1 个，品名 有 2 个：每个品名写一个单价，或写 金额"],
        id="two items, one 单价, no 金额",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n品名：黄沙\n数量：30吨\n单价：420\n单价：80\n" + REST,
        ["品名 有 2 个，数量 有 1 个：要一一对应"],
        id="a 数量 missing for the second item",
    ),
    pytest.param(
        "客户：金陵建材\n明细：水泥 30吨 420元\n品名：黄沙\n数量：5吨\n" + REST,
        ["明细 和 品名/数量/单价 只写一种"],
        id="明细 and 品名 lines mixed",
    ),
    pytest.param(
        "客户：金陵建材\n明细：水泥 30吨 420元；黄沙若干；碎石 十几吨\n" + REST,
        [
            "明细 看不懂：黄沙若干（写成 品名 数量 单价，如 水泥 30吨 420元）",
            "明细 看不懂：碎石 十几吨（写成 品名 数量 单价，如 水泥 30吨 420元）",
        ],
        id="明细 entries that do not read",
    ),
    pytest.param(
        "客户：金陵建材\n明细：水泥 30吨 420元；黄沙 5吨\n" + REST,
        ["缺少 单价：黄沙（或写 金额）"],
        id="明细 with one price missing",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n数量：0吨\n单价：420\n" + REST,
        ["数量 必须大于 0：0吨"],
        id="zero quantity",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n数量：-5吨\n单价：0\n" + REST,
        ["数量 必须大于 0：-5吨", "单价 必须大于 0：0"],
        id="negative quantity and zero price, both reported",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n数量：30吨\n金额：abc\n" + REST,
        ["金额 看不懂：abc"],
        id="金额 not a number",
    ),
    pytest.param(
        "客户：金陵建材\n客户：金陵建设\n品名：水泥\n数量：30吨\n单价：420\n" + REST,
        ["客户 写了两次：金陵建材 / 金陵建设"],
        id="two different customers",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n数量：30吨\n单价：420\n付款方式：款到发货或月结\n收货人：王工\n"
        "电话：13800000000\n地址：南京",
        ["付款方式 只能写一种：款到发货或月结"],
        id="two payment methods",
    ),
    pytest.param(
        "客户：金陵建材\n麻烦尽快安排\n品名：水泥\n数量：30吨\n单价：420\n" + REST,
        ["看不懂这一行：麻烦尽快安排（请写成 字段：内容）"],
        id="a chatty line between fields",
    ),
    pytest.param(
        "客户：\n品名：水泥\n数量：30吨\n单价：420\n付款方式：款到发货\n收货人：\n电话：13800000000\n地址：南京",
        ["缺少 客户", "缺少 收货人"],
        id="keys written but left empty",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n数量：30吨\n单价：420\n付款方式：月结\n收货人：王工\n电话：1380000000\n"
        "地址：南京\n交期：下周",
        [f"电话 格式不对：1380000000{PHONE_HINT}", "交期 看不懂：下周（如 12月5日、2026-12-05、明天）"],
        id="mobile one digit short, unreadable date",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n数量：30吨\n单价：420\n"
        + REST
        + "\n交期：2026年11月1日\n开票：要专票\n车型：9米6",
        ["交期 已经过了：2026-11-01", "不认识的字段：开票", "不认识的字段：车型"],
        id="past full date and two unknown fields",
    ),
    pytest.param(
        "客户：金陵建材\n品名：水泥\n数量：30吨\n单价：420\n" + REST + "\n交期：13月1日",
        ["交期 不是有效日期：13月1日"],
        id="month 13",
    ),
    pytest.param(
        "品名：水泥，数量：30吨，单价：420元\n收货人：王工 电话：0550-301234",
        [
            "缺少 客户",
            "缺少 付款方式",
            f"电话 格式不对：0550-301234{PHONE_HINT}",
            "缺少 地址",
        ],
        id="one-line paste missing customer, payment and address, with a short landline",
    ),
]


@pytest.mark.parametrize(("text", "problems"), INVALID)
def test_parse_intake_reports_every_problem(text, problems):
    with pytest.raises(IntakeError) as info:
        parse_intake(text, TODAY)
    assert info.value.problems == problems
    assert str(info.value) == "\n".join(problems)


def test_intake_error_is_a_value_error():
    assert issubclass(IntakeError, ValueError)


def test_template_is_shown_with_the_command():
    assert TEMPLATE.startswith("/接单\n客户：")
    for key in ("客户", "品名", "数量", "单价", "付款方式", "收货人", "电话", "地址", "包装", "交期", "备注"):
        assert f"\n{key}：" in TEMPLATE


def test_draft_is_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        draft().customer = "别的客户"  # type: ignore[misc]


FIELDS = [
    pytest.param("电话：139 1234 5678", {"phone": "13912345678"}, id="phone only"),
    pytest.param("金额：1.3万", {"amount_fen": 1_300_000}, id="金额 only"),
    pytest.param(
        "品名：水泥\n数量：35吨\n单价：400",
        {"items": (item("水泥", "35", "吨", 40_000),), "amount_fen": 1_400_000},
        id="whole item with price",
    ),
    pytest.param(
        "明细：水泥 35吨 400元；黄沙 5吨 80元",
        {
            "items": (item("水泥", "35", "吨", 40_000), item("黄沙", "5", "吨", 8_000)),
            "amount_fen": 1_440_000,
        },
        id="明细",
    ),
    pytest.param(
        "品名：水泥\n数量：35吨\n金额：14000",
        {"items": (item("水泥", "35", "吨"),), "amount_fen": 1_400_000},
        id="item with 金额",
    ),
    pytest.param(
        "付款方式：月结，收货人：李四",
        {"payment": PaymentMethod.monthly, "consignee": "李四"},
        id="two fields on a line",
    ),
    pytest.param(
        "地址：南京市浦口区江浦街道1号\n交期：后天",
        {"address": "南京市浦口区江浦街道1号", "due_date": date(2026, 11, 29)},
        id="address and date",
    ),
    pytest.param("备注：", {"note": None}, id="empty optional field clears it"),
    pytest.param(
        "包装：（可选）\n备注：改送新工地", {"packaging": None, "note": "改送新工地"}, id="clear and set"
    ),
]


@pytest.mark.parametrize(("text", "expected"), FIELDS)
def test_parse_fields(text, expected):
    assert parse_fields(text, TODAY) == expected


FIELD_PROBLEMS = [
    pytest.param("", ["没有可修改的字段（写成 字段：内容，如 数量：35吨）"], id="nothing"),
    pytest.param("你好", ["看不懂这一行：你好（请写成 字段：内容）"], id="chat, not fields"),
    pytest.param("客户：", ["缺少 客户"], id="required field emptied"),
    pytest.param("电话：123", [f"电话 格式不对：123{PHONE_HINT}"], id="bad phone"),
    pytest.param("发票：专票", ["不认识的字段：发票"], id="unknown field"),
    pytest.param(
        "数量：35吨", ["缺少 品名", "缺少 单价 或 金额"], id="数量 alone cannot recompute the amount"
    ),
    pytest.param("单价：400", ["缺少 品名", "缺少 数量"], id="单价 alone"),
    pytest.param("品名：水泥\n数量：35吨", ["缺少 单价 或 金额"], id="item without price"),
    pytest.param("交期：2026-01-01", ["交期 已经过了：2026-01-01"], id="past date"),
]


@pytest.mark.parametrize(("text", "problems"), FIELD_PROBLEMS)
def test_parse_fields_problems(text, problems):
    with pytest.raises(IntakeError) as info:
        parse_fields(text, TODAY)
    assert info.value.problems == problems


pasted_fragments = st.tuples(
    st.sampled_from("客户 品名 数量 单价 金额 明细 付款方式 电话 地址 交期 备注 发票 【客户】".split()),
    st.sampled_from(["：", ":", " ", "，", "；", "\n", "  ", ""]),
    st.sampled_from(
        (
            "金陵建材",
            "水泥",
            "三十吨",
            "1.5万",
            "款到发货",
            "王工 13800000000",
            "12月5日",
            "十几吨",
            "-3",
            "",
            "水泥 10吨 420元；黄沙 5吨",
            "（可选）",
            "9" * 40,
        )
    ),
    st.sampled_from(["\n", "，", " ", ""]),
).map("".join)


@given(st.one_of(st.lists(pasted_fragments, max_size=12).map("".join), st.text(max_size=200)))
def test_any_text_gives_a_draft_or_an_intake_error(text):
    """A traceback must never reach the chat: whatever is pasted, the answer is a draft or a list of problems."""
    for parse in (parse_intake, parse_fields):
        try:
            parse(text, TODAY)
        except IntakeError as exc:
            assert exc.problems


SAND = item("黄沙", "5", "吨", 8_000)
CHANGES_TO_ORDER = [
    pytest.param(
        "数量：40吨", (CEMENT,), (item("水泥", "40", "吨", 42_000),), 1_680_000, id="数量 on a one-item order"
    ),
    pytest.param(
        "单价：400元/吨", (CEMENT,), (item("水泥", "30", "吨", 40_000),), 1_200_000, id="单价 alone"
    ),
    pytest.param(
        "数量：40吨\n数量：10吨",
        (CEMENT, SAND),
        (item("水泥", "40", "吨", 42_000), item("黄沙", "10", "吨", 8_000)),
        1_760_000,
        id="数量 for each of two items",
    ),
    pytest.param(
        "数量：40吨\n金额：1.6万",
        (item("水泥", "30", "吨"),),
        (item("水泥", "40", "吨"),),
        1_600_000,
        id="order priced by 金额: new 数量 with new 金额",
    ),
    pytest.param(
        "品名：黄沙\n数量：3吨\n单价：80",
        (CEMENT,),
        (item("黄沙", "3", "吨", 8_000),),
        24_000,
        id="with 品名 the list is replaced",
    ),
]


@pytest.mark.parametrize(("text", "current", "items", "amount_fen"), CHANGES_TO_ORDER)
def test_parse_fields_changes_the_orders_items(text, current, items, amount_fen):
    assert parse_fields(text, TODAY, current_items=current) == {"items": items, "amount_fen": amount_fen}


@pytest.mark.parametrize(
    ("text", "current", "problems"),
    [
        pytest.param(
            "数量：40吨",
            (CEMENT, SAND),
            ["数量 有 1 个，订单有 2 个品名：要一一对应，或写上 品名"],
            id="one 数量, two items",
        ),
        pytest.param(
            "数量：40吨", (item("水泥", "30", "吨"),), ["缺少 单价 或 金额"], id="unpriced order needs 金额"
        ),
        pytest.param(
            "数量：40吨\n金额：16000",
            (CEMENT,),
            ["金额 16,000 和 单价合计 16,800 对不上"],
            id="金额 contradicts",
        ),
        pytest.param("数量：十几吨", (CEMENT,), ["数量 要写确切的数：十几吨"], id="vague quantity"),
    ],
)
def test_parse_fields_change_problems(text, current, problems):
    with pytest.raises(IntakeError) as info:
        parse_fields(text, TODAY, current_items=current)
    assert info.value.problems == problems
