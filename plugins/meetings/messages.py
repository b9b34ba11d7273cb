"""Command words of the meetings plugin."""

from plugins.core.commands import CommandDoc

MINUTES = CommandDoc(
    "纪要", "/纪要 内容（助理、主任记录）｜/纪要 [日期|上周]（查看那一周的纪要）",
    "每周例会纪要：记到本周，或查看某一周", aliases=("会议纪要", "例会纪要"),
)
COMMANDS = (MINUTES,)
