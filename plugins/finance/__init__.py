"""Finance: payment confirmations, receivables ledger and ageing, COD booking, collections."""

from nonebot import require
from nonebot.plugin import PluginMetadata

require("plugins.core")

__plugin_meta__ = PluginMetadata(
    name="协同·财务",
    description="到账确认、应收台账与账龄、代收入账、催收",
    usage="/到账 /放行 /收款 /应收 …",
    type="application",
    extra={"commands": ()},
)
