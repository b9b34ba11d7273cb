"""Meetings: the weekly minutes (/纪要)."""

from nonebot import require
from nonebot.plugin import PluginMetadata

require("plugins.core")

from xietong.meetings import messages  # noqa: E402

__plugin_meta__ = PluginMetadata(
    name="协同·例会",
    description="每周例会纪要：记录与查看",
    usage="\n".join(doc.usage for doc in messages.COMMANDS),
    type="application",
    extra={"commands": messages.COMMANDS},
)

from . import matchers  # noqa: E402,F401
