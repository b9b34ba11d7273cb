"""What a plain-word quote-reply means: act, record a problem, ask for the exact command, or stay quiet.

In a group that moves money and goods, acting on the wrong words is worse than not acting. So plain words
act only when they are an unambiguous statement: a question, a negation, a deferral, a condition, a hedge or a
partial report never marks a task done, books money or releases an order. A number is an amount only when it is
written as money (元, 万, ¥, 3,000, or a bare number that cannot be a date or a time); any other number makes the
bot ask. The owner's problem statements ("备不了，黄沙不够", "还没到账") record the problem, as the command would.

Pure Python: the vocabularies live with their features (``xietong.orders.messages``, ``xietong.finance.messages``);
``plugins.core.quote`` applies them to the quote-replies of the roles that own them (docs/UNDERSTANDING.md).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

from .numbers import parse_money_fen


class Verdict(Enum):
    act = "act"  # do what the words say
    problem = "problem"  # record the owner's problem statement
    ask = "ask"  # looks meant for the bot but is not unambiguous: ask, in one line, for the exact command
    quiet = "quiet"  # conversation: say nothing


@dataclass(frozen=True)
class Meaning:
    """Words that stand for one command of the owning role."""

    command: str  # the command they stand for, e.g. "备货完成"
    phrases: tuple[str, ...]
    problem: bool = False  # a problem statement ("缺货", "未到账"): recorded with the text as its note
    money: bool = False  # the words may carry an amount ("已到账 5000")


@dataclass(frozen=True)
class Vocabulary:
    meanings: tuple[Meaning, ...]


@dataclass(frozen=True)
class Reading:
    verdict: Verdict
    meaning: Meaning | None = None
    amount_fen: int | None = None  # only for money meanings; None: everything still owed
    note: str = ""  # the text as typed (trimmed): the note of a problem


QUESTION_MARKS = ("?", "吗", "么", "呢", "嘛", "是否", "能否", "可否", "是不是", "有没有", "几时", "多少", "什么", "啥", "怎么", "哪")
NEGATIONS = ("不", "没", "未", "别", "勿", "莫", "无法", "暂缓", "否")
DEFERRALS = (
    "先", "等", "再说", "再看", "问问", "问下", "问一下", "确认一下", "核实一下", "核对一下", "查一下", "查下", "看看",
    "看下", "看一下", "明天", "后天", "下午", "晚上", "晚点", "待会", "一会", "稍后", "回头", "马上", "快", "正在", "在",
    "准备", "能", "会", "要", "将", "如果", "要是", "的话", "假如", "万一", "除非", "只要",
)
HEDGES = ("应该", "可能", "估计", "大概", "好像", "也许", "似乎", "吧", "差不多")
PARTIAL = ("部分", "一半", "差", "欠", "剩", "少", "只", "才", "还有")
VAGUE_DONE = ("弄好了", "好了", "搞定", "完成", "妥了", "齐了", "ok了", "okay", "done", "✅", "✔", "☑")
"""Words that sound like "done" without saying what: when they are all the message says ("好了。", "搞定！",
"已完成"), the bot asks which command is meant; inside other words ("备好了" to finance) they are not for it."""
_FILLERS = "已经都啦了哈的呀嗯"

_NEGATED_BEFORE = ("不是", "没有", "并非", "不会", "不", "没", "未", "无", "别", "非")
_A_NOT_A = re.compile(r"(.)[不没]\1")  # 是不是, 够不够, 到没到: a question
_ENDS_AS_QUESTION = re.compile(r"(?:没有|没|了没|未)$")
_MENTION = re.compile(r"@\S+\s")
_TRAILING = re.compile(r"[\s。.!！~～…,，、;；]+$")
_ORDER_NUMBER = re.compile(r"(?<![\dA-Za-z])(?:[A-Za-z]{1,2}-?)?\d{6}-?\d{1,4}(?![\d])")
_FULL_DATE = re.compile(r"\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[/-]\d{1,2}(?![\d])|\d{1,2}:\d{2}")
_CN = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
_NUMBER = re.compile(
    rf"(?P<cur>¥|人民币|rmb)?\s*(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[{_CN}]+(?:点[{_CN}]+)?)\s*(?P<unit>万元|万块|万|w|元|块钱|块|圆)?"
    r"(?=(?P<after>.?))"
)
_DATE_AFTER = set("月日号点时分年天周:")
_COUNT_UNITS = set("吨箱件袋包笔个车桶瓶斤克米方台套张次单t")


def normalize(text: str) -> str:
    """Fold full-width forms (NFKC), drop typed @-mentions, squeeze spaces, lowercase, drop trailing 。！ and spaces."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _MENTION.sub(" ", text + " ")
    text = " ".join(text.split())
    return _TRAILING.sub("", text)


def is_question(text: str) -> bool:
    return (
        any(mark in text for mark in QUESTION_MARKS)
        or bool(_A_NOT_A.search(text))
        or bool(_ENDS_AS_QUESTION.search(text))
    )


def _find(text: str, vocabulary: Vocabulary, *, problem: bool) -> tuple[Meaning, int] | None:
    """The longest phrase of the vocabulary's problem (or other) meanings found, with where it starts."""
    found = [
        (len(phrase), text.find(phrase), meaning)
        for meaning in vocabulary.meanings if meaning.problem == problem
        for phrase in meaning.phrases if phrase in text
    ]
    if not found:
        return None
    _, start, meaning = max(found, key=lambda f: f[0])
    return meaning, start


def _numbers(text: str) -> list[re.Match[str]]:
    """Every number typed outside order numbers; Chinese numerals only when a unit follows ("一下" is no number)."""
    text = _ORDER_NUMBER.sub(" ", text)
    found = []
    for match in _NUMBER.finditer(text):
        arabic = match["num"][0].isdigit()
        if arabic or match["unit"] or match["after"] in _DATE_AFTER | _COUNT_UNITS:
            found.append(match)
    return found


def _money_or_none(match: re.Match[str]) -> int | None:
    """The amount in fen when the number is written as money; None when it is something else or could be."""
    num, unit, after = match["num"], match["unit"] or "", match["after"]
    if after in _DATE_AFTER:
        return None
    if unit or match["cur"] or "," in num:
        try:
            return parse_money_fen((match["cur"] or "") + num + unit)
        except ValueError:
            return None
    if not num[0].isdigit() or after in _COUNT_UNITS or after == "k":
        return None  # a Chinese numeral without 元, or a quantity / count ("20吨", "2笔")
    whole, _, fraction = num.partition(".")
    if len(whole) >= 11:
        return None  # a phone number
    if fraction and len(whole) <= 2 and 1 <= int(whole) <= 12 and 1 <= len(fraction) <= 2 and 1 <= int(fraction) <= 31:
        return None  # 11.20 could be the 20th of November
    if not fraction and int(whole) <= 31:
        return None  # 20 could be the 20th, 9 could be nine o'clock
    try:
        return parse_money_fen(num)
    except ValueError:
        return None


def _is_date(match: re.Match[str]) -> bool:
    return match["after"] in _DATE_AFTER and not match["unit"]


def read(text: str, vocabulary: Vocabulary) -> Reading:
    """What a quote-reply from the role owning ``vocabulary`` means (see the module docstring)."""
    note = text.strip()
    words = normalize(text)
    if not words or is_question(words):
        return Reading(Verdict.quiet)
    if found := _find(words, vocabulary, problem=True):
        meaning, start = found
        before = words[:start]
        if before.endswith(_NEGATED_BEFORE) or any(w in words for w in (*HEDGES, "如果", "要是", "的话", "假如", "万一")):
            return Reading(Verdict.ask, meaning)
        return Reading(Verdict.problem, meaning, note=note)
    found = _find(words, vocabulary, problem=False)
    if found is None:
        return Reading(Verdict.ask if _only_vague(words) else Verdict.quiet)
    meaning, _ = found
    rest = words
    for phrase in meaning.phrases:
        rest = rest.replace(phrase, " ")
    if any(w in rest for w in (*NEGATIONS, *DEFERRALS, *HEDGES, *PARTIAL)):
        return Reading(Verdict.ask, meaning)
    return _with_numbers(words, rest, meaning)


def _only_vague(words: str) -> bool:
    """The message says nothing but a vague "done" (with order numbers, fillers, punctuation and emoji)."""
    rest = _ORDER_NUMBER.sub("", words)
    if not any(w in rest for w in VAGUE_DONE):
        return False
    for word in sorted(VAGUE_DONE, key=len, reverse=True):
        rest = rest.replace(word, "")
    return not any(ch.isalnum() and ch not in _FILLERS for ch in rest)


def _with_numbers(words: str, rest: str, meaning: Meaning) -> Reading:
    """Numbers decide between acting and asking: a money meaning takes one amount written as money."""
    rest = _ORDER_NUMBER.sub(" ", rest)
    has_full_date = bool(_FULL_DATE.search(rest))
    numbers = _numbers(_FULL_DATE.sub(" ", rest))
    if not meaning.money:
        return Reading(Verdict.ask, meaning) if numbers or has_full_date else Reading(Verdict.act, meaning)
    dates = [m for m in numbers if _is_date(m)]
    if (dates or has_full_date) and "已" not in words and "了" not in words:
        return Reading(Verdict.ask, meaning)  # "11月30号到账" may be a promise, not a report
    others = [m for m in numbers if not _is_date(m)]
    amounts = [_money_or_none(m) for m in others]
    if len(others) > 1 or None in amounts:
        return Reading(Verdict.ask, meaning)
    return Reading(Verdict.act, meaning, amount_fen=amounts[0] if amounts else None)
