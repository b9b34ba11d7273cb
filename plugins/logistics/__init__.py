"""Logistics: vehicles, shipping, delivery, exceptions, cash on delivery, freight."""

from nonebot import require
from nonebot.plugin import PluginMetadata

require("plugins.core")
require("plugins.orders")

from xietong.logistics import messages  # noqa: E402

__plugin_meta__ = PluginMetadata(
    name=messages.PLUGIN_NAME,
    description=messages.PLUGIN_DESCRIPTION,
    usage="\n".join(doc.usage for doc in messages.COMMANDS),
    type="application",
    extra={"commands": messages.COMMANDS},
)

from . import matchers  # noqa: E402,F401
