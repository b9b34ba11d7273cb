"""Orders: intake, department fan-out and replies, the gate, the sales slip, queries."""

from nonebot import require
from nonebot.plugin import PluginMetadata

require("plugins.core")

from xietong.orders import messages  # noqa: E402

__plugin_meta__ = PluginMetadata(
    name=messages.PLUGIN_NAME,
    description=messages.PLUGIN_DESCRIPTION,
    usage="\n".join(doc.usage for doc in messages.COMMANDS),
    type="application",
    extra={"commands": messages.COMMANDS},
)

from . import matchers, slip_matchers  # noqa: E402,F401
