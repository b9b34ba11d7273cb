"""The simulator's own pieces that need no bot: CQ codes and message records."""

from __future__ import annotations

from tools.onebot_sim import SentMessage, at_segment, parse_cq, reply_segment, text_segment, to_cq


def test_cq_strings_and_arrays_convert_both_ways() -> None:
    segments = [reply_segment(-42), text_segment("/设岗 "), at_segment(20002), text_segment(" 客服 & [A,B]")]
    raw = to_cq(segments)
    assert raw == "[CQ:reply,id=-42]/设岗 [CQ:at,qq=20002] 客服 &amp; &#91;A,B&#93;"
    assert parse_cq(raw) == segments
    assert parse_cq("[CQ:image,file=a&#44;b.png,url=http://x/?a=1]") == [
        {"type": "image", "data": {"file": "a,b.png", "url": "http://x/?a=1"}}
    ]


def test_a_sent_message_knows_its_text_mentions_and_quote() -> None:
    sent = SentMessage.build(
        "send_group_msg", "group", 9001, [reply_segment(7), at_segment(20002), text_segment(" 已设岗")], 8
    )
    assert (sent.text, sent.mentions, sent.reply_to, sent.target) == (" 已设岗", [20002], 7, 9001)
