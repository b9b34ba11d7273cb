"""The key：value lines of /客户 新增 and /客户 修改."""

import pytest

from xietong.core.errors import DomainError
from xietong.customers.fields import parse_fields, split_fields
from xietong.customers.messages import TEMPLATE, shown


def test_the_template_itself_reads():
    assert parse_fields(TEMPLATE.split("\n", 1)[1], new=True) == {
        "name": "金陵建材有限公司", "contact": "王经理", "phone": "13800000000", "region": "南京",
        "salesman": "小李", "credit_limit_fen": 5_000_000, "credit_days": 30,
    }


def test_colons_commas_spaces_and_several_fields_on_a_line():
    text = "名称:金陵建材 联系人：王经理，电话 ：025-84561234；地区 南京\n业务员 小李\n额度：1.5万  账期：三十天"
    assert parse_fields(text, new=True) == {
        "name": "金陵建材", "contact": "王经理", "phone": "025-84561234", "region": "南京", "salesman": "小李",
        "credit_limit_fen": 1_500_000, "credit_days": 30,
    }


def test_note_continues_on_lines_without_a_key_and_keeps_its_punctuation():
    fields, problems = split_fields("名称：金陵建材\n备注：老客户，月底对账\n送货前先打电话")
    assert problems == []
    assert fields[-1] == ("note", "老客户，月底对账\n送货前先打电话")


def test_inside_a_note_a_key_with_a_space_is_text_unless_it_starts_a_line():
    assert parse_fields("名称：甲\n备注：老客户，电话 先打  地区 不限\n电话 13900000000", new=True) == {
        "name": "甲", "note": "老客户，电话 先打  地区 不限", "phone": "13900000000",
    }


def test_zero_credit_and_clearing_words():
    assert parse_fields("名称：甲\n信用额度：0\n账期：0天", new=True) == {
        "name": "甲", "credit_limit_fen": 0, "credit_days": 0,
    }
    assert parse_fields("信用额度：不限\n账期：默认", new=False) == {"credit_limit_fen": None, "credit_days": None}


def test_empty_values_clear_a_change_but_are_left_out_of_a_new_entry():
    assert parse_fields("名称：甲\n联系人：\n备注：（可选）", new=True) == {"name": "甲"}
    assert parse_fields("联系人：\n电话：\n账期：", new=False) == {"contact": "", "phone": "", "credit_days": None}


@pytest.mark.parametrize(
    ("text", "new", "problems"),
    [
        ("联系人：王经理", True, ["缺少 名称"]),
        ("名称：甲\n电话：12345", True, ["电话 格式不对：12345（手机 11 位，座机带区号，如 0550-3012345）"]),
        ("名称：甲\n信用额度：很多", True, ["信用额度 看不懂：很多"]),
        ("名称：甲\n信用额度：-5", True, ["信用额度 必须大于 0：-5"]),
        ("名称：甲\n账期：一个月", True, ["账期 要写天数：一个月（如 30天）"]),
        ("名称：甲\n账期：2.5天", True, ["账期 要写整天数：2.5天"]),
        ("名称：甲\n账期：400", True, ["账期 最多 365 天：400"]),
        ("名称：甲\n邮箱：a@b.com", True, ["不认识的字段：邮箱（可写 名称、联系人、电话、地区、业务员、信用额度、账期、备注）"]),
        ("名称：甲\n随便写点什么", True, ["看不懂这一行：随便写点什么"]),
        ("名称：甲\n名称：乙", True, ["名称 写了两次：甲 / 乙"]),
        ("名称：" + "长" * 101, True, ["名称 太长（最多 100 字）"]),
        ("联系人：" + "王" * 51, False, ["联系人 太长（最多 50 字）"]),
        ("名称：", False, ["名称 不能清空"]),
        ("", False, ["没有写任何字段"]),
        ("电话：1\n账期：x", False, ["电话 格式不对：1（手机 11 位，座机带区号，如 0550-3012345）", "账期 要写天数：x（如 30天）"]),
    ],
)
def test_every_problem_is_named_with_the_template(text: str, new: bool, problems: list[str]):
    with pytest.raises(DomainError) as caught:
        parse_fields(text, new=new)
    expected = "客户档案没有保存，请改正：\n" + "\n".join(f"· {p}" for p in problems) + f"\n\n参考格式：\n{TEMPLATE}"
    assert caught.value.message == expected


def test_shown_values():
    assert shown("credit_limit_fen", None) == "未设"
    assert shown("credit_limit_fen", 5_000_050) == "50,000.50 元"
    assert shown("credit_days", None, 30) == "默认（30 天）"
    assert shown("credit_days", 45, 30) == "45 天"
    assert shown("contact", "") == "—"
