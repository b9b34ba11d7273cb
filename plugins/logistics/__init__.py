"""Logistics: vehicles, shipping, delivery, exceptions, cash on delivery, freight."""

from nonebot import require
from nonebot.plugin import PluginMetadata

require("plugins.core")

__plugin_meta__ = PluginMetadata(
    name="协同·物流",
    description="派车、发货、到货、异常、代收货款、运费",
    usage="/派车 /发货 /到货 /异常 …",
    type="application",
    extra={"commands": ()},
)
