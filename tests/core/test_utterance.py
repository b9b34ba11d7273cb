"""Plain-word quote-replies as people type them in the QQ group: act, record a problem, ask, or stay quiet."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xietong.core.utterance import NEGATIONS, Verdict, read
from xietong.finance.messages import FINANCE_WORDS
from xietong.orders.messages import WORKSHOP_WORDS

ACT, PROBLEM, ASK, QUIET = Verdict.act, Verdict.problem, Verdict.ask, Verdict.quiet

# (text, verdict, command it stands for or None) — the workshop answering "请备货" about an order
WORKSHOP = [
    ("备货完成", ACT, "备货完成"),
    ("备货完成。", ACT, "备货完成"),
    ("备货完成！", ACT, "备货完成"),
    ("备货完成！！！", ACT, "备货完成"),
    ("  备货完成  ", ACT, "备货完成"),
    ("已备货", ACT, "备货完成"),
    ("已备货。", ACT, "备货完成"),
    ("备好了", ACT, "备货完成"),
    ("备好了👌", ACT, "备货完成"),
    ("备好了👍", ACT, "备货完成"),
    ("备好了~", ACT, "备货完成"),
    ("货备好了", ACT, "备货完成"),
    ("货已备好，随时来拉", ACT, "备货完成"),
    ("已经备好了", ACT, "备货完成"),
    ("@张三 备好了", ACT, "备货完成"),
    ("备好了 @李四 ", ACT, "备货完成"),
    ("备齐了", ACT, "备货完成"),
    ("货齐了", ACT, "备货完成"),
    ("备货好了，在一号仓", ASK, "备货完成"),  # "在" may be "在备": conservative
    ("ｏｋ，备好了", ACT, "备货完成"),
    ("D261124-003 备好了", ACT, "备货完成"),
    ("d261124-003备货完成。", ACT, "备货完成"),
    ("备货已完成", ACT, "备货完成"),
    ("已备齐", ACT, "备货完成"),
    ("备完了", ACT, "备货完成"),
    ("备货完成 谢谢", ACT, "备货完成"),
    ("备货完成，辛苦", ACT, "备货完成"),
    ("备 好了", QUIET, None),  # not a vague "done" alone: quiet, not a guess
    # problems: the owner's statements record a 缺货 with the text as its note
    ("缺货", PROBLEM, "缺货"),
    ("缺货，黄沙只有20吨", PROBLEM, "缺货"),
    ("备不了，黄沙不够", PROBLEM, "缺货"),
    ("备不了", PROBLEM, "缺货"),
    ("黄沙不够", PROBLEM, "缺货"),
    ("水泥库存不足", PROBLEM, "缺货"),
    ("没货了", PROBLEM, "缺货"),
    ("断货了，下周一才有", PROBLEM, "缺货"),
    ("还差5吨", PROBLEM, "缺货"),
    ("备好了一半，还缺两包", PROBLEM, "缺货"),
    ("缺两箱", PROBLEM, "缺货"),
    ("没库存", PROBLEM, "缺货"),
    ("@王五 缺货 水泥没了", PROBLEM, "缺货"),
    ("做不了，模具坏了", PROBLEM, "缺货"),
    # questions: conversation
    ("备好了吗？", QUIET, None),
    ("备好了吗", QUIET, None),
    ("备好了吗?", QUIET, None),
    ("备好没", QUIET, None),
    ("备好了没有", QUIET, None),
    ("备货完成了么", QUIET, None),
    ("缺货吗？", QUIET, None),
    ("会不会缺货", QUIET, None),
    ("够不够", QUIET, None),
    ("是不是备好了", QUIET, None),
    ("是否已备货", QUIET, None),
    ("备好了？", QUIET, None),
    ("什么时候能备好", QUIET, None),
    ("还缺多少", QUIET, None),
    ("有没有货", QUIET, None),
    ("备好了呢", QUIET, None),
    ("能否今天备好", QUIET, None),
    # negations, deferrals, conditions, hedges, partial: ask, never act
    ("还没备货完成", ASK, "备货完成"),
    ("没备好", ASK, "备货完成"),
    ("还没备好", ASK, "备货完成"),
    ("未备货", QUIET, None),
    ("不缺货", ASK, "缺货"),
    ("没缺货", ASK, "缺货"),
    ("不会缺货", ASK, "缺货"),
    ("不是缺货", ASK, "缺货"),
    ("明天能备好", ASK, "备货完成"),
    ("下午备好", ASK, "备货完成"),
    ("马上备好", ASK, "备货完成"),
    ("快备好了", ASK, "备货完成"),
    ("正在备，一会备好", ASK, "备货完成"),
    ("等原料到了备好", ASK, "备货完成"),
    ("先备好，再说", ASK, "备货完成"),
    ("应该备好了", ASK, "备货完成"),
    ("估计备好了", ASK, "备货完成"),
    ("备好了吧", ASK, "备货完成"),
    ("差不多备好了", ASK, "备货完成"),
    ("备好一部分", ASK, "备货完成"),
    ("只备好了一半", ASK, "备货完成"),
    ("备好了20吨", ASK, "备货完成"),
    ("备好了 30 箱", ASK, "备货完成"),
    ("11月30号备好", ASK, "备货完成"),
    ("如果缺货再说", ASK, "缺货"),
    ("可能缺货", ASK, "缺货"),
    ("要是不够就先发一部分", ASK, "缺货"),
    ("备好了别急着发", ASK, "备货完成"),
    # acknowledgements and chat: quiet
    ("收到", QUIET, None),
    ("收到。", QUIET, None),
    ("收到！", QUIET, None),
    ("收到👌", QUIET, None),
    ("👌", QUIET, None),
    ("👍", QUIET, None),
    ("ok", QUIET, None),
    ("OK", QUIET, None),
    ("ＯＫ", QUIET, None),
    ("好的", QUIET, None),
    ("好", QUIET, None),
    ("嗯", QUIET, None),
    ("嗯嗯", QUIET, None),
    ("已安排", QUIET, None),
    ("已安排。", QUIET, None),
    ("已安排 @张三", QUIET, None),
    ("知道了", QUIET, None),
    ("明白", QUIET, None),
    ("在弄了", QUIET, None),
    ("马上", QUIET, None),
    ("[图片]", QUIET, None),
    ("", QUIET, None),
    ("   ", QUIET, None),
    ("。", QUIET, None),
    ("还没好", QUIET, None),
    # vague "done" words: ask which command is meant
    ("好了", ASK, None),
    ("好了。", ASK, None),
    ("ok了", ASK, None),
    ("ＯＫ了", ASK, None),
    ("搞定", ASK, None),
    ("搞定！", ASK, None),
    ("完成", ASK, None),
    ("已完成", ASK, None),
    ("✅", ASK, None),
    ("done", ASK, None),
    ("弄好了", ASK, None),
    ("D261124-003 好了", ASK, None),
    ("好了，明天送", QUIET, None),
    ("还没好了", QUIET, None),
    ("好了吗", QUIET, None),
]

# (text, verdict, command, amount in fen) — finance answering "请查收货款 / 请放行" about an order
FINANCE = [
    ("已到账", ACT, "到账", None),
    ("已到账。", ACT, "到账", None),
    ("到账了", ACT, "到账", None),
    ("到账了！", ACT, "到账", None),
    ("到账", ACT, "到账", None),
    ("已到帐", ACT, "到账", None),
    ("到帐了", ACT, "到账", None),
    ("款到了", ACT, "到账", None),
    ("款已到，谢谢", ACT, "到账", None),
    ("已收款", ACT, "到账", None),
    ("已到账👌", ACT, "到账", None),
    ("@张三 已到账", ACT, "到账", None),
    ("已到账 @客服小王 ", ACT, "到账", None),
    ("D261124-003 已到账", ACT, "到账", None),
    ("261124-3 到账了", ACT, "到账", None),
    ("已到账 12600", ACT, "到账", 1_260_000),
    ("已到账 12,600", ACT, "到账", 1_260_000),
    ("已到账 12，600", ACT, "到账", 1_260_000),
    ("已到账 12600元", ACT, "到账", 1_260_000),
    ("到账了 5000 元", ACT, "到账", 500_000),
    ("到账了5000元。", ACT, "到账", 500_000),
    ("到账了3,000元", ACT, "到账", 300_000),
    ("到账了5000，谢谢", ACT, "到账", 500_000),
    ("已到账 ¥12600.50", ACT, "到账", 1_260_050),
    ("已到账 ￥3000", ACT, "到账", 300_000),
    ("到账1.5万", ACT, "到账", 1_500_000),
    ("到账 1.26万元", ACT, "到账", 1_260_000),
    ("已到账 一万二千元", ACT, "到账", 1_200_000),
    ("已到账 20元", ACT, "到账", 2_000),
    ("已到账 8块", ACT, "到账", 800),
    ("已到账 12600.5", ACT, "到账", 1_260_050),
    ("已到账 １２６００", ACT, "到账", 1_260_000),
    ("已到账，11月20日到的", ACT, "到账", None),
    ("已到账，2026-11-20", ACT, "到账", None),
    ("到账了 11月20号 5000元", ACT, "到账", 500_000),
    ("放行", ACT, "放行", None),
    ("放行。", ACT, "放行", None),
    ("可以放行", ACT, "放行", None),
    ("同意发货", ACT, "放行", None),
    ("放行👌", ACT, "放行", None),
    ("@物流老李 放行", ACT, "放行", None),
    # problems: recorded as 未到账 with the text
    ("还没到账", PROBLEM, "未到账", None),
    ("还没到账，客户说明天", PROBLEM, "未到账", None),
    ("未到账", PROBLEM, "未到账", None),
    ("没到账", PROBLEM, "未到账", None),
    ("没有到账。", PROBLEM, "未到账", None),
    ("款没到", PROBLEM, "未到账", None),
    ("没收到款", PROBLEM, "未到账", None),
    ("没到帐", PROBLEM, "未到账", None),
    ("查了，没收到", PROBLEM, "未到账", None),
    # never book an amount that could be a date, a time, a count or a phone number
    ("已到账 11.20", ASK, "到账", None),
    ("已到账 1.5", ASK, "到账", None),
    ("已到账 20", ASK, "到账", None),
    ("已到账 9", ASK, "到账", None),
    ("已到账 13800000000", ASK, "到账", None),
    ("已到账 2笔", ASK, "到账", None),
    ("已到账 1.005", ASK, "到账", None),
    ("已到账 5000 3000", ASK, "到账", None),
    ("到账了5000元和3000元", ASK, "到账", None),
    ("11月30号到账", ASK, "到账", None),
    ("11/30到账", ASK, "到账", None),
    ("15:30到账", ASK, "到账", None),
    ("放行 11.25", ASK, "放行", None),
    ("放行，月结30天", ASK, "放行", None),
    # questions: quiet
    ("到账了吗？", QUIET, None, None),
    ("到账了吗", QUIET, None, None),
    ("到账了吗?", QUIET, None, None),
    ("到账了没", QUIET, None, None),
    ("到账没有", QUIET, None, None),
    ("钱到了么", QUIET, None, None),
    ("可以放行吗？", QUIET, None, None),
    ("可以放行吗", QUIET, None, None),
    ("放行？先问下主任", QUIET, None, None),
    ("放行?", QUIET, None, None),
    ("能否放行", QUIET, None, None),
    ("是否放行", QUIET, None, None),
    ("能不能放行", QUIET, None, None),
    ("到没到账", QUIET, None, None),
    ("到账多少", QUIET, None, None),
    ("还没到账吗", QUIET, None, None),
    ("已到账 12600？", QUIET, None, None),
    ("到账了呢", QUIET, None, None),
    ("怎么还没到账", QUIET, None, None),
    # negations, deferrals, conditions, hedges, partial: ask, never act
    ("先别放行", ASK, "放行", None),
    ("不放行", ASK, "放行", None),
    ("暂不放行", ASK, "放行", None),
    ("别放行", ASK, "放行", None),
    ("不能放行", ASK, "放行", None),
    ("无法放行，额度超了", ASK, "放行", None),
    ("先问问主任再放行", ASK, "放行", None),
    ("等主任确认再放行", ASK, "放行", None),
    ("放行，等款到了再发", ASK, "到账", None),
    ("明天放行", ASK, "放行", None),
    ("确认一下再放行", ASK, "放行", None),
    ("如果到账就放行", ASK, "到账", None),
    ("到账的话放行", ASK, "到账", None),
    ("应该到账了", ASK, "到账", None),
    ("好像到账了", ASK, "到账", None),
    ("到账了吧", ASK, "到账", None),
    ("估计明天到账", ASK, "到账", None),
    ("马上到账", ASK, "到账", None),
    ("快到账了", ASK, "到账", None),
    ("下午到账", ASK, "到账", None),
    ("到账了一部分，还差3000", ASK, "到账", None),
    ("只到账5000元", ASK, "到账", None),
    ("到账一半", ASK, "到账", None),
    ("不是没到账", ASK, "未到账", None),
    ("可能没到账", ASK, "未到账", None),
    # acknowledgements and chat: quiet
    ("收到", QUIET, None, None),
    ("收到。", QUIET, None, None),
    ("👌", QUIET, None, None),
    ("ok", QUIET, None, None),
    ("好的", QUIET, None, None),
    ("已安排", QUIET, None, None),
    ("我看下", QUIET, None, None),
    ("稍等", QUIET, None, None),
    ("在查", QUIET, None, None),
    ("好了", ASK, None, None),
    ("搞定", ASK, None, None),
    ("✅", ASK, None, None),
    ("备好了", QUIET, None, None),  # the workshop's words, said to finance by someone holding both posts
    ("备货完成", QUIET, None, None),
]


@pytest.mark.parametrize(("text", "verdict", "command"), WORKSHOP)
def test_workshop_words(text, verdict, command):
    reading = read(text, WORKSHOP_WORDS)
    assert (reading.verdict, reading.meaning and reading.meaning.command) == (verdict, command)
    if verdict is PROBLEM:
        assert reading.note == text.strip()  # the problem is recorded in the person's own words


@pytest.mark.parametrize(("text", "verdict", "command", "amount"), FINANCE)
def test_finance_words(text, verdict, command, amount):
    reading = read(text, FINANCE_WORDS)
    assert (reading.verdict, reading.meaning and reading.meaning.command, reading.amount_fen) == (
        verdict, command, amount,
    )


def test_the_table_is_large():
    assert len(WORKSHOP) + len(FINANCE) >= 150


# Property: no text with a question mark or a negation word ever marks done, books money or releases.
_PIECES = st.sampled_from([
    "备好了", "备货完成", "已备货", "已到账", "到账了", "放行", "可以放行", "款到了", "12600", "5000元", "1.5万", "11.20",
    "@张三 ", " ", "。", "，", "！", "👌", "ok", "好了", "收到", "已", "了", "D261124-003", "客户", "今天", "的",
])
_SPOILERS = st.sampled_from(["?", "？", *NEGATIONS, "还没", "不能", "无法"])


@given(st.lists(_PIECES, max_size=6), _SPOILERS, st.lists(_PIECES, max_size=6), st.text(max_size=8))
def test_no_question_or_negation_ever_acts(before, spoiler, after, noise):
    text = "".join(before) + spoiler + noise + "".join(after)
    for vocabulary in (WORKSHOP_WORDS, FINANCE_WORDS):
        reading = read(text, vocabulary)
        assert reading.verdict is not ACT
        assert reading.amount_fen is None
