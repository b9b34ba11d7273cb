"""Finance: payment confirmations, receivables ledger and ageing, COD booking, collections."""

from nonebot import require
from nonebot.plugin import PluginMetadata

require("plugins.core")

from xietong.finance import hooks, messages  # noqa: E402

__plugin_meta__ = PluginMetadata(
    name=messages.PLUGIN_NAME,
    description=messages.PLUGIN_DESCRIPTION,
    usage="\n".join(doc.usage for doc in messages.COMMANDS),
    type="application",
    extra={"commands": messages.COMMANDS},
)

hooks.install()  # the 逾期 flag in /订单 /看板, and the finance and cs sections of /待办

from . import matchers  # noqa: E402,F401
