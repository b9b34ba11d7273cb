"""Orders: intake, department fan-out and replies, the gate, the sales slip, queries."""

from nonebot import require
from nonebot.plugin import PluginMetadata

require("plugins.core")

__plugin_meta__ = PluginMetadata(
    name="协同·订单",
    description="接单、各部门指令与回复、开单闸门、销售单、订单查询",
    usage="/接单 /订单 /看板 /待办 …",
    type="application",
    extra={"commands": ()},
)
